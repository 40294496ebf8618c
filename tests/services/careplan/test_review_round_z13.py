"""Specialist review round Z13 and its lead-in (SYNTHETIC patients): the frail lung, the
kidney and calcineurin inhibitors, and the under-dosed agent read as failed."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, cautions, lab, make_plan, merge

ASYS_LUNG: dict[str, Any] = {
    "diagnosis": {"subgroup": "asys"},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "classification": {"skin": {"heliotrope_rash": False, "gottron_papules": False}},
    "antibodies": {"mi2": {"status": "negative"}, "pl7": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "lung": {"course": "progressive", "hrct_pattern": "nsip", "fvc_percent_predicted": 62},
}
ASYS = merge(ADULT_DM, ASYS_LUNG)
ON_LOW_MMF = [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
               "start": "2026-08-01", "response": "partial"},
              {"therapy": "mycophenolate", "dose_value": 1000, "dose_unit": "mg/day",
               "start": "2026-08-10", "response": "none"}]


def lung_of(plan: Any) -> Any:
    return next(r for r in plan.regimens if r.domain == "lung")


def test_a_calcineurin_inhibitor_with_an_egfr_below_30_carries_a_high_caution() -> None:
    """Tacrolimus led the lung escalation of an 84-year-old with a clearance of 28."""
    plan = make_plan(ASYS, lab_results=[lab("egfr", 26, "mL/min/1.73m2")],
                     treatments=ON_LOW_MMF[:1])
    assert "calcineurin_kidney_failure" in cautions(plan, "tacrolimus")
    kept = make_plan(ASYS, lab_results=[lab("egfr", 70, "mL/min/1.73m2")],
                     treatments=ON_LOW_MMF[:1])
    assert "calcineurin_kidney_failure" not in cautions(kept, "tacrolimus")


def test_an_agent_below_its_range_is_raised_before_a_new_one_is_added() -> None:
    """Mycophenolate 1 g/day for seven weeks read as a failure, and rituximab added."""
    plan = make_plan(ASYS, treatments=ON_LOW_MMF)
    lung = lung_of(plan)
    assert lung.state == "inadequate_response"
    assert any(e.startswith("Raise Mycophenolate") for e in lung.first_choice)
    assert not any(e.removeprefix("add ").startswith(("Rituximab", "Tacrolimus",
                                                      "Cyclophosphamide"))
                   for e in lung.first_choice)
    assert any(d.therapy == "mycophenolate" and d.below_range for d in plan.doses)


def test_an_agent_at_its_full_dose_is_escalated_as_before() -> None:
    full = [ON_LOW_MMF[0], {**ON_LOW_MMF[1], "dose_value": 3000}]
    lung = lung_of(make_plan(ASYS, treatments=full))
    assert lung.state == "inadequate_response"
    assert not any(e.startswith("Raise ") for e in lung.first_choice)


def test_a_threatened_organ_is_escalated_without_waiting_for_the_dose() -> None:
    plan = make_plan(ASYS, treatments=ON_LOW_MMF,
                     lung={"course": "rapidly_progressive", "oxygen": "at_rest"})
    assert not any(e.startswith("Raise ") for r in plan.regimens for e in r.first_choice)


def test_severe_frailty_conditions_the_reserve_alternatives() -> None:
    """Z11c P8 (dangerous, partly open): rituximab and cyclophosphamide listed plainly for a
    frail patient's lung; the proportionate line now comes even when the first choice is
    unchanged."""
    plan = make_plan(ASYS, treatments=[ON_LOW_MMF[0],
                                                   {**ON_LOW_MMF[1], "dose_value": 3000}],
                     care_goals={"frailty_scale": 7})
    lung = lung_of(plan)
    assert lung.first_choice[0].startswith("Severe frailty or a limited ceiling")
    plain = [a for a in lung.alternatives
             if a.startswith(("Rituximab", "Cyclophosphamide", "Tacrolimus"))]
    assert plain == []

"""Open findings of specialist reviews Z1 and Z2 fixed in December 2026 (third pass): IVIG before
rituximab in pregnancy, azathioprine with cirrhosis and low platelets, a transplant recipient's
tacrolimus, a rising ALT in a child on methotrexate, and wording about alcohol and
contraception. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan
from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK

EGFR = "mL/min/1.73m2"
SRP_SEVERE: dict[str, Any] = {
    "sex": "female", "statin_exposure": False,
    "antibodies": {"srp": {"status": "positive"}, "hmgcr": {"status": "negative"}},
    "organs": {"dysphagia": "severe", "respiratory_muscle_weakness": True}}


def _muscle(plan: Any) -> Any:
    return next(r for r in plan.regimens if r.domain == "muscle")


def test_pregnancy_puts_ivig_before_rituximab_in_severe_anti_srp_disease() -> None:
    """Review Z1: rituximab first choice at 26 weeks for anti-SRP disease IVIG had controlled."""
    pregnant = make_plan(HMGCR_TEXTBOOK, **SRP_SEVERE, reproduction={
        "pregnant": True, "gestation_weeks": 26, "planning_conception": False,
        "breastfeeding": False})
    first = " | ".join(_muscle(pregnant).first_choice)
    assert "Intravenous immunoglobulin" in first and "Rituximab" not in first
    not_pregnant = make_plan(HMGCR_TEXTBOOK, **SRP_SEVERE)
    assert any(e.startswith("Rituximab") for e in _muscle(not_pregnant).first_choice)


def test_cirrhosis_with_low_platelets_withholds_azathioprine() -> None:
    """Review Z1: azathioprine first choice in Child-Pugh B cirrhosis with platelets 92."""
    low = make_plan(comorbidities={"hepatic_impairment": True},
                    lab_results=[*ADULT_DM["lab_results"], lab("platelets", 92, "10^9/L")])
    reasons = {w.therapy: w.reason for w in low.withheld}
    assert "platelets 92" in reasons["azathioprine"]
    assert not any("Azathioprine" in e for e in _muscle(low).first_choice)
    mmf = next(o for o in low.options if o.therapy == "mycophenolate")
    assert any("every 2 weeks" in c.text for c in mmf.cautions)
    normal = make_plan(comorbidities={"hepatic_impairment": True},
                       lab_results=[*ADULT_DM["lab_results"], lab("platelets", 210, "10^9/L")])
    assert "azathioprine" not in {w.therapy for w in normal.withheld}


def test_a_transplant_recipients_tacrolimus_is_not_swapped() -> None:
    """Review Z2: 'prefer another agent' for the tacrolimus of a kidney transplant recipient."""
    def plan(transplant: bool | None) -> Any:
        return make_plan(comorbidities={"solid_organ_transplant": transplant,
                                        "hypertension": True},
                         lab_results=[lab("egfr", 45, EGFR)],
                         treatments=[{"therapy": "tacrolimus", "start": "2020-01-01",
                                      "outcome": "ongoing"}])
    transplant = plan(True)
    assert "solid_organ_transplant_recipient" in do_now(transplant)
    assert not any("prefer another" in a.text for a in transplant.do_now)
    for unknown_or_no in (plan(None), plan(False)):
        assert "solid_organ_transplant_recipient" not in do_now(unknown_or_no)
        # taken and working: kept with the pressure controlled, not swapped (review Z10a)
        assert any("keep it" in a.text and "Hypertension" in a.text
                   for a in unknown_or_no.do_now)
        assert not any("prefer another" in a.text for a in unknown_or_no.do_now)


def test_a_rising_alt_on_methotrexate_stops_the_push_to_a_higher_dose() -> None:
    """Review Z2: 'continue and optimise methotrexate' with a rising ALT in a child."""
    def visit(date: str, pg: float, mmt: int, gc: float) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": gc,
                "core_set": {"physician_global": pg, "mmt8": mmt, "mmt_max": 150}}
    plan = make_plan(date_of_birth="2014-06-01", months_since_onset=14, weight_kg=40,
                     classification={**ADULT_DM["classification"], "age_at_onset": 11},
                     lab_results=[lab("egfr", 100, EGFR), lab("alt", 65, "U/L", 35),
                                  lab("ck", 150, "U/L", 200)],
                     visits=[visit("2026-08-01", 2, 136, 10), visit("2026-11-25", 3, 130, 7.5)],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-12-01",
                                  "outcome": "ongoing"}])
    assert "alt_mildly_raised_with_normal_ck" in do_now(plan)
    entries = [e for e in _muscle(plan).first_choice if "Methotrexate" in e]
    assert entries and all(e.startswith("Continue Methotrexate (no dose rise") for e in entries)


def _methotrexate_option_cautions(plan: Any) -> list[str]:
    option = next((o for o in plan.options if o.therapy == "methotrexate"), None)
    return [c.text for c in option.cautions] if option else []


def test_alcohol_advice_is_not_given_to_a_young_child() -> None:
    """Review Z2: 'keep within national limits' printed for a 12-year-old."""
    def aged(born: str, onset: int) -> Any:
        return make_plan(date_of_birth=born, months_since_onset=4,
                         classification={**ADULT_DM["classification"], "age_at_onset": onset})
    child = _methotrexate_option_cautions(aged("2014-06-01", 12))
    assert not any("lcohol" in c for c in child)
    adolescent = _methotrexate_option_cautions(aged("2010-06-01", 16))
    assert any("none is safest under 18" in c for c in adolescent)


def test_contraception_recorded_as_not_used_is_not_called_unrecorded() -> None:
    """Review Z2: 'contraception not recorded' printed when it was recorded as not used."""
    plan = make_plan(reproduction={"pregnant": False, "planning_conception": True,
                                   "breastfeeding": False, "effective_contraception": False},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-01-01",
                                  "outcome": "ongoing"}])
    line = next(a for a in plan.do_now
                if a.code == "teratogen_conception_planned_contraception_unknown")
    assert "no effective contraception is recorded (none used, condoms alone, or not asked)" in line.text

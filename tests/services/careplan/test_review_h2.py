"""Scenarios from the open findings of specialist review H (December 2026, SYNTHETIC; review H of
an earlier session is test_review_h.py): the fixes found after the round was scored (H355-)."""

from __future__ import annotations

from myositis.reports.careplan import to_markdown
from tests.services.careplan.conftest import do_now, make_plan

ASYS_NEW = {"months_since_onset": 2, "weight_kg": 70, "height_cm": 165,
            "antibodies": {"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
            "skin": {"mechanics_hands": True},
            "systemic": {"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
            "lung": {"course": "progressive", "hrct_pattern": "nsip"}}


def test_induction_glucocorticoids_with_a_second_agent_bring_pjp_prophylaxis() -> None:
    plan = make_plan(**ASYS_NEW)
    assert do_now(plan).get("pjp_prophylaxis_with_induction") == "soon"
    # said once: the glucocorticoid option's caution gives way to the action
    option = next(o for o in plan.options if o.therapy == "glucocorticoids_oral")
    assert "pjp_with_glucocorticoid_option" not in {c.condition for c in option.cautions}


def test_no_induction_pjp_line_with_prophylaxis_in_place_or_in_a_child() -> None:
    covered = make_plan(**ASYS_NEW, prophylaxis={"pjp": True})
    assert "pjp_prophylaxis_with_induction" not in do_now(covered)
    child = make_plan(classification={"age_at_onset": 9}, months_since_onset=2, weight_kg=30)
    assert "pjp_prophylaxis_with_induction" not in do_now(child)


def test_no_induction_pjp_line_in_a_stable_patient_on_a_low_dose() -> None:
    plan = make_plan(months_since_onset=30,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "start": "2024-06-01",
                                  "outcome": "ongoing"}],
                     visits=[{"date": "2026-06-01", "core_set": {"mmt8": 80,
                                                                 "physician_global": 0.5}},
                             {"date": "2026-11-20", "core_set": {"mmt8": 80,
                                                                 "physician_global": 0.5}}])
    assert "pjp_prophylaxis_with_induction" not in do_now(plan)


def test_the_summary_gives_first_choice_doses_and_the_detail_the_alternatives() -> None:
    plan = make_plan(**ASYS_NEW)
    first = {d.therapy for d in plan.doses if d.first_choice}
    others = {d.therapy for d in plan.doses if not d.first_choice}
    assert {"glucocorticoids_oral", "mycophenolate"} <= first
    assert others and not first & others
    text = to_markdown(plan)
    summary, detail = text.split("## Detail")
    name = next(d.name for d in plan.doses if not d.first_choice)
    assert f"- {name}:" not in summary.split("**Doses worked out")[1]
    assert "### Doses of the alternatives" in detail and f"- {name}:" in detail


NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}
PM_REFRACTORY = {"months_since_onset": 14, "skin": NO_RASH, "diagnosis": {"subgroup": "pm"},
                 "antibodies": {"mi2": {"status": "negative"}},
                 "classification": {"age_at_onset": 50, "skin": NO_RASH,
                                    "weakness": {"proximal_upper": True, "proximal_lower": True},
                                    "elevated_muscle_enzymes": True,
                                    "biopsy": {"endomysial_infiltrate": True}},
                 "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                 "dose_unit": "mg/day", "start": "2025-10-01",
                                 "outcome": "ongoing"},
                                {"therapy": "methotrexate", "start": "2025-10-15",
                                 "stop": "2026-04-01", "outcome": "ineffective"},
                                {"therapy": "azathioprine", "start": "2026-04-01",
                                 "stop": "2026-10-01", "outcome": "ineffective"},
                                {"therapy": "mycophenolate", "start": "2026-10-01",
                                 "outcome": "ongoing"}],
                 "visits": [{"date": "2026-01-10", "core_set": {"mmt8": 60, "physician_global": 6}},
                            {"date": "2026-11-20", "core_set": {"mmt8": 61, "physician_global": 6}}]}


def test_polymyositis_not_responding_reexamines_the_diagnosis_before_escalation() -> None:
    plan = make_plan(base=None, **PM_REFRACTORY)
    assert "pm" in plan.phenotypes, plan.phenotypes
    assert plan.state.of("muscle") == "inadequate_response", plan.state
    codes = do_now(plan)
    assert codes.get("polymyositis_not_responding_review_diagnosis") == "soon"
    assert "polymyositis_reconsider" not in codes  # said once, in the stronger line


def _flare_on_methotrexate(dose: float | None, route: str | None, egfr: float = 95) -> list[str]:
    mtx: dict[str, object] = {"therapy": "methotrexate", "start": "2025-04-15",
                              "outcome": "ongoing"}
    if dose is not None:
        mtx |= {"dose_value": dose, "dose_unit": "mg/week"}
    if route is not None:
        mtx["route"] = route
    plan = make_plan(months_since_onset=20, weight_kg=60,
                     lab_results=[{"analyte": "egfr", "value": egfr,
                                   "unit": "mL/min/1.73m2", "date": "2026-11-25"}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2025-04-01",
                                  "outcome": "ongoing"}, mtx],
                     visits=[{"date": "2026-08-01", "core_set": {"mmt8": 78,
                                                                 "physician_global": 1,
                                                                 "patient_global": 1}},
                             {"date": "2026-11-25", "core_set": {"mmt8": 62,
                                                                 "physician_global": 5,
                                                                 "patient_global": 5}}])
    assert plan.state.of("muscle") == "flare"
    return next(r for r in plan.regimens if r.domain == "muscle").first_choice


def test_a_flare_on_a_low_oral_methotrexate_dose_optimises_it_first() -> None:
    line = next(f for f in _flare_on_methotrexate(15, "oral") if "Methotrexate" in f)
    assert line.startswith("Optimise Methotrexate") and "20-25 mg/week" in line
    oral_full = next(f for f in _flare_on_methotrexate(25, "oral") if "Methotrexate" in f)
    assert "subcutaneous" in oral_full
    sc_full = next(f for f in _flare_on_methotrexate(25, "sc") if "Methotrexate" in f)
    assert sc_full.startswith("Continue Methotrexate")


def test_methotrexate_is_not_raised_with_a_reduced_egfr() -> None:
    line = next(f for f in _flare_on_methotrexate(15, "oral", egfr=45) if "Methotrexate" in f)
    assert "20-25 mg/week" not in line


def _pregnant_after(stop: str, weeks: int | None) -> dict[str, str]:
    reproduction: dict[str, object] = {"pregnant": True}
    if weeks is not None:
        reproduction["gestation_weeks"] = weeks
    return do_now(make_plan(months_since_onset=24, reproduction=reproduction,
                            treatments=[{"therapy": "methotrexate", "start": "2025-01-15",
                                         "stop": stop, "outcome": "effective",
                                         "reason_stopped": "pregnancy"}]))


def test_methotrexate_stopped_at_seven_weeks_brings_exposure_counselling() -> None:
    assert "pregnancy_teratogen_stopped_recently" in _pregnant_after("2026-11-26", 7)
    # stopped a year before conception: no exposure
    assert "pregnancy_teratogen_stopped_recently" not in _pregnant_after("2025-09-01", 7)
    # the gestation not recorded: asked about (a full-term window is assumed)
    assert "pregnancy_teratogen_stopped_recently" in _pregnant_after("2026-05-01", None)

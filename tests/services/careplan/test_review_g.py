"""Scenarios from the seventh specialist review (SYNTHETIC): safety that depends on combining
facts - a falling eGFR with methotrexate, an NSAID and co-trimoxazole; a JAK inhibitor for an
older patient with cardiovascular risk; low activity that must not be escalated; a low white
count that must not meet a new myelotoxic drug."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import cautions, do_now, make_plan, offered, withheld

ON_MTX: dict[str, Any] = {
    "months_since_onset": 28,
    "treatments": [
        {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
         "start": "2024-09-10", "outcome": "effective"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2024-10-01", "outcome": "effective"}],
    "labs": {"enzymes": {"ck": {"value": 180, "uln": 170}}},
    "visits": [{"date": "2026-11-28", "core_set": {
        "physician_global": 1.5, "patient_global": 2, "mmt8": 76, "mmt_max": 80, "haq": 0.5},
        "glucocorticoid_mg_per_day": 5}],
}
FALLING_EGFR = [
    {"analyte": "egfr", "value": 64, "unit": "mL/min/1.73m2", "date": "2026-05-20"},
    {"analyte": "egfr", "value": 45, "unit": "mL/min/1.73m2", "date": "2026-09-01"},
    {"analyte": "egfr", "value": 34, "unit": "mL/min/1.73m2", "date": "2026-11-28"},
]


def _first_choices(plan: Any) -> list[str]:
    return [e for g in plan.regimens for e in g.first_choice]


def test_egfr_falling_over_six_months_holds_methotrexate_and_names_no_toxic_switch() -> None:
    plan = make_plan(**ON_MTX, lab_results=FALLING_EGFR)
    assert do_now(plan)["renal_decline_on_methotrexate"] == "soon"
    entries = _first_choices(plan)
    assert any(e.startswith("Stop Methotrexate: Kidney function has fallen") for e in entries)
    assert not any("switch to" in e for e in entries)
    # said once: the patient rule, not again as "Taken now (Methotrexate)"
    assert "renal_decline_methotrexate_withhold" not in do_now(plan)


def test_a_stable_egfr_raises_no_decline() -> None:
    steady = [{**r, "value": 62} for r in FALLING_EGFR]
    plan = make_plan(**ON_MTX, lab_results=steady)
    assert "renal_decline_on_methotrexate" not in do_now(plan)


def test_nsaid_is_stopped_with_low_egfr_and_cautioned_with_methotrexate() -> None:
    plan = make_plan(**ON_MTX, lab_results=FALLING_EGFR, other_medicines=["nsaid"])
    assert "nsaid_with_reduced_kidney_function" in do_now(plan)
    normal = make_plan(other_medicines=["nsaid"])
    assert "nsaid_with_reduced_kidney_function" not in do_now(normal)
    assert "methotrexate_nsaid" in cautions(normal, "methotrexate")


def test_co_trimoxazole_without_pjp_indication_is_questioned_once() -> None:
    plan = make_plan(**ON_MTX, other_medicines=["co_trimoxazole"])
    actions = do_now(plan)
    assert "co_trimoxazole_without_pjp_indication" in actions
    assert "methotrexate_co_trimoxazole" not in actions  # covered by the review line
    high_dose = make_plan(**{**ON_MTX, "treatments": [
        {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-10-01", "outcome": "ongoing"},
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2026-10-01", "outcome": "ongoing"}], "visits": []},
        other_medicines=["co_trimoxazole"])
    assert "co_trimoxazole_without_pjp_indication" not in do_now(high_dose)


def test_low_activity_on_treatment_is_not_escalated() -> None:
    plan = make_plan(**ON_MTX)
    assert plan.state.of("muscle") == "stable"
    muscle = next(g for g in plan.regimens if g.domain == "muscle")
    assert not muscle.alternatives
    assert not any(e.startswith("add ") for e in muscle.first_choice)


def test_active_disease_on_treatment_is_still_active() -> None:
    active = {**ON_MTX, "labs": {"enzymes": {"ck": {"value": 900, "uln": 170}}},
              "visits": [{"date": "2026-11-28", "core_set": {
                  "physician_global": 5, "patient_global": 6, "mmt8": 62, "mmt_max": 80,
                  "haq": 1.5}, "glucocorticoid_mg_per_day": 5}]}
    assert make_plan(**active).state.of("muscle") != "stable"


def test_low_white_count_withholds_a_new_myelotoxic_drug() -> None:
    plan = make_plan(lab_results=[{"analyte": "wbc", "value": 3.1, "unit": "10^9/L",
                                   "date": "2026-11-25"}])
    held = set(withheld(plan))
    assert {"azathioprine", "mycophenolate", "methotrexate"} <= held
    assert not {"azathioprine", "mycophenolate", "methotrexate"} & offered(plan)


def test_jak_inhibitors_carry_the_class_warning_at_65_or_with_cardiovascular_risk() -> None:
    older = make_plan(classification={"age_at_onset": 74}, months_since_onset=24,
                      comorbidities={"cardiovascular_risk": True})
    for jak in {"tofacitinib", "brepocitinib", "baricitinib"} & offered(older):
        assert "jak_inhibitor_age_or_risk" in cautions(older, jak)
    young = make_plan(classification={"age_at_onset": 40},
                      comorbidities={"cardiovascular_risk": False})
    for jak in {"tofacitinib", "brepocitinib"} & offered(young):
        assert "jak_inhibitor_age_or_risk" not in cautions(young, jak)


LONG_GC = [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
            "start": "2025-05-01", "outcome": "ongoing"}]


def test_long_term_glucocorticoids_get_an_exit_plan_except_in_ibm() -> None:
    plan = make_plan(months_since_onset=19, treatments=LONG_GC)
    assert "long_term_glucocorticoid_exit" in do_now(plan)
    text = next(a.text for a in plan.do_now if a.code == "long_term_glucocorticoid_exit")
    assert "20 mg/day" in text and "HbA1c" in text
    short = make_plan(treatments=[{**LONG_GC[0], "start": "2026-10-15"}])
    assert "long_term_glucocorticoid_exit" not in do_now(short)


def test_ibm_on_an_ineffective_steroid_still_charted_is_told_to_taper_to_stop() -> None:
    from tests.services.careplan.test_safety_rules import IBM_UNTESTED_CN1A

    plan = make_plan(IBM_UNTESTED_CN1A, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2024-09-01", "outcome": "ineffective"}],
        visits=[{"date": "2026-11-20", "core_set": {"mmt8": 60, "mmt_max": 80},
                 "glucocorticoid_mg_per_day": 10}])
    actions = do_now(plan)
    assert "ibm_glucocorticoid_exit" in actions
    assert "long_term_glucocorticoid_exit" not in actions


def test_hcv_untested_is_asked_for_before_immunosuppression() -> None:
    plan = make_plan(infection_screening={"hcv": None})
    assert "hcv_status_before_immunosuppression" in do_now(plan)
    assert "hcv_status_before_immunosuppression" not in do_now(make_plan())


def test_heart_failure_cautions_immunoglobulin() -> None:
    plan = make_plan(comorbidities={"heart_failure": True})
    if "ivig" in offered(plan):
        assert "ivig_heart_failure" in cautions(plan, "ivig")
    on_ivig = make_plan(comorbidities={"heart_failure": True}, treatments=[
        {"therapy": "ivig", "start": "2026-06-01", "outcome": "ongoing"}])
    assert "ivig_heart_failure" in do_now(on_ivig)


def test_severe_anti_hmgcr_gets_ivig_and_a_conventional_agent_not_early_rituximab() -> None:
    from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK

    plan = make_plan(HMGCR_TEXTBOOK, organs={"dysphagia": "mild"}, visits=[
        {"date": "2026-11-20", "core_set": {"physician_global": 6, "patient_global": 6,
                                            "mmt8": 54, "mmt_max": 80, "haq": 1.4}}])
    muscle = next(g for g in plan.regimens if g.domain == "muscle")
    assert "Intravenous immunoglobulin" in muscle.first_choice
    assert "Rituximab" not in muscle.first_choice


def test_jdm_with_any_dysphagia_leads_with_iv_methylprednisolone() -> None:
    plan = make_plan(classification={"age_at_onset": 8}, sex="female", months_since_onset=2,
                     weight_kg=26, organs={"dysphagia": "mild"},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    muscle = next(g for g in plan.regimens if g.domain == "muscle")
    assert muscle.first_choice[0].startswith("Intravenous methylprednisolone")
    # the adult PJP threshold is not applied to a child
    assert "pjp_with_glucocorticoid_option" not in {
        c.condition for o in plan.options for c in o.cautions}


def test_cancer_screening_waits_for_an_urgent_problem_to_settle() -> None:
    plan = make_plan(classification={"age_at_onset": 60}, antibodies={
        "tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"rapidly_progressive_ild_suspected": True, "interstitial_lung_disease": True})
    action = next(a for a in plan.do_now if a.code == "cancer_screening_due")
    assert action.urgency == "routine" and "stabilised" in action.text


def test_conception_with_ild_gets_a_lung_assessment_and_keeps_the_lung_treated() -> None:
    plan = make_plan(months_since_onset=26, antibodies={"jo1": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "stable"},
                     reproduction={"pregnant": False, "planning_conception": True,
                                   "breastfeeding": False},
                     treatments=[{"therapy": "mycophenolate", "start": "2024-10-01",
                                  "outcome": "effective"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-09-01",
                                  "outcome": "effective"}],
                     labs={"enzymes": {"ck": {"value": 100, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": {
                         "physician_global": 0.5, "patient_global": 1, "mmt8": 80,
                         "mmt_max": 80, "haq": 0}}])
    assert "preconception_lung_assessment" in do_now(plan)
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any("stopping without a replacement" in e for e in entries)
    assert not any(e.startswith("Taper glucocorticoids towards stopping") for e in entries)
    # one teratogen line, not two
    assert "conception_teratogen" not in do_now(plan)


def test_no_tpmt_prompt_without_azathioprine_in_the_approach() -> None:
    plan = make_plan(**ON_MTX, immunogenetics={"tpmt": None, "nudt15": None})
    named = " ".join(e for g in plan.regimens for e in (*g.first_choice, *g.alternatives))
    if "Azathioprine" not in named:
        assert not any("before azathioprine" in u for u in plan.unknowns)
        assert "tpmt_nudt15" not in {c.id for c in plan.shared_checks}


def test_very_high_glucocorticoid_dose_reaches_an_osteoporosis_decision() -> None:
    plan = make_plan(classification={"age_at_onset": 63}, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
         "start": "2026-10-01", "outcome": "ongoing"}])
    assert "giop_very_high_dose" in do_now(plan)
    young = make_plan(classification={"age_at_onset": 30}, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
         "start": "2026-10-01", "outcome": "ongoing"}])
    assert "giop_very_high_dose" not in do_now(young)

"""Scenarios from the eighth specialist review (SYNTHETIC): interactions of recorded other
medicines, worsening attributed to the organ that worsened, pregnancy-aware rules, and an
HBsAg-positive patient on high-dose treatment."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import cautions, do_now, make_plan

HIGH_GC = [{"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
            "start": "2026-10-01", "outcome": "ongoing"}]


def test_co_trimoxazole_advised_with_warfarin_or_a_low_count_is_flagged() -> None:
    plan = make_plan(treatments=HIGH_GC, other_medicines=["warfarin"])
    actions = do_now(plan)
    assert "pjp_prophylaxis_due_glucocorticoid_dose" in actions
    assert "co_trimoxazole_warfarin" in actions
    low = make_plan(treatments=HIGH_GC, lab_results=[
        {"analyte": "neutrophils", "value": 1.1, "unit": "10^9/L", "date": "2026-11-25"}])
    assert "co_trimoxazole_cytopenia" in do_now(low)
    assert "co_trimoxazole_warfarin" not in do_now(make_plan(treatments=HIGH_GC))


def test_proton_pump_inhibitor_and_rifampicin_interactions_are_read() -> None:
    plan = make_plan(other_medicines=["proton_pump_inhibitor"])
    assert "mycophenolate_proton_pump_inhibitor" in cautions(plan, "mycophenolate")


def test_lung_worsening_with_steady_muscle_is_not_a_muscle_flare() -> None:
    visits: list[dict[str, Any]] = [
        {"date": "2025-11-18", "core_set": {"physician_global": 3, "patient_global": 4,
                                            "extramuscular_global": 3, "mmt8": 76,
                                            "mmt_max": 80, "haq": 0.6},
         "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}}},
        {"date": "2026-11-20", "core_set": {"physician_global": 5, "patient_global": 6,
                                            "extramuscular_global": 6, "mmt8": 76,
                                            "mmt_max": 80, "haq": 1.1},
         "labs": {"enzymes": {"ck": {"value": 130, "uln": 200}}}}]
    plan = make_plan(months_since_onset=40, antibodies={"pl12": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "progressive"},
                     labs={"enzymes": {"ck": {"value": 130, "uln": 200}}},
                     treatments=[{"therapy": "mycophenolate", "start": "2024-01-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2024-01-01",
                                  "outcome": "ongoing"}],
                     visits=visits)
    assert plan.state.of("muscle") == "stable"
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e.startswith("raise prednisolone to") for e in entries)


def test_anaemia_in_pregnancy_is_not_a_cancer_red_flag_and_hcq_dose_waits() -> None:
    plan = make_plan(reproduction={"pregnant": True, "planning_conception": False,
                                   "breastfeeding": False}, weight_kg=74,
                     lab_results=[{"analyte": "haemoglobin", "value": 104, "unit": "g/L",
                                   "date": "2026-11-25"}],
                     treatments=[{"therapy": "hydroxychloroquine", "dose_value": 400,
                                  "dose_unit": "mg/day", "start": "2026-01-01",
                                  "outcome": "ongoing"}])
    actions = do_now(plan)
    assert not any("red_flag" in code or "cancer_red" in code or "anaemia" in code
                   for code in actions)
    assert "hydroxychloroquine_dose_above_5mg_kg" not in actions
    not_pregnant = make_plan(weight_kg=74, lab_results=[
        {"analyte": "haemoglobin", "value": 104, "unit": "g/L", "date": "2026-11-25"}])
    assert "anaemia_cancer_flag" in do_now(not_pregnant)


def test_hbsag_positive_on_high_dose_is_urgent_and_said_once() -> None:
    plan = make_plan(treatments=HIGH_GC, infection_screening={"hbsag": {"result": "positive"}})
    actions = do_now(plan)
    assert actions["hbsag_positive_high_risk"] == "urgent"
    assert "hbsag_positive" not in actions
    low = make_plan(infection_screening={"hbsag": {"result": "positive"}})
    assert "hbsag_positive" in do_now(low) and "hbsag_positive_high_risk" not in do_now(low)


def test_an_ineffective_course_without_a_stop_date_is_monitored_and_stopped() -> None:
    plan = make_plan(months_since_onset=30, treatments=[
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2025-01-01", "outcome": "ineffective"}])
    entries = [e for g in plan.regimens for e in g.first_choice]
    # reviewed, not stopped outright: it may stay beside the next agent (review Z11c)
    assert any(e.startswith("Review Methotrexate: recorded as ineffective but still taken")
               for e in entries)
    assert any(m.therapy.startswith("Methotrexate") for m in plan.monitoring)


def test_refractory_skin_prefers_ivig_at_equal_evidence() -> None:
    plan = make_plan(months_since_onset=30, skin_refractory=True, treatments=[
        {"therapy": "hydroxychloroquine", "start": "2025-01-01", "stop": "2025-09-01",
         "outcome": "ineffective"},
        {"therapy": "methotrexate", "start": "2025-01-01", "stop": "2026-06-01",
         "outcome": "ineffective"}])
    skin = next((g for g in plan.regimens if g.domain == "skin"), None)
    if skin is not None and skin.state == "inadequate_response":
        assert skin.first_choice[0] == "Intravenous immunoglobulin"


def test_jdm_still_active_after_years_of_partial_response_is_escalated() -> None:
    child = {"classification": {"age_at_onset": 11}, "months_since_onset": 48, "weight_kg": 50,
             "reproduction": {"pregnant": False, "planning_conception": False,
                              "breastfeeding": False}}
    visits = [{"date": "2026-11-20", "core_set": {"physician_global": 4, "patient_global": 5,
                                                  "mmt8": 66, "mmt_max": 80, "haq": 1.0}}]
    course = {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
              "start": "2022-12-08", "outcome": "ongoing", "response": "partial"}
    plan = make_plan(**child, visits=visits, treatments=[course])
    assert plan.state.of("muscle") == "inadequate_response"
    recent = make_plan(**child, visits=visits, treatments=[{**course, "start": "2026-08-01"}])
    assert recent.state.of("muscle") != "inadequate_response"


def test_pregnancy_with_active_disease_gets_compatible_options_and_obstetric_care() -> None:
    plan = make_plan(reproduction={"pregnant": True, "planning_conception": False,
                                   "breastfeeding": False}, months_since_onset=30,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2026-01-01",
                                  "outcome": "ongoing"}],
                     visits=[{"date": "2026-11-20", "core_set": {
                         "physician_global": 6, "patient_global": 6, "mmt8": 58,
                         "mmt_max": 80, "haq": 1.4}}])
    actions = do_now(plan)
    assert "pregnancy_active_disease" in actions and "pregnancy_general_care" in actions
    text = next(a.text for a in plan.do_now if a.code == "pregnancy_active_disease")
    assert "IVIG" in text


def test_statin_taken_with_an_unexplained_myopathy_is_stopped() -> None:
    # unexplained: no other myositis-specific antibody (an anti-Mi-2 would explain it: review F)
    plan = make_plan(other_medicines=["statin"], antibodies={"hmgcr": {"status": "not_tested"},
                                                             "mi2": {"status": "negative"}})
    assert "statin_taken_with_myopathy" in do_now(plan)
    negative = make_plan(other_medicines=["statin"],
                         antibodies={"hmgcr": {"status": "negative"}})
    assert "statin_taken_with_myopathy" not in do_now(negative)


def test_an_old_failed_course_does_not_stop_a_new_working_one() -> None:
    plan = make_plan(months_since_onset=40, treatments=[
        {"therapy": "methotrexate", "start": "2023-01-01", "outcome": "not_tolerated"},
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2025-06-01", "outcome": "ongoing"}])
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e.startswith("Stop Methotrexate: recorded as") for e in entries)

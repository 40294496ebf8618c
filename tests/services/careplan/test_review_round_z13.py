"""Specialist review round Z13 and its lead-in (SYNTHETIC patients): the frail lung, the
kidney and calcineurin inhibitors, and the under-dosed agent read as failed."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import (
    ADULT_DM,
    cautions,
    do_now,
    lab,
    make_plan,
    make_record,
    merge,
)

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
    assert lung.first_choice[0].startswith("Severe frailty, a limited ceiling")
    plain = [a for a in lung.alternatives
             if a.startswith(("Rituximab", "Cyclophosphamide", "Tacrolimus"))]
    assert plain == []


NO_SKIN = {"heliotrope_rash": False, "gottron_papules": False}
PM_LABEL: dict[str, Any] = {
    "diagnosis": {"subgroup": "pm"}, "months_since_onset": 40, "weight_kg": 64,
    "skin": NO_SKIN,
    "classification": {"age_at_onset": 31, "skin": NO_SKIN,
                       "weakness": {"proximal_upper": False, "proximal_lower": True}},
    "antibodies": {"mi2": {"status": "negative"}, "srp": {"status": "negative"},
                   "hmgcr": {"status": "negative"}, "jo1": {"status": "negative"}},
    "treatments": [
        {"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
         "start": "2024-03-01", "stop": "2024-09-01", "response": "none",
         "reason_stopped": "other"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2024-05-01", "stop": "2026-06-01", "response": "none",
         "reason_stopped": "inefficacy"},
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2024-09-01", "response": "none"}],
}


def test_a_label_that_failed_an_adequate_glucocorticoid_course_is_re_examined() -> None:
    """Z13a P7 (dangerous): 'raise to 0.5-1 mg/kg/day' and azathioprine for a seronegative
    'polymyositis' the criteria do not classify, after 60 mg/day for six months did nothing."""
    plan = make_plan(**PM_LABEL)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Re-examine the diagnosis before any new agent")
    assert not any("raise to 0.5-1" in e for e in muscle.first_choice)
    assert not any(e.removeprefix("add ").startswith("Azathioprine")
                   for e in muscle.first_choice)


def test_a_low_dose_course_without_response_does_not_count_as_an_adequate_trial() -> None:
    changed = merge(PM_LABEL, {})
    changed["treatments"] = [PM_LABEL["treatments"][2]]
    muscle = next(r for r in make_plan(**changed).regimens if r.domain == "muscle")
    assert not muscle.first_choice[0].startswith("Re-examine the diagnosis")


def test_a_reserve_agent_never_leads_a_mild_ild_because_others_carry_cautions() -> None:
    """Z13d P7 (dangerous): cyclophosphamide first for a mild, stable anti-Jo-1 ILD when liver
    disease cautioned mycophenolate and azathioprine."""
    plan = make_plan(ASYS, lung={"course": "stable", "fvc_percent_predicted": 82,
                                 "dlco_percent_predicted": 68, "oxygen": "none"},
                     treatments=[], comorbidities={"hepatic_impairment": True,
                                                   "alcohol_excess": True, "latent_tb": True})
    lung = lung_of(plan)
    assert not lung.first_choice[0].startswith("Cyclophosphamide")
    assert not any(e.removeprefix("add ").startswith("Cyclophosphamide")
                   for e in lung.first_choice)


SKIN_ONLY_JDM: dict[str, Any] = {
    "date_of_birth": "2021-06-10", "weight_kg": 18, "height_cm": 110, "sex": "male",
    "diagnosis": {"subgroup": "jdm"}, "months_since_onset": 6,
    "classification": {"age_at_onset": 4.9, "elevated_muscle_enzymes": False,
                       "weakness": {"proximal_upper": False, "proximal_lower": False}},
    "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
    "lab_results": [lab("ck", 120, "U/L", 200), lab("aldolase", 6.0, "U/L", 7.6)],
    "antibodies": {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
    "treatments": [{"therapy": "hydroxychloroquine", "dose_value": 100, "dose_unit": "mg/day",
                    "start": "2026-08-15", "response": "partial"}],
    "visits": [{"date": "2026-11-20", "core_set": {"physician_global": 3, "mmt8": 80,
                                                    "mmt_max": 80, "cmas": 50},
                "cdasi_activity": 18}],
    "reproduction": {},
}


def test_untreated_normal_strength_and_enzymes_are_not_a_muscle_to_induce() -> None:
    """Z13b P4 (dangerous): prednisolone 1-2 mg/kg/day for a 5-year-old with skin-predominant
    JDM, CMAS 50/52, MMT-8 80/80 and a normal CK, on hydroxychloroquine."""
    plan = make_plan(**SKIN_ONLY_JDM)
    assert plan.state.of("muscle") == "not_involved"
    assert not any(r.domain == "muscle" for r in plan.regimens)
    weak = make_plan(**{**SKIN_ONLY_JDM, "visits": [
        {"date": "2026-11-20", "core_set": {"physician_global": 3, "mmt8": 70, "mmt_max": 80,
                                             "cmas": 40}}]})
    assert weak.state.of("muscle") != "not_involved"


def test_yellow_fever_vaccine_is_not_barred_by_hydroxychloroquine_alone() -> None:
    """Z13b P4 (dangerous): 'contraindicated on this treatment' for a child taking only
    hydroxychloroquine and a topical steroid."""
    travel = {"depart": "2027-02-10", "yellow_fever_area": True}
    plan = make_plan(**SKIN_ONLY_JDM, travel=travel)
    codes = set(do_now(plan))
    assert "travel_yellow_fever_before_immunosuppression" in codes
    assert "travel_yellow_fever_on_immunosuppression" not in codes
    on_mtx = make_plan(**{**SKIN_ONLY_JDM, "treatments": [
        {"therapy": "methotrexate", "dose_value": 10, "dose_unit": "mg/week",
         "start": "2026-08-15"}]}, travel=travel)
    assert "travel_yellow_fever_on_immunosuppression" in set(do_now(on_mtx))


def test_missed_doses_do_not_delay_treatment_of_a_threatened_organ() -> None:
    """Z13c P8 (dangerous): 'restore the drug for 8-12 weeks before any new agent' beside
    respiratory-muscle weakness and dysphagia."""
    missed = [{"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
               "start": "2026-06-01", "adherence": "poor"}]
    threat = make_plan(treatments=missed, organs={"respiratory_muscle_weakness": True})
    assert "doses_missed_with_organ_threat" in do_now(threat)
    assert "doses_missed_before_escalation" not in do_now(threat)
    calm = make_plan(treatments=missed)
    assert "doses_missed_before_escalation" in do_now(calm)


def test_the_muscle_does_not_start_a_second_new_agent_beside_the_lungs() -> None:
    """Z13c P2 (dangerous): azathioprine for the muscle beside rituximab for the lung, after
    febrile neutropenia, with allopurinol."""
    plan = make_plan(ASYS, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 12.5, "dose_unit": "mg/day",
         "start": "2026-10-15"},
        {"therapy": "mycophenolate", "dose_value": 3000, "dose_unit": "mg/day",
         "start": "2025-09-15", "stop": "2026-08-10", "reason_stopped": "adverse_event",
         "reaction_severity": "severe"}], other_medicines=["allopurinol"])
    lung = lung_of(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    lung_new = {e.removeprefix("add ").split(" (")[0] for e in lung.first_choice}
    muscle_new = {e.removeprefix("add ").split(" (")[0] for e in muscle.first_choice
                  if e.removeprefix("add ").startswith(("Azathioprine", "Methotrexate",
                                                        "Tacrolimus", "Rituximab"))}
    assert muscle_new <= lung_new


def test_a_metabolic_working_diagnosis_brings_its_own_care_and_no_jdm_lines() -> None:
    """Z13a P6: a suspected metabolic myopathy at 24 (onset at 16) got no care of its own and
    the JDM long-term checks."""
    plan = make_plan(date_of_birth="2002-01-15", skin=NO_SKIN,
                     classification={"age_at_onset": 16, "skin": NO_SKIN},
                     antibodies={"mi2": {"status": "negative"}},
                     diagnosis={"not_myositis": "suspected metabolic myopathy",
                                "alternative": "metabolic_myopathy"})
    codes = set(do_now(plan))
    assert "metabolic_myopathy_care" in codes
    assert "juvenile_onset_young_adult" not in codes


def test_a_lone_weak_associated_antibody_band_is_flagged() -> None:
    """Z13a P6: a weak anti-Ku band passed without comment."""
    plan = make_plan(antibodies={"ku": {"status": "positive", "level": "weak"}})
    assert any(f.code == "weak_blot_only" and "anti-Ku" in f.text for f in plan.flags)


def test_glucocorticoids_are_tapered_off_when_ibm_is_likely_on_the_clinical_pattern() -> None:
    """Z13a P3: prednisolone 20 mg/day without response left running with the IBM pattern and
    anti-cN1A."""
    plan = make_plan(
        date_of_birth="1955-01-01", months_since_onset=48, diagnosis={"subgroup": "unclassified"},
        skin=NO_SKIN,
        classification={"age_at_onset": 67, "skin": NO_SKIN},
        antibodies={"mi2": {"status": "negative"}, "cn1a": {"status": "positive"}},
        labs={"enzymes": {"ck": {"value": 600, "uln": 200}}},
        ibm_pattern={"finger_flexion_weaker_than_shoulder_abduction": True,
                     "knee_extension_weaker_or_equal_hip_flexion": True,
                     "weakness_duration_months": 48},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2026-10-20", "response": "none"}])
    assert "ibm_glucocorticoid_exit" in do_now(plan)


def test_anti_mda5_with_the_diagnosis_open_gets_a_lung_first_path() -> None:
    """Z13a P4: anti-MDA5, cough and skin ulcers recorded as unclassified - no path at all."""
    plan = make_plan(diagnosis={"subgroup": "unclassified"},
                     antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}})
    assert "anti_mda5_diagnosis_open" in do_now(plan)


def test_a_child_of_another_subgroup_gets_no_adult_taper_target() -> None:
    """Z13b P8: 'aiming for 7.5 mg/day or less by 6 months' for a 13-year-old with necrotising
    myopathy."""
    plan = make_plan(date_of_birth="2013-05-01", weight_kg=42, height_cm=150,
                     classification={"age_at_onset": 12.5}, diagnosis={"subgroup": "imnm"},
                     skin=NO_SKIN, antibodies={"mi2": {"status": "negative"},
                                               "srp": {"status": "positive"}},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-09-01"}])
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "aiming for 7.5 mg/day" not in text


def test_a_stable_lung_is_not_maintained_by_hydroxychloroquine() -> None:
    """Z13c P4: 'Continue hydroxychloroquine' as the maintenance of a stable ILD."""
    plan = make_plan(ASYS, lung={"course": "stable"}, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
         "start": "2025-01-01"},
        {"therapy": "mycophenolate", "dose_value": 2000, "dose_unit": "mg/day",
         "start": "2025-01-01"},
        {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
         "start": "2025-01-01"}], reproduction={"planning_conception": True},
        labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
        visits=[{"date": "2026-11-20", "core_set": {"physician_global": 0.5, "mmt8": 80,
                                                     "mmt_max": 80}}])
    lung = lung_of(plan)
    assert not any("Hydroxychloroquine" in e for e in lung.first_choice)


def test_kidney_failure_turns_the_transplant_referral_into_a_caveat() -> None:
    """Z13d P2: a lung-transplant referral for a man on haemodialysis."""
    progressive = {"course": "progressive", "hrct_pattern": "nsip"}
    mmf = [{"therapy": "mycophenolate", "dose_value": 2000, "dose_unit": "mg/day",
            "start": "2026-01-01"}]
    plan = make_plan(ASYS, date_of_birth="1962-01-01", lung=progressive, treatments=mmf,
                     comorbidities={"dialysis": True})
    codes = set(do_now(plan))
    assert "ild_progressing_transplant_referral" not in codes
    assert "ild_progressing_transplant_kidney_failure" in codes
    fit = make_plan(ASYS, date_of_birth="1962-01-01", lung=progressive, treatments=mmf)
    assert "ild_progressing_transplant_referral" in set(do_now(fit))


def test_a_dose_raised_at_the_last_visit_and_tapered_since_is_no_new_rise() -> None:
    """Z13c P1: 7.5 mg/day raised to 20 at a flare and tapered to 12.5 read as 'the dose was
    raised'."""
    from myositis.services.course import course
    record = make_record(
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2026-06-15", "stop": "2026-09-01"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 12.5,
                     "dose_unit": "mg/day", "start": "2026-09-01"}],
        visits=[{"date": "2026-06-15", "core_set": {"physician_global": 4},
                 "glucocorticoid_mg_per_day": 7.5},
                {"date": "2026-11-20", "core_set": {"physician_global": 2},
                 "glucocorticoid_mg_per_day": 12.5}])
    assert not any("the dose was raised" in s for s in course(record).signals)


def test_recent_rituximab_with_another_immunosuppressant_brings_pjp_prophylaxis() -> None:
    """Z13c P6: three rituximab courses on mycophenolate, lymphocytes 0.9, IgG 4.2 and no
    PJP prophylaxis advised."""
    plan = make_plan(treatments=[
        {"therapy": "mycophenolate", "dose_value": 2000, "dose_unit": "mg/day",
         "start": "2024-01-01"},
        {"therapy": "rituximab", "dose_value": 1000, "dose_unit": "mg", "start": "2026-05-10",
         "stop": "2026-05-24"}], prophylaxis={"pjp": False},
        labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
        visits=[{"date": "2026-11-20", "core_set": {"physician_global": 0.5, "mmt8": 80,
                                                     "mmt_max": 80}}])
    assert "pjp_prophylaxis_after_rituximab_in_combination" in do_now(plan)


def test_a_past_skin_cancer_on_immunosuppression_brings_skin_surveillance() -> None:
    """Z13c P7: a basal cell carcinoma on long-term azathioprine never mentioned."""
    plan = make_plan(cancer={"past_cancer": ["basal cell carcinoma 2025"]}, treatments=[
        {"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
         "start": "2023-01-01"}])
    assert "skin_cancer_history_on_immunosuppression" in do_now(plan)


def test_red_flags_after_a_past_cancer_put_recurrence_first() -> None:
    """Z13d P5: anti-TIF1-gamma DM with weight loss after a resected colon cancer - 'do not
    repeat the CT'."""
    plan = make_plan(date_of_birth="1959-01-01", classification={"age_at_onset": 67},
                     antibodies={"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
                     cancer={"past_cancer": ["colon adenocarcinoma resected 2026"],
                             "red_flags": ["weight_loss"],
                             "screening_done": [{"test": "CT chest abdomen pelvis",
                                                 "date": "2026-08-20", "result": "normal"}]})
    codes = set(do_now(plan))
    assert "cancer_red_flags_after_past_cancer" in codes
    assert "cancer_red_flags_after_recent_ct" not in codes


def test_travel_advice_does_not_need_immunosuppression() -> None:
    """Re-score of Z13b P4: malaria and varicella advice vanished with the immunosuppression
    label for a child on hydroxychloroquine alone."""
    plan = make_plan(**SKIN_ONLY_JDM, infection_screening={"vzv_igg": {"result": "negative"}},
                     travel={"depart": "2027-02-10", "malaria_area": True})
    codes = set(do_now(plan))
    assert "travel_malaria_prevention" in codes
    # methotrexate became a skin option in JDM (review Z18c P4): the varicella line is then the
    # one for a proposed immunosuppressant
    assert {"vzv_seronegative_before_immunosuppression", "vzv_seronegative"} & codes

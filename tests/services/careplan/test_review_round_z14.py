"""Specialist review round Z14 (SYNTHETIC patients): the findings a specialist marked
dangerous, and the leftovers of round Z13 fixed with them."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan, merge

NO_SKIN = {"heliotrope_rash": False, "gottron_papules": False}

ASYS_NSIP: dict[str, Any] = {
    "diagnosis": {"subgroup": "asys"}, "skin": NO_SKIN, "classification": {"skin": NO_SKIN},
    "antibodies": {"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "lung": {"course": "progressive", "hrct_pattern": "nsip", "fvc_percent_predicted": 68},
}



def muscle_of(plan: Any) -> Any:
    return next(r for r in plan.regimens if r.domain == "muscle")


def first_text(plan: Any, domain: str) -> str:
    return " ".join(e for r in plan.regimens if r.domain == domain for e in r.first_choice)


def test_ulcers_with_chest_symptoms_wait_for_the_hrct_and_get_no_methotrexate() -> None:
    """Z14a P1 (dangerous): methotrexate and prednisolone for the ulcers of a febrile, coughing
    probable anti-MDA5 patient before any HRCT, with no PJP prophylaxis."""
    plan = make_plan(
        skin={"heliotrope_rash": False, "gottron_papules": True, "cutaneous_ulceration": True},
        classification={"weakness": {"proximal_upper": False, "proximal_lower": False},
                        "elevated_muscle_enzymes": False},
        labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
        antibodies={"mi2": {"status": "negative"}},
        systemic={"dyspnoea_or_cough": True, "fever": True},
        visits=[{"date": "2026-11-25", "core_set": {"physician_global": 5, "mmt8": 80,
                                                     "mmt_max": 80}, "cdasi_activity": 20}])
    skin = first_text(plan, "skin")
    assert "HRCT and lung function first" in skin
    assert "Methotrexate" not in skin
    assert "PJP prophylaxis" in skin


def test_a_weak_band_with_progressing_ild_is_treated_while_it_is_confirmed() -> None:
    """Z14a P3 (dangerous): NSIP worsening on prednisolone with mechanic's hands and a weak
    anti-PL-12 band - 'not followed until confirmed' and no treatment section."""
    plan = make_plan(
        skin={"heliotrope_rash": False, "gottron_papules": False, "mechanics_hands": True},
        classification={"skin": NO_SKIN, "weakness": {"proximal_upper": False,
                                                      "proximal_lower": False},
                        "elevated_muscle_enzymes": False},
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        antibodies={"mi2": {"status": "negative"}, "pl12": {"status": "positive"},
                    "ro52": {"status": "positive"}},
        antibody_tests=[{"antibody": "pl12", "result": "positive", "method": "line_blot",
                         "level": "weak", "date": "2026-11-20"}],
        systemic={"interstitial_lung_disease": True, "arthritis": True},
        lung={"course": "progressive", "hrct_pattern": "nsip", "oxygen": "exertional"},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2026-10-15"}])
    assert "asys" in plan.phenotypes and plan.diagnosis.provisional
    assert first_text(plan, "lung")


def test_conception_is_not_deferred_for_an_unclassified_referral() -> None:
    """Z14a P8 (dangerous): 'conception once the disease is controlled' for an unclassified
    myalgia with a weak band."""
    plan = make_plan(diagnosis={"subgroup": "unclassified"}, sex="female",
                     reproduction={"planning_conception": True})
    codes = set(do_now(plan))
    assert "conception_planned_during_active_disease" not in codes
    assert "conception_planned_diagnosis_open" in codes


def test_no_live_varicella_vaccine_line_beside_treatment_starting_now() -> None:
    """Z14b P1 (dangerous): 'the live varicella vaccine now' beside same-day IV pulses."""
    plan = make_plan(date_of_birth="2019-05-01", weight_kg=22, height_cm=121,
                     classification={"age_at_onset": 7},
                     infection_screening={"vzv_igg": {"result": "negative"}})
    assert "vzv_seronegative_before_immunosuppression" not in do_now(plan)


def test_low_grade_chronic_activity_gets_no_induction_glucocorticoid() -> None:
    """Z14b P3 (dangerous): prednisolone 1-2 mg/kg/day for a 15-year-old seven years into JDM
    with CMAS 45 and a normal CK."""
    plan = make_plan(date_of_birth="2011-03-01", weight_kg=47, height_cm=160,
                     classification={"age_at_onset": 8}, months_since_onset=84,
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2019-12-12"}],
                     visits=[{"date": "2026-11-20", "core_set": {
                         "physician_global": 3, "mmt8": 74, "mmt_max": 80, "cmas": 45}}])
    muscle = muscle_of(plan)
    assert muscle.first_choice[0].startswith("no induction glucocorticoid")
    assert not any(d.therapy == "glucocorticoids_oral" for d in plan.doses)


def test_a_flare_after_missed_doses_gets_a_modest_rise_and_no_new_agent() -> None:
    """Z14b P7 (dangerous): 58-60 mg/day and mycophenolate for a cushingoid 14-year-old whose
    flare followed missed methotrexate."""
    plan = make_plan(
        date_of_birth="2012-06-01", weight_kg=58, height_cm=148,
        classification={"age_at_onset": 11}, months_since_onset=36,
        treatments=[{"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                     "start": "2024-01-01", "adherence": "poor"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 12.5,
                     "dose_unit": "mg/day", "start": "2026-06-01"}],
        visits=[{"date": "2026-08-01", "core_set": {"physician_global": 1, "mmt8": 78,
                                                     "mmt_max": 80, "haq": 0.1}},
                {"date": "2026-11-25", "core_set": {"physician_global": 4, "mmt8": 60,
                                                     "mmt_max": 80, "haq": 0.8}}])
    muscle = muscle_of(plan)
    assert muscle.state == "flare"
    said = " ".join(muscle.first_choice)
    assert "raise prednisolone modestly" in said
    assert "raise prednisolone to 1-2 mg/kg" not in said
    assert not any(e.removeprefix("add ").startswith("Mycophenolate")
                   for e in muscle.first_choice)


def test_a_low_igg_with_infections_takes_the_pulses_out_of_a_moderate_flare() -> None:
    """Z14c P4 (dangerous): IV pulses for a moderate anti-SRP flare with mild dysphagia, IgG
    3.9, two pneumonias and anti-HBc."""
    plan = make_plan(
        diagnosis={"subgroup": "imnm"}, skin=NO_SKIN,
        classification={"skin": NO_SKIN},
        antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
        organs={"dysphagia": "mild"},
        comorbidities={"recurrent_infections": True},
        lab_results=[lab("igg", 3.9, "g/L"), lab("egfr", 90, "mL/min/1.73m2")],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 7.5, "dose_unit": "mg/day",
                     "start": "2025-01-01"},
                    {"therapy": "rituximab", "dose_value": 1000, "dose_unit": "mg",
                     "start": "2026-04-01", "stop": "2026-04-15"}],
        visits=[{"date": "2026-08-01", "core_set": {"physician_global": 2, "mmt8": 71,
                                                     "mmt_max": 80, "haq": 0.5}},
                {"date": "2026-11-25", "core_set": {"physician_global": 4.5, "mmt8": 55,
                                                     "mmt_max": 80, "haq": 1.0}}])
    assert muscle_of(plan).state == "flare"
    assert not any(e.removeprefix("add ").startswith("Intravenous methylprednisolone pulses")
                   for e in muscle_of(plan).first_choice)


def test_a_drug_held_today_loses_its_keep_lines() -> None:
    """Z14d P7 (dangerous): 'withhold tacrolimus today' beside 'a calcineurin inhibitor that is
    working: keep it' at a trough of 14.5 with a kidney injury."""
    plan = make_plan(
        comorbidities={"hypertension": True},
        treatments=[{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                     "start": "2025-01-01"}],
        lab_results=[lab("tacrolimus_trough", 14.5, "ng/mL", date="2026-11-28"),
                     lab("creatinine", 160, "umol/L", date="2026-11-28"),
                     lab("creatinine", 90, "umol/L", date="2026-10-01"),
                     lab("potassium", 5.6, "mmol/L", date="2026-11-28")])
    assert "tacrolimus_toxicity" in do_now(plan)
    assert "calcineurin_hypertension_taken" not in do_now(plan)


def test_missed_doses_hold_new_agents_until_the_drug_is_restored() -> None:
    """Re-score of Z13b P6: 'add mycophenolate' beside 'restore the drug before any new
    agent'."""
    plan = make_plan(treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2026-01-01",
                                  "adherence": "poor"}], persistent_high_activity=True)
    assert "doses_missed_before_escalation" in do_now(plan)
    muscle = muscle_of(plan)
    assert not any(e.removeprefix("add ").startswith(("Mycophenolate", "Azathioprine",
                                                      "Rituximab", "Tacrolimus"))
                   for e in muscle.first_choice)


def test_skin_active_on_two_systemic_agents_is_refractory() -> None:
    """Z13b P3: JDM skin active on methotrexate and hydroxychloroquine for years, told to
    continue hydroxychloroquine."""
    plan = make_plan(treatments=[
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2021-01-01"},
        {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
         "start": "2024-05-01"}], labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
        visits=[{"date": "2026-11-25", "core_set": {"physician_global": 2, "mmt8": 80,
                                                     "mmt_max": 80}, "cdasi_activity": 12}])
    assert plan.state.of("skin") == "inadequate_response"


def test_refractory_muscle_after_three_agents_names_the_centre() -> None:
    """Z13c P8: refractory anti-SRP after four agents offered azathioprine and mycophenolate
    only."""
    tried = [{"therapy": t, "dose_value": d, "dose_unit": u, "start": "2025-01-01",
              "stop": "2026-01-01", "reason_stopped": "inefficacy"}
             for t, d, u in (("methotrexate", 20, "mg/week"), ("azathioprine", 150, "mg/day"),
                             ("mycophenolate", 3000, "mg/day"))]
    plan = make_plan(treatments=[*tried, {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                           "dose_unit": "mg/day", "start": "2025-01-01"}],
                     visits=[{"date": "2026-08-01", "core_set": {"physician_global": 2,
                                                                  "mmt8": 74, "mmt_max": 80,
                                                                  "haq": 0.5}},
                             {"date": "2026-11-25", "core_set": {"physician_global": 5,
                                                                  "mmt8": 66, "mmt_max": 80,
                                                                  "haq": 1.2}}])
    assert "myositis centre review now" in muscle_of(plan).decision_point


def test_no_myopathy_line_without_a_myopathy() -> None:
    """Z13a P4: 'biopsy before glucocorticoids' and the mimic list for anti-MDA5 skin disease
    with a normal CK and full strength."""
    plan = make_plan(merge(ADULT_DM, {"diagnosis": {"subgroup": "unclassified"}}),
                     classification={"weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "elevated_muscle_enzymes": False},
                     labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     visits=[{"date": "2026-11-25", "core_set": {"physician_global": 3,
                                                                  "mmt8": 80, "mmt_max": 80}}])
    assert "undiagnosed_myopathy_safety" not in do_now(plan)
    assert plan.diagnosis.mimics_to_exclude == []


def test_a_held_drug_keeps_no_keep_caution_or_dose_line() -> None:
    """Re-score of Z14d P7 (dangerous, partly open): 'keep it' still printed in the held
    tacrolimus's cautions and dose line."""
    plan = make_plan(
        **ASYS_NSIP, weight_kg=70,
        comorbidities={"hypertension": True, "recurrent_infections": True},
        treatments=[{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                     "start": "2025-01-01"}],
        lab_results=[lab("tacrolimus_trough", 14.5, "ng/mL", date="2026-11-28"),
                     lab("creatinine", 160, "umol/L", date="2026-11-28"),
                     lab("creatinine", 90, "umol/L", date="2026-10-01"),
                     lab("potassium", 5.6, "mmol/L", date="2026-11-28")])
    tacrolimus = [o for o in plan.options if o.therapy == "tacrolimus"]
    assert tacrolimus
    assert all(c.condition != "calcineurin_hypertension_taken"
               for o in tacrolimus for c in o.cautions)
    assert not any(d.therapy == "tacrolimus" for d in plan.doses)


def test_a_lung_worse_on_methotrexate_alone_has_not_failed_an_ild_agent() -> None:
    """Z14b P5: transplant referral, palliative care and rituximab first for NSIP progressing
    on methotrexate alone."""
    plan = make_plan(**ASYS_NSIP, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
         "start": "2026-03-15"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2026-03-20"}])
    codes = set(do_now(plan))
    assert "ild_progressing_transplant_referral" not in codes
    assert "progressive_pulmonary_fibrosis" not in codes
    assert plan.state.of("lung") == "active"


def test_a_lung_worse_after_the_agent_was_stopped_is_not_early_in_treatment() -> None:
    """Z13c P2 and Z14c P2: 'ILD progressing before or within the first 3 months of a
    steroid-sparing agent' after mycophenolate was stopped for toxicity."""
    plan = make_plan(**ASYS_NSIP, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 12.5, "dose_unit": "mg/day",
         "start": "2026-01-01"},
        {"therapy": "mycophenolate", "dose_value": 3000, "dose_unit": "mg/day",
         "start": "2024-01-01", "stop": "2026-08-10", "reason_stopped": "adverse_event"}])
    codes = set(do_now(plan))
    assert "ild_progressing_after_agent_stopped" in codes
    assert "ild_progressing_early_in_treatment" not in codes


def test_azathioprine_named_as_the_switch_asks_for_tpmt() -> None:
    """Z14c P6: azathioprine as the replacement before conception with no TPMT check."""
    plan = make_plan(immunogenetics={"tpmt": None, "nudt15": None},
                     reproduction={"planning_conception": True},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2022-01-01"}],
                     visits=[{"date": "2026-11-25", "core_set": {"physician_global": 0.5,
                                                                  "mmt8": 80, "mmt_max": 80}}])
    said = " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))
    assert "Azathioprine" in said
    assert "TPMT/NUDT15 (before azathioprine)" in plan.unknowns


def test_toxicity_stops_are_not_refractory_disease() -> None:
    """Re-score of Z14c P2: 'refractory after 3 agents' for three agents stopped for
    toxicity."""
    stopped = [{"therapy": t, "dose_value": d, "dose_unit": u, "start": "2024-01-01",
                "stop": "2025-06-01", "reason_stopped": "adverse_event"}
               for t, d, u in (("azathioprine", 150, "mg/day"), ("mycophenolate", 3000, "mg/day"),
                               ("tacrolimus", 4, "mg/day"))]
    plan = make_plan(treatments=stopped, persistent_high_activity=True)
    assert all("myositis centre review now" not in r.decision_point for r in plan.regimens)


def test_shingles_is_not_sent_down_the_bacterial_skin_pathway() -> None:
    """Z14d P7: antibiotics and drainage for disseminated zoster coded as a skin infection."""
    plan = make_plan(comorbidities={"herpes_zoster_active": True, "active_infection": True,
                                    "infection_focus": "skin_soft_tissue"},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2000,
                                  "dose_unit": "mg/day", "start": "2025-01-01"}])
    codes = set(do_now(plan))
    assert "herpes_zoster_on_immunosuppression" in codes
    assert "skin_infection_on_immunosuppression" not in codes


def test_sepsis_on_immunosuppression_starts_the_sepsis_pathway() -> None:
    """Z14d P5: septic shock on mycophenolate with no empirical antibiotics or critical care."""
    plan = make_plan(comorbidities={"sepsis": True, "active_infection": True},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2000,
                                  "dose_unit": "mg/day", "start": "2025-01-01"}])
    texts = " ".join(a.text for a in plan.do_now)
    assert "empirical broad-spectrum antibiotics" in texts

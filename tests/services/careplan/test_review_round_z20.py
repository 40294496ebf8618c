"""Findings of blind specialist review Z20 (SYNTHETIC patients): JDM clinic, myositis-obstetric
clinic, acute take and myositis-ILD clinic."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan


def approach(plan: Any, domain: str | None = None) -> str:
    return " | ".join(e for r in plan.regimens if domain in (None, r.domain)
                      for e in r.first_choice)


def test_statin_with_an_organ_threat_does_not_defer_treating_the_myositis() -> None:
    # Z20c P2: anti-SRP myopathy, severe dysphagia, kidney injury from the muscle breakdown,
    # long-term statin: 'not a flare to treat until the CK is rechecked off the statin'
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"},
                    "hmgcr": {"status": "negative"}},
        diagnosis={"subgroup": "imnm", "confirmed_on": "2026-11-27"},
        other_medicines=["statin"], organs={"dysphagia": "severe"},
        labs={"enzymes": {"ck": {"value": 15400, "uln": 200}}},
        lab_results=[lab("creatinine", 92, "umol/L", 110, "2026-11-20"),
                     lab("creatinine", 148, "umol/L", 110, "2026-11-30"),
                     lab("ck", 9800, "U/L", 200, "2026-11-20"),
                     lab("ck", 15400, "U/L", 200, "2026-11-30")])
    actions = do_now(plan)
    assert actions.get("statin_held_myositis_treated_on_its_signs") == "urgent"
    assert "statin_interaction_myotoxicity" not in actions
    assert not any(r.decision_point.startswith("Not a flare to treat until the CK")
                   for r in plan.regimens)


def test_a_statin_interaction_without_an_organ_threat_is_still_toxicity_first() -> None:
    plan = make_plan(other_medicines=["statin", "macrolide_antibiotic"],
                     labs={"enzymes": {"ck": {"value": 960, "uln": 200}}})
    actions = do_now(plan)
    assert "statin_interaction_myotoxicity" in actions
    assert "statin_held_myositis_treated_on_its_signs" not in actions


def test_a_daily_glucocorticoid_follows_pulses_just_given_for_mda5_lung_disease() -> None:
    # Z20a P3: girl of 14, anti-MDA5 JDM with rapidly progressive ILD, three pulses ending
    # today, no oral glucocorticoid: it was 'not in the recommended approach'
    plan = make_plan(
        sex="female", weight_kg=48, height_cm=158, date_of_birth="2012-06-01",
        classification={"age_at_onset": 14},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-10"},
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True},
        lung={"fvc_percent_predicted": 68, "dlco_percent_predicted": 45,
              "hrct_pattern": "nsip_op", "oxygen": "exertional",
              "course": "rapidly_progressive"},
        reproduction={"pregnant": False, "planning_conception": False, "breastfeeding": False},
        treatments=[{"therapy": "methylprednisolone_iv_pulse", "dose_value": 1000,
                     "dose_unit": "mg", "route": "iv", "start": "2026-11-29",
                     "stop": "2026-12-01"}])
    text = approach(plan)
    assert "then daily from the day after the last pulse: Oral glucocorticoids" in text
    assert "1-2 mg/kg/day, at most 60 mg/day" in text
    assert "glucocorticoids_oral" not in {w.therapy for w in plan.not_recommended}


def test_pulses_for_an_adult_lung_regimen_are_followed_by_a_daily_glucocorticoid() -> None:
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        diagnosis={"subgroup": "adm", "confirmed_on": "2026-11-10"},
        systemic={"interstitial_lung_disease": True},
        lung={"fvc_percent_predicted": 60, "dlco_percent_predicted": 40,
              "hrct_pattern": "nsip_op", "oxygen": "exertional",
              "course": "rapidly_progressive"})
    text = approach(plan)
    assert "Intravenous methylprednisolone pulses" in text
    assert "Oral glucocorticoids" in text


def _low_igg(**changes: Any) -> Any:
    return make_plan(**{
        "comorbidities": {"recurrent_infections": True},
        "lab_results": [lab("igg", 3.9, "g/L", 16)],
        "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                        "start": "2026-05-01", "response": "none"},
                       {"therapy": "glucocorticoids_oral", "dose_value": 10,
                        "dose_unit": "mg/day", "start": "2026-04-01", "response": "partial"}],
        **changes})


def test_low_igg_during_an_infection_gets_the_replacement_dose_not_the_load() -> None:
    # Z20d P7: frail man of 74 with a hypoxaemic chest infection and IgG 3.9 after rituximab
    # was given 'add IVIG at the immunomodulatory dose: it also replaces the low IgG'
    plan = make_plan(
        sex="male", weight_kg=70, classification={"age_at_onset": 72},
        diagnosis={"subgroup": "asys", "confirmed_on": "2025-02-01"},
        antibodies={"mi2": {"status": "negative"}, "oj": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True, "fever": True},
        labs={"enzymes": {"ck": {"value": 160, "uln": 200}}},
        lab_results=[lab("igg", 3.9, "g/L", 16, "2026-11-14"),
                     lab("lymphocytes", 0.35, "10^9/L", None, "2026-11-14")],
        visits=[{"date": "2026-08-20", "core_set": {
                    "physician_global": 3, "patient_global": 4, "extramuscular_global": 4,
                    "mmt8": 138, "mmt_max": 150, "haq": 1.4}},
                {"date": "2026-11-14", "core_set": {
                    "physician_global": 5, "patient_global": 8, "extramuscular_global": 8,
                    "mmt8": 132, "mmt_max": 150, "haq": 2.1}}],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2025-02-02", "response": "partial"},
                    {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                     "start": "2025-03-01", "response": "partial"},
                    {"therapy": "rituximab", "dose_value": 1, "dose_unit": "g",
                     "start": "2026-07-01", "stop": "2026-07-15", "response": "partial"}],
        lung={"hrct_pattern": "nsip", "oxygen": "at_rest", "course": "rapidly_progressive"},
        comorbidities={"active_infection": True, "infection_focus": "lung_diffuse",
                       "recurrent_infections": True},
        care_goals={"frailty_scale": 6}, allergies=["sulfonamide"])
    assert "low_igg_with_infections_on_immunosuppression" in do_now(plan)
    text = approach(plan, "muscle")
    assert "it also replaces the low IgG" not in text
    assert "replacement at about 0.4-0.5 g/kg with immunology now" in text


def test_low_igg_without_a_reason_against_the_load_may_cover_both() -> None:
    plan = _low_igg()
    text = approach(plan, "muscle")
    assert "replacement at about 0.4-0.5 g/kg" not in text


def test_suspected_renal_crisis_in_pregnancy_names_the_fetal_risk_of_ace_inhibitors() -> None:
    # Z20b P6: scleroderma overlap at 25 weeks, new hypertension, creatinine 58 -> 118: the
    # captopril line of the non-pregnant patient, without a word on the fetus
    plan = make_plan(
        sex="female", diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        organs={"new_hypertension": True},
        reproduction={"pregnant": True, "gestation_weeks": 25},
        lab_results=[lab("creatinine", 58, "umol/L", 90, "2026-10-01"),
                     lab("creatinine", 118, "umol/L", 90, "2026-11-28")])
    actions = do_now(plan)
    assert actions.get("scleroderma_renal_crisis_suspected_in_pregnancy") == "urgent"
    assert "scleroderma_renal_crisis_suspected" not in actions
    line = next(a.text for a in plan.do_now
                if a.code == "scleroderma_renal_crisis_suspected_in_pregnancy")
    assert "nifedipine" in line and "fetus" in line


def test_pjp_prophylaxis_in_the_first_trimester_brings_the_folate_line() -> None:
    # Z20b P7: 6 weeks pregnant, rituximab 4 months ago beside mycophenolate: co-trimoxazole
    # 'due now' without the first-trimester folate antagonism warning
    plan = make_plan(
        reproduction={"pregnant": True, "gestation_weeks": 6},
        treatments=[{"therapy": "rituximab", "dose_value": 1000, "dose_unit": "mg",
                     "start": "2026-08-01"},
                    {"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
                     "start": "2026-03-01"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                     "dose_unit": "mg/day", "start": "2026-03-01"}])
    actions = do_now(plan)
    assert "pjp_prophylaxis_due_rituximab_combination" in actions
    assert "co_trimoxazole_pregnancy" in actions


def _child_on_methotrexate(dose: float, unit: str) -> Any:
    return make_plan(
        sex="female", weight_kg=55, height_cm=162, date_of_birth="2009-05-01",
        classification={"age_at_onset": 11},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2020-10-01"},
        antibodies={"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}},
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        visits=[{"date": "2026-06-01", "core_set": {
                    "physician_global": 1, "patient_global": 1, "extramuscular_global": 1,
                    "mmt8": 80, "haq": 0}},
                {"date": "2026-11-25", "core_set": {
                    "physician_global": 1, "patient_global": 1, "extramuscular_global": 1,
                    "mmt8": 80, "haq": 0}}],
        treatments=[{"therapy": "methotrexate", "dose_value": dose, "dose_unit": unit,
                     "start": "2020-11-10", "response": "complete"}])


def test_live_boosters_are_not_offered_at_methotrexate_15_mg_m2() -> None:
    # Z20b P5: the EULAR paediatric limit is below 15 mg/m2 a week; the line fired at 15
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(
        _child_on_methotrexate(15, "mg/m2/week"))
    # 25 mg/week at 1.57 m2 is about 15.9 mg/m2
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(
        _child_on_methotrexate(25, "mg/week"))


def test_low_igg_on_full_dose_ivig_is_not_told_to_add_ivig() -> None:
    # Z20a P4: 'IVIG at the immunomodulatory dose can cover both' beside monthly 2 g/kg
    plan = make_plan(
        comorbidities={"recurrent_infections": True},
        lab_results=[lab("igg", 4.8, "g/L", 16)],
        treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                     "start": "2026-01-01"},
                    {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2026-01-01"}])
    actions = do_now(plan)
    assert "low_igg_with_infections_on_immunosuppression" not in actions
    assert "low_igg_on_immunosuppression" not in actions


def test_a_high_potassium_names_the_causes_on_record_first() -> None:
    # Z20a P8: potassium 5.3 on ciclosporin blamed on co-trimoxazole neither taken nor advised
    plan = make_plan(lab_results=[lab("potassium", 5.3, "mmol/L", 5.0)],
                     treatments=[{"therapy": "ciclosporin", "dose_value": 150,
                                  "dose_unit": "mg/day", "start": "2026-01-01"}])
    line = next(a.text for a in plan.do_now if a.code == "co_trimoxazole_hyperkalaemia")
    assert "look for the cause on record first - a calcineurin inhibitor" in line
    assert "co-trimoxazole taken or possible" not in line


def test_diabetes_with_induction_glucocorticoids_gets_glucose_monitoring_from_the_first_dose(
) -> None:
    # Z20c P2 and P5: IV pulses planned with diabetes, only a routine 'HbA1c every 3 months'
    plan = make_plan(comorbidities={"diabetes": True})
    assert do_now(plan).get("diabetes_with_high_dose_glucocorticoids_now") == "soon"


def test_live_boosters_may_be_considered_below_15_mg_m2() -> None:
    assert "child_live_booster_on_low_dose_methotrexate" in do_now(
        _child_on_methotrexate(10, "mg/m2/week"))


def test_only_the_untested_gene_is_asked_for_before_azathioprine() -> None:
    # Z20c P8: 'TPMT/NUDT15' listed as not recorded beside a recorded TPMT
    plan = make_plan(immunogenetics={"tpmt": "normal", "nudt15": None},
                     reproduction={"pregnant": True, "gestation_weeks": 12},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2026-01-01"}])
    assert not any(u.startswith("TPMT/NUDT15") for u in plan.unknowns)


def test_the_active_infection_withhold_does_not_quote_rituximab_on_other_drugs() -> None:
    plan = make_plan(comorbidities={"active_infection": True, "infection_focus": "lung_focal"})
    reasons = {w.therapy: w.reason for w in plan.withheld}
    assert reasons, "an active infection withholds new immunosuppressants"
    assert not any("rituximab is not to be given" in r for r in reasons.values())


def _new_jdm(**changes: Any) -> Any:
    return make_plan(**{
        "sex": "female", "weight_kg": 24, "height_cm": 122, "date_of_birth": "2019-03-01",
        "classification": {"age_at_onset": 7},
        "diagnosis": {"subgroup": "jdm", "confirmed_on": "2026-11-08"},
        "antibodies": {"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}},
        "reproduction": {"pregnant": None, "planning_conception": None, "breastfeeding": None},
        "visits": [{"date": "2026-11-10", "core_set": {
                        "physician_global": 6, "patient_global": 6, "extramuscular_global": 5,
                        "mmt8": 52, "cmas": 22, "chaq": 1.75}},
                   {"date": "2026-12-01", "core_set": {
                        "physician_global": 5, "patient_global": 5, "extramuscular_global": 4,
                        "mmt8": 58, "cmas": 28, "chaq": 1.5}}],
        "lab_results": [lab("ck", 3400, "U/L", 200, "2026-11-10"),
                        lab("ck", 1500, "U/L", 200, "2026-11-28")],
        "labs": {"enzymes": {"ck": {"value": 1500, "uln": 200}}},
        "treatments": [{"therapy": "methylprednisolone_iv_pulse", "dose_value": 30,
                        "dose_unit": "mg/kg", "start": "2026-11-12", "stop": "2026-11-14"},
                       {"therapy": "glucocorticoids_oral", "dose_value": 48,
                        "dose_unit": "mg/day", "start": "2026-11-15"},
                       {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/m2/week",
                        "start": "2026-11-15"}],
        **changes})


def test_mild_dysphagia_improving_on_induction_is_not_re_induced() -> None:
    # Z20a P1: pulses and IVIG again two weeks after the first course, CMAS 22 -> 28
    plan = _new_jdm(organs={"dysphagia": "mild"})
    assert "severe_jdm_active" not in do_now(plan)
    assert "Intravenous immunoglobulin" not in approach(plan, "muscle")


def test_severe_dysphagia_in_jdm_is_still_severe_disease() -> None:
    plan = _new_jdm(organs={"dysphagia": "severe"})
    assert "severe_jdm_bulbar_admit" in do_now(plan) or "severe_jdm_active" in do_now(plan)


def test_a_fever_recorded_as_no_infection_is_not_worse_during_an_infection() -> None:
    # Z20a P2: 'worse ... during an infection ... the antibiotics' with no infection recorded
    plan = _new_jdm(
        systemic={"fever": True}, comorbidities={"active_infection": False},
        organs={"dysphagia": "severe"},
        visits=[{"date": "2026-11-20", "core_set": {
                    "physician_global": 6, "patient_global": 6, "extramuscular_global": 4,
                    "mmt8": 38, "cmas": 12, "chaq": 2.0}},
                {"date": "2026-12-01", "core_set": {
                    "physician_global": 8, "patient_global": 8, "extramuscular_global": 6,
                    "mmt8": 30, "cmas": 6, "chaq": 2.5}}])
    assert not any("during an infection" in a.text for a in plan.do_now)


def _pregnant_on_mycophenolate(**changes: Any) -> Any:
    return make_plan(**{
        "antibodies": {"mi2": {"status": "negative"}, "pl7": {"status": "positive"}},
        "diagnosis": {"subgroup": "asys", "confirmed_on": "2024-01-01"},
        "systemic": {"interstitial_lung_disease": True},
        "lung": {"hrct_pattern": "nsip", "course": "stable", "fvc_percent_predicted": 80,
                 "oxygen": "none"},
        "reproduction": {"pregnant": True, "gestation_weeks": 9},
        "immunogenetics": {"tpmt": "normal", "nudt15": "normal"},
        "labs": {"enzymes": {"ck": {"value": 450, "uln": 200}}},
        "visits": [{"date": "2026-08-10", "core_set": {
                        "physician_global": 2, "patient_global": 3, "extramuscular_global": 2,
                        "mmt8": 146, "mmt_max": 150, "haq": 0.3}},
                   {"date": "2026-11-10", "core_set": {
                        "physician_global": 3, "patient_global": 4, "extramuscular_global": 3,
                        "mmt8": 140, "mmt_max": 150, "haq": 0.5}}],
        "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                        "start": "2024-02-01", "response": "partial"},
                       {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                        "start": "2024-01-01", "response": "partial"}],
        **changes})


def test_the_treatment_change_names_the_replacement_the_regimens_start() -> None:
    # Z20d P4: 'switch to tacrolimus' while the muscle and lung regimens added azathioprine
    plan = _pregnant_on_mycophenolate()
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    switch = next(e for e in changes.first_choice if e.startswith("switch to "))
    organ_text = " ".join(e for r in plan.regimens if r.domain != "treatment changes"
                          for e in r.first_choice)
    named = switch.removeprefix("switch to ").split(" (")[0].split(" or ")
    assert any(name in organ_text for name in named)


def test_a_mild_flare_gets_a_modest_rise_not_the_moderate_dose_or_ivig() -> None:
    plan = _pregnant_on_mycophenolate()
    assert any(a.code == "flare" and a.text.startswith("Mild flare") for a in plan.do_now)
    muscle = approach(plan, "muscle")
    assert "for a mild flare a modest, short rise" in muscle
    assert "0.5 mg/kg/day for a moderate flare" not in muscle
    assert "add intravenous immunoglobulin" not in muscle
    assert "pjp_prophylaxis_with_induction" not in do_now(plan)


def _pregnant_with_mild_skin_disease() -> Any:
    """Z20a P6: juvenile-onset DM at 19, 7 weeks pregnant on methotrexate, muscle quiet, CDASI
    8 -> 10 on hydroxychloroquine and topicals."""
    quiet = {"physician_global": 2, "patient_global": 2, "extramuscular_global": 2,
             "mmt8": 80, "haq": 0}
    return make_plan(
        sex="female", weight_kg=60, height_cm=166, date_of_birth="2007-02-17",
        months_since_onset=128, classification={"age_at_onset": 9},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2016-05-10"},
        skin={"gottron_papules": True, "heliotrope_rash": False, "photosensitivity": True},
        reproduction={"pregnant": True, "gestation_weeks": 7},
        labs={"enzymes": {"ck": {"value": 110, "uln": 170}}},
        visits=[{"date": "2026-06-01", "core_set": quiet, "cdasi_activity": 8},
                {"date": "2026-12-01", "core_set": quiet, "cdasi_activity": 10}],
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2024-05-01", "response": "partial"},
                    {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                     "start": "2024-05-01", "response": "partial"},
                    {"therapy": "topical_corticosteroids", "start": "2025-01-10",
                     "response": "partial"}])


def test_no_new_systemic_agent_for_mild_skin_disease_in_pregnancy() -> None:
    # Z20a P6: ciclosporin first for a CDASI of 10 at 7 weeks, muscle quiet
    plan = _pregnant_with_mild_skin_disease()
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(e.removeprefix("add ").startswith(("Ciclosporin", "Tacrolimus",
                                                      "Mycophenolate", "Azathioprine"))
                   for e in skin.first_choice), skin.first_choice


def test_anti_mda5_alone_does_not_make_pjp_prophylaxis_due_for_a_child_on_a_low_dose() -> None:
    # Z20d P8: 13 years old, stable ILD, skin ulcers, prednisolone 7.5 mg, methotrexate held
    plan = make_plan(
        sex="female", weight_kg=45, date_of_birth="2013-05-01",
        classification={"age_at_onset": 12},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2026-04-10"},
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        skin={"cutaneous_ulceration": True},
        reproduction={"pregnant": False, "planning_conception": False, "breastfeeding": False},
        lung={"hrct_pattern": "nsip", "course": "stable", "fvc_percent_predicted": 88,
              "oxygen": "none"},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                     "dose_unit": "mg/day", "start": "2026-04-14"}])
    assert "pjp_prophylaxis_mda5" not in do_now(plan)


def test_low_platelets_with_low_neutrophils_are_not_read_as_portal_hypertension() -> None:
    # Z20c P7: neutrophils 0.4 and platelets 62 on azathioprine with allopurinol
    plan = make_plan(
        comorbidities={"hepatic_impairment": True},
        lab_results=[lab("platelets", 62, "10^9/L"), lab("neutrophils", 0.4, "10^9/L")],
        treatments=[{"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
                     "start": "2026-06-01"}])
    reasons = " ".join(w.reason for w in plan.withheld)
    assert "portal hypertension or hypersplenism likely" not in reasons
    assert not any("portal hypertension or hypersplenism likely" in a.text
                   for a in plan.do_now)


def test_a_normal_ck_is_not_followed_by_check_whether_alt_is_muscle() -> None:
    plan = make_plan(
        labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
        lab_results=[lab("alt", 150, "U/L", 45)],
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2026-01-01"}])
    actions = do_now(plan)
    assert "alt_raised_on_hepatotoxic_drug" not in actions
    assert {"alt_raised_with_normal_ck", "hepatotoxic_dmard_held_for_liver_alt"} & set(actions)


def test_plasma_exchange_is_named_only_for_anti_mda5_lung_rescue() -> None:
    # Z20d P7: anti-OJ, IgG 3.9, a chest infection: 'rescue on the ward (plasma exchange)'
    plan = make_plan(
        sex="male", classification={"age_at_onset": 74}, care_goals={"frailty_scale": 6},
        antibodies={"mi2": {"status": "negative"}, "oj": {"status": "positive"}},
        diagnosis={"subgroup": "asys", "confirmed_on": "2025-02-01"},
        systemic={"interstitial_lung_disease": True},
        lung={"hrct_pattern": "nsip", "oxygen": "at_rest", "course": "rapidly_progressive"})
    assert not any("plasma exchange" in a.text for a in plan.do_now)


def test_a_declined_tube_is_not_proposed_for_the_glucocorticoid() -> None:
    # Z20c P5: 'by nasogastric tube' for a man who declined tube feeding
    plan = make_plan(organs={"dysphagia": "severe"},
                     preferences={"declines": ["tube_feeding"]},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-01"}])
    text = " ".join(e for r in plan.regimens for e in (*r.first_choice, *r.alternatives))
    assert "nasogastric" not in text
    assert "tube feeding declined" in text


def test_missed_doses_in_remission_are_not_restored_beside_a_taper() -> None:
    # Z20a P5: 'restore the drug at full dose' beside 'taper and stop methotrexate'
    quiet = {"physician_global": 0.5, "patient_global": 1, "extramuscular_global": 0.5,
             "mmt8": 80, "haq": 0}
    plan = make_plan(
        months_since_onset=60, labs={"enzymes": {"ck": {"value": 100, "uln": 200}}},
        visits=[{"date": "2025-06-01", "core_set": quiet}, {"date": "2025-12-01",
                                                            "core_set": quiet},
                {"date": "2026-06-01", "core_set": quiet},
                {"date": "2026-11-25", "core_set": quiet}],
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2022-01-01", "response": "complete", "adherence": "partial"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                     "start": "2022-01-01", "stop": "2024-12-01", "response": "complete"}])
    actions = do_now(plan)
    assert plan.state is not None and plan.state.of("muscle") == "remission"
    assert "doses_missed_before_escalation" not in actions
    assert "doses_missed_in_remission" in actions


def test_a_withheld_tacrolimus_is_not_named_as_the_pregnancy_steroid_sparing_agent() -> None:
    # Z20b P6: 'azathioprine or tacrolimus' beside tacrolimus withheld for a renal crisis
    plan = make_plan(
        sex="female", diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        antibodies={"mi2": {"status": "negative"}, "pmscl": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True, "raynaud": True},
        organs={"new_hypertension": True},
        reproduction={"pregnant": True, "gestation_weeks": 25},
        labs={"enzymes": {"ck": {"value": 520, "uln": 170}}},
        visits=[{"date": "2026-06-01", "core_set": {
                    "physician_global": 2, "patient_global": 3, "extramuscular_global": 2,
                    "mmt8": 76, "haq": 0.5}},
                {"date": "2026-11-14", "core_set": {
                    "physician_global": 4, "patient_global": 5, "extramuscular_global": 5,
                    "mmt8": 70, "haq": 0.9}}],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                     "start": "2023-09-14", "response": "partial"}],
        lab_results=[lab("creatinine", 58, "umol/L", 90, "2026-10-01"),
                     lab("creatinine", 118, "umol/L", 90, "2026-11-28")])
    assert "tacrolimus" in {w.therapy for w in plan.withheld}
    assert any("azathioprine (tacrolimus is withheld here)" in a.text for a in plan.do_now)
    assert not any("azathioprine or tacrolimus" in a.text for a in plan.do_now)


def test_a_conditional_pjp_line_in_early_pregnancy_brings_the_folate_line() -> None:
    # re-score of Z20d P4: 'PJP prophylaxis with the glucocorticoid rise ... co-trimoxazole'
    # at 9 weeks, the first-trimester line gone
    plan = _pregnant_on_mycophenolate()
    actions = do_now(plan)
    assert "pjp_prophylaxis_with_flare_rise" in actions
    assert "co_trimoxazole_pregnancy" in actions


def test_a_stopped_teratogen_is_not_replaced_by_the_agent_set_aside_for_skin() -> None:
    # re-score of Z20a P6: 'switch to ciclosporin' beside the skin line that set it aside
    plan = _pregnant_with_mild_skin_disease()
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    assert not any(e.startswith("switch to Ciclosporin") for e in changes.first_choice)

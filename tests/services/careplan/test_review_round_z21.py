"""Findings of blind specialist review Z21 (SYNTHETIC patients): neuromuscular clinic, adult DM and
skin clinic, children's service and the renal, hepatic and complex-comorbidity clinic."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan


def approach(plan: Any, domain: str | None = None) -> str:
    return " | ".join(e for r in plan.regimens if domain in (None, r.domain)
                      for e in (*r.first_choice, *r.alternatives))


def first_choice(plan: Any, domain: str | None = None) -> str:
    return " | ".join(e for r in plan.regimens if domain in (None, r.domain)
                      for e in r.first_choice)


def _late_ibm(**changes: Any) -> Any:
    return make_plan(**{
        "sex": "male", "classification": {"age_at_onset": 64},
        "antibodies": {"mi2": {"status": "negative"}},
        "diagnosis": {"subgroup": "ibm", "confirmed_on": "2012-01-01"},
        "skin": {"heliotrope_rash": False, "gottron_papules": False},
        "organs": {"dysphagia": "severe", "respiratory_muscle_weakness": True},
        "care_goals": {"frailty_scale": 7, "treatment_ceiling": "ward_based"},
        "labs": {"enzymes": {"ck": {"value": 600, "uln": 200}}},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
                        "start": "2013-01-01", "stop": "2014-01-01", "outcome": "ineffective"},
                       {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                        "start": "2015-01-01", "stop": "2015-06-01", "outcome": "ineffective"}],
        **changes})


def test_late_ibm_in_a_frail_man_gets_no_proportionate_glucocorticoid_or_ivig_trial() -> None:
    # Z21a P8: 'a time-limited, proportionate trial - the lowest glucocorticoid dose that works,
    # IVIG rather than a new immunosuppressant' as first choice in late IBM
    plan = _late_ibm()
    muscle = first_choice(plan, "muscle")
    assert "proportionate trial" not in muscle
    assert "organ_threatening_admit" not in do_now(plan)


def _bland_pm(**changes: Any) -> Any:
    negative = {"status": "negative"}
    return make_plan(**{
        "classification": {"age_at_onset": 44},
        "skin": {"heliotrope_rash": False, "gottron_papules": False},
        "antibodies": {a: negative for a in ("mi2", "jo1", "pl7", "pl12", "ej", "oj", "srp",
                                             "hmgcr", "mda5", "tif1g", "nxp2", "sae")},
        "diagnosis": {"subgroup": "pm", "confirmed_on": "2025-03-01"},
        "biopsy": {"date": "2025-02-15", "endomysial_infiltrate": False,
                   "invasion_of_non_necrotic_fibres": False, "mhc1_upregulation": False,
                   "necrosis_with_little_inflammation": False,
                   "perifascicular_atrophy": False, "rimmed_vacuoles": False},
        "organs": {"respiratory_muscle_weakness": True},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 15,
                        "dose_unit": "mg/day", "start": "2025-03-01", "response": "none"},
                       {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                        "start": "2025-04-01", "stop": "2025-10-01",
                        "outcome": "ineffective"},
                       {"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
                        "start": "2025-10-15", "response": "none"}],
        **changes})


def test_a_seronegative_pm_with_a_bland_biopsy_is_re_examined_before_rituximab() -> None:
    # Z21a P4: rituximab first after three failed drugs, antibodies negative, bland biopsy
    plan = _bland_pm()
    muscle = first_choice(plan, "muscle")
    assert muscle.startswith("Re-examine the diagnosis before any new agent")
    assert not any(e.startswith(("add Rituximab", "Rituximab"))
                   for r in plan.regimens if r.domain == "muscle" for e in r.first_choice)
    actions = do_now(plan)
    assert "respiratory_muscle_weakness_diagnosis_under_review" in actions
    assert "respiratory_muscle_weakness" not in actions


def test_an_inflamed_biopsy_is_not_sent_back_for_diagnosis() -> None:
    plan = _bland_pm(biopsy={"date": "2025-02-15", "endomysial_infiltrate": True,
                             "mhc1_upregulation": True})
    assert not first_choice(plan, "muscle").startswith("Re-examine the diagnosis")


def test_no_standard_tacrolimus_dose_beside_a_boosted_hiv_regimen() -> None:
    # Z21d P3: tacrolimus 0.06-0.07 mg/kg/day 'worked out for this patient' on ritonavir
    plan = make_plan(other_medicines=["ritonavir_or_cobicistat"], weight_kg=74,
                     antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     diagnosis={"subgroup": "asys", "confirmed_on": "2025-09-01"},
                     systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "progressive",
                           "fvc_percent_predicted": 61, "oxygen": "none"})
    lines = [d for d in plan.doses if d.therapy == "tacrolimus"]
    assert lines, "tacrolimus is dosed for this lung"
    assert all(d.text.startswith("no standard dose with ritonavir") for d in lines)


def test_ivig_at_a_low_egfr_with_heart_failure_is_not_pre_hydrated() -> None:
    # Z21d P4: 'hydration' before 115 g of IVIG with an ejection fraction of 35 %
    plan = make_plan(comorbidities={"heart_failure": True},
                     lab_results=[lab("egfr", 25, "mL/min/1.73m2")],
                     organs={"dysphagia": "severe"})
    text = approach(plan)
    assert "eGFR below 30: a sucrose-free product" in text
    assert "no pre-hydration" in text and ", hydration," not in text


def test_treatment_dose_co_trimoxazole_on_dialysis_is_adjusted_for_the_kidney() -> None:
    # Z21d P5: anti-MDA5 RP-ILD on haemodialysis, 'treatment-dose co-trimoxazole' unadjusted
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        diagnosis={"subgroup": "adm", "confirmed_on": "2026-10-01"},
        systemic={"interstitial_lung_disease": True, "fever": True},
        lung={"hrct_pattern": "nsip_op", "course": "rapidly_progressive", "oxygen": "at_rest"},
        comorbidities={"dialysis": True},
        lab_results=[lab("egfr", 6, "mL/min/1.73m2"), lab("lymphocytes", 0.4, "10^9/L")])
    assert do_now(plan).get("pjp_treatment_with_kidney_failure") == "urgent"


def test_methotrexate_is_not_offered_with_active_hepatitis_b() -> None:
    # Z21d P6: HBsAg positive, alcohol excess: methotrexate among the alternatives with a dose
    plan = make_plan(infection_screening={"hbsag": {"result": "positive"}},
                     comorbidities={"alcohol_excess": True})
    assert "methotrexate" in {w.therapy for w in plan.withheld}


def test_rifampicin_steers_pjp_prophylaxis_away_from_atovaquone() -> None:
    plan = make_plan(other_medicines=["rifampicin"], allergies=["sulfonamide"])
    assert "rifampicin_and_atovaquone_pjp" in do_now(plan)


def test_lupus_overlap_with_falling_kidney_function_is_suspected_nephritis() -> None:
    # Z21c P7: JDM-lupus overlap, eGFR 102 -> 48, new hypertension: 'switch to azathioprine'
    plan = make_plan(
        diagnosis={"subgroup": "dm", "confirmed_on": "2024-01-01", "overlap_with": ["sle"]},
        organs={"new_hypertension": True},
        lab_results=[lab("creatinine", 50, "umol/L", 90, "2026-06-01"),
                     lab("creatinine", 95, "umol/L", 90, "2026-11-25")],
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                     "start": "2024-02-01", "response": "partial"}])
    assert do_now(plan).get("lupus_nephritis_suspected") == "urgent"
    for entry in first_choice(plan).split(" | "):
        if entry.startswith(("switch to ", "Azathioprine", "add Azathioprine")):
            assert "unless lupus nephritis is confirmed" in entry


def test_an_indeterminate_igra_is_a_result_to_repeat_not_a_missing_one() -> None:
    plan = make_plan(infection_screening={"tb_test": {"result": "indeterminate"}})
    assert any(u.startswith("latent TB screen: the last IGRA/TST was indeterminate")
               for u in plan.unknowns)
    assert "latent TB screen (IGRA/TST)" not in plan.unknowns


def test_subcutaneous_methotrexate_is_not_held_by_a_by_mouth_line() -> None:
    # Z21c P1: SC methotrexate held for a gut vasculopathy whose line held it by mouth only
    plan = make_plan(
        sex="female", weight_kg=22, height_cm=120, date_of_birth="2019-04-01",
        classification={"age_at_onset": 7},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-01"},
        antibodies={"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}},
        organs={"gut_symptoms": True},
        reproduction={"pregnant": None, "planning_conception": None, "breastfeeding": None},
        treatments=[{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/m2/week",
                     "route": "sc", "start": "2026-11-05"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
                     "start": "2026-11-05"}])
    assert any("injected methotrexate continued" in a.text for a in plan.do_now)
    assert not any(e.startswith("Hold Methotrexate")
                   for r in plan.regimens for e in r.first_choice)


def test_a_child_admitted_for_an_organ_threat_is_not_given_the_adult_vte_default() -> None:
    plan = make_plan(
        sex="female", weight_kg=22, date_of_birth="2019-04-01",
        classification={"age_at_onset": 7},
        diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-01"},
        organs={"dysphagia": "severe"},
        reproduction={"pregnant": None, "planning_conception": None, "breastfeeding": None})
    actions = do_now(plan)
    assert "organ_threatening_admit_child" in actions
    assert "organ_threatening_admit" not in actions
    line = next(a.text for a in plan.do_now if a.code == "organ_threatening_admit_child")
    assert "VTE prophylaxis not by default" in line


def test_a_calcineurin_inhibitor_on_dialysis_is_not_cautioned_for_a_failing_kidney() -> None:
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        diagnosis={"subgroup": "adm", "confirmed_on": "2026-10-01"},
        systemic={"interstitial_lung_disease": True},
        lung={"hrct_pattern": "nsip_op", "course": "rapidly_progressive", "oxygen": "exertional"},
        comorbidities={"dialysis": True},
        lab_results=[lab("egfr", 6, "mL/min/1.73m2")])
    option = next((o for o in plan.options if o.therapy == "tacrolimus"), None)
    assert option is not None
    assert "calcineurin_kidney_failure" not in {c.condition for c in option.cautions}
    assert "Tacrolimus" in first_choice(plan, "lung")


def test_skin_not_responding_to_hydroxychloroquine_and_topicals_gets_a_step_to_add() -> None:
    # Z21b P7: refractory amyopathic DM told to continue all three, escalation only among
    # the alternatives
    plan = make_plan(
        sex="male", classification={"age_at_onset": 38},
        diagnosis={"subgroup": "adm", "confirmed_on": "2026-03-01"},
        antibodies={"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        skin_refractory=True, comorbidities={"alcohol_excess": True},
        treatments=[{"therapy": "hydroxychloroquine", "dose_value": 300, "dose_unit": "mg/day",
                     "start": "2026-03-10", "response": "partial"},
                    {"therapy": "topical_corticosteroids", "start": "2026-03-02",
                     "response": "partial"},
                    {"therapy": "topical_calcineurin_inhibitors", "start": "2026-06-01",
                     "response": "partial"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.state == "inadequate_response"
    assert any(e.startswith("add ") for e in skin.first_choice), skin.first_choice


def test_with_rifampicin_and_a_sulfonamide_allergy_the_pjp_agent_is_pentamidine() -> None:
    # re-score of Z21d P6: the allergy line's atovaquone or dapsone beside the rifampicin line
    plan = make_plan(other_medicines=["rifampicin"], allergies=["sulfonamide"])
    actions = {a.code: a.text for a in plan.do_now}
    assert "dapsone (G6PD checked first)" not in actions["rifampicin_and_atovaquone_pjp"]
    assert "pentamidine while rifampicin is taken" in \
        actions["sulfonamide_allergy_no_co_trimoxazole"]


def test_subclinical_hypothyroidism_beside_a_statin_myopathy_does_not_push_a_myositis_biopsy(
) -> None:
    # Z21a P5: toxic statin myopathy, TSH 6.8: 'the myositis work-up (biopsy included) goes ahead'
    plan = make_plan(
        diagnosis={"not_myositis": "statin myopathy resolving off the statin",
                   "alternative": "statin_myopathy"},
        antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "negative"}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        statin_exposure=True,
        lab_results=[lab("tsh", 6.8, "mU/L", 4), lab("free_t4", 13, "pmol/L", 22)])
    actions = do_now(plan)
    assert "subclinical_hypothyroidism_not_a_mimic" not in actions
    assert "subclinical_hypothyroidism_with_another_diagnosis" in actions


def test_an_alt_read_as_muscle_is_not_called_the_liver_alt() -> None:
    # Z21a P2: 'probably from muscle' beside 'no dose rise while the liver ALT is raised'
    plan = make_plan(labs={"enzymes": {"ck": {"value": 4000, "uln": 200}}},
                     lab_results=[lab("alt", 230, "U/L", 45)],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-06-01"}])
    actions = do_now(plan)
    assert "alt_raised_with_high_ck" in actions
    assert "alt_raised_on_hepatotoxic_drug" not in actions
    assert "the liver ALT" not in approach(plan)


def test_no_response_after_three_weeks_is_not_yet_a_failed_drug() -> None:
    # Z21c P2: mycophenolate 'failed (... 12 weeks without adequate response)' after 20 days
    early = make_plan(treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                   "dose_unit": "g/day", "start": "2026-11-10",
                                   "response": "none"}])
    assert early.state is not None
    assert not any("failed" in b for d in early.state.domains for b in d.basis)
    late = make_plan(treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2026-06-01",
                                  "response": "none"}])
    assert late.state is not None
    assert any("mycophenolate failed" in b for d in late.state.domains for b in d.basis)


def test_an_operation_with_weak_swallowing_muscles_gets_an_anaesthetic_line() -> None:
    # Z22a P2: advanced IBM, severe dysphagia, a cricopharyngeal injection under general
    # anaesthesia booked, no immunosuppressant: no perioperative line at all
    plan = _late_ibm(treatments=[], surgery={"date": "2026-12-10", "elective": True,
                                             "procedure": "cricopharyngeal injection"})
    assert "anaesthesia_with_weak_swallow_or_breathing" in do_now(plan)


def test_one_pjp_line_when_the_rp_ild_infection_line_starts_prophylaxis() -> None:
    # Z21c P2: four PJP lines (urgent and routine) for one decision
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        diagnosis={"subgroup": "adm", "confirmed_on": "2026-10-01"},
        systemic={"interstitial_lung_disease": True},
        lung={"hrct_pattern": "nsip_op", "course": "rapidly_progressive", "oxygen": "exertional"},
        lab_results=[lab("lymphocytes", 0.45, "10^9/L")],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
                     "start": "2026-11-10"},
                    {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                     "start": "2026-11-10"}])
    actions = do_now(plan)
    assert "rp_ild_exclude_infection_alongside" in actions
    assert not {"pjp_prophylaxis_mda5", "pjp_with_lymphopenia_on_immunosuppression"} & set(actions)

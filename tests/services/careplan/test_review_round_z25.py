"""Findings of blind specialist review Z25 (SYNTHETIC patients): acute take and intensive care,
neuromuscular clinic, general rheumatology first presentations and overlaps, shared care."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_immunoglobulin_that_works_is_kept_as_an_iga_depleted_product() -> None:
    # Z25b P2 (dangerous): 'Stop IVIG: IgA deficiency with anti-IgA antibodies' for a
    # 19-year-old improving on it
    plan = make_plan(immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True},
                     months_since_onset=30,
                     treatments=[{"therapy": "ivig", "start": "2025-01-01", "dose_value": 2,
                                  "dose_unit": "g/kg", "response": "partial"}])
    assert "ivig" not in {w.therapy for w in plan.withheld}
    assert "iga_deficiency_anti_iga_taken_now" in do_now(plan)


_NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}
_POMPE = {"diagnosis": {"alternative": "metabolic_myopathy",
                        "not_myositis": "suspected late-onset Pompe disease"},
          "antibodies": {"mi2": {"status": "negative"}, "jo1": {"status": "negative"}},
          "skin": _NO_RASH,
          "classification": {"age_at_onset": 41, "skin": _NO_RASH}, "months_since_onset": 30,
          "reproduction": {"pregnant": None, "planning_conception": True,
                           "effective_contraception": False, "breastfeeding": False},
          "treatments": [{"therapy": "glucocorticoids_oral", "start": "2025-01-01",
                          "dose_value": 10, "dose_unit": "mg/day"},
                         {"therapy": "mycophenolate", "start": "2025-03-01",
                          "dose_value": 2000, "dose_unit": "mg/day"}]}


def test_a_patient_recorded_as_not_myositis_gets_no_myositis_cancer_ct() -> None:
    # Z25b P7 (dangerous): a CT for suspected Pompe disease while trying to conceive
    plan = make_plan(**_POMPE)
    assert not any("CT" in t for t in plan.cancer_screening.tests_due)


def test_a_teratogen_for_a_set_aside_myositis_is_stopped_not_switched() -> None:
    # Z25b P7 (dangerous): 'switch to a pregnancy-compatible agent' for a metabolic myopathy
    plan = make_plan(**_POMPE)
    codes = do_now(plan)
    assert "conception_teratogen_not_myositis" in codes
    assert "conception_teratogen_taken_now" not in codes


def test_anti_ku_alone_does_not_cap_a_flares_glucocorticoid_as_scleroderma() -> None:
    # Z25c P2 (dangerous): 'keep prednisolone at or below 15 mg/day' on anti-Ku alone
    from myositis.services.careplan.phenotype import complications
    from myositis.services.state import DiseaseState, DomainState
    from tests.services.careplan.conftest import make_record
    state = DiseaseState(overall="flare", responses=[],
                         domains=[DomainState(domain=d, state=x, basis=[]) for d, x in (
                             ("muscle", "flare"), ("skin", "not_involved"),
                             ("lung", "not_involved"))])
    ku = make_record(antibodies={"ku": {"status": "positive"}, "mi2": {"status": "negative"}})
    assert "ssc_specific" not in complications(ku, ["pm"], state)
    scl = make_record(antibodies={"pmscl": {"status": "positive"},
                                  "mi2": {"status": "negative"}})
    assert "ssc_specific" in complications(scl, ["pm"], state)


def test_no_weight_based_hydroxychloroquine_ceiling_on_dialysis() -> None:
    # Z25c P6 (dangerous): 'reduce to 370 mg/day' on haemodialysis beside the nephrology line
    plan = make_plan(weight_kg=60, comorbidities={"dialysis": True}, months_since_onset=60,
                     treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01",
                                  "dose_value": 400, "dose_unit": "mg/day"}])
    codes = do_now(plan)
    assert "hydroxychloroquine_dose_above_5mg_kg" not in codes


def test_no_yellow_fever_vaccine_when_treatment_starts_now() -> None:
    # Z25c P8 (dangerous): the live vaccine 'now' beside IV pulses today
    plan = make_plan(organs={"respiratory_muscle_weakness": True}, months_since_onset=1,
                     travel={"depart": "2027-02-10", "destinations": "Ghana",
                             "yellow_fever_area": True})
    codes = do_now(plan)
    assert "travel_yellow_fever_treatment_now" in codes
    assert "travel_yellow_fever_before_immunosuppression" not in codes


def test_no_co_trimoxazole_dosing_line_for_a_sulfonamide_allergy() -> None:
    # Z25a P6 (dangerous): an urgent treatment-dose co-trimoxazole line for kidney failure
    # beside the allergy that rules it out
    base = dict(systemic={"fever": True}, comorbidities={"active_infection": True},
                lung={"oxygen": "at_rest"}, lab_results=[lab("egfr", 25, "mL/min/1.73m2"),
                                                         lab("lymphocytes", 0.3, "10^9/L")],
                treatments=[{"therapy": "mycophenolate", "start": "2025-01-01",
                             "dose_value": 2000, "dose_unit": "mg/day"}])
    allergic = make_plan(**base, allergies=["sulfonamide"])
    assert not any(a.text.startswith("Treatment-dose co-trimoxazole with kidney failure")
                   for a in allergic.do_now)
    plain = make_plan(**base)
    assert any(a.text.startswith("Treatment-dose co-trimoxazole with kidney failure")
               for a in plain.do_now)


def test_strongyloides_is_screened_before_pulses_for_a_threatened_organ() -> None:
    # Z25a P1: anti-MDA5 RP-ILD on 1 g/day from an endemic region, no serology or ivermectin
    plan = make_plan(organs={"respiratory_muscle_weakness": True},
                     infection_screening={"strongyloides_endemic": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-20",
                                  "dose_value": 10, "dose_unit": "mg/day"}])
    assert "strongyloides_before_glucocorticoids" in do_now(plan)


def test_refeeding_risk_is_named_before_tube_feeding_a_starved_patient() -> None:
    # Z25a P2: 38 kg, BMI 14.8, potassium 3.1, nasogastric feeding without refeeding care
    plan = make_plan(weight_kg=38, height_cm=160, organs={"dysphagia": "severe"},
                     lab_results=[lab("potassium", 3.1, "mmol/L")])
    assert "refeeding_risk_with_dysphagia" in do_now(plan)
    assert "refeeding_risk_with_dysphagia" not in do_now(
        make_plan(weight_kg=70, height_cm=165, organs={"dysphagia": "severe"}))


def test_anti_cn1a_is_not_another_antibody_that_explains_a_statin_myopathy() -> None:
    # Z25b P1: 'another myositis-specific antibody explains the disease' for anti-cN1A in IBM
    from myositis.services.careplan.record_readers import read_other_msa
    from tests.services.careplan.conftest import make_record
    ibm = make_record(antibodies={"cn1a": {"status": "positive"},
                                  "mi2": {"status": "negative"}})
    assert read_other_msa(ibm) is False


def test_hydroxychloroquine_on_dialysis_is_not_called_within_range_without_the_kidney_note() -> None:
    # Z25d P8: 200 mg/day on dialysis 'within the curated up to 5 mg/kg/day'
    plan = make_plan(weight_kg=49, comorbidities={"dialysis": True}, months_since_onset=60,
                     treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01",
                                  "dose_value": 200, "dose_unit": "mg/day"}])
    line = next(d.text for d in plan.doses if d.therapy == "hydroxychloroquine")
    assert "the weight ceiling is not the target" in line


def test_no_cytotoxic_dosing_decision_line_for_ibm_with_an_infection() -> None:
    # Z25a P7: 'decide whether to give, reduce or defer the next cytotoxic or B-cell-depleting
    # dose ... IVIG is a bridge' first in the plan of an 82-year-old with IBM on no treatment
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 74},
                    antibodies={"cn1a": {"status": "positive"}, "mi2": {"status": "negative"}},
                    skin={"heliotrope_rash": False, "gottron_papules": False},
                    organs={"dysphagia": "severe"}, comorbidities={"active_infection": True},
                    months_since_onset=96)
    assert "organ_threatening_with_active_infection" not in do_now(ibm)


def test_an_acute_kidney_injury_does_not_rule_out_a_lung_transplant() -> None:
    # Z25a P6, Z25d P6: 'kidney failure rules out a lung transplant alone' during septic AKI
    from myositis.knowledge import load
    from myositis.services.careplan.rules import fire
    rule = next(r for r in load().rules.rules if r.id == "ild_progressing_transplant_kidney_failure")
    facts = {"ild": True, "lung_course": "progressive", "immunosuppression_planned_or_current": True,
             "ild_agent_weeks": 40, "age_years": 55, "egfr": 29.0}
    assert fire(rule, {**facts, "creatinine_rise": 1.1, "active_infection": False}) is not None
    assert fire(rule, {**facts, "creatinine_rise": 2.0, "active_infection": False}) is None
    assert fire(rule, {**facts, "creatinine_rise": 1.1, "active_infection": True}) is None


def test_one_neutrophil_instruction_below_1_5() -> None:
    # Z25d P7 (and Z23c P7): 'repeat the count within a week' under 'repeat it now'
    plan = make_plan(lab_results=[lab("neutrophils", 1.3, "10^9/L")], months_since_onset=12,
                     treatments=[{"therapy": "azathioprine", "start": "2026-01-01",
                                  "dose_value": 100, "dose_unit": "mg/day"}])
    codes = do_now(plan)
    assert "neutropenia_on_immunosuppression" in codes or \
        "severe_cytopenia_on_marrow_toxic_drug" in codes
    assert "falling_neutrophils_on_marrow_toxic_drug" not in codes


def test_established_ibm_on_a_statin_gets_no_urgent_statin_stop() -> None:
    # re-score of Z25b P1: 'URGENT ... a statin is still taken with an inflammatory or
    # unexplained myopathy: stop it now' after 7 years of biopsy-proven IBM
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 66},
                    antibodies={"cn1a": {"status": "positive"}, "mi2": {"status": "negative"}},
                    skin={"heliotrope_rash": False, "gottron_papules": False},
                    other_medicines=["statin"], months_since_onset=84,
                    labs={"enzymes": {"ck": {"value": 600, "uln": 200}}})
    assert "statin_taken_with_myopathy" not in do_now(ibm)


def test_a_flare_step_into_the_prophylaxis_range_keeps_the_co_trimoxazole() -> None:
    # re-score of Z25c P2: 'below the PJP threshold - review whether co-trimoxazole is still
    # needed' beside a flare step to 46 mg/day
    core = {"physician_global": 2, "patient_global": 2, "extramuscular_global": 0, "mmt8": 76,
            "haq": 0.3}
    base = dict(other_medicines=["co_trimoxazole"], months_since_onset=20,
                treatments=[{"therapy": "methotrexate", "start": "2025-06-01",
                             "dose_value": 20, "dose_unit": "mg/week"},
                            {"therapy": "glucocorticoids_oral", "start": "2025-06-01",
                             "dose_value": 12.5, "dose_unit": "mg/day"}])
    flare = make_plan(**base, visits=[
        {"date": "2026-08-01", "core_set": core,
         "labs": {"enzymes": {"ck": {"value": 300, "uln": 200}}}},
        {"date": "2026-11-25", "core_set": {**core, "physician_global": 6, "patient_global": 6,
                                            "mmt8": 60, "haq": 1.2},
         "labs": {"enzymes": {"ck": {"value": 4000, "uln": 200}}}}])
    assert "co_trimoxazole_without_pjp_indication" not in do_now(flare)
    quiet = make_plan(**base, visits=[
        {"date": "2026-08-01", "core_set": core},
        {"date": "2026-11-25", "core_set": core}])
    assert "co_trimoxazole_without_pjp_indication" in do_now(quiet)

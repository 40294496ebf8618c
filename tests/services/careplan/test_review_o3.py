"""Specialist review O (December 2026): a comorbidity-heavy clinic (O1) and a first-presentation
clinic with diagnostic uncertainty (O2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan
from tests.services.careplan.conftest import ADULT_DM, cautions, do_now, lab, make_plan, merge


def _plan(profile: dict[str, Any]) -> CarePlan:
    return build_care_plan(PatientRecord.model_validate(profile), load())


def _do_now(plan: CarePlan) -> str:
    return "\n".join(a.text for a in plan.do_now)


def _approach(plan: CarePlan) -> str:
    return "\n".join(line for r in plan.regimens for line in (*r.first_choice, *r.alternatives))


LABELLED_PM_IS_IBM: dict[str, Any] = {
    "id": "SYN-O1-P5", "label": "SYNTHETIC 'PM' for 5 years, IBM pattern, eGFR 31 on methotrexate",
    "today": "2026-12-04", "sex": "female", "date_of_birth": "1947-06-30", "weight_kg": 52,
    "height_cm": 156, "months_since_onset": 72,
    "diagnosis": {"subgroup": "pm"},
    "classification": {"age_at_onset": 73, "weakness": {"proximal_lower": True},
                       "elevated_muscle_enzymes": True, "finger_flexor_weakness": True,
                       "biopsy": {"endomysial_infiltrate": True, "rimmed_vacuoles": True}},
    "ibm_pattern": {"knee_extension_weaker_or_equal_hip_flexion": True,
                    "finger_flexion_weaker_than_shoulder_abduction": True,
                    "weakness_duration_months": 72},
    "antibodies": {"cn1a": {"status": "positive"}, "hmgcr": {"status": "negative"}},
    "lab_results": [lab("ck", 520, "U/L", 170, "2026-11-20"),
                    lab("creatinine", 140, "umol/L", None, "2026-11-20"),
                    lab("creatinine", 118, "umol/L", None, "2026-08-15"),
                    lab("creatinine", 104, "umol/L", None, "2025-11-10"),
                    lab("egfr", 31, "mL/min/1.73m2", None, "2026-11-20"),
                    lab("wbc", 3.4, "10^9/L", None, "2026-11-20")],
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                    "start": "2021-03-01", "outcome": "ongoing", "response": "none"},
                   {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2021-06-01", "outcome": "ongoing", "response": "none"}],
}


def test_a_drug_the_plan_stops_gets_no_lower_dose_line() -> None:
    """O1 P5 (dangerous): 'Stop methotrexate' beside 'lower the dose to 12.5 mg/week' and 'set
    the dose for the new eGFR, recheck in 4 weeks' reads as 'keep it'."""
    plan = _plan(LABELLED_PM_IS_IBM)
    assert "Stop Methotrexate" in _approach(plan)
    text = _do_now(plan)
    assert "set the dose for the new eGFR" not in text
    assert "Methotrexate is taken at 15 mg/week, above" not in text
    assert not any(a.code == "dose_above_limit_methotrexate" for a in plan.do_now)


def test_the_same_dose_lines_stay_when_the_drug_is_kept() -> None:
    """The control: a DM patient kept on methotrexate with the same kidneys still gets them."""
    kept = merge(LABELLED_PM_IS_IBM, {"diagnosis": {"subgroup": "dm"}, "ibm_pattern": {},
                                      "antibodies": {"cn1a": {"status": "negative"}},
                                      "skin": {"heliotrope_rash": True, "gottron_papules": True}})
    kept["classification"] = ADULT_DM["classification"] | {"age_at_onset": 73}
    kept["lab_results"] = [r for r in kept["lab_results"] if r["analyte"] != "wbc"]
    # 70 kg keeps the Cockcroft-Gault clearance above 30 at 79 (about 32; at 52 kg it is 24)
    kept["weight_kg"] = 70
    plan = _plan(kept)
    assert "Stop Methotrexate" not in _approach(plan)
    assert any(a.code in ("dose_above_limit_methotrexate", "slow_renal_decline_on_methotrexate")
               or "above the 12.5 mg/week ceiling" in a.text for a in plan.do_now)


def test_an_unclassified_record_is_not_classified_over_by_the_eular_score() -> None:
    """O2 P7 (dangerous): a granulomatous myopathy recorded 'unclassified' got 'probable PM'
    induction (prednisolone 60 mg and mycophenolate) because a biopsy lifted the score."""
    plan = make_plan(diagnosis={"subgroup": "unclassified"},
                     classification={"skin": {"heliotrope_rash": False, "gottron_papules": False},
                                     "age_at_onset": 51,
                                     "biopsy": {"endomysial_infiltrate": True,
                                                "perimysial_or_perivascular_infiltrate": True}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     antibodies={"mi2": {"status": "negative"}})
    assert plan.diagnosis is not None and plan.diagnosis.followed == "unclassified"
    assert not plan.regimens
    assert any("not followed while the diagnosis is open" in e
               for e in plan.diagnosis.explanation)


def test_a_raised_calcium_stops_the_calcium_and_vitamin_d_advice() -> None:
    """O2 P7 (dangerous): 'calcium and vitamin D from the start' with calcium 2.81 mmol/L."""
    plan = make_plan(lab_results=[lab("calcium", 2.81, "mmol/L"),
                                  lab("egfr", 90, "mL/min/1.73m2")])
    assert any(a.code == "hypercalcaemia" for a in plan.do_now)
    assert "glucocorticoids_oral" in {o.therapy for o in plan.options}
    assert not any("Calcium and vitamin D from the start" in c.text for o in plan.options
                   for c in o.cautions)
    normal = make_plan(lab_results=[lab("calcium", 2.4, "mmol/L"),
                                    lab("egfr", 90, "mL/min/1.73m2")])
    assert not any(a.code == "hypercalcaemia" for a in normal.do_now)
    assert any("Calcium and vitamin D from the start" in c.text for o in normal.options
               if o.therapy == "glucocorticoids_oral" for c in o.cautions)


def test_an_ibm_label_the_record_contradicts_is_not_followed() -> None:
    """O2 P6 (dangerous): an outside IBM label with onset at 43, 9 months of weakness and CK 18 x
    ULN was followed, so immunosuppression was 'not recommended' and review set 9 months out."""
    plan = make_plan(diagnosis={"subgroup": "ibm"}, skin={"heliotrope_rash": False,
                                                          "gottron_papules": False},
                     classification={"age_at_onset": 43,
                                     "skin": {"heliotrope_rash": False, "gottron_papules": False}},
                     ibm_pattern={"weakness_duration_months": 9,
                                  "knee_extension_weaker_or_equal_hip_flexion": False,
                                  "finger_flexion_weaker_than_shoulder_abduction": False},
                     labs={"enzymes": {"ck": {"value": 3600, "uln": 200}}},
                     antibodies={"mi2": {"status": "negative"}, "cn1a": {"status": "positive"}})
    assert plan.diagnosis is not None and plan.diagnosis.followed == "unclassified"
    assert any("Recorded as IBM, but the record fails ENMC 2011" in e
               for e in plan.diagnosis.explanation)
    assert any(c.criteria == "ENMC 2011 IBM" for c in plan.diagnosis.criteria)
    assert not any("in IBM" in n.reason for n in plan.not_recommended)
    # an IBM label the record does not contradict is still followed
    older = make_plan(diagnosis={"subgroup": "ibm"}, skin={"heliotrope_rash": False,
                                                           "gottron_papules": False},
                      classification={"age_at_onset": 66,
                                      "skin": {"heliotrope_rash": False,
                                               "gottron_papules": False}},
                      ibm_pattern={"weakness_duration_months": 40,
                                   "finger_flexion_weaker_than_shoulder_abduction": True},
                      labs={"enzymes": {"ck": {"value": 600, "uln": 200}}},
                      antibodies={"mi2": {"status": "negative"}})
    assert older.diagnosis is not None and older.diagnosis.followed == "ibm"


def test_colchicine_with_low_egfr_or_a_macrolide_is_stopped_not_considered() -> None:
    """O2 P4 (dangerous): colchicine at eGFR 32 after clarithromycin, with weakness, CK 1800 and a
    neuropathy, was only to be 'considered'."""
    colchicine = [{"therapy": "colchicine", "dose_value": 1, "dose_unit": "mg/day",
                   "start": "2026-09-01", "outcome": "ongoing"}]
    # no myositis-specific antibody: colchicine may explain it all (with one, see review Z7a)
    no_msa = {"antibodies": {"mi2": {"status": "negative"}}}
    low = make_plan(treatments=colchicine, lab_results=[lab("egfr", 32, "mL/min/1.73m2")],
                    **no_msa)
    assert "stop colchicine now" in next(a.text for a in low.do_now
                                         if a.code == "colchicine_toxicity_likely")
    assert do_now(low)["colchicine_toxicity_likely"] == "urgent"
    assert "colchicine_myotoxicity" not in do_now(low)
    macrolide = make_plan(treatments=colchicine, other_medicines=["macrolide_antibiotic"],
                          **no_msa)
    assert "colchicine_toxicity_likely" in do_now(macrolide)
    plain = make_plan(treatments=colchicine)
    assert "colchicine_toxicity_likely" not in do_now(plain)
    assert "colchicine_myotoxicity" in do_now(plain)


BULBAR_JDM: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-O2-JDM", "label": "SYNTHETIC severe JDM with palatal weakness", "sex": "female",
    "classification": {"age_at_onset": 6}, "months_since_onset": 2, "weight_kg": 20,
    "diagnosis": {"subgroup": "jdm"}, "skin": {"cutaneous_ulceration": True},
    "organs": {"dysphagia": "moderate"},
    "visits": [{"date": "2026-11-20", "core_set": {"physician_global": 7, "cmas": 22},
                "labs": {"enzymes": {"ck": {"value": 2400, "uln": 230}}}}]})


def test_jdm_with_moderate_dysphagia_is_admitted_with_the_breathing_assessed() -> None:
    """O2 P5 (dangerous): nasal regurgitation and head lag at 6 years: 'see again in 1-2 weeks'."""
    plan = make_plan(BULBAR_JDM)
    line = next(a for a in plan.do_now if a.code == "severe_jdm_bulbar_admit")
    assert line.urgency == "urgent" and "admit today" in line.text
    assert "breathing muscles" in line.text
    codes = do_now(plan)
    assert "severe_jdm_active" not in codes and "severe_dysphagia" not in codes
    ulcer_only = make_plan(merge(BULBAR_JDM, {"organs": {"dysphagia": "none"}}))
    assert "severe_jdm_bulbar_admit" not in do_now(ulcer_only)
    assert do_now(ulcer_only).get("severe_jdm_active") == "urgent"


def test_a_weak_blot_band_with_a_negative_elisa_is_not_an_antisynthetase_diagnosis() -> None:
    """O2 P1 and O1 P2: a weak anti-Jo-1 band with a negative confirmatory ELISA met Connors
    2010, set 3-monthly lung tests and asked for the ELISA already done."""
    plan = make_plan(skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"},
                                 "jo1": {"status": "positive", "level": "weak"}},
                     antibody_tests=[
                         {"antibody": "jo1", "result": "positive", "method": "line_blot",
                          "level": "weak", "date": "2026-09-20"},
                         {"antibody": "jo1", "result": "negative", "method": "elisa",
                          "date": "2026-10-05"}])
    assert plan.diagnosis is not None and "asys" not in plan.phenotypes
    assert not any(f.code == "weak_blot_only" for f in plan.flags)
    assert all(c.met is not True for c in plan.diagnosis.criteria if "ASyS" in c.criteria)


def test_the_weak_blot_flag_names_a_statin_only_when_one_is_recorded() -> None:
    blot = {"antibodies": {"mi2": {"status": "negative"},
                           "pl12": {"status": "positive", "level": "weak"}},
            "antibody_tests": [{"antibody": "pl12", "result": "positive", "method": "line_blot",
                                "level": "weak", "date": "2026-09-20"}]}
    text = next(f.text for f in make_plan(**blot).flags if f.code == "weak_blot_only")
    assert "statin" not in text
    with_statin = make_plan(**blot, other_medicines=["statin"])
    assert "statin" in next(f.text for f in with_statin.flags if f.code == "weak_blot_only")


def test_ibm_without_dysphagia_is_not_said_to_report_it() -> None:
    """O2 P6: 'Swallowing assessment with dysphagia: dysphagia reported' with no dysphagia."""
    plan = make_plan(LABELLED_PM_IS_IBM | {"diagnosis": {"subgroup": "ibm"}})
    swallowing = [w for w in plan.workup if w.code == "swallowing"]
    assert swallowing and all("dysphagia reported" not in w.reason for w in swallowing)


def test_pulmonary_hypertension_in_pregnancy_is_urgent_and_written_for_pregnancy() -> None:
    """O2 P8: suspected PH at 14 weeks graded 'soon' and worded for a woman not pregnant."""
    plan = make_plan(organs={"pulmonary_hypertension": "suspected"},
                     reproduction={"pregnant": True, "gestation_weeks": 14})
    codes = do_now(plan)
    assert codes.get("pulmonary_hypertension_suspected_pregnant") == "urgent"
    assert "pulmonary_hypertension_suspected" not in codes
    not_pregnant = make_plan(organs={"pulmonary_hypertension": "suspected"})
    assert "pulmonary_hypertension_suspected" in do_now(not_pregnant)


def test_active_muscle_on_a_steroid_sparing_agent_alone_gets_a_glucocorticoid() -> None:
    """O2 P8: pregnant, CK 15 x ULN and rising, MMT-8 68 to 63: 'add azathioprine' alone."""
    plan = make_plan(months_since_onset=8, weight_kg=66,
                     reproduction={"pregnant": True, "gestation_weeks": 14},
                     visits=[{"date": "2026-08-10", "glucocorticoid_mg_per_day": 0,
                              "core_set": {"physician_global": 4, "patient_global": 5,
                                           "mmt8": 68, "mmt_max": 80, "haq": 0.6}},
                             {"date": "2026-11-20", "glucocorticoid_mg_per_day": 0,
                              "core_set": {"physician_global": 4.2, "patient_global": 5,
                                           "mmt8": 67, "mmt_max": 80, "haq": 0.6}}],
                     treatments=[{"therapy": "hydroxychloroquine", "dose_value": 300,
                                  "dose_unit": "mg/day", "start": "2026-05-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-05-01",
                                  "stop": "2026-10-10", "reason_stopped": "pregnancy"}])
    assert plan.state is not None and plan.state.of("muscle") == "active"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("add Oral glucocorticoids")
    assert "compatible with pregnancy" in muscle.first_choice[0]


def test_a_flare_after_two_failed_steroid_sparing_agents_adds_a_refractory_agent() -> None:
    """O1 P2: a flare on mycophenolate after methotrexate and azathioprine failed was escalated
    with prednisolone alone; IVIG and rituximab were never offered."""
    visits = [{"date": "2026-08-20", "glucocorticoid_mg_per_day": 12.5,
               "core_set": {"physician_global": 4.5, "patient_global": 6, "mmt8": 64,
                            "mmt_max": 80, "haq": 1.125, "extramuscular_global": 4},
               "labs": {"enzymes": {"ck": {"value": 300, "uln": 200}}}},
              {"date": "2026-11-25", "glucocorticoid_mg_per_day": 20,
               "core_set": {"physician_global": 6, "patient_global": 7, "mmt8": 58,
                            "mmt_max": 80, "haq": 1.5, "extramuscular_global": 5},
               "labs": {"enzymes": {"ck": {"value": 1200, "uln": 200}}}}]
    failed = [{"therapy": "methotrexate", "start": "2025-03-15", "stop": "2025-10-20",
               "outcome": "not_tolerated", "reason_stopped": "adverse_event"},
              {"therapy": "azathioprine", "start": "2025-11-10", "stop": "2026-01-05",
               "outcome": "not_tolerated", "reason_stopped": "adverse_event"}]
    current = [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                "start": "2026-01-20", "outcome": "ongoing"},
               {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                "start": "2025-03-01", "outcome": "ongoing"}]
    plan = make_plan(months_since_onset=21, weight_kg=96, visits=visits,
                     treatments=failed + current)
    assert plan.state is not None and plan.state.of("muscle") == "flare"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("a flare after two steroid-sparing agents failed" in f
               for f in muscle.first_choice)
    once = make_plan(months_since_onset=21, weight_kg=96, visits=visits,
                     treatments=failed[:1] + current)
    assert not any("two steroid-sparing agents failed" in f
                   for r in once.regimens for f in r.first_choice)


def test_the_biopsy_waits_for_the_euthyroid_recheck_when_the_tsh_is_high() -> None:
    """O2 P1: a biopsy 'soon' beside 'recheck CK and strength once euthyroid first'."""
    rash_free = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(skin=rash_free, classification={"skin": rash_free},
                     antibodies={"mi2": {"status": "negative"}},
                     lab_results=[lab("tsh", 68, "mU/L", 4.5), lab("egfr", 90, "mL/min/1.73m2")])
    biopsy = next(w for w in plan.workup if w.code == "muscle_biopsy")
    assert biopsy.urgency == "routine" and "once euthyroid" in biopsy.reason
    assert "raised_tsh_myositis_mimic" in do_now(plan)
    normal = make_plan(skin=rash_free, classification={"skin": rash_free},
                       antibodies={"mi2": {"status": "negative"}},
                       lab_results=[lab("tsh", 2, "mU/L", 4.5)])
    assert next(w for w in normal.workup if w.code == "muscle_biopsy").urgency == "soon"


def test_a_tsh_without_its_upper_limit_is_read_against_a_default() -> None:
    """N2 P6: TSH 7.8 with a low free T4, reported without a ULN, was never read."""
    # without a free T4 the line asks for it first (split after review Z23b P5)
    assert "raised_tsh_free_t4_unknown" in do_now(make_plan(lab_results=[lab("tsh", 7.8, "mU/L")]))
    assert not {"raised_tsh_myositis_mimic", "raised_tsh_free_t4_unknown"} & set(do_now(
        make_plan(lab_results=[lab("tsh", 3.1, "mU/L")])))


def test_ritonavir_brings_a_glucocorticoid_caution_and_treated_tb_is_named() -> None:
    """O1 P3: HIV on a boosted regimen and treated TB, about to start 60 mg of prednisolone."""
    plan = make_plan(other_medicines=["ritonavir_or_cobicistat"],
                     infection_screening={"tb_test": {"result": "positive"},
                                          "latent_tb_treatment": "completed"})
    assert "glucocorticoid_ritonavir" in cautions(plan, "glucocorticoids_oral")
    assert "do not repeat the IGRA" in next(a.text for a in plan.do_now
                                            if a.code == "tb_treated_before_immunosuppression")
    assert "glucocorticoid_ritonavir" not in cautions(make_plan(), "glucocorticoids_oral")


def test_a_child_with_dm_skin_is_not_sent_for_anti_hmgcr_and_is_followed_by_cmas() -> None:
    """O1 P6 and O2 P5: anti-HMGCR asked for a child with Gottron papules; adult core set."""
    child = make_plan(classification={"age_at_onset": 6}, weight_kg=20, months_since_onset=1,
                      antibodies={"mi2": {"status": "negative"}},
                      labs={"enzymes": {"ck": {"value": 2400, "uln": 230}}})
    assert "necrotising_range_ck_anti_hmgcr_untested" not in do_now(child)
    review = next(m for m in child.monitoring if m.therapy == "Disease activity")
    assert "CMAS" in review.text and "CHAQ" in review.text
    rash_free = {"heliotrope_rash": False, "gottron_papules": False}
    adult = make_plan(skin=rash_free, classification={"skin": rash_free},
                      antibodies={"mi2": {"status": "negative"}},
                      labs={"enzymes": {"ck": {"value": 4000, "uln": 200}}})
    assert "necrotising_range_ck_anti_hmgcr_untested" in do_now(adult)


PREGNANT_ACTIVE_ON_NOTHING: dict[str, Any] = {
    "months_since_onset": 8, "weight_kg": 66,
    "reproduction": {"pregnant": True, "gestation_weeks": 14},
    "visits": [{"date": "2026-08-10", "glucocorticoid_mg_per_day": 0,
                "core_set": {"physician_global": 4, "patient_global": 5, "mmt8": 68,
                             "mmt_max": 80, "haq": 0.6}},
               {"date": "2026-11-20", "glucocorticoid_mg_per_day": 0,
                "core_set": {"physician_global": 4.2, "patient_global": 5, "mmt8": 67,
                             "mmt_max": 80, "haq": 0.6}}],
    "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2026-05-01", "stop": "2026-10-10",
                    "reason_stopped": "pregnancy"}]}


def test_a_glucocorticoid_started_in_pregnancy_gets_pregnancy_bone_care_only() -> None:
    """Re-score of O2 P8: the adult GIOP check (spine radiograph, bisphosphonate, denosumab)
    printed for a pregnant woman once a glucocorticoid was proposed."""
    plan = make_plan(**PREGNANT_ACTIVE_ON_NOTHING)
    assert not any(c.id == "giop_bone_protection" for c in plan.shared_checks)
    assert "bone_medication_pregnancy" in do_now(plan)
    not_pregnant = make_plan(**(PREGNANT_ACTIVE_ON_NOTHING | {"reproduction": {
        "pregnant": False}}))
    assert any(c.id == "giop_bone_protection" for c in not_pregnant.shared_checks)


def test_unclassified_progression_asks_for_the_work_up_not_treatment() -> None:
    """Re-score of O2 P6: 'start treatment without delay' while no treatment was offered."""
    rash_free = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(diagnosis={"subgroup": "unclassified"}, skin=rash_free,
                     classification={"skin": rash_free}, antibodies={"mi2": {"status": "negative"}},
                     visits=[{"date": "2026-07-01", "core_set": {"physician_global": 3,
                                                                 "mmt8": 70, "mmt_max": 80}},
                             {"date": "2026-11-20", "core_set": {"physician_global": 5,
                                                                 "mmt8": 62, "mmt_max": 80}}])
    flag = next(f for f in plan.flags if f.code == "worse_before_treatment")
    assert "finish the diagnostic work-up" in flag.text
    assert "start treatment without delay" not in flag.text


def test_chest_imaging_compatible_with_tb_asks_to_exclude_active_tb() -> None:
    plan = make_plan(infection_screening={"chest_imaging": "abnormal_tb_compatible"})
    assert do_now(plan).get("chest_imaging_tb_compatible") == "soon"
    treated = make_plan(infection_screening={"chest_imaging": "abnormal_tb_compatible",
                                             "latent_tb_treatment": "completed"})
    assert "chest_imaging_tb_compatible" not in do_now(treated)

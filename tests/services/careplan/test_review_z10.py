"""Findings of specialist review Z8 (new referrals; emergencies; children; long-term follow-up)
fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan


def test_a_scleroderma_overlap_gets_no_induction_glucocorticoid_dose() -> None:
    """Z8a P6 (dangerous): '29-58 mg/day (0.5-1 mg/kg/day)' worked out for a scleromyositis
    with sclerodactyly, beside the renal-crisis warning."""
    plan = make_plan(weight_kg=58, treatments=[],
                     diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
                     organs={"sclerodactyly": True})
    gc = next(d for d in plan.doses if d.therapy == "glucocorticoids_oral")
    assert gc.text.startswith("at most 15 mg/day in a scleroderma overlap")
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("15 mg/day or less" in e for e in muscle.first_choice)


def test_hydroxychloroquine_toxicity_is_excluded_before_the_muscle_is_escalated() -> None:
    """Z8a P7 (two dangerous): 7 years of hydroxychloroquine at 6.25 mg/kg/day, eGFR 27, a
    vacuolar biopsy without inflammation - 'continue hydroxychloroquine' and mycophenolate
    added."""
    plan = make_plan(weight_kg=64, months_since_onset=6,
                     biopsy={"date": "2026-11-12", "rimmed_vacuoles": True,
                             "endomysial_infiltrate": False},
                     lab_results=[lab("egfr", 27, "mL/min/1.73m2", None, "2026-11-30")],
                     treatments=[{"therapy": "hydroxychloroquine", "dose_value": 400,
                                  "dose_unit": "mg/day", "start": "2019-09-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-10-01"}])
    assert do_now(plan)["hydroxychloroquine_toxic_myopathy_possible"] == "urgent"
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith("Continue Hydroxychloroquine") for e in lines)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith(("add ", "Mycophenolate", "Continue and optimise"))
                   for e in muscle.first_choice)
    # the same drug without a vacuolar biopsy or heart involvement: no such line
    assert "hydroxychloroquine_toxic_myopathy_possible" not in do_now(make_plan(
        treatments=[{"therapy": "hydroxychloroquine", "start": "2019-09-01"}]))


def test_full_treatment_agreed_outranks_a_short_prognosis() -> None:
    """Z8b P3 (two dangerous): anti-MDA5 RP-ILD at 29 with the ceiling 'full' and a prognosis
    of weeks to months - intensive care and transplant removed, 'the lowest glucocorticoid dose
    that controls symptoms'."""
    rp_ild = {"antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
              "systemic": {"interstitial_lung_disease": True,
                           "rapidly_progressive_ild_suspected": True},
              "date_of_birth": "1997-05-01"}
    full = make_plan(**rp_ild, care_goals={"treatment_ceiling": "full",
                                           "prognosis": "weeks_to_months"})
    texts = " ".join(a.text for a in full.do_now) + " ".join(f.text for f in full.flags)
    assert "Involve intensive care early" in texts and "Near the end of life" not in texts
    comfort = make_plan(**rp_ild, care_goals={"treatment_ceiling": "comfort",
                                              "prognosis": "weeks_to_months"})
    assert "Involve intensive care early" not in " ".join(
        [a.text for a in comfort.do_now] + [f.text for f in comfort.flags])


def test_an_allergy_and_a_declined_transfusion_replace_the_words_not_only_annotate_them() -> None:
    """Z8b P5 and P6 (dangerous): 'treatment-dose co-trimoxazole until PJP is excluded' with a
    bracket after it, for a patient who had Stevens-Johnson syndrome with sulfonamides; 'cross-
    match and transfusion' for a young man who declines blood products."""
    pjp = make_plan(allergies=["sulfonamide"],
                    antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                    systemic={"interstitial_lung_disease": True, "fever": True,
                              "rapidly_progressive_ild_suspected": True},
                    comorbidities={"active_infection": True, "infection_focus": "lung_diffuse"},
                    treatments=[{"therapy": "mycophenolate", "start": "2026-03-01"}])
    words = " ".join([a.text for a in pjp.do_now]
                     + [e for r in pjp.regimens for e in r.first_choice])
    assert "treatment-dose co-trimoxazole" not in words
    bleed = make_plan(**{"date_of_birth": "2007-06-01", "months_since_onset": 90,
                         "classification": {**ADULT_DM["classification"], "age_at_onset": 11}},
                      organs={"gi_bleeding": True},
                      preferences={"declines": ["blood_products"]})
    assert not any("cross-match and transfusion" in a.text for a in bleed.do_now)


def test_rhabdomyolysis_with_kidney_failure_gets_its_glucocorticoid_during_a_pneumonia() -> None:
    """Z8b P7 (dangerous): anti-HMGCR relapse, CK 62,000 and eGFR 10, with a focal pneumonia
    being treated - 'first choice none available', the glucocorticoid deferred."""
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     diagnosis={"subgroup": "imnm"},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     lab_results=[lab("ck", 62000, "U/L", 200, "2026-11-30"),
                                  lab("egfr", 10, "mL/min/1.73m2", None, "2026-11-30")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2024-08-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("glucocorticoids" in e.lower() for e in muscle.first_choice)
    assert not any(e.startswith("none") for e in muscle.first_choice)
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    assert not any(e.startswith("switch to") for e in changes.first_choice)


JDM_CHILD = {"date_of_birth": "2015-03-01", "weight_kg": 32, "months_since_onset": 40,
             "classification": {**ADULT_DM["classification"], "age_at_onset": 8}}


def test_the_jdm_target_rule_reads_measured_activity_and_respects_a_low_igg() -> None:
    """Z8c P3 (dangerous): 'add a second-line agent (IVIG, mycophenolate or ciclosporin)' for a
    girl with IgG 3.6 and recurrent chest infections, beside 'add no further agent'; P5, P6,
    P8: the same rule for quiet disease (CMAS 50, CK normal, a physician global of 1.5-2)."""
    on_mtx = [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
               "start": "2023-01-01"}]
    quiet = make_plan(**JDM_CHILD, treatments=on_mtx,
                      visits=[{"date": "2026-11-30",
                               "core_set": {"physician_global": 2, "cmas": 50},
                               "labs": {"enzymes": {"ck": {"value": 95, "uln": 200,
                                                           "unit": "U/L"}}}}])
    assert not {"jdm_target_missed_first_line", "jdm_target_missed_on_second_line"} \
        & set(do_now(quiet))
    active = [{"date": "2026-11-30", "core_set": {"physician_global": 5, "cmas": 38},
               "labs": {"enzymes": {"ck": {"value": 900, "uln": 200, "unit": "U/L"}}}}]
    assert "jdm_target_missed_first_line" in do_now(
        make_plan(**JDM_CHILD, treatments=on_mtx, visits=active))
    infections = make_plan(**JDM_CHILD, treatments=on_mtx, visits=active,
                           comorbidities={"recurrent_infections": True},
                           lab_results=[lab("igg", 3.6, "g/L", None, "2026-11-30")])
    assert "jdm_target_missed_first_line" not in do_now(infections)


def test_no_live_booster_advice_in_pregnancy() -> None:
    """Z7b P4 and Z8c P6: 'booster live vaccines ... can be considered' for a pregnant girl."""
    plan = make_plan(date_of_birth="2009-09-01", weight_kg=55, months_since_onset=60,
                     classification={**ADULT_DM["classification"], "age_at_onset": 12},
                     reproduction={"pregnant": True},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2023-01-01"}])
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(plan)


ASYS_ILD = {"antibodies": {"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
            "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
            "systemic": {"interstitial_lung_disease": True},
            "lung": {"date": "2026-11-15", "fvc_percent_predicted": 64, "hrct_pattern": "nsip",
                     "course": "progressive"},
            "lung_measures": [{"date": "2025-11-20", "fvc_percent_predicted": 71,
                               "hrct_pattern": "nsip", "course": "progressive"}]}


def test_cyclophosphamide_replaces_an_antimetabolite_and_waits_with_infection_risks() -> None:
    """Z8d P6 (dangerous): IV cyclophosphamide added to mycophenolate for a slowly progressive
    fibrotic antisynthetase ILD in a man with HIV, IgG 5.1 and lymphocytes 0.7."""
    on_mmf = [{"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
               "start": "2024-03-01"},
              {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
               "start": "2024-03-01"},
              {"therapy": "tacrolimus", "start": "2025-01-01"},
              {"therapy": "rituximab", "start": "2025-03-01", "stop": "2025-09-01",
               "reason_stopped": "inefficacy"}]
    plain = make_plan(**ASYS_ILD, treatments=on_mmf)
    lung = next(r for r in plain.regimens if r.domain == "lung")
    cyc = [e for e in lung.first_choice if e.startswith("Cyclophosphamide")]
    assert cyc and all("in place of Mycophenolate" in e for e in cyc)
    assert not any(e.startswith("Continue Mycophenolate") for e in lung.first_choice)
    risky = make_plan(**ASYS_ILD, treatments=on_mmf,
                      infection_screening={"hiv": {"result": "positive", "date": "2026-01-01"}},
                      lab_results=[lab("igg", 5.1, "g/L", None, "2026-11-15"),
                                   lab("lymphocytes", 0.7, "10^9/L", None, "2026-11-15")])
    lung = next(r for r in risky.regimens if r.domain == "lung")
    assert not any(e.startswith("Cyclophosphamide") for e in lung.first_choice)


def test_a_heart_finding_in_ibm_brings_no_pulses() -> None:
    """Z8d P4 (dangerous): 'confirmed myocarditis ... is severe disease - IV pulses with
    cardiology' in inclusion body myositis with ischaemic heart failure."""
    plan = make_plan(diagnosis={"subgroup": "ibm"}, organs={"cardiac": "confirmed"},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     antibodies={"cn1a": {"status": "positive"}, "mi2": {"status": "negative"}})
    codes = do_now(plan)
    assert "cardiac_finding_in_ibm" in codes and "cardiac_involvement_confirmed" not in codes
    assert not any("pulses" in e.lower() for r in plan.regimens for e in r.first_choice)


def test_the_joints_share_the_new_agent_another_domain_starts() -> None:
    """Z8d P3 (dangerous): 'add azathioprine' for the lung and 'add tacrolimus' for the joints,
    two new immunosuppressants at once before a conception."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_escalation import one_new_agent_for_the_joints

    lung = Regimen(domain="lung", state="stable", decision_point="x", alternatives=[],
                   first_choice=["Continue Oral glucocorticoids", "add Azathioprine (why)"])
    joints = Regimen(domain="joints", state="active", decision_point="x", alternatives=[],
                     first_choice=["Oral glucocorticoids at a low dose", "add Tacrolimus"])
    _, shared = one_new_agent_for_the_joints([lung, joints])
    assert "add Tacrolimus" not in shared.first_choice
    assert shared.first_choice[-1].startswith("Azathioprine, started for the other domain")
    assert shared.alternatives[0] == "if the joints stay active on it: Tacrolimus"
    alone = one_new_agent_for_the_joints([joints])
    assert alone == [joints]


def test_an_unclassified_antibody_negative_steroid_failure_gets_the_dystrophy_work_up() -> None:
    """Z8a P3: a 14-year-old boy, CK 58 x ULN, antibody-negative, no response to prednisolone
    1 mg/kg, diagnosis unset - the dystrophy work-up only when recorded as polymyositis."""
    negative = {a: {"status": "negative"} for a in ("mi2", "jo1", "srp", "hmgcr", "mda5",
                                                    "tif1g", "nxp2", "sae")}
    boy = {"sex": "male", "date_of_birth": "2012-06-01", "weight_kg": 50,
           "classification": {**ADULT_DM["classification"], "age_at_onset": 12,
                              "skin": {"heliotrope_rash": False, "gottron_papules": False,
                                       "gottron_sign": False}},
           "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
           "antibodies": negative, "diagnosis": {"subgroup": None},
           "lab_results": [lab("ck", 11600, "U/L", 200, "2026-11-18")]}
    failed = make_plan(**boy, treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                           "dose_unit": "mg/day", "start": "2026-08-20",
                                           "response": "none"}])
    assert "unclassified_dystrophy_first" in do_now(failed)
    untreated = make_plan(**boy, treatments=[])
    assert "unclassified_dystrophy_first" not in do_now(untreated)


def test_the_ibm_pattern_with_anti_cn1a_names_ibm_before_a_biopsy() -> None:
    """Z8a P8: an 81-year-old with 20 months of knee-extension and finger-flexion weakness and
    anti-cN1A, biopsy declined - IBM never named."""
    plan = make_plan(date_of_birth="1945-03-01", months_since_onset=20,
                     classification={**ADULT_DM["classification"], "age_at_onset": 79,
                                     "skin": {"heliotrope_rash": False, "gottron_papules": False,
                                              "gottron_sign": False}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     diagnosis={"subgroup": None},
                     ibm_pattern={"knee_extension_weaker_or_equal_hip_flexion": True,
                                  "finger_flexion_weaker_than_shoulder_abduction": True,
                                  "weakness_duration_months": 20},
                     antibodies={"cn1a": {"status": "positive"}, "mi2": {"status": "negative"},
                                 "pl12": {"status": "positive", "level": "weak"}},
                     antibody_tests=[{"antibody": "pl12", "result": "positive",
                                      "method": "line_blot", "level": "weak",
                                      "date": "2026-10-30"}],
                     systemic={"interstitial_lung_disease": False},
                     preferences={"declines": ["muscle_biopsy"]}, treatments=[])
    # the weak antisynthetase band keeps it unclassified, as in the reviewed patient
    assert "ibm" not in plan.phenotypes
    assert "ibm_likely_before_biopsy" in do_now(plan)


def test_no_pre_emptive_infection_tests_while_a_mimic_is_treated_first() -> None:
    """Z8a P1: 'draw the infection tests ... so treatment is not delayed' for a probable
    hypothyroid myopathy (TSH 68, low free T4), antibody-negative and unclassified."""
    negative = {a: {"status": "negative"} for a in ("mi2", "jo1", "srp", "hmgcr", "mda5")}
    base = {"classification": {**ADULT_DM["classification"],
                               "skin": {"heliotrope_rash": False, "gottron_papules": False,
                                        "gottron_sign": False}},
            "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
            "antibodies": negative, "diagnosis": {"subgroup": None}, "treatments": [],
            "infection_screening": {}}
    plain = make_plan(**base)
    hypothyroid = make_plan(**base, lab_results=[lab("tsh", 68, "mU/L", 4.5, "2026-11-20"),
                                                 lab("free_t4", 4, "pmol/L", None, "2026-11-20")])
    assert "raised_tsh_myositis_mimic" in do_now(hypothyroid)
    assert "screening_before_likely_immunosuppression" not in do_now(hypothyroid)
    assert plain.phenotypes == hypothyroid.phenotypes


def test_a_cured_hepatitis_c_is_not_sent_for_antiviral_treatment() -> None:
    """Z8d P7: 'HCV positive: refer for antiviral treatment' for a cured infection."""
    cured = make_plan(infection_screening={"hcv": {"result": "positive", "date": "2024-01-01"},
                                           "hcv_rna": {"result": "negative",
                                                       "date": "2025-06-01"}})
    assert "hcv_positive" not in do_now(cured) and "hcv_cleared" in do_now(cured)
    untested = make_plan(infection_screening={"hcv": {"result": "positive",
                                                      "date": "2024-01-01"}})
    assert "hcv_positive" in do_now(untested)


def test_respiratory_weakness_on_a_checkpoint_inhibitor_is_not_held_for_a_diagnosis() -> None:
    """Z9d P7 (dangerous): 'no escalation of immunotherapy until the diagnosis is settled' for
    myositis-myocarditis on pembrolizumab labelled polymyalgia."""
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                     organs={"respiratory_muscle_weakness": True},
                     diagnosis={"subgroup": None, "not_myositis": "polymyalgia rheumatica"},
                     antibodies={"mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False})
    assert "respiratory_muscle_weakness_not_for_immunotherapy" not in do_now(plan)


def test_stable_chronic_kidney_disease_is_not_read_as_rhabdomyolysis_injury() -> None:
    """Z9a P5 (dangerous): CK 34 x ULN with stable CKD 4 (eGFR 24, potassium 5.3) - 'treat as
    rhabdomyolysis-associated acute kidney injury ... IV fluids ... treat hyperkalaemia now'."""
    ckd = make_plan(comorbidities={"renal_impairment": True},
                    lab_results=[lab("ck", 6800, "U/L", 200, "2026-11-28"),
                                 lab("egfr", 24, "mL/min/1.73m2", None, "2026-11-28"),
                                 lab("potassium", 5.3, "mmol/L", 5.0, "2026-11-28")])
    assert "very_high_ck_with_kidney_injury" not in do_now(ckd)
    unknown_history = make_plan(lab_results=[lab("ck", 6800, "U/L", 200, "2026-11-28"),
                                             lab("egfr", 24, "mL/min/1.73m2", None,
                                                 "2026-11-28")])
    assert "very_high_ck_with_kidney_injury" in do_now(unknown_history)


def test_rp_ild_in_a_frail_patient_with_ckd_and_a_limited_ceiling_is_kinder() -> None:
    """Z9b P3 (two dangerous): pulses, tacrolimus and cyclophosphamide on top of mycophenolate
    for a frail woman of 74 with eGFR 22, lymphocytes 0.6 and a no-ICU ceiling."""
    plan = make_plan(date_of_birth="1952-02-01", weight_kg=58,
                     antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-30", "fvc_percent_predicted": 52,
                           "hrct_pattern": "nsip_op", "oxygen": "at_rest",
                           "course": "rapidly_progressive"},
                     care_goals={"frailty_scale": 6, "treatment_ceiling": "no_icu"},
                     lab_results=[lab("egfr", 22, "mL/min/1.73m2", None, "2026-11-30"),
                                  lab("lymphocytes", 0.6, "10^9/L", None, "2026-11-30")],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2022-10-01"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(e.startswith(("Cyclophosphamide", "Tacrolimus")) for e in lung.first_choice)


def test_a_pregnant_adolescent_flare_gets_the_adult_pregnancy_step() -> None:
    """Z9c P5 (dangerous): 'raise prednisolone to 1-2 mg/kg/day, maximum 60 mg (58-60 mg/day)'
    for a mild flare at 16 in the first trimester."""
    from myositis.services.careplan.regimen_lines import flare_glucocorticoid

    text = flare_glucocorticoid(58, 10, child=False, pregnant=True)
    assert "about 0.5 mg/kg/day" in text and "IVIG as the quick compatible escalation" in text


def test_mild_hyperckemia_with_normal_strength_follows_the_efns_approach() -> None:
    """Z9d P8: CK 2.8 x ULN the morning after a gym session, normal strength, a weak anti-Mi-2
    band - 'muscle biopsy soon', infection screening, FVC and ECG."""
    base = {"classification": {**ADULT_DM["classification"],
                               "weakness": {"proximal_upper": False, "proximal_lower": False},
                               "skin": {"heliotrope_rash": False, "gottron_papules": False,
                                        "gottron_sign": False}},
            "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
            "diagnosis": {"subgroup": None}, "treatments": [],
            "antibodies": {"mi2": {"status": "positive", "level": "weak"}},
            "antibody_tests": [{"antibody": "mi2", "result": "positive", "method": "line_blot",
                                "level": "weak", "date": "2026-11-10"}]}
    mild = make_plan(**base, lab_results=[lab("ck", 560, "U/L", 200, "2026-11-10")])
    codes = do_now(mild)
    assert "mild_hyperckemia_first" in codes and "undiagnosed_myopathy_safety" not in codes
    assert all(w.urgency == "routine" for w in mild.workup if w.code == "muscle_biopsy")
    high = make_plan(**base, lab_results=[lab("ck", 2000, "U/L", 200, "2026-11-10")])
    assert "mild_hyperckemia_first" not in do_now(high)


def test_a_penicillin_allergy_reaches_the_antibiotic_advice() -> None:
    """Z8c P2 and Z9c P6: 'antibiotics that cover Staphylococcus aureus' beside a recorded
    penicillin allergy, for an infected calcinosis deposit."""
    plan = make_plan(allergies=["penicillin"],
                     comorbidities={"active_infection": True,
                                    "infection_focus": "skin_soft_tissue"},
                     treatments=[{"therapy": "methotrexate", "start": "2024-01-01"}])
    texts = [a.text for a in plan.do_now if "Staphylococcus aureus" in a.text]
    assert texts and all("without a beta-lactam" in t for t in texts)


def test_a_fast_worsening_lung_without_prophylaxis_has_infection_excluded_alongside() -> None:
    """Re-score of Z9b P3: the infection work-up only under Monitoring while pulses and new
    agents led, and IVIG at eGFR 22 with its kidney precautions only in the detail."""
    plan = make_plan(antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-30", "hrct_pattern": "nsip_op",
                           "course": "rapidly_progressive"},
                     prophylaxis={"pjp": False},
                     lab_results=[lab("egfr", 22, "mL/min/1.73m2", None, "2026-11-30")],
                     treatments=[{"therapy": "mycophenolate", "start": "2022-10-01"}])
    assert do_now(plan)["rp_ild_exclude_infection_alongside"] == "urgent"
    ivig = [e for r in plan.regimens for e in r.first_choice
            if e.startswith("Intravenous immunoglobulin")]
    assert all("sucrose-free" in e for e in ivig)


def test_a_not_myositis_label_does_not_hide_a_checkpoint_inhibitor() -> None:
    """Z9d P7: 'not myositis: polymyalgia ... proposes no myositis treatment' above the
    checkpoint-inhibitor myositis-myocarditis lines."""
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                     antibodies={"mi2": {"status": "negative"}},
                     diagnosis={"subgroup": None, "not_myositis": "polymyalgia rheumatica"})
    assert plan.diagnosis is not None
    assert any("checkpoint-inhibitor lines in Do now apply" in e
               for e in plan.diagnosis.explanation)


def test_a_toddler_gets_age_fitting_lung_and_strength_measures() -> None:
    """Z9c P1: 'HRCT and full lung function' and MMT-8 for a girl of 2."""
    plan = make_plan(date_of_birth="2024-09-01", weight_kg=11.5, months_since_onset=2,
                     classification={**ADULT_DM["classification"], "age_at_onset": 2},
                     treatments=[], workup_done=["antibody_panel", "muscle_enzymes"])
    lung = next(w for w in plan.workup if w.code == "hrct_pft")
    assert "under 6" in lung.reason
    activity = next(m for m in plan.monitoring if m.therapy == "Disease activity")
    assert "MMT-8 once the child can cooperate" in activity.text


def test_a_year_of_remission_off_glucocorticoids_makes_withdrawal_the_first_choice() -> None:
    """Z9a P8: inactive for a year and off prednisolone for 18 months, wanting to stop
    mycophenolate - 'first choice continue mycophenolate'."""
    quiet = {"core_set": {"physician_global": 0.5, "mmt8": 80, "mmt_max": 80},
             "labs": {"enzymes": {"ck": {"value": 90, "uln": 200, "unit": "U/L"}}}}
    visits = [{**quiet, "date": d} for d in ("2025-11-20", "2026-05-20", "2026-11-20")]
    plan = make_plan(months_since_onset=45, visits=visits, skin={"heliotrope_rash": False,
                                                                 "gottron_papules": False,
                                                                 "gottron_sign": False},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 50,
                                  "dose_unit": "mg/day", "start": "2023-03-02",
                                  "stop": "2025-06-01", "reason_stopped": "remission"},
                                 {"therapy": "mycophenolate", "start": "2023-04-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "remission"
    assert muscle.first_choice[0].startswith("a slow taper of Mycophenolate mofetil can start now")


def test_co_trimoxazole_planned_in_pregnancy_carries_its_pregnancy_line() -> None:
    """Z9b P2: 'plan co-trimoxazole now' at 26 weeks of pregnancy with no folate or
    near-term caveat."""
    plan = make_plan(reproduction={"pregnant": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-25"}])
    codes = do_now(plan)
    assert "pjp_prophylaxis_soon" in codes and "co_trimoxazole_pregnancy" in codes


def test_a_child_kept_nil_by_mouth_gets_no_tablets_in_the_approach() -> None:
    """Z9c P1: oral prednisolone and hydroxychloroquine tablets for a toddler with moderate
    dysphagia kept nil by mouth."""
    plan = make_plan(date_of_birth="2024-09-01", weight_kg=11.5, months_since_onset=1,
                     classification={**ADULT_DM["classification"], "age_at_onset": 2},
                     organs={"dysphagia": "moderate"}, treatments=[])
    assert "severe_jdm_bulbar_admit" in do_now(plan)
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e in ("Oral glucocorticoids (prednisone / prednisolone)", "Hydroxychloroquine",
                         "Methotrexate") for e in lines)


def test_a_sulfonamide_allergy_reaches_the_per_drug_cautions() -> None:
    """Z9a P3: 'start PJP prophylaxis with the first rituximab dose (co-trimoxazole ...)' in
    the dose and caution lines for a sulfonamide-allergic patient."""
    plan = make_plan(**ASYS_ILD, allergies=["sulfonamide"],
                     lab_results=[lab("lymphocytes", 0.6, "10^9/L", None, "2026-11-30")],
                     treatments=[{"therapy": "mycophenolate", "start": "2024-03-01"}])
    texts = [c.text for o in plan.options for c in o.cautions] + [d.text for d in plan.doses]
    named = [t for t in texts if "co-trimoxazole" in t.lower()]
    assert named and all("Sulfonamide allergy recorded" in t for t in named)


def test_the_induction_glucocorticoid_dose_names_the_patients_risks() -> None:
    """Z9a P5: prednisolone 41-60 mg/day worked out for an insulin-treated diabetic with only a
    bare 'Diabetes' caution."""
    plan = make_plan(weight_kg=82, comorbidities={"diabetes": True}, treatments=[])
    gc = next(d for d in plan.doses if d.therapy == "glucocorticoids_oral")
    assert "with diabetes: the lower end and the shortest course" in gc.text


def test_brepocitinib_taken_now_has_a_monitoring_schedule() -> None:
    """Z8d P5: no blood-count, lymphocyte, liver or lipid monitoring for brepocitinib."""
    plan = make_plan(treatments=[{"therapy": "brepocitinib", "start": "2026-03-01"}])
    item = next(m for m in plan.monitoring if m.therapy == "Brepocitinib")
    assert "lymphocytes" in item.text and "lipids" in item.text

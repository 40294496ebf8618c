"""Findings of blind specialist review round Z10 (long-term follow-up, children, diagnostic
puzzles, comorbid adults) fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.reports.careplan import to_markdown
from tests.services.careplan.conftest import do_now, lab, make_plan, withheld

NO_CONCEPTION = {"pregnant": False, "planning_conception": False, "breastfeeding": False}


def test_an_ace_inhibitor_is_switched_before_a_planned_pregnancy() -> None:
    """Z10a P7 (dangerous by omission): ramipril never named while conception was planned."""
    plan = make_plan(other_medicines=["ace_inhibitor_or_arb"],
                     reproduction={"planning_conception": True})
    assert do_now(plan)["ace_inhibitor_or_arb_pregnancy"] == "soon"
    action = next(a for a in plan.do_now if a.kb_entry == "ace_inhibitor_or_arb_pregnancy")
    assert "before conception" in action.text and "aspirin" in action.text


def test_a_fathers_ace_inhibitor_is_no_pregnancy_alarm() -> None:
    plan = make_plan(sex="male", other_medicines=["ace_inhibitor_or_arb"],
                     reproduction={"planning_conception": True})
    assert "ace_inhibitor_or_arb_pregnancy" not in do_now(plan)


def test_a_young_woman_with_osteoporosis_gets_dxa_first_not_bone_drugs_now() -> None:
    """Z10a P1 (dangerous): 'osteoporosis medication now' for a 24-year-old without
    contraception."""
    plan = make_plan(classification={"age_at_onset": 24}, months_since_onset=12,
                     comorbidities={"osteoporosis": True},
                     reproduction={**NO_CONCEPTION, "effective_contraception": False})
    actions = do_now(plan)
    assert "osteoporosis_childbearing_potential" in actions
    assert "osteoporosis_untreated" not in actions
    action = next(a for a in plan.do_now
                  if a.kb_entry == "osteoporosis_childbearing_potential")
    assert "adult DXA" in action.text and "effective contraception" in action.text


def test_rituximab_waits_for_the_neutrophils_when_no_organ_is_threatened() -> None:
    """Z10a P6 (dangerous): rituximab added with neutrophils 1.2 while mycophenolate and
    cyclophosphamide were held."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip"}, months_since_onset=12,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2026-01-01"}],
                     lab_results=[lab("neutrophils", 1.2, "10^9/L", None, "2026-11-28")])
    reason = withheld(plan).get("rituximab", "")
    assert reason.startswith("Neutrophils below 1.5")


def test_rituximab_for_rapidly_progressive_ild_is_cautioned_not_withheld() -> None:
    plan = make_plan(systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     lab_results=[lab("neutrophils", 1.2, "10^9/L", None, "2026-11-28")])
    assert "rituximab" not in withheld(plan)
    rituximab = next(o for o in plan.options if o.therapy == "rituximab")
    assert "rituximab_neutropenia_organ_threatening" in {c.condition for c in rituximab.cautions}


def test_ivig_with_heart_failure_is_not_pre_hydrated() -> None:
    """Z10d P4 (dangerous): EF 35 % with oedema after IVIG, told to 'hydrate before
    infusion'."""
    plan = make_plan(comorbidities={"heart_failure": True},
                     treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2026-06-01"}],
                     lab_results=[lab("egfr", 45, "mL/min/1.73m2", None, "2026-11-20")])
    ivig = next(m for m in plan.monitoring if m.therapy == "Intravenous immunoglobulin")
    assert "hydrate before infusion" not in ivig.text
    text = to_markdown(plan)
    assert "hydrate before infusion" not in text
    assert "hydrate first only without heart failure" in text


def test_dialysis_bone_care_replaces_the_dysphagia_zoledronate_line() -> None:
    """Z10d P5 (dangerous): 'IV zoledronate or denosumab' on haemodialysis."""
    plan = make_plan(organs={"dysphagia": "moderate"}, comorbidities={"dialysis": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    actions = do_now(plan)
    assert "bone_protection_kidney_failure" in actions
    assert "bone_protection_with_dysphagia" not in actions


def test_a_contrast_allergy_reaches_the_contrast_ct() -> None:
    """Z10d P1 (dangerous): an iodinated contrast allergy recorded, an urgent contrast CT
    ordered without a word of it."""
    plan = make_plan(allergies=["iodinated_contrast"])
    assert do_now(plan)["iodinated_contrast_allergy"] == "soon"


HMGCR_PLATEAU: dict[str, Any] = {
    "months_since_onset": 81, "diagnosis": {"subgroup": "imnm"},
    "classification": {"skin": {"heliotrope_rash": False, "gottron_papules": False}},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "antibodies": {"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
    "treatments": [{"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg",
                    "start": "2020-05-10"},
                   {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                    "start": "2020-06-01"}],
    "lab_results": [lab("ck", 1250, "U/L", 200, "2026-05-15"),
                    lab("ck", 1100, "U/L", 200, "2026-11-20"),
                    lab("egfr", 70, "mL/min/1.73m2", None, "2026-11-20")],
    "visits": [{"date": "2026-05-15", "core_set": {"physician_global": 2, "patient_global": 3,
                                                   "mmt8": 140, "mmt_max": 150, "haq": 0.5}},
               {"date": "2026-11-20", "core_set": {"physician_global": 2, "patient_global": 3,
                                                   "mmt8": 141, "mmt_max": 150, "haq": 0.5}}],
}


def test_a_chronic_ck_plateau_with_flat_strength_is_not_reinduced() -> None:
    """Z10a P4 (dangerous): anti-HMGCR IMNM 6.5 years in, CK 1,100-1,250 and MMT-8 140-141/150
    for two years, given prednisolone 46-60 mg/day."""
    plan = make_plan(**HMGCR_PLATEAU)
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert muscle.state == "stable"
    assert "chronic plateau" in muscle.basis[0]
    regimen = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("Oral glucocorticoids" in e for e in regimen.first_choice)


def test_a_falling_strength_is_no_plateau() -> None:
    visits = [dict(v) for v in HMGCR_PLATEAU["visits"]]
    visits[1] = {**visits[1], "core_set": {**visits[1]["core_set"], "mmt8": 132}}
    plan = make_plan(**{**HMGCR_PLATEAU, "visits": visits})
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert not any("chronic plateau" in b for b in muscle.basis)


MAS_CHILD: dict[str, Any] = {
    "date_of_birth": "2015-04-10", "weight_kg": 36, "months_since_onset": 1.5,
    "diagnosis": {"subgroup": "jdm"}, "classification": {"age_at_onset": 11.5},
    "systemic": {"fever": True},
    "lab_results": [lab("ferritin", 9800, "ng/mL", None, "2026-11-30"),
                    lab("platelets", 95, "10^9/L", None, "2026-11-30"),
                    lab("ast", 420, "U/L", 40, "2026-11-30"),
                    lab("neutrophils", 1.2, "10^9/L", None, "2026-11-30")],
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 60,
                    "dose_unit": "mg/day", "start": "2026-11-26"},
                   {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2026-11-26"}],
}


def test_macrophage_activation_is_named_and_treated_not_read_as_infection() -> None:
    """Z10b P8 (two dangerous): JDM with fever, ferritin 9,800, platelets 95 and AST 420 read
    as an infection - glucocorticoids held, pulses 'not now', MAS never named."""
    plan = make_plan(**MAS_CHILD)
    assert do_now(plan)["macrophage_activation_syndrome_suspected"] == "urgent"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Intravenous methylprednisolone pulses for "
                                             "suspected macrophage activation")
    # the pulses are in the approach, so not listed as 'not in the recommended approach'
    assert "Not in the recommended approach now: Intravenous methylprednisolone" not in \
        to_markdown(plan)
    assert not any("during the infection" in e for e in muscle.first_choice)
    assert not any("once the infection is treated" in a for a in muscle.alternatives)


def test_a_recorded_infection_keeps_the_infection_guard_beside_mas() -> None:
    plan = make_plan(**{**MAS_CHILD, "comorbidities": {"active_infection": True}})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("raised, not held" in e for e in muscle.first_choice)


PREGNANT_MILD_FLARE: dict[str, Any] = {
    "date_of_birth": "2009-06-01", "weight_kg": 58, "months_since_onset": 48,
    "diagnosis": {"subgroup": "jdm"}, "classification": {"age_at_onset": 13},
    "reproduction": {"pregnant": True, "gestation_weeks": 7},
    "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2023-01-01"},
                   {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                    "start": "2024-01-01"}],
    "visits": [{"date": "2026-06-01", "core_set": {"physician_global": 1, "patient_global": 2,
                                                   "mmt8": 80, "mmt_max": 80, "cmas": 50,
                                                   "chaq": 0},
                "labs": {"enzymes": {"ck": {"value": 150, "uln": 170}}}},
               {"date": "2026-11-28", "core_set": {"physician_global": 2.5,
                                                   "patient_global": 3, "mmt8": 76,
                                                   "mmt_max": 80, "cmas": 47, "chaq": 0.25},
                "labs": {"enzymes": {"ck": {"value": 240, "uln": 170}}}}],
}


def test_a_mild_flare_is_not_given_the_induction_dose() -> None:
    """Z10b P6 (dangerous): 58-60 mg/day worked out for a mild flare at 7 weeks' gestation."""
    plan = make_plan(**PREGNANT_MILD_FLARE)
    assert do_now(plan).get("flare") == "soon"
    flare = next(a for a in plan.do_now if a.code == "flare")
    assert flare.text.startswith("Mild flare") and "not the induction range" in flare.text
    gc = next(d for d in plan.doses if d.therapy == "glucocorticoids_oral")
    assert gc.text.startswith("a mild flare (physician global 2.5 cm, MMT-8 76/80)")
    assert "14-29 mg/day here" in gc.text


def test_one_mention_per_agent_in_the_approach() -> None:
    plan = make_plan(**PREGNANT_MILD_FLARE)
    for regimen in plan.regimens:
        firsts = [e.lower() for e in regimen.first_choice]
        assert not ("add intravenous immunoglobulin" in firsts and any(
            e.startswith("add intravenous immunoglobulin for") for e in firsts))


def test_hypothyroidism_with_a_statin_and_a_raised_ck_stops_the_statin() -> None:
    """Z10c P1 (dangerous): 'pause the statin (or use a low dose)' at CK 13.8 x ULN."""
    plan = make_plan(other_medicines=["statin"],
                     lab_results=[lab("tsh", 86, "mU/L", 4.5, "2026-11-25"),
                                  lab("free_t4", 4, "pmol/L", None, "2026-11-25")])
    action = next((a for a in plan.do_now if a.kb_entry == "hypothyroidism_with_statin"),
                  None)
    assert action is not None
    assert "with a raised CK or muscle symptoms stop the statin now" in action.text


NO_DM_SKIN = {"heliotrope_rash": False, "gottron_papules": False}
TIF1G_SUBTLE: dict[str, Any] = {
    "classification": {"age_at_onset": 63, "skin": NO_DM_SKIN,
                       "weakness": {"proximal_upper": False, "proximal_lower": False,
                                    "neck_flexors_weaker_than_extensors": True}},
    "skin": {**NO_DM_SKIN, "v_sign_or_shawl_sign": True, "periungual_changes": True},
    "organs": {"dysphagia": "moderate"},
    "antibodies": {"mi2": {"status": "negative"},
                   "tif1g": {"status": "positive", "level": "strong"}},
    "reproduction": {"postmenopausal": True},
}


def test_a_dm_antibody_with_dm_skin_beyond_the_criteria_is_followed_as_dm() -> None:
    """Z10c P8 (dangerous): strong anti-TIF1-gamma with a V-sign and periungual changes left
    unclassified - no treatment, no cancer screening."""
    plan = make_plan(**TIF1G_SUBTLE)
    assert plan.phenotypes == ["dm"]
    assert plan.diagnosis.provisional
    assert any(line.startswith("Dermatomyositis likely (anti-TIF1G with V or shawl sign")
               for line in plan.diagnosis.explanation)
    assert plan.cancer_screening.risk == "high"
    assert plan.options


def test_a_dm_antibody_without_any_skin_sign_stays_unclassified_but_is_screened() -> None:
    """Z10c P8b: the same antibody with no skin sign - cancer screening was withheld."""
    plan = make_plan(**{**TIF1G_SUBTLE, "skin": NO_DM_SKIN})
    assert plan.phenotypes == []
    assert any(t.startswith("enhanced (cancer-associated antibody") for t in
               plan.cancer_screening.tests_due)


def test_the_clinicians_own_label_is_not_overridden_by_the_likely_dm_reading() -> None:
    plan = make_plan(**{**TIF1G_SUBTLE, "diagnosis": {"subgroup": "unclassified"}})
    assert plan.phenotypes == []


def test_polymyalgia_rheumatica_in_the_clinicians_words_brings_pmr_care() -> None:
    """Z10c P2: PMR referred as '?polymyositis' - no PMR care at all."""
    plan = make_plan(diagnosis={"not_myositis": "polymyalgia rheumatica (2012 criteria met)"},
                     antibodies={"mi2": {"status": "negative"}},
                     labs={"enzymes": {"ck": {"value": 48, "uln": 200}}},
                     lab_results=[lab("haemoglobin", 105, "g/L", None, "2026-11-20")])
    actions = do_now(plan)
    assert actions["polymyalgia_rheumatica_care"] == "soon"
    text = next(a.text for a in plan.do_now if a.kb_entry == "polymyalgia_rheumatica_care")
    assert "giant cell arteritis" in text and "12.5-25 mg/day" in text
    assert "anaemia_cancer_flag" not in actions


def test_fibromyalgia_coded_brings_its_own_care_and_no_immunosuppression() -> None:
    plan = make_plan(diagnosis={"not_myositis": "widespread pain", "alternative": "fibromyalgia"},
                     antibodies={"mi2": {"status": "negative"}})
    assert do_now(plan)["fibromyalgia_care"] == "soon"


def test_normal_ck_and_strength_make_myositis_unlikely_with_no_biopsy_list() -> None:
    """Z10c P7: widespread pain, normal CK and strength, weak PL-12 and Ro52 bands - MRI, EMG,
    a metabolic screen, 'refer to a myositis centre' and an ILD warning."""
    plan = make_plan(
        classification={"skin": NO_DM_SKIN, "elevated_muscle_enzymes": False,
                        "weakness": {"proximal_upper": False, "proximal_lower": False}},
        skin=NO_DM_SKIN, labs={"enzymes": {"ck": {"value": 110, "uln": 170}}},
        antibodies={"mi2": {"status": "negative"},
                    "pl12": {"status": "positive", "level": "weak"},
                    "ro52": {"status": "positive", "level": "weak"}},
        antibody_tests=[{"antibody": "pl12", "result": "positive", "method": "line_blot",
                         "level": "weak", "date": "2026-09-14"}])
    actions = do_now(plan)
    assert "myositis_unlikely_normal_ck_and_strength" in actions
    assert "undiagnosed_myopathy_safety" not in actions
    assert "mild_hyperckemia_first" not in actions
    assert plan.workup == [] and plan.diagnosis.mimics_to_exclude == []
    assert not any(f.code == "ild_risk" for f in plan.flags)


def test_antibody_associations_years_on_are_routine() -> None:
    """Z10a P1: 'risk of severe muscle disease' as a 'soon' flag 15 years into JDM."""
    plan = make_plan(months_since_onset=180,
                     antibodies={"mi2": {"status": "negative"},
                                 "nxp2": {"status": "positive"}})
    severe = [f for f in plan.flags if f.code in ("severe_muscle_disease", "calcinosis_risk")]
    assert severe and all(f.urgency == "routine" for f in severe)


def test_breastfeeding_does_not_withhold_ivig_or_a_local_procedure() -> None:
    """Z10d P7: IVIG for calcinosis, lithotripsy and surgery withheld while breastfeeding, with
    'consider stopping breastfeeding'."""
    plan = make_plan(reproduction={"breastfeeding": True, "pregnant": False},
                     skin={"calcinosis": True})
    held = withheld(plan)
    assert not {"ivig_calcinosis", "eswl", "calcinosis_surgery"} & set(held)
    assert not any("consider stopping breastfeeding" in r for r in held.values())


def test_a_child_whose_family_declines_treatment_gets_the_childs_framework() -> None:
    """Z10b P3 and P8: the adult frailty, attorney and delirium text for a toddler."""
    plan = make_plan(date_of_birth="2024-05-01", classification={"age_at_onset": 2},
                     diagnosis={"subgroup": "jdm"}, care_goals={"lacks_capacity": True},
                     preferences={"declines": ["glucocorticoids"]})
    actions = do_now(plan)
    assert "decisions_for_a_child" in actions and "goals_of_care" not in actions
    text = next(a.text for a in plan.do_now if a.kb_entry == "decisions_for_a_child")
    assert "parental responsibility" in text and "IVIG for glucocorticoids" in text


def test_the_oral_dose_after_pulses_in_a_teenager_is_the_jdm_dose() -> None:
    """Z10b P2: 'usually 40-60 mg/day' after pulses for a girl of 15 and 52 kg."""
    plan = make_plan(date_of_birth="2011-08-03", weight_kg=52, diagnosis={"subgroup": "jdm"},
                     classification={"age_at_onset": 15},
                     treatments=[{"therapy": "methylprednisolone_iv_pulse", "dose_value": 1000,
                                  "dose_unit": "mg", "start": "2026-11-29"}])
    entries = [e for r in plan.regimens for e in r.first_choice if "then" in e]
    assert any("1-2 mg/kg/day, maximum 60 mg (52-60 mg/day" in e for e in entries)
    assert not any("usually 40-60 mg/day" in e for e in entries)


def test_tacrolimus_in_remission_with_low_dose_prednisolone_needs_no_cmv_pcr_series() -> None:
    """Z10a P7: CMV PCR every 2-4 weeks on tacrolimus with prednisolone 2.5 mg, 4 years into
    remission."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
                     months_since_onset=50,
                     treatments=[{"therapy": "tacrolimus", "start": "2022-10-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 2.5,
                                  "dose_unit": "mg/day", "start": "2022-10-01"}])
    assert "cmv_monitoring_anti_mda5_combination" not in do_now(plan)
    induction = make_plan(antibodies={"mi2": {"status": "negative"},
                                      "mda5": {"status": "positive"}},
                          treatments=[{"therapy": "tacrolimus", "start": "2026-10-01"},
                                      {"therapy": "glucocorticoids_oral", "dose_value": 40,
                                       "dose_unit": "mg/day", "start": "2026-10-01"}])
    assert "cmv_monitoring_anti_mda5_combination" in do_now(induction)


def test_a_working_tacrolimus_with_hypertension_is_kept_before_a_pregnancy() -> None:
    """Z10a P7: 'prefer another steroid-sparing agent' for the tacrolimus holding anti-MDA5
    disease before a planned pregnancy."""
    plan = make_plan(comorbidities={"hypertension": True},
                     reproduction={"planning_conception": True},
                     treatments=[{"therapy": "tacrolimus", "start": "2022-10-01"}])
    texts = " ".join(a.text for a in plan.do_now)
    assert "keep it" in texts and "labetalol or nifedipine" in texts
    assert "prefer another steroid-sparing agent" not in texts


def test_a_thrombosis_stops_the_jak_inhibitor_without_a_usually_continued_line() -> None:
    """Z10a P8: 'usually continued, never stopped without a replacement plan' beside 'Stop
    tofacitinib' after a DVT."""
    plan = make_plan(classification={"age_at_onset": 66}, months_since_onset=150,
                     comorbidities={"thrombosis_history": True,
                                    "last_thrombosis": "2026-08-15", "hypertension": True},
                     treatments=[{"therapy": "tofacitinib", "start": "2024-01-01"}])
    texts = " ".join(a.text for a in plan.do_now)
    assert "usually continued" not in texts


def test_corticotropin_does_not_lead_beside_glucocorticoid_risks() -> None:
    plan = make_plan(comorbidities={"hypertension": True}, diagnosis={"subgroup": "adm"},
                     classification={"weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "elevated_muscle_enzymes": False},
                     labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     skin={"heliotrope_rash": True, "gottron_papules": True},
                     months_since_onset=60, skin_refractory=True,
                     treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01"},
                                 {"therapy": "methotrexate", "start": "2022-01-01",
                                  "reason_stopped": "inefficacy", "stop": "2023-01-01"},
                                 {"therapy": "mycophenolate", "start": "2023-01-01",
                                  "reason_stopped": "inefficacy", "stop": "2024-01-01"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert not any(e.startswith("Repository corticotropin") for e in skin.first_choice)
    corticotropin = next(o for o in plan.options if o.therapy == "repository_corticotropin")
    assert "corticotropin_with_glucocorticoid_risks" in {c.condition
                                                         for c in corticotropin.cautions}


def test_no_pjp_line_for_an_induction_dose_a_scleroderma_overlap_never_gets() -> None:
    """Z10d P6: 'PJP prophylaxis with the induction glucocorticoids (above 15 mg/day...)' at 5
    mg/day in a scleroderma overlap whose glucocorticoid is capped at 15."""
    plan = make_plan(organs={"sclerodactyly": True},
                     diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]})
    assert "pjp_prophylaxis_with_induction" not in do_now(plan)


def test_five_days_of_steroids_do_not_make_a_fever_pneumocystis() -> None:
    """Z10d P3: treatment-dose co-trimoxazole after 5 days of glucocorticoids."""
    base: dict[str, Any] = {
        "systemic": {"fever": True, "interstitial_lung_disease": True,
                     "rapidly_progressive_ild_suspected": True},
        "lung": {"course": "rapidly_progressive", "oxygen": "at_rest"},
    }
    early = make_plan(**base, treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                           "dose_unit": "mg/day", "start": "2026-11-26"}])
    assert "pjp_pneumonia_suspected" not in do_now(early)
    weeks = make_plan(**base, treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                           "dose_unit": "mg/day", "start": "2026-10-01"}])
    assert "pjp_pneumonia_suspected" in do_now(weeks)


def test_an_antibody_already_on_record_is_named_where_the_plan_asks_for_it() -> None:
    """Z10c P5: 'ask for anti-cN1A' with anti-cN1A already positive."""
    no_skin = {"heliotrope_rash": False, "gottron_papules": False}
    plan = make_plan(classification={"age_at_onset": 63, "skin": no_skin,
                                     "biopsy": {"endomysial_infiltrate": True,
                                                "rimmed_vacuoles": True}},
                     months_since_onset=54, diagnosis={"subgroup": "pm"},
                     antibodies={"mi2": {"status": "negative"}, "cn1a": {"status": "positive"}},
                     skin=no_skin,
                     ibm_pattern={"knee_extension_weaker_or_equal_hip_flexion": True,
                                  "finger_flexion_weaker_than_shoulder_abduction": True,
                                  "weakness_duration_months": 54},
                     labs={"enzymes": {"ck": {"value": 800, "uln": 200}}},
                     biopsy={"rimmed_vacuoles": True, "endomysial_infiltrate": True,
                             "invasion_of_non_necrotic_fibres": True,
                             "mhc1_upregulation": True, "protein_aggregates": True})
    action = next(a for a in plan.do_now if a.kb_entry == "ibm_criteria_met_against_diagnosis")
    assert "On record: anti-cN1A positive" in action.text


def test_a_failed_ivig_is_not_offered_or_dosed_again_for_calcinosis() -> None:
    """Z10b P4: IVIG ineffective after 18 months, then 'IVIG for calcinosis' and a 56 g dose."""
    plan = make_plan(date_of_birth="2016-05-01", weight_kg=28, diagnosis={"subgroup": "jdm"},
                     classification={"age_at_onset": 7}, months_since_onset=36,
                     skin={"heliotrope_rash": True, "gottron_papules": True, "calcinosis": True},
                     organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": 20,
                                                     "ulcerated": True}]},
                     treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2024-03-01", "stop": "2025-09-01",
                                  "reason_stopped": "inefficacy"}])
    calcinosis = next(r for r in plan.regimens if r.domain == "calcinosis")
    assert not any("Intravenous immunoglobulin" in e
                   for e in (*calcinosis.first_choice, *calcinosis.alternatives))
    assert "ivig" not in {d.therapy for d in plan.doses}

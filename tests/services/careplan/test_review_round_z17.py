"""Specialist review round Z17 (SYNTHETIC patients): long-term follow-up, reproduction and
overlap, paediatric JDM and the neuromuscular clinic."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import lab, make_plan


def approach(plan: Any, domain: str | None = None) -> str:
    return " ".join(e for r in plan.regimens if domain in (None, r.domain)
                    for e in (*r.first_choice, *r.alternatives))


def test_pregnancy_never_restores_a_missed_teratogen() -> None:
    """Z17b P6 (dangerous): 'Restore Methotrexate at the full dose' for a 17-year-old at seven
    weeks' gestation whose methotrexate doses had been missed."""
    plan = make_plan(date_of_birth="2009-03-15", weight_kg=52,
                     reproduction={"pregnant": True, "gestation_weeks": 7},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2023-09-10",
                                  "adherence": "partial"}])
    assert "Restore Methotrexate" not in approach(plan)
    assert "doses_missed_before_escalation" not in {a.code for a in plan.do_now}
    assert "methotrexate" in {w.therapy for w in plan.withheld}


def test_a_pregnancy_compatible_drug_is_held_not_stopped_for_a_low_count_before_conception() -> None:
    """Z17b P8 (dangerous): 'Stop Azathioprine ... in sustained remission, stop without a
    replacement' at white cells 3.4 in a woman planning IVF."""
    plan = make_plan(date_of_birth="1983-06-01", weight_kg=70,
                     reproduction={"planning_conception": True, "pregnant": False},
                     lab_results=[lab("wbc", 3.4, "10^9/L"), lab("egfr", 90, "mL/min/1.73m2")],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     visits=[{"date": "2026-11-15",
                              "core_set": {"physician_global": 1, "mmt8": 79, "mmt_max": 80}}],
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2020-01-10",
                                  "response": "complete"}])
    said = approach(plan)
    assert "Stop Azathioprine" not in said
    assert "Hold Azathioprine" in said and "restart at a reduced dose" in said


def test_an_infected_calcinosis_ulcer_off_treatment_is_acted_on() -> None:
    """Z17a P4 (dangerous): 'Do now - nothing urgent' for an infected olecranon calcinosis ulcer
    (CRP 38) in a man off all drugs for five years."""
    plan = make_plan(treatments=[], labs={"enzymes": {"ck": {"value": 130, "uln": 200}}},
                     comorbidities={"active_infection": True,
                                    "infection_focus": "skin_soft_tissue"},
                     organs={"calcinosis_lesions": [{"site": "elbow", "size_mm": 35,
                                                     "ulcerated": True}]},
                     allergies=["penicillin"])
    line = next(a for a in plan.do_now if a.code == "skin_infection_off_immunosuppression")
    assert line.urgency in ("urgent", "soon") and "osteomyelitis" in line.text


def test_any_recorded_infection_gets_a_line_even_without_a_drug_change() -> None:
    """Z17a P4: a recorded infection produced no action when no drug change was planned."""
    plan = make_plan(treatments=[], comorbidities={"active_infection": True,
                                                   "infection_focus": "urinary"})
    assert "active_infection_recorded" in {a.code for a in plan.do_now}


def test_rituximab_is_not_continued_beside_a_low_igg_with_infections() -> None:
    """Z17a P3 (dangerous): 'Continue Rituximab (taken now)' as the headline beside the plan's
    own urgent line for IgG 3.8 g/L with recurrent pneumonia."""
    plan = make_plan(diagnosis={"subgroup": "imnm"},
                     antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     comorbidities={"recurrent_infections": True},
                     lab_results=[lab("igg", 3.8, "g/L"), lab("egfr", 100, "mL/min/1.73m2")],
                     labs={"enzymes": {"ck": {"value": 910, "uln": 200}}},
                     visits=[{"date": d, "core_set": {"physician_global": 2, "mmt8": 66,
                                                      "mmt_max": 80},
                              "glucocorticoid_mg_per_day": 5}
                             for d in ("2025-11-05", "2026-05-05", "2026-11-05")],
                     reproduction={"planning_conception": True, "pregnant": False},
                     treatments=[{"therapy": "rituximab", "dose_value": 1000, "dose_unit": "mg",
                                  "start": "2021-07-01", "response": "partial"},
                                 {"therapy": "methotrexate", "start": "2020-11-15",
                                  "stop": "2021-06-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "ivig", "start": "2021-01-10", "stop": "2022-01-10",
                                  "reason_stopped": "other", "response": "partial"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2020-11-01",
                                  "response": "partial"}])
    said = approach(plan)
    assert "Continue Rituximab" not in said
    assert "Hold Rituximab" in said or "Review Rituximab" in said


def test_a_stable_lung_in_long_remission_does_not_force_a_replacement() -> None:
    """Z17a P8 (dangerous): 'switch to a steroid-sparing agent' when methotrexate stopped at
    eGFR 16 in a frail 84-year-old whose muscle had been in remission for years."""
    remission = [{"date": d, "core_set": {"physician_global": 0.5, "mmt8": 78, "mmt_max": 80}}
                 for d in ("2025-11-10", "2026-05-10", "2026-11-10")]
    plan = make_plan(date_of_birth="1942-03-01", weight_kg=52, months_since_onset=216,
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip",
                           "fvc_percent_predicted": 80},
                     labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     lab_results=[lab("egfr", 16, "mL/min/1.73m2")], visits=remission,
                     care_goals={"frailty_scale": 6},
                     treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                  "dose_unit": "mg/week", "start": "2012-01-01"}])
    changes = approach(plan, "treatment changes")
    assert "Stop Methotrexate" in changes
    assert "stop without a replacement" in changes and "FVC and DLCO" in changes


def test_no_calcineurin_inhibitor_or_oral_agent_with_jdm_gut_bleeding_and_kidney_injury() -> None:
    """Z17c P5 (dangerous): ciclosporin first choice and 'switch to mycophenolate' for a
    6-year-old with melaena, creatinine 35 to 95 and potassium 5.4."""
    plan = make_plan(date_of_birth="2020-09-10", weight_kg=20, height_cm=115,
                     diagnosis={"subgroup": "jdm"},
                     skin={"cutaneous_ulceration": True},
                     organs={"gut_symptoms": True, "gi_bleeding": True},
                     lab_results=[lab("creatinine", 35, "umol/L", date="2026-11-10"),
                                  lab("creatinine", 95, "umol/L", date="2026-12-01"),
                                  lab("potassium", 5.4, "mmol/L", date="2026-12-01")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-08-02"},
                                 {"therapy": "methotrexate", "dose_value": 12,
                                  "dose_unit": "mg/week", "start": "2026-08-05"}])
    held = {w.therapy for w in plan.withheld}
    assert {"ciclosporin", "mycophenolate"} <= held
    said = approach(plan)
    assert "Ciclosporin" not in said and "Mycophenolate" not in said
    # the rescue is named: IVIG with the renal precautions since review Z37c (it was IV
    # cyclophosphamide while the kidney injury withheld IVIG)
    muscle = approach(plan, "muscle")
    assert "Intravenous immunoglobulin" in muscle or "IV cyclophosphamide" in muscle
    assert "jdm_gut_vasculopathy_warning" not in {a.code for a in plan.do_now}


def test_a_calcineurin_inhibitor_is_not_started_in_an_adult_kidney_injury() -> None:
    """Z17c P5, the adult case: no new ciclosporin or tacrolimus with creatinine up by half."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     lab_results=[lab("creatinine", 70, "umol/L", date="2026-10-01"),
                                  lab("creatinine", 120, "umol/L", date="2026-11-25")])
    assert {"ciclosporin", "tacrolimus"} <= {w.therapy for w in plan.withheld}
    assert "Tacrolimus" not in approach(plan)


def test_a_teenagers_pregnancy_test_does_not_depend_on_what_she_reports() -> None:
    """Z17c P2 (dangerous): 'a pregnancy test and contraception only if she is sexually
    active' before cyclophosphamide in a 14-year-old."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.id == "teratogen_adolescent_counselling")
    assert "only if she is sexually active" not in rule.text
    assert "whatever she reports" in rule.text


def test_a_statin_is_not_restarted_automatically_after_hypothyroidism() -> None:
    """Z17d P8 (dangerous): 'restarted once the thyroid is treated' whatever the CK and the
    anti-HMGCR result."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.id == "hypothyroid_myopathy_care")
    assert "restarted once the thyroid is treated" not in rule.text
    assert "anti-HMGCR is negative" in rule.text


def test_a_weak_blot_band_does_not_meet_the_imnm_criteria() -> None:
    """Z17d P7 (dangerous): 'ENMC 224 IMNM: met, anti-HMGCR myopathy' on a weak line-blot band
    in a 9-year-old with a probable dystrophy."""
    plan = make_plan(date_of_birth="2017-05-02", weight_kg=28,
                     diagnosis={"subgroup": "unclassified"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"age_at_onset": 7, "skin": {"heliotrope_rash": False,
                                                                 "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}},
                     antibody_tests=[{"antibody": "hmgcr", "result": "positive",
                                      "method": "line_blot", "level": "weak",
                                      "date": "2026-11-10"}],
                     labs={"enzymes": {"ck": {"value": 15000, "uln": 250}}})
    imnm = next(c for c in plan.diagnosis.criteria if c.criteria == "ENMC 224 IMNM")
    assert imnm.met is None and "weak line-blot band" in " ".join(imnm.reasons)


def test_antisynthetase_criteria_are_undecided_with_only_anti_jo1_tested() -> None:
    """Z17d P5: Solomon and Connors 'not met' when only anti-Jo-1 had been tested."""
    from myositis.services.careplan.diagnosis import asys_input
    from tests.services.careplan.conftest import make_record
    record = make_record(antibodies={"jo1": {"status": "negative"}},
                         skin={"mechanics_hands": True})
    assert asys_input(record).anti_synthetase is None
    full = make_record(antibodies={a: {"status": "negative"} for a in ("jo1", "pl7", "pl12")})
    assert asys_input(full).anti_synthetase is False


def test_imnm_in_pregnancy_does_not_send_to_rituximab_next() -> None:
    """Z17d P3: 'not improving by 6 months: escalate - rituximab next' at 20 weeks."""
    plan = make_plan(diagnosis={"subgroup": "imnm"},
                     antibodies={"mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     necrotising_biopsy=True,
                     reproduction={"pregnant": True, "gestation_weeks": 20},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert "rituximab next" not in muscle.decision_point
    assert "IMNM in pregnancy" in muscle.decision_point


def test_skin_signs_recorded_once_count_in_the_classification() -> None:
    """Z17c: 'EULAR/ACR 2017: biopsy required, score 0.0' for confirmed JDM with Gottron's
    papules recorded under the skin findings only."""
    plan = make_plan(classification={"age_at_onset": 50, "skin": {"heliotrope_rash": False,
                                                                  "gottron_papules": False}},
                     skin={"heliotrope_rash": False, "gottron_papules": True})
    assert plan.classification.category != "biopsy_required"
    assert plan.classification.score >= 2.1


def test_a_cancer_flag_years_after_onset_is_routine() -> None:
    """Z17a P1 and P4: 'soon' anti-TIF1-gamma and anti-NXP2 cancer flags 4 and 12 years on."""
    late = make_plan(months_since_onset=50, antibodies={"mi2": {"status": "negative"},
                                                        "tif1g": {"status": "positive"}})
    flag = next(f for f in late.flags if f.code == "cancer_risk")
    assert flag.urgency == "routine" and "past the 3-year screening window" in flag.text
    early = make_plan(antibodies={"mi2": {"status": "negative"},
                                  "tif1g": {"status": "positive"}})
    assert next(f for f in early.flags if f.code == "cancer_risk").urgency == "soon"


def test_conception_cautions_skip_an_operation() -> None:
    """Z17a P6: 'plan to stop before conception' attached to surgical excision of calcinosis."""
    plan = make_plan(skin={"calcinosis": True},
                     reproduction={"planning_conception": True, "pregnant": False})
    for option in plan.options:
        if option.therapy == "calcinosis_surgery":
            assert "conception_no_data" not in {c.condition for c in option.cautions}


def test_a_measles_contact_on_treatment_is_urgent() -> None:
    """Z17c P4: a classroom measles contact 3 days ago in a child on methotrexate, one MMR."""
    plan = make_plan(date_of_birth="2017-03-01", weight_kg=30,
                     infection_screening={"measles_exposure": "2026-11-28"},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-01-01"}])
    line = next(a for a in plan.do_now if a.code == "measles_exposure_immunosuppressed")
    assert line.urgency == "urgent" and "measles IgG today" in line.text
    assert "measles_exposure_immunosuppressed" not in {
        a.code for a in make_plan(infection_screening={"measles_exposure": "2026-09-01"}).do_now}


def test_a_child_is_not_given_the_adult_pjp_threshold() -> None:
    """Z17c P1, P6, P8: '>15-30 mg/day prednisolone' quoted for a 13 kg child."""
    plan = make_plan(date_of_birth="2024-06-01", weight_kg=13, diagnosis={"subgroup": "jdm"})
    pjp = [c for c in plan.shared_checks if c.id == "pjp_prophylaxis"]
    assert pjp and pjp[0].text.startswith("In a child the adult thresholds")
    adult = [c for c in make_plan().shared_checks if c.id == "pjp_prophylaxis"]
    assert adult and adult[0].text.startswith("Prophylaxis against Pneumocystis")


def test_a_previous_child_with_heart_block_brings_hydroxychloroquine_by_week_10() -> None:
    """Z17b P8: a previous paced child, anti-Ro positive, planning IVF - no recurrence figure
    and hydroxychloroquine only 'conditionally recommended'."""
    plan = make_plan(antibodies={"ro52": {"status": "positive"}},
                     reproduction={"planning_conception": True, "pregnant": False,
                                   "previous_neonatal_lupus": True})
    line = next(a for a in plan.do_now if a.code == "anti_ro_previous_heart_block")
    assert "18 %" in line.text and "week 10" in line.text
    assert "izmirly2020_patch_hcq_chb" in line.citations


def test_pulmonary_hypertension_in_late_pregnancy_is_discussed_today() -> None:
    """Z17b P5: 'refer this week' and 'the option of ending the pregnancy' at 30 weeks."""
    plan = make_plan(organs={"pulmonary_hypertension": "suspected"},
                     reproduction={"pregnant": True, "gestation_weeks": 30})
    line = next(a for a in plan.do_now if a.code == "pulmonary_hypertension_suspected_pregnant")
    assert "discuss today" in line.text and "timing of a planned early delivery" in line.text


def test_a_years_plateau_is_imaged_before_escalation() -> None:
    """Z17a P3: a steady CK of about 900 and MMT-8 66/80 for a year read as refractory."""
    visits = [{"date": d, "core_set": {"physician_global": 2, "mmt8": 66, "mmt_max": 80},
               "glucocorticoid_mg_per_day": 7.5}
              for d in ("2025-11-05", "2026-05-05", "2026-11-05")]
    plan = make_plan(months_since_onset=40, visits=visits,
                     lab_results=[lab("ck", 950, "U/L", 200, "2025-11-01"),
                                  lab("ck", 880, "U/L", 200, "2026-05-01"),
                                  lab("ck", 910, "U/L", 200, "2026-11-01"),
                                  lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2023-09-01",
                                  "response": "partial"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2023-08-01",
                                  "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "inadequate_response"
    assert muscle.first_choice[0].startswith("A plateau, not yet a failure")
    assert muscle.alternatives[0].startswith("if the MRI shows active myositis")


def test_adult_bone_drugs_are_not_offered_to_a_child_or_a_breastfeeding_mother() -> None:
    """Z17c P5 and Z17b P3: denosumab or an anabolic agent 'given, not deferred' for a
    6-year-old and for a breastfeeding mother, beside their own 'no denosumab' lines."""
    low_kidney = [lab("egfr", 35, "mL/min/1.73m2")]
    child = make_plan(date_of_birth="2020-09-10", weight_kg=20, lab_results=low_kidney,
                      treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                   "dose_unit": "mg/day", "start": "2026-08-02"}])
    mother = make_plan(lab_results=low_kidney, reproduction={"breastfeeding": True,
                                                             "pregnant": False},
                       treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                    "dose_unit": "mg/day", "start": "2026-08-02"}])
    adult = make_plan(lab_results=low_kidney,
                      treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                   "dose_unit": "mg/day", "start": "2026-08-02"}])
    assert "bone_medication_kidney" not in {a.code for a in child.do_now}
    assert "bone_medication_kidney" not in {a.code for a in mother.do_now}
    assert "bone_medication_kidney" in {a.code for a in adult.do_now}


def test_macrophage_activation_is_an_admission() -> None:
    """Z17c P6: 'same-day review' for MAS with fibrinogen 1.2, platelets 95 and drowsiness."""
    from myositis.knowledge import load
    rule = load().rule("macrophage_activation_syndrome_suspected")
    assert "admit today" in rule.text and "bone marrow" in rule.text


def test_one_negative_antibody_is_not_a_panel() -> None:
    """Z17d P5: suspected antisynthetase syndrome with only anti-Jo-1 tested; no panel asked."""
    untested = {a: {"status": "not_tested"} for a in ("mi2", "tif1g", "mda5", "nxp2", "sae")}
    plan = make_plan(antibodies={**untested, "jo1": {"status": "negative"}},
                     workup_done=["muscle_enzymes", "mri_emg"],
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "mechanics_hands": True},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}})
    assert "antibody_panel" in {w.code for w in plan.workup}


def test_an_organ_threat_says_admit_or_transfer_first() -> None:
    """Z17d P2 and Z16a: admission for severe anti-SRP disease (dysphagia, respiratory-muscle
    weakness) was implied, never stated; district clinics asked for an explicit line."""
    plan = make_plan(organs={"respiratory_muscle_weakness": True, "dysphagia": "severe"})
    urgent = [a for a in plan.do_now if a.urgency == "urgent"]
    assert urgent[0].code == "organ_threatening_admit"
    assert "admit today" in urgent[0].text and "transfer" in urgent[0].text
    comfort = make_plan(organs={"respiratory_muscle_weakness": True},
                        care_goals={"treatment_ceiling": "comfort"})
    assert "organ_threatening_admit" not in {a.code for a in comfort.do_now}
    assert "organ_threatening_admit" not in {a.code for a in make_plan().do_now}


def test_a_raised_ck_in_the_results_counts_in_the_classification() -> None:
    """Re-score of Z17c: 'EULAR/ACR 2017: not iim' for JDM whose raised CK was only in the
    dated results; the header says the verdict is on the items recorded."""
    from myositis.reports import to_markdown
    plan = make_plan(classification={"age_at_onset": 50, "elevated_muscle_enzymes": False},
                     lab_results=[lab("ck", 900, "U/L", 200), lab("egfr", 90, "mL/min/1.73m2")])
    assert plan.classification.category in ("probable", "definite")
    bare = make_plan(classification={"age_at_onset": 50, "elevated_muscle_enzymes": False,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     labs={}, lab_results=[lab("egfr", 90, "mL/min/1.73m2")])
    assert "on the items recorded" in to_markdown(bare).split("## Detail")[0]


def test_no_keep_it_line_for_a_calcineurin_inhibitor_while_the_kidney_falls() -> None:
    """Re-score of Z17a P7: 'on a calcineurin inhibitor that is working: keep it' beside the
    plan's own line on a 45 % eGFR fall."""
    plan = make_plan(comorbidities={"hypertension": True},
                     lab_results=[lab("egfr", 82, "mL/min/1.73m2", date="2023-11-01"),
                                  lab("egfr", 45, "mL/min/1.73m2"),
                                  lab("potassium", 5.4, "mmol/L")],
                     treatments=[{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                                  "start": "2023-01-01"}])
    texts = [a.text for a in plan.do_now] + [c.text for o in plan.options for c in o.cautions]
    assert not any("keep it if it is working" in t for t in texts)


def test_ivig_carries_the_volume_warning_in_pulmonary_hypertension() -> None:
    """Re-score of Z17b P5: IVIG 'for a significant flare' with suspected pulmonary
    hypertension and a dilated right ventricle, without the volume-load warning."""
    from myositis.knowledge import load
    rule = load().rule("ivig_heart_failure")
    assert "pulmonary hypertension" in rule.text
    plan = make_plan(organs={"pulmonary_hypertension": "suspected"}, persistent_high_activity=True,
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2025-01-01"}])
    ivig = [o for o in plan.options if o.therapy == "ivig"]
    assert ivig and "ivig_heart_failure" in {c.condition for c in ivig[0].cautions}

"""Specialist review U (December 2026): overlap myositis and rare antibodies (U1), shared care
and remote follow-up (U2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan

CHICKENPOX_CONTACT: dict[str, Any] = {
    "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
    "tb_test": {"result": "negative"}, "hcv": {"result": "negative"},
    "vzv_igg": {"result": "negative"}, "varicella_exposure": "2026-11-27"}


def _jdm_flare(**more: Any) -> Any:
    visits = [{"date": d, "glucocorticoid_mg_per_day": 7.5,
               "core_set": {"physician_global": pg, "patient_global": pg,
                            "extramuscular_global": pg, "cmas": cmas, "chaq": 0.5}}
              for d, pg, cmas in (("2026-09-01", 2, 44), ("2026-11-28", 5, 36))]
    return make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 8},
                     date_of_birth="2015-06-01", weight_kg=32, months_since_onset=38,
                     visits=visits, infection_screening=CHICKENPOX_CONTACT,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2023-10-01"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/m2/week", "start": "2023-10-01"}], **more)


def test_no_escalation_during_a_chickenpox_incubation() -> None:
    """U1 P4 and U2 P8 (dangerous): a glucocorticoid rise, pulses and mycophenolate for
    seronegative children 1-4 days after a household chickenpox contact."""
    plan = _jdm_flare()
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Chickenpox or shingles contact")
    assert not any(e.startswith(("raise prednisolone", "add ")) or "pulses" in e
                   for e in muscle.first_choice)
    assert any(a.startswith("after the chickenpox incubation period") for a in
               muscle.alternatives)
    skin = next((r for r in plan.regimens if r.domain == "skin"), None)
    assert skin is None or not skin.first_choice[0].startswith("Chickenpox")
    assert "varicella_exposure_susceptible" in do_now(plan)


def test_a_threatened_organ_is_treated_through_the_incubation() -> None:
    plan = _jdm_flare(organs={"dysphagia": "severe"})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("goes ahead with the antiviral prophylaxis" in e for e in muscle.first_choice)
    assert not muscle.first_choice[0].startswith("Chickenpox")


def test_no_heparin_advice_with_platelets_of_42_after_a_delivery() -> None:
    """U1 P3 (dangerous): 'prophylactic LMWH as the obstetric team advises' 9 weeks after a
    delivery with platelets 42 and falling; and no 'methotrexate toxicity' line for a woman on
    azathioprine with co-trimoxazole (wrong)."""
    plan = make_plan(sex="female", reproduction={"delivered_on": "2026-10-01",
                                                 "breastfeeding": True},
                     other_medicines=["co_trimoxazole"],
                     lab_results=[lab("platelets", 42, "10^9/L"),
                                  lab("neutrophils", 0.9, "10^9/L")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 150,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    said = {a.code: a.text for a in plan.do_now}
    assert "postpartum_low_platelets" in said and "postpartum_care" not in said
    assert "no low-molecular-weight heparin below 50" in said["postpartum_low_platelets"]
    assert "methotrexate_trimethoprim_toxicity" not in said


def _ild_on_mycophenolate(assessed: str = "2025-10-01") -> Any:
    return make_plan(months_since_onset=48, antibodies={"jo1": {"status": "positive"}},
                     diagnosis={"subgroup": "asys"},
                     systemic={"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
                     lung={"date": assessed, "fvc_percent_predicted": 78,
                           "hrct_pattern": "nsip", "course": "stable"},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2023-01-10"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2022-11-15"}])


def test_new_breathlessness_is_not_read_as_a_stable_lung() -> None:
    """U2 P1 (dangerous): new breathlessness on mycophenolate called 'stable' from lung
    function 14 months old; nothing in Do now."""
    plan = _ild_on_mycophenolate()
    assert plan.state is not None and plan.state.of("lung") == "active"
    assert "ild_new_chest_symptoms" in do_now(plan)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.startswith("Reassess the lung within days") for e in lung.first_choice)
    assert not any("Mycophenolate" in a or "Azathioprine" in a for a in lung.alternatives)
    # assessed a month ago and stable: the symptom is known, no urgent line
    recent = _ild_on_mycophenolate("2026-11-01")
    assert "ild_new_chest_symptoms" not in do_now(recent)


def test_a_remote_review_on_old_results_assesses_the_muscle_before_changing_it() -> None:
    """U2 P5 (dangerous): 'add prednisolone 39-60 mg/day' and 'raise methotrexate' for a man on
    methotrexate whose last CK and bloods were 6.5 months old, with no examination."""
    plan = make_plan(months_since_onset=170, labs={"enzymes": {"ck": {
                         "value": 320, "uln": 200, "date": "2026-05-20"}}},
                     lab_results=[lab("ck", 320, "U/L", 200, "2026-05-20")],
                     visits=[{"date": "2026-12-01", "core_set": {}}],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "route": "sc",
                                  "start": "2015-01-01"}])
    assert plan.state is not None and plan.state.of("muscle") == "unknown"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Assess the muscle now")
    assert not any("raise" in e or e.startswith("add ") for e in muscle.first_choice)


def test_a_halving_ck_without_a_strength_score_is_improving_and_gets_no_glucocorticoid() -> None:
    """U2 P4 (dangerous): 'add prednisolone 44-60 mg/day' for a diabetic man with anti-HMGCR on
    IVIG and methotrexate whose CK fell 6000, 1400, 520 (no strength recorded); methotrexate
    above the kidney ceiling is 'lower', not 'optimise' (U1 P5, wrong)."""
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}},
                     diagnosis={"subgroup": "imnm"}, months_since_onset=20, weight_kg=88,
                     labs={"enzymes": {"ck": {"value": 520, "uln": 200,
                                              "date": "2026-10-15"}}},
                     lab_results=[lab("ck", 6000, "U/L", 200, "2025-04-15"),
                                  lab("ck", 1400, "U/L", 200, "2026-02-10"),
                                  lab("ck", 520, "U/L", 200, "2026-10-15"),
                                  lab("egfr", 38, "mL/min/1.73m2", None, "2026-10-15")],
                     comorbidities={"diabetes": True},
                     treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2025-05-01"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-06-01"},
                                 {"therapy": "glucocorticoids_oral", "start": "2025-04-20",
                                  "stop": "2026-04-01", "outcome": "effective"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("glucocorticoid" in e.lower() and e.startswith("add ")
                   for e in muscle.first_choice)
    assert not any(e.startswith(("Continue and optimise", "Optimise")) for e in
                   muscle.first_choice)
    assert any(e.startswith("Continue Methotrexate") and "lower the dose" in e
               for e in muscle.first_choice)
    # no induction glucocorticoid, so no co-trimoxazole beside methotrexate at eGFR 38 (U2 W3)
    assert "pjp_prophylaxis_with_induction" not in do_now(plan)
    assert "co_trimoxazole_advised_with_methotrexate_taken" not in do_now(plan)


def test_no_pjp_line_for_induction_glucocorticoids_the_patient_declined() -> None:
    """U1 P8 (wrong): 'PJP prophylaxis with the induction glucocorticoids' for a woman who
    declines glucocorticoids."""
    plan = make_plan(preferences={"declines": ["glucocorticoids"]})
    assert "pjp_prophylaxis_with_induction" not in do_now(plan)
    assert "pjp_prophylaxis_with_induction" in do_now(make_plan())


def test_a_lupus_overlap_with_anti_ku_is_not_a_scleroderma_overlap() -> None:
    """U1 P3 (wrong): anti-Ku read as scleroderma overlap ('taper towards 15 mg/day') in a
    lupus overlap with cytopenias; the clinician's overlap diagnosis outranks the antibody."""
    ku = {"ku": {"status": "positive"}}
    lupus = make_plan(antibodies=ku, diagnosis={"subgroup": "overlap", "overlap_with": ["sle"]})
    scleroderma = make_plan(antibodies=ku, diagnosis={"subgroup": "overlap"})
    assert lupus.state is not None
    said = {a.code for a in lupus.do_now} | {f.code for f in lupus.flags}
    unsaid = {a.code for a in scleroderma.do_now} | {f.code for f in scleroderma.flags}
    assert not any("scleroderma" in c or "ssc" in c for c in said)
    assert any("scleroderma" in c or "ssc" in c for c in unsaid)


def test_early_rituximab_for_anti_srp_takes_no_conventional_agent_beside_it() -> None:
    """U1 P6 (wrong): rituximab, IVIG, 'add methotrexate' and pulses listed twice for anti-SRP
    necrotising myopathy with myocarditis and severe dysphagia, three weeks after pulses."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 60,
               "core_set": {"physician_global": 8, "mmt8": m, "mmt_max": 80}}
              for d, m in (("2026-11-08", 44), ("2026-11-28", 42))]
    plan = make_plan(antibodies={"srp": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     months_since_onset=2, weight_kg=80, visits=visits,
                     organs={"dysphagia": "severe", "cardiac": "confirmed"},
                     labs={"enzymes": {"ck": {"value": 14500, "uln": 200}}},
                     lab_results=[lab("troponin_i", 420, "ng/L", 40)],
                     treatments=[{"therapy": "methylprednisolone_iv_pulse", "dose_value": 1,
                                  "dose_unit": "g/day", "start": "2026-11-05",
                                  "stop": "2026-11-07", "outcome": "effective"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-08",
                                  "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Rituximab") for e in muscle.first_choice)
    assert not any(e.startswith("add Methotrexate") for e in muscle.first_choice)
    pulses = [e for e in muscle.first_choice if "methylprednisolone pulses" in e]
    assert len(pulses) <= 1


def test_cancer_red_flags_in_an_unstable_patient_ask_for_ct_now_and_endoscopy_later() -> None:
    """U1 P6 (wrong): urgent sedated endoscopy for weight loss beside severe dysphagia, a low
    FVC and active myocarditis."""
    plan = make_plan(cancer={"red_flags": ["weight_loss"]},
                     organs={"dysphagia": "severe", "cardiac": "confirmed"})
    said = do_now(plan)
    assert "cancer_red_flags_while_unstable" in said and "cancer_red_flags" not in said
    assert "cancer_red_flags" in do_now(make_plan(cancer={"red_flags": ["weight_loss"]}))


def test_a_declined_ct_is_not_ordered_again_and_an_alternative_is_offered() -> None:
    """U2 P6 (omission): the screening panel kept ordering the CT the patient declined."""
    tif = {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}}
    plan = make_plan(antibodies=tif, classification={"age_at_onset": 63},
                     preferences={"declines": ["ct_scan"]})
    screening = plan.cancer_screening
    assert not any(" CT" in t or t.startswith("CT") for t in screening.tests_due)
    assert any(n.startswith("CT declined after discussion") for n in screening.notes)
    assert "investigation_declined" in do_now(plan)
    assert any("CT" in t for t in make_plan(antibodies=tif, classification={
        "age_at_onset": 63}).cancer_screening.tests_due)


def test_methotrexate_stopped_for_mild_nausea_is_mitigated_and_restarted() -> None:
    """U2 P8 (wrong): methotrexate stopped by the parents for nausea was treated as failed and
    ciclosporin made the first choice; a mild reaction is mitigated and re-challenged."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 5,
               "core_set": {"physician_global": pg, "cmas": cmas, "chaq": 0.5}}
              for d, pg, cmas in (("2026-09-01", 2, 46), ("2026-11-28", 4, 40))]
    plan = make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 8},
                     date_of_birth="2017-03-01", weight_kg=28, months_since_onset=15,
                     visits=visits,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2025-10-01"},
                                 {"therapy": "methotrexate", "start": "2025-10-15",
                                  "stop": "2026-11-14", "outcome": "not_tolerated",
                                  "reason_stopped": "adverse_event",
                                  "reaction_severity": "mild"}])
    assert plan.state is not None and "methotrexate" not in plan.state.steroid_sparing_failed
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("Methotrexate" in e for e in muscle.first_choice)
    assert not any("Ciclosporin" in e for e in muscle.first_choice)
    methotrexate = next(o for o in plan.options if o.therapy == "methotrexate")
    assert "previously_mild_intolerance" in {c.condition for c in methotrexate.cautions}


def test_co_trimoxazole_is_stopped_in_a_severe_cytopenia_without_methotrexate() -> None:
    """Re-score of U1 P3: with the methotrexate line gone, nothing told her to stop
    co-trimoxazole at neutrophils 0.9 and platelets 42 on azathioprine."""
    plan = make_plan(other_medicines=["co_trimoxazole"],
                     lab_results=[lab("platelets", 42, "10^9/L"),
                                  lab("neutrophils", 0.9, "10^9/L")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 150,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    assert "co_trimoxazole_taken_with_cytopenia" in do_now(plan)


def test_a_rising_ck_months_old_is_a_relapse_to_confirm_not_missing_data() -> None:
    """Re-score of U2 P3: CK 900 to 1800 95 days ago, then azathioprine stopped by the patient:
    'muscle unknown' lost the relapse; rituximab and a taper target were wrong before."""
    plan = make_plan(antibodies={"srp": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     months_since_onset=17,
                     labs={"enzymes": {"ck": {"value": 1800, "uln": 200,
                                              "date": "2026-08-28"}}},
                     lab_results=[lab("ck", 900, "U/L", 200, "2026-06-01"),
                                  lab("ck", 1800, "U/L", 200, "2026-08-28")],
                     visits=[{"date": "2026-11-28", "core_set": {"patient_global": 6}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-07-10"},
                                 {"therapy": "azathioprine", "start": "2025-09-01",
                                  "stop": "2026-10-20", "reason_stopped": "patient_stopped"}])
    assert plan.state is not None and plan.state.of("muscle") == "active"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Re-measure CK and examine strength")
    assert not any("taper as the response allows" in e for e in muscle.first_choice)
    assert all(a.startswith("once the relapse is confirmed") for a in muscle.alternatives)
    said = do_now(plan)
    assert "long_term_glucocorticoid_exit" not in said
    assert "patient_stopped_treatment" in said


def test_the_paediatric_treat_to_target_line_is_not_for_an_adult() -> None:
    """Re-score of U2 P5: 'JDM still active after a year ... above all when growth is slowing'
    for a 26-year-old with juvenile-onset disease."""
    visits = [{"date": "2026-11-20", "core_set": {"physician_global": 4, "mmt8": 70,
                                                  "mmt_max": 80}}]
    plan = make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 12},
                     date_of_birth="2000-05-01", months_since_onset=170, visits=visits,
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2015-01-01"}])
    assert "jdm_target_missed_first_line" not in do_now(plan)

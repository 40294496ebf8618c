"""Specialist review round Z18 (SYNTHETIC patients): the acute medical take, shared care with
primary care, a general JDM clinic and a young-adult and skin clinic."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, lab, make_plan, merge


def approach(plan: Any, domain: str | None = None) -> str:
    return " ".join(e for r in plan.regimens if domain in (None, r.domain)
                    for e in (*r.first_choice, *r.alternatives))


def test_a_drug_held_for_toxicity_is_never_restored_for_missed_doses() -> None:
    """Z18a P5 (dangerous): methotrexate toxicity at a clearance of 21 (the dosing error
    recorded as poor adherence) told to 'restore the drug at full dose'."""
    plan = make_plan(date_of_birth="1945-01-01", weight_kg=60,
                     lab_results=[lab("egfr", 21, "mL/min/1.73m2"),
                                  lab("neutrophils", 0.4, "10^9/L")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2024-10-01",
                                  "adherence": "poor"}])
    assert "doses_missed_before_escalation" not in {a.code for a in plan.do_now}
    assert "Restore Methotrexate" not in approach(plan)


def test_overdue_blood_monitoring_is_named_before_a_full_dose() -> None:
    """Z18b P6 (dangerous): azathioprine taken erratically with no bloods for 10 months, told
    to restore the full dose."""
    plan = make_plan(lab_results=[lab("neutrophils", 1.7, "10^9/L", date="2026-01-15"),
                                  lab("alt", 78, "U/L", 40, date="2026-01-15")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 125,
                                  "dose_unit": "mg/day", "start": "2021-03-01",
                                  "adherence": "partial"}])
    line = next(a for a in plan.do_now if a.code == "blood_monitoring_overdue")
    assert "days" in line.text and "bridging supply" in line.text
    missed = next(a for a in plan.do_now if a.code == "doses_missed_before_escalation")
    assert "after a blood count and liver and kidney tests" in missed.text
    fresh = make_plan(lab_results=[lab("neutrophils", 3.0, "10^9/L")],
                      treatments=[{"therapy": "azathioprine", "dose_value": 125,
                                   "dose_unit": "mg/day", "start": "2021-03-01"}])
    assert "blood_monitoring_overdue" not in {a.code for a in fresh.do_now}


def test_respiratory_muscle_weakness_names_the_thresholds_for_hdu_and_niv() -> None:
    """Z18a P7 (dangerous): 'non-invasive ventilation when falling' at FVC 42 % on oxygen."""
    plan = make_plan(organs={"respiratory_muscle_weakness": True})
    line = next(a for a in plan.do_now if a.code == "respiratory_muscle_weakness")
    assert "FVC is below 50 %" in line.text and "mask hypercapnia" in line.text


def test_no_calcineurin_inhibitor_for_the_joints_with_a_high_potassium() -> None:
    """Z18b P2 (dangerous): tacrolimus for antisynthetase arthritis at an eGFR falling to 37
    with potassium 5.7 on an ACE inhibitor and spironolactone."""
    plan = make_plan(diagnosis={"subgroup": "asys"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     systemic={"arthritis": True, "interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip"},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": {"physician_global": 3,
                                                                 "mmt8": 80, "mmt_max": 80}}],
                     lab_results=[lab("egfr", 64, "mL/min/1.73m2", date="2026-03-01"),
                                  lab("egfr", 37, "mL/min/1.73m2", date="2026-11-20"),
                                  lab("potassium", 5.7, "mmol/L", date="2026-11-20")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2021-01-01"}])
    assert "tacrolimus" in {w.therapy for w in plan.withheld}
    assert "Tacrolimus" not in approach(plan, "joints")


def test_a_glucocorticoid_treating_the_lung_is_not_tapered_for_an_unmeasured_muscle() -> None:
    """Z18b P8 (dangerous): 'taper it if the assessment shows none' for prednisolone that
    treats anti-MDA5 ILD."""
    profile = merge(ADULT_DM, {"diagnosis": {"subgroup": "dm"},
                               "antibodies": {"mi2": {"status": "negative"},
                                              "mda5": {"status": "positive"}},
                               "classification": {"weakness": {"proximal_upper": False,
                                                               "proximal_lower": False},
                                                  "elevated_muscle_enzymes": False},
                               "systemic": {"interstitial_lung_disease": True}})
    profile["labs"] = {}
    plan = make_plan(profile,
                     lung={"course": "stable", "hrct_pattern": "nsip"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01"},
                                 {"therapy": "mycophenolate", "dose_value": 2000,
                                  "dose_unit": "mg/day", "start": "2025-01-01"}])
    assert plan.state is not None and plan.state.of("muscle") == "unknown"
    said = approach(plan)
    assert "taper it if the assessment shows none" not in said
    assert "Continue Oral glucocorticoids (prednisone / prednisolone) (taken now) for the lung" \
        in said


def test_ivig_after_a_heart_attack_adds_no_anticoagulant() -> None:
    """Z18b P5 (dangerous): 'anticoagulation in place' for IVIG 16 days after an NSTEMI on
    dual antiplatelet therapy."""
    from myositis.knowledge import load
    kb = load()
    asking = [r for r in kb.rules.rules if "anticoagulation in place" in r.text
              or "anticoagulation for a venous clot in place" in r.text]
    assert len(asking) >= 2
    for rule in asking:
        assert "not an added anticoagulant" in rule.text, rule.id


def test_allopurinol_is_stopped_not_just_reported() -> None:
    """Z18b P1 (dangerous): 'restart, if ever, only at a dose the enzyme results allow' with a
    normal TPMT and allopurinol still taken."""
    from myositis.knowledge import load
    rule = load().rule("azathioprine_cytopenia_cause")
    assert "stopped with its prescriber" in rule.text and "a quarter" in rule.text


def test_no_methotrexate_start_during_rhabdomyolysis_with_low_kidney_function() -> None:
    """Z18c P6 (dangerous): methotrexate at a reduced dose for a 14-year-old with CK 75 x ULN,
    creatinine 140 and dark urine."""
    plan = make_plan(date_of_birth="2012-05-01", weight_kg=50, height_cm=160,
                     diagnosis={"subgroup": "jdm"}, treatments=[],
                     labs={"enzymes": {"ck": {"value": 15000, "uln": 200}}},
                     lab_results=[lab("ck", 15000, "U/L", 200, "2026-11-30"),
                                  lab("egfr", 50, "mL/min/1.73m2", date="2026-11-30")])
    assert "methotrexate" in {w.therapy for w in plan.withheld}
    assert "Methotrexate" not in approach(plan, "muscle")


def test_an_organ_threat_takes_the_full_glucocorticoid_dose_with_diabetes() -> None:
    """Z18c P6: 'with diabetes: the lowest dose' for bulbar and breathing-muscle JDM."""
    plan = make_plan(date_of_birth="2012-05-01", weight_kg=50, diagnosis={"subgroup": "jdm"},
                     comorbidities={"diabetes": True}, treatments=[],
                     organs={"respiratory_muscle_weakness": True, "dysphagia": "severe"})
    said = approach(plan, "muscle")
    assert "the lowest dose and shortest course" not in said


def test_skin_predominant_jdm_with_full_strength_is_not_induced_as_muscle_disease() -> None:
    """Z18c P4 (dangerous): full induction and tofacitinib for a 12-year-old with CMAS 52/52,
    MMT-8 80/80 and aldolase 1.25 x ULN after hydroxychloroquine alone."""
    visits = [{"date": d, "core_set": {"physician_global": 3, "mmt8": 80, "mmt_max": 80,
                                       "cmas": 52}, "cdasi_activity": 22}
              for d in ("2026-06-01", "2026-11-25")]
    plan = make_plan(date_of_birth="2014-03-05", weight_kg=38, height_cm=150,
                     diagnosis={"subgroup": "jdm"}, skin_refractory=True,
                     classification={"age_at_onset": 12,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False}},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     lab_results=[lab("ck", 120, "U/L", 200), lab("aldolase", 9.5, "U/L", 7.6)],
                     visits=visits,
                     treatments=[{"therapy": "hydroxychloroquine", "dose_value": 200,
                                  "dose_unit": "mg/day", "start": "2026-06-01",
                                  "response": "partial"}])
    assert plan.state is not None and plan.state.of("muscle") == "not_involved"
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0].startswith("Methotrexate")
    assert not any(r.domain == "muscle" and "Oral glucocorticoids" in " ".join(r.first_choice)
                   for r in plan.regimens)


def test_methotrexate_is_held_not_continued_with_alcohol_and_a_liver_alt() -> None:
    """Z18d P3 (dangerous): 'Mycophenolate + Continue Methotrexate' at ALT 2.4 x ULN with 40
    units of alcohol a week."""
    plan = make_plan(comorbidities={"alcohol_excess": True},
                     lab_results=[lab("alt", 98, "U/L", 40), lab("egfr", 90, "mL/min/1.73m2")],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2025-01-01"}])
    said = approach(plan)
    assert "Continue Methotrexate" not in said and "Hold Methotrexate" in said


def test_adrenal_crisis_with_alcohol_gives_thiamine_and_a_sodium_limit() -> None:
    """Z18a P4: hydrocortisone, saline and glucose for a drinker with sodium 122, with no
    thiamine and no limit on the sodium correction."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules
                if r.text.startswith("Glucocorticoids stopped within the last 3 months"))
    assert "thiamine alongside - never delaying it" in rule.text
    assert "no more than 8\n" in rule.text or "no more than 8 mmol/L" in " ".join(rule.text.split())


def test_ivig_does_not_wait_for_the_infection() -> None:
    """Z18a P3: IVIG 'once the infections are controlled' for a pregnant woman aspirating; it
    adds no immunosuppression."""
    plan = make_plan(comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     reproduction={"pregnant": True, "gestation_weeks": 24},
                     persistent_high_activity=True,
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2025-01-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2025-01-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    waiting = [a for a in muscle.alternatives if a.startswith("once the infections")]
    assert not any("immunoglobulin" in a.lower() for a in waiting)


def test_an_antimetabolite_during_an_infection_is_a_decision_to_hold() -> None:
    """Z18b P8: 'Continue Mycophenolate mofetil (note: active infection)' during a pneumonia."""
    from myositis.services.careplan.regimen_lines import continue_line
    assert "whether to hold it" in continue_line("Mycophenolate mofetil", "keep:active infection")
    assert "never stopped abruptly" in continue_line(
        "Oral glucocorticoids (prednisone / prednisolone)", "keep:active infection")


def test_a_liver_alt_above_twice_normal_holds_methotrexate_and_restarts_lower() -> None:
    """Z18c P3: 'Continue Methotrexate' at ALT 2.75 x ULN with a normal CK, then 'in
    sustained remission, stop without a replacement' four months into treatment."""
    plan = make_plan(lab_results=[lab("alt", 110, "U/L", 40), lab("egfr", 90, "mL/min/1.73m2")],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-08-01"}])
    changes = approach(plan, "treatment changes")
    assert changes.startswith("Hold Methotrexate")
    assert "restart at a reduced dose" in changes and "sustained remission" not in changes


def test_a_severe_cytopenia_hold_leaves_the_restart_to_the_specialists() -> None:
    """Re-scores of Z18a P6 and Z18b P1 (dangerous): 'repeat the tests within 2 weeks; once
    they recover, restart at a reduced dose' at neutrophils 0.1 and platelets 22."""
    plan = make_plan(lab_results=[lab("neutrophils", 0.1, "10^9/L"), lab("platelets", 22, "10^9/L"),
                                  lab("egfr", 80, "mL/min/1.73m2")],
                     other_medicines=["allopurinol"],
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2024-01-01"}])
    changes = approach(plan, "treatment changes")
    assert "within 2 weeks; once they recover, restart" not in changes
    assert "every 1-3 days" in changes and "the specialist team decides" in changes


def test_a_mildly_raised_alt_with_alcohol_reviews_methotrexate_without_a_switch() -> None:
    """Re-score of Z18d P1 (dangerous): methotrexate held at ALT 1.55 x ULN and an
    18-year-old switched to mycophenolate."""
    plan = make_plan(comorbidities={"alcohol_excess": True},
                     lab_results=[lab("alt", 62, "U/L", 40), lab("egfr", 90, "mL/min/1.73m2")],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2025-01-01"}])
    said = approach(plan)
    assert "Hold Methotrexate" not in said and "switch to" not in approach(plan, "treatment changes")


def test_no_jdm_admission_line_names_methotrexate_beside_its_hold() -> None:
    """Re-score of Z18c P6 (dangerous): 'IV methylprednisolone pulses in hospital, with
    methotrexate' while the plan withheld methotrexate for a kidney injury."""
    from myositis.knowledge import load
    rule = load().rule("severe_jdm_bulbar_admit")
    assert "with methotrexate" not in " ".join(rule.text.split())
    admit = load().rule("organ_threatening_admit")
    assert "mechanical where bleeding" in admit.text


def test_one_pjp_instruction_when_pneumocystis_is_suspected() -> None:
    """Re-score of Z18a P2: 'treatment-dose co-trimoxazole' in Do now beside the lung
    regimen's 'PJP prophylaxis now, the treatment dose only with PJP features'."""
    plan = make_plan(diagnosis={"subgroup": "adm"},
                     antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True, "fever": True,
                               "rapidly_progressive_ild_suspected": True},
                     lung={"course": "rapidly_progressive", "oxygen": "at_rest"},
                     lab_results=[lab("lymphocytes", 0.4, "10^9/L"), lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-10-01"}])
    assert "pjp_pneumonia_suspected" in {a.code for a in plan.do_now}
    assert "the treatment dose only with PJP features" not in approach(plan)


def test_the_taper_pauses_while_the_steroid_sparing_agent_is_held() -> None:
    """Re-score of Z18c P3: 'Taper glucocorticoids towards stopping' while methotrexate, the
    only steroid-sparing agent, was held for a liver ALT."""
    visits = [{"date": "2026-11-20", "core_set": {"physician_global": 1, "mmt8": 79,
                                                  "mmt_max": 80},
               "glucocorticoid_mg_per_day": 20}]
    plan = make_plan(visits=visits, labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     lab_results=[lab("alt", 110, "U/L", 40), lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-08-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-08-01"}])
    said = approach(plan, "muscle")
    assert "Taper glucocorticoids towards stopping" not in said
    assert "Pause the glucocorticoid taper" in said

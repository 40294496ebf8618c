"""Findings of the Z6 re-score and specialist review Z7 fixed in December 2026. SYNTHETIC
patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan

CHILD = {"date_of_birth": "2018-02-01", "weight_kg": 26, "months_since_onset": 6,
         "classification": {**ADULT_DM["classification"], "age_at_onset": 8}}
ON_PRED_MTX = [{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                "start": "2026-06-01"},
               {"therapy": "methotrexate", "start": "2026-06-01"}]


def test_jdm_gut_vasculopathy_during_an_infection_is_treated_now_not_deferred() -> None:
    """Z6 re-score (dangerous): abdominal pain in JDM during a pneumonia - 'continue oral
    glucocorticoids' while nil by mouth, and IV pulses deferred 'once the infection is
    treated' beside the urgent line that treats the gut vasculopathy now."""
    plan = make_plan(**CHILD, organs={"gut_symptoms": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal"},
                     treatments=ON_PRED_MTX)
    assert do_now(plan)["jdm_gut_vasculopathy"] == "urgent"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Glucocorticoid IV") for e in muscle.first_choice)
    assert not any(e.startswith("Continue Oral glucocorticoids") for e in muscle.first_choice)
    assert any(e.startswith("Hold Methotrexate") for e in muscle.first_choice)
    assert not any("methylprednisolone" in a.lower() for a in muscle.alternatives)


def test_a_do_now_line_ordering_a_test_says_the_result_already_on_record() -> None:
    """Z5/Z6 reviews: 'troponin I' ordered beside a raised troponin I taken the day before,
    and 'HBV DNA now' beside an undetectable HBV DNA, read as a tool that had not read the
    chart. The line keeps its order (a repeat may be needed) and names the latest result."""
    plan = make_plan(organs={"cardiac": "suspected"},
                     lab_results=[lab("troponin_i", 85, "ng/L", 26, "2026-11-30")],
                     infection_screening={
                         "hbsag": {"result": "negative", "date": "2026-10-01"},
                         "anti_hbc": {"result": "positive", "date": "2026-10-01"},
                         "hbv_dna": {"result": "negative", "date": "2026-10-01"}})
    texts = {a.code: a.text for a in plan.do_now}
    assert "On record: troponin I 85 ng/L (ULN 26) on 2026-11-30." in \
        texts["cardiac_involvement_confirmed"]
    assert "On record: HBV DNA negative (undetectable) on 2026-10-01." in \
        texts["anti_hbc_positive"]
    # nothing on record, nothing said
    bare = make_plan(organs={"cardiac": "suspected"})
    assert all("On record:" not in a.text for a in bare.do_now)


def test_a_visit_with_only_a_raised_alt_does_not_hide_the_normal_ck() -> None:
    """Z7b P4 (dangerous): a pregnant 16-year-old with CK 0.8 x ULN and MMT-8 76/80 was
    called 'inadequate response' (the visit carried only the raised ALT) and switched to
    IVIG."""
    plan = make_plan(**{**CHILD, "date_of_birth": "2010-05-01", "weight_kg": 49,
                        "months_since_onset": 110},
                     reproduction={"pregnant": True},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 190, "unit": "U/L",
                                              "date": "2026-11-30"}}},
                     lab_results=[lab("alt", 78, "U/L", 35, "2026-11-30")],
                     visits=[{"date": "2026-11-30",
                              "core_set": {"physician_global": 2.5, "mmt8": 76, "mmt_max": 80}}],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2019-04-01",
                                  "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "stable"
    assert not any("immunoglobulin" in e.lower() for r in plan.regimens for e in r.first_choice)


def test_a_steady_slightly_weak_muscle_beside_progressive_ild_is_not_escalated() -> None:
    """Z7c P4 (dangerous): MMT-8 76 then 75/80 with CK 1.2 x ULN in anti-PL-7 ILD failing
    mycophenolate - 'muscle active' and azathioprine added for it."""
    visit = {"core_set": {"physician_global": 3, "patient_global": 3, "mmt8": 76, "mmt_max": 80,
                          "extramuscular_global": 3}}
    plan = make_plan(
        antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
        skin={"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-30", "fvc_percent_predicted": 62, "hrct_pattern": "nsip",
              "course": "progressive"},
        labs={"enzymes": {"ck": {"value": 240, "uln": 200, "unit": "U/L",
                                 "date": "2026-11-30"}}},
        visits=[{**visit, "date": "2025-11-20"},
                {"date": "2026-11-30", "core_set": {**visit["core_set"], "mmt8": 75,
                                                    "physician_global": 5,
                                                    "extramuscular_global": 6}}],
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
                     "start": "2024-07-02"},
                    {"therapy": "mycophenolate", "start": "2024-08-01", "outcome": "ineffective"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "stable"
    assert not any("Azathioprine" in e for e in muscle.first_choice)


HMGCR_IMNM = {"antibodies": {"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
              "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
              "diagnosis": {"subgroup": "imnm"}}


def flare_visits(before: float, after: float) -> list[dict[str, object]]:
    return [{"date": "2026-06-10", "core_set": {"physician_global": 3, "patient_global": 4,
                                               "mmt8": before, "haq": 1.0},
             "labs": {"enzymes": {"ck": {"value": 620, "uln": 170, "unit": "U/L"}}}},
            {"date": "2026-12-01", "core_set": {"physician_global": 5, "patient_global": 6,
                                               "mmt8": after, "haq": 1.4},
             "labs": {"enzymes": {"ck": {"value": 1850, "uln": 170, "unit": "U/L"}}}}]


def test_a_slow_flare_with_mild_dysphagia_in_a_frail_diabetic_gets_no_reflex_pulses() -> None:
    """Z7d P3 (dangerous): anti-HMGCR IMNM, IVIG-dependent, 25 days after a pulmonary
    embolism, frailty 5, HbA1c 68 - 'IV methylprednisolone pulses, then 0.5-1 mg/kg/day' for
    a mild dysphagia."""
    plan = make_plan(**HMGCR_IMNM, weight_kg=84, organs={"dysphagia": "mild"},
                     comorbidities={"diabetes": True, "thrombosis_history": True,
                                    "last_thrombosis": "2026-11-06"},
                     care_goals={"frailty_scale": 5}, visits=flare_visits(72, 66),
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 12.5,
                                  "dose_unit": "mg/day", "start": "2024-09-16"},
                                 {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2024-10-01", "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    assert not any(e.startswith("Intravenous methylprednisolone pulses")
                   for e in muscle.first_choice)
    raise_line = next(e for e in muscle.first_choice if e.startswith("raise prednisolone"))
    assert "diabetes, frailty (scale 5), a clot in the last 3 months" in raise_line


def test_multi_refractory_disease_is_referred_and_a_low_igg_brings_ivig_into_the_approach(
        ) -> None:
    """Z7d P8 (dangerous): anti-SRP disease after four failed agents, IgG 4.1 g/L with two
    pneumonias - glucocorticoid pulses alone, no referral, IVIG 'not in the approach' beside
    'IVIG can cover both'."""
    failed = [{"therapy": t, "start": s, "stop": e, "reason_stopped": "inefficacy"}
              for t, s, e in (("ivig", "2024-07-10", "2025-06-30"),
                              ("methotrexate", "2024-07-15", "2025-01-15"),
                              ("rituximab", "2024-09-01", "2025-04-15"),
                              ("azathioprine", "2025-01-20", "2025-08-01"),
                              ("cyclophosphamide", "2025-10-01", "2026-03-15"))]
    plan = make_plan(antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False,
                           "gottron_sign": False},
                     diagnosis={"subgroup": "imnm"}, organs={"dysphagia": "severe"},
                     comorbidities={"recurrent_infections": True},
                     lab_results=[lab("igg", 4.1, "g/L", None, "2026-12-01")],
                     visits=flare_visits(54, 47),
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2024-07-05"}, *failed])
    assert "refractory_to_three_agents" in do_now(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("add Intravenous immunoglobulin at the immunomodulatory dose")
               for e in muscle.first_choice)


def test_a_backbone_drug_of_a_failing_lung_regimen_is_not_offered_as_stop_it() -> None:
    """Z7d P2 (dangerous): anti-MDA5 RP-ILD on pulses, tacrolimus and cyclophosphamide -
    'Tacrolimus (taken now, without an adequate response): keep it only as the partner of the
    new agent, or stop it', with IVIG the only new agent."""
    plan = make_plan(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-28", "fvc_percent_predicted": 55, "hrct_pattern": "nsip_op",
              "oxygen": "at_rest", "course": "rapidly_progressive"},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60, "dose_unit": "mg/day",
                     "start": "2026-08-01"},
                    {"therapy": "tacrolimus", "start": "2026-10-22", "response": "none"},
                    {"therapy": "cyclophosphamide", "start": "2026-10-24",
                     "response": "none"}])
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any("or stop it" in e for e in lines if "Tacrolimus" in e)


def test_septic_shock_on_long_term_prednisolone_gets_stress_dose_not_sick_day_rules() -> None:
    """Z7a P8 (dangerous): a ventilated man in septic shock on prednisolone 15 mg/day for 22
    months - 'continue without raising it', 'higher doses already cover an illness', a taper
    target, no strongyloides screen although born in an endemic region."""
    record = {
        "antibodies": {"pl12": {"status": "positive"}, "mi2": {"status": "negative"}},
        "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
        "systemic": {"interstitial_lung_disease": True},
        "lung": {"date": "2026-12-01", "hrct_pattern": "nsip", "oxygen": "ventilated",
                 "course": "progressive"},
        "comorbidities": {"active_infection": True, "infection_focus": "lung_focal",
                          "sepsis": True},
        "infection_screening": {"strongyloides_endemic": True},
        "lab_results": [lab("igg", 3.1, "g/L", None, "2026-12-01")],
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 15,
                        "dose_unit": "mg/day", "start": "2025-02-01"},
                       {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                        "start": "2025-03-01"}]}
    plan = make_plan(**record)
    codes = do_now(plan)
    assert codes["critical_illness_on_glucocorticoids"] == "urgent"
    assert "strongyloides_before_glucocorticoids" in codes
    assert "low_igg_with_infections_on_immunosuppression" in codes
    for hidden in ("active_infection_on_glucocorticoids", "long_term_glucocorticoid_exit",
                   "ild_progressing_transplant_referral", "influenza_vaccine_due"):
        assert hidden not in codes
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert any(e.startswith("Glucocorticoid as stress-dose IV hydrocortisone") for e in lines)
    assert not any(e.startswith("Continue Oral glucocorticoids") for e in lines)
    assert not any(e.startswith("Continue Mycophenolate") for e in lines)
    # the same patient out of intensive care: sick-day rules, not stress dosing
    ward = make_plan(**{**record, "comorbidities": {"active_infection": True,
                                                   "infection_focus": "lung_focal",
                                                   "sepsis": False},
                        "lung": {**record["lung"], "oxygen": "at_rest"}})
    assert "critical_illness_on_glucocorticoids" not in do_now(ward)
    assert "active_infection_on_glucocorticoids" in do_now(ward)


def test_colchicine_beside_anti_hmgcr_myopathy_is_stopped_without_delaying_treatment() -> None:
    """Z7a P5 (dangerous): anti-HMGCR myopathy, CK 42,000, eGFR 12, on atorvastatin,
    clarithromycin and colchicine - 'recheck CK in 2-4 weeks before a biopsy or
    immunosuppression' although the clinician marked that treatment could not wait."""
    base = {"other_medicines": ["colchicine", "macrolide_antibiotic"],
            "skin": {"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
            "lab_results": [lab("egfr", 12, "mL/min/1.73m2", None, "2026-12-01")]}
    shown = make_plan(**base, antibodies={"hmgcr": {"status": "positive"},
                                          "mi2": {"status": "negative"}})
    texts = {a.code: a.text for a in shown.do_now}
    assert "colchicine_toxicity_likely" not in texts
    assert "not delayed for a recheck" in texts["colchicine_beside_immune_myopathy"]
    # no antibody and no urgency: colchicine may be the whole story, so recheck first
    unexplained = make_plan(**base, antibodies={"mi2": {"status": "negative"}})
    assert "colchicine_toxicity_likely" in do_now(unexplained)
    # methotrexate never taken is 'not started', not 'stop it'
    reason = next(w.reason for w in shown.withheld if w.therapy == "methotrexate")
    assert "stop it" not in reason


def test_new_jdm_with_a_gut_bleed_starts_nothing_by_mouth_and_a_threatened_organ_is_covered(
        ) -> None:
    """Z7b P8: a new 8-year-old with melaena and a chickenpox contact 5 days before - oral
    prednisolone, methotrexate and hydroxychloroquine started while nil by mouth, an oral
    antiviral, and cyclophosphamide withheld beside the urgent line that asks for it."""
    plan = make_plan(**{**CHILD, "months_since_onset": 1}, organs={"gi_bleeding": True},
                     infection_screening={"varicella_exposure": "2026-11-26"}, treatments=[])
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith(("Oral glucocorticoids", "Methotrexate", "Hydroxychloroquine"))
                   and "mouth" not in e and "eating" not in e for e in lines)
    assert "cyclophosphamide" not in {w.therapy for w in plan.withheld}
    exposure = next(a.text for a in plan.do_now if a.code == "varicella_exposure_susceptible")
    assert "IV aciclovir when nothing is taken by mouth" in exposure


def test_what_the_record_already_settles_is_not_asked_or_advised_again() -> None:
    """Z7c P3, P4, P1: 'co-trimoxazole (as this plan advises for PJP)' beside a sulfonamide
    allergy; a routine monitoring date for mycophenolate the plan stops; 'capillaroscopy if not
    yet done' with capillaroscopy recorded; an eGFR computed from an undated creatinine beside
    the laboratory's dated eGFR."""
    allergic = make_plan(allergies=["sulfonamide"], organs={"dysphagia": "severe"},
                         treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                      "dose_unit": "mg/day", "start": "2026-10-01"}])
    assert not any("PJP prophylaxis due with this plan" in c.text
                   for o in allergic.options for c in o.cautions)
    failed = make_plan(systemic={"raynaud": True}, workup_done=["capillaroscopy"],
                       treatments=[{"therapy": "mycophenolate", "start": "2025-08-01",
                                    "outcome": "ineffective"}])
    item = next(m for m in failed.monitoring if m.therapy == "Mycophenolate mofetil")
    assert "held or being stopped" in item.next_due
    raynaud = next(a.text for a in failed.do_now if a.code == "raynaud_care")
    assert "capillaroscopy is recorded as done" in raynaud
    reported = make_plan(labs={"creatinine_umol_l": 88},
                         lab_results=[lab("egfr", 74, "mL/min/1.73m2", None, "2026-11-20")])
    assert "eGFR 74" in reported.inputs_used


def test_fever_in_anti_mda5_rp_ild_is_not_read_as_an_infection_that_holds_treatment() -> None:
    """Z7b P2: a 14-year-old with anti-MDA5 RP-ILD and a fever before treatment - 'continue
    the glucocorticoid without raising it during the infection' (no infection recorded) and
    treatment-dose co-trimoxazole stacked on the induction drugs."""
    plan = make_plan(
        date_of_birth="2012-03-01", weight_kg=48, months_since_onset=2,
        classification={**ADULT_DM["classification"], "age_at_onset": 14},
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "fever": True},
        lung={"date": "2026-11-27", "fvc_percent_predicted": 78, "hrct_pattern": "nsip_op",
              "oxygen": "exertional", "course": "rapidly_progressive"},
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 50, "dose_unit": "mg/day",
                     "start": "2026-11-28"}])
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any("during the infection" in e for e in lines)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any("treatment-dose co-trimoxazole until PJP is excluded" in e
                   for e in lung.first_choice)


def test_a_pregnant_16_year_old_with_diabetes_gets_her_own_lines_not_adult_ones() -> None:
    """Z7b P4: a pregnant 16-year-old with known diabetes (HbA1c 61) - 'screen for gestational
    diabetes', no options counselling or safeguarding, and adult cancer wording for smoking."""
    plan = make_plan(date_of_birth="2010-05-01", weight_kg=49, months_since_onset=110,
                     classification={**ADULT_DM["classification"], "age_at_onset": 7},
                     reproduction={"pregnant": True},
                     comorbidities={"diabetes": True, "smoking_status": "current"},
                     lab_results=[lab("hba1c", 61, "mmol/mol", None, "2026-11-30")])
    codes = do_now(plan)
    assert "pregnancy_with_known_diabetes" in codes and "pregnancy_age_16_17" in codes
    smoking = next(a.text for a in plan.do_now if a.code == "smoking_cessation")
    assert "cancer risk of adult myositis" not in smoking


def test_a_13_year_old_gets_the_rim_dose_band_and_her_own_pregnancy_wording() -> None:
    """Z7d P4: rituximab 'up to 935 mg' (750 mg/m2 at a body surface area of 1.25; RIM gave
    575 mg/m2 up to 1.5 m2); 'effective contraception' attached to diltiazem and calcinosis
    surgery for a 13-year-old; IV pulses 'with methotrexate' after methotrexate toxicity."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import doses_for
    from tests.services.careplan.conftest import make_record

    girl = {**CHILD, "date_of_birth": "2013-06-01", "weight_kg": 36, "height_cm": 156,
            "reproduction": {"pregnant": None, "planning_conception": None,
                             "breastfeeding": None}}
    plan = make_plan(**girl)
    lines, _ = doses_for(make_record(**girl), load(), ["rituximab"])
    text = next(d.text for d in lines if d.therapy == "rituximab")
    assert "575 mg/m2" in text and "935" not in text
    young = {c.text for o in plan.options for c in o.cautions
             if c.text.startswith("Pregnancy status not recorded")}
    assert young and all("girl of 12 to 15" in t for t in young)


def test_a_jak_inhibitor_is_withheld_for_neutropenia_with_a_reason_that_fits() -> None:
    """Z7d P5: brepocitinib withheld only for 'a calcineurin inhibitor or azathioprine' with
    anti-MDA5 wording, for an anti-Mi-2 patient with neutrophils 0.6."""
    plan = make_plan(lab_results=[lab("neutrophils", 0.6, "10^9/L")], months_since_onset=30,
                     treatments=[{"therapy": "methotrexate", "start": "2024-07-01",
                                  "stop": "2025-01-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "mycophenolate", "start": "2025-01-01",
                                  "stop": "2025-07-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "azathioprine", "start": "2025-07-01"}])
    reasons = {w.therapy: w.reason for w in plan.withheld}
    assert "Neutrophils 0.6" in reasons["brepocitinib"]
    assert "anti-MDA5" not in reasons["brepocitinib"]


def test_potassium_on_an_ace_inhibitor_is_not_the_rheumatologists_on_dialysis() -> None:
    """Z7a P6 and Z7c P7: 'hold the ACE inhibitor' on haemodialysis, and before the
    potassium-sparing diuretic in heart failure."""
    high_k = {"other_medicines": ["ace_inhibitor_or_arb", "potassium_sparing_diuretic"],
              "lab_results": [lab("potassium", 5.6, "mmol/L")]}
    ward = make_plan(**high_k, comorbidities={"heart_failure": True})
    text = next(a.text for a in ward.do_now if a.code == "hyperkalaemia_on_ace_inhibitor")
    assert text.index("potassium-sparing diuretic") < text.index("hold the ACE inhibitor")
    dialysis = make_plan(**high_k, comorbidities={"dialysis": True})
    assert "hyperkalaemia_on_ace_inhibitor" not in do_now(dialysis)


def test_a_lung_worse_during_an_infection_is_judged_again_after_it() -> None:
    """Z7a P2: 'lung: inadequate response (ILD progressive)' during a suspected PJP."""
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True, "fever": True},
                     comorbidities={"active_infection": True, "infection_focus": "lung_diffuse"},
                     lung={"date": "2026-11-30", "hrct_pattern": "nsip", "course": "progressive"},
                     treatments=[{"therapy": "mycophenolate", "start": "2026-01-10"}])
    assert plan.state is not None
    lung = next(d for d in plan.state.domains if d.domain == "lung")
    assert lung.state == "inadequate_response"
    assert any("once the infection is treated" in b for b in lung.basis)


def test_a_weak_band_and_a_small_ck_do_not_drive_lung_surveillance_or_necrotising_wording(
        ) -> None:
    """Z7c P8: one weak anti-PL-12 line-blot band, CK 2.1 x ULN and a statin in a patient who
    meets no criteria - 'a necrotising-range CK with a statin', ILD surveillance every 3
    months and an ILD-risk monitoring line."""
    plan = make_plan(
        antibodies={"pl12": {"status": "positive", "level": "weak"},
                    "mi2": {"status": "negative"}},
        antibody_tests=[{"antibody": "pl12", "result": "positive", "method": "line_blot",
                         "level": "weak", "date": "2026-11-18"}],
        skin={"heliotrope_rash": False, "gottron_papules": False, "gottron_sign": False},
        statin_exposure=True, other_medicines=["statin"],
        lab_results=[lab("ck", 410, "U/L", 195, "2026-11-18")])
    weak = next(f.text for f in plan.flags if f.code == "weak_blot_only")
    assert "necrotising-range" not in weak and "anti-HMGCR" in weak
    assert "ild_surveillance" not in {f.code for f in plan.flags}
    assert not any("ILD-risk antibody" in m.text for m in plan.monitoring)


def test_a_decision_point_does_not_defer_what_the_first_choice_gives() -> None:
    """Z7c P5: IVIG first for anti-TIF1-gamma DM, then 'after two agents fail, the refractory
    options (IVIG, rituximab)'."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     cancer={"red_flags": ["postmenopausal_bleeding"]}, treatments=[])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("immunoglobulin" in e.lower() for e in muscle.first_choice)
    assert "(IVIG" not in muscle.decision_point and "rituximab" in muscle.decision_point


def test_moderate_dysphagia_in_ibm_is_assessed_soon_not_made_nil_by_mouth() -> None:
    """Z7c P1: six years of moderate IBM dysphagia - 'URGENT nil by mouth, nasogastric
    feeding'; Z7d P8: a tube-feeding refusal 'not proposed again unless the patient raises
    it'."""
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, organs={"dysphagia": "moderate"},
                    skin={"heliotrope_rash": False, "gottron_papules": False,
                          "gottron_sign": False},
                    antibodies={"cn1a": {"status": "positive"}, "mi2": {"status": "negative"}})
    codes = do_now(ibm)
    assert codes.get("ibm_moderate_dysphagia") == "soon" and "severe_dysphagia" not in codes
    declined = make_plan(preferences={"declines": ["tube_feeding"]},
                         organs={"dysphagia": "severe"})
    text = next(a.text for a in declined.do_now if a.code == "tube_feeding_declined")
    assert "raised again only when weight, intake or aspiration change" in text


def test_new_jdm_gets_a_muscle_mri_in_its_work_up() -> None:
    """Z7b: no muscle MRI in any of eight JDM plans."""
    plan = make_plan(**{**CHILD, "months_since_onset": 1}, treatments=[],
                     workup_done=["antibody_panel", "muscle_enzymes"])
    mri = next(w for w in plan.workup if w.code == "mri_emg")
    assert "juvenile DM" in mri.reason
    done = make_plan(**{**CHILD, "months_since_onset": 1}, treatments=[],
                     workup_done=["mri_emg"])
    assert "mri_emg" not in {w.code for w in done.workup}


def test_no_2_g_per_kg_ivig_in_septic_shock_and_an_undated_creatinine_counts_as_a_rise() -> None:
    """Re-score of Z7a P8 (dangerous): 'IVIG at the immunomodulatory dose' for a ventilated
    man in septic shock whose creatinine went from 88 (dated) to 195 (the labs section)."""
    from myositis.services.careplan.lab_trends import creatinine_rise
    from tests.services.careplan.conftest import make_record

    kidney = {"labs": {"creatinine_umol_l": 195},
              "lab_results": [lab("creatinine", 88, "umol/L", None, "2026-10-01"),
                              lab("igg", 3.1, "g/L", None, "2026-12-01")]}
    rise = creatinine_rise(make_record(**kidney))
    assert rise is not None and rise > 2
    plan = make_plan(**kidney, organs={"dysphagia": "severe"},
                     comorbidities={"active_infection": True, "sepsis": True,
                                    "recurrent_infections": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 15,
                                  "dose_unit": "mg/day", "start": "2025-02-01"}])
    lines = [e for r in plan.regimens for e in r.first_choice]
    assert not any("immunomodulatory dose" in e for e in lines)

"""Findings of blind specialist review Z27 (SYNTHETIC patients) and the Z26 leftovers."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from tests.services.careplan.conftest import do_now, lab, make_plan

_CHILD = {"reproduction": {"pregnant": None, "planning_conception": None,
                           "breastfeeding": None}}


def _quiet_frail(**extra: Any) -> dict[str, Any]:
    core = {"physician_global": 4, "patient_global": 5, "extramuscular_global": 4,
            "mmt8": 62, "haq": 1.6}
    base: dict[str, Any] = dict(
        classification={"age_at_onset": 70}, months_since_onset=60,
        labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
        lab_results=[lab("ck", 90, "U/L", uln=200)],
        visits=[{"date": "2026-06-01", "core_set": core},
                        {"date": "2026-11-25", "core_set": core}],
                treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-01-01",
                             "dose_value": 5, "dose_unit": "mg/day"},
                            {"therapy": "mycophenolate", "start": "2022-03-01",
                             "dose_value": 2000, "dose_unit": "mg/day",
                             "response": "partial"}])
    return {**base, **extra}


def test_a_quiet_muscle_in_a_frail_patient_is_not_a_missed_target() -> None:
    # Z26c P3 (dangerous): rituximab offered for a muscle with a normal CK in a frail patient
    # with pulmonary hypertension, read as 'inadequate response' (H840)
    for extra in ({"care_goals": {"frailty_scale": 6}},
                  {"organs": {"pulmonary_hypertension": "confirmed"}}):
        plan = make_plan(**_quiet_frail(**extra))
        muscle = next(r for r in plan.regimens if r.domain == "muscle")
        assert muscle.state != "inadequate_response", (extra, muscle)
        assert not any("Rituximab" in e for e in muscle.first_choice), muscle
    fit = make_plan(**_quiet_frail(labs={"enzymes": {"ck": {"value": 900, "uln": 200}}},
                                   lab_results=[lab("ck", 900, "U/L", uln=200)],
                                   care_goals={"frailty_scale": 6}))
    assert next(r for r in fit.regimens if r.domain == "muscle").state == "inadequate_response"


def test_tacrolimus_starts_at_the_lower_end_below_egfr_30() -> None:
    # Z24c P8 (left partly fixed): a full-range tacrolimus start at eGFR 28
    ild = dict(systemic={"interstitial_lung_disease": True}, weight_kg=70,
               lung={"course": "progressive", "hrct_pattern": "nsip"})
    low = make_plan(**ild, lab_results=[lab("egfr", 28, "mL/min/1.73m2")])
    text = next(d.text for d in low.doses if d.therapy == "tacrolimus")
    assert text.startswith("3.5-4.2 mg/day"), text
    assert "eGFR below 30" in text
    normal = make_plan(**ild)
    assert next(d.text for d in normal.doses if d.therapy == "tacrolimus").startswith(
        "4.2-5.25 mg/day")


_IBM = dict(diagnosis={"subgroup": "ibm"}, months_since_onset=54,
            classification={"age_at_onset": 58, "finger_flexor_weakness": True},
            skin={"heliotrope_rash": False, "gottron_papules": False},
            antibodies={"mi2": {"status": "negative"}, "cn1a": {"status": "positive"}},
            labs={"enzymes": {"ck": {"value": 620, "uln": 200}}},
            treatments=[{"therapy": "tacrolimus", "start": "2014-07-01", "dose_value": 4,
                         "dose_unit": "mg/day"},
                        {"therapy": "mycophenolate", "start": "2014-07-01", "dose_value": 1000,
                         "dose_unit": "mg/day"},
                        {"therapy": "glucocorticoids_oral", "start": "2014-07-01",
                         "dose_value": 5, "dose_unit": "mg/day"}])


def test_a_transplant_recipients_anti_rejection_drugs_are_kept_in_ibm() -> None:
    # Z27d P4 (dangerous): 'Stop Mycophenolate mofetil + Stop Tacrolimus' and 'plan stopping
    # them' for inclusion body myositis in a kidney-transplant recipient (H842)
    plan = make_plan(**_IBM, comorbidities={"solid_organ_transplant": True})
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith(("Stop Tacrolimus", "Stop Mycophenolate", "Taper Oral"))
                   for e in entries), entries
    assert any(e.startswith("Keep Tacrolimus as the transplant team sets it") for e in entries)
    codes = do_now(plan)
    assert "ibm_transplant_antirejection" in codes
    assert not {"ibm_immunosuppressant_exit", "ibm_glucocorticoid_exit"} & set(codes)
    assert not any(d.therapy in ("tacrolimus", "mycophenolate") and "raise it" in d.text
                   for d in plan.doses)
    # without a transplant the IBM exit stands
    plain = make_plan(**_IBM)
    assert "ibm_immunosuppressant_exit" in do_now(plain)
    assert any(e.startswith("Stop Tacrolimus") for r in plain.regimens for e in r.first_choice)


def test_a_pregnant_transplant_recipient_changes_mycophenolate_with_the_team() -> None:
    # the graft line does not keep a teratogen: it is changed with the transplant team
    plan = make_plan(treatments=_IBM["treatments"], comorbidities={"solid_organ_transplant": True},
                     reproduction={"pregnant": True, "gestation_weeks": 8})
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith("Keep Mycophenolate") for e in entries), entries


_CKD4 = dict(comorbidities={"renal_impairment": True, "diabetes": True},
             antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
             diagnosis={"subgroup": "imnm"}, skin={"heliotrope_rash": False,
                                                    "gottron_papules": False},
             classification={"age_at_onset": 66, "skin": {"heliotrope_rash": False,
                                                           "gottron_papules": False}},
             labs={"enzymes": {"ck": {"value": 5200, "uln": 200}}},
             lab_results=[lab("ck", 8400, "U/L", uln=200, date="2026-10-20"),
                          lab("ck", 5200, "U/L", uln=200),
                          lab("egfr", 22, "mL/min/1.73m2"),
                          lab("potassium", 5.6, "mmol/L", uln=5.3)],
             other_medicines=["ace_inhibitor_or_arb"])


def test_known_ckd_with_a_potassium_of_5_6_is_not_called_rhabdomyolysis_kidney_injury() -> None:
    # Z27d P1 (dangerous) and Z27b P2: IV fluids 'titrated to urine output' for stable CKD 4
    # with a falling CK and potassium 5.6 (H843)
    codes = do_now(make_plan(**_CKD4))
    assert "very_high_ck_with_kidney_injury" not in codes
    assert "very_high_ck_known_ckd_potassium" in codes
    assert "hyperkalaemia_on_ace_inhibitor" not in codes  # covered by the new line
    # without known CKD the low eGFR with a high potassium is still an injury until shown not
    unknown = make_plan(**{**_CKD4, "comorbidities": {"diabetes": True}})
    assert "very_high_ck_with_kidney_injury" in do_now(unknown)


def test_ivig_is_not_held_for_a_creatinine_rise_over_a_year_of_known_ckd() -> None:
    # Z27c P2 (dangerous): 'Hold IVIG: acute kidney injury' for 150 to 240 umol/L over 11
    # months in CKD 4, leaving worsening anti-HMGCR myositis without its best agent (H845)
    slow = dict(_CKD4, lab_results=[lab("creatinine", 150, "umol/L", date="2025-12-10"),
                                    lab("creatinine", 240, "umol/L"),
                                    lab("egfr", 22, "mL/min/1.73m2")],
                treatments=[{"therapy": "ivig", "start": "2025-01-10", "dose_value": 2,
                             "dose_unit": "g/kg"}])
    plan = make_plan(**slow)
    assert "ivig" not in {w.therapy for w in plan.withheld}
    acute = make_plan(**{**slow, "comorbidities": {"diabetes": True}})
    assert "ivig" in {w.therapy for w in acute.withheld}


def test_refractory_jdm_skin_is_offered_mycophenolate_and_ivig_before_jak_inhibitors() -> None:
    # Z27a P6 (dangerous): tofacitinib as the switch and skin first choice for an 11-year-old
    # with a methotrexate liver injury, mycophenolate and IVIG never offered (H844)
    core = {"physician_global": 2.5, "patient_global": 4, "extramuscular_global": 3,
            "mmt8": 78, "cmas": 49, "chaq": 0.25}
    plan = make_plan(**_CHILD, sex="female", weight_kg=55, height_cm=146, months_since_onset=19,
                     diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 10},
                     antibodies={"mi2": {"status": "negative"}, "sae": {"status": "positive"}},
                     labs={"enzymes": {"ck": {"value": 118, "uln": 190}}},
                     lab_results=[lab("alt", 95, "U/L", uln=35, date="2026-11-03"),
                                  lab("alt", 122, "U/L", uln=35)],
                     comorbidities={"hepatic_impairment": True},
                     visits=[{"date": "2026-06-10", "core_set": core, "cdasi_activity": 9},
                             {"date": "2026-11-27", "core_set": core, "cdasi_activity": 13}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-05-23",
                                  "dose_value": 5, "dose_unit": "mg/day", "response": "partial"},
                                 {"therapy": "methotrexate", "start": "2025-05-23",
                                  "dose_value": 22.5, "dose_unit": "mg/week",
                                  "response": "partial"},
                                 {"therapy": "hydroxychloroquine", "start": "2025-09-01",
                                  "dose_value": 200, "dose_unit": "mg/day",
                                  "response": "partial"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0].startswith("Mycophenolate"), skin
    assert any("immunoglobulin" in a for a in skin.alternatives), skin
    assert not any("Tofacitinib" in e for r in plan.regimens for e in r.first_choice)


def test_a_prognosis_of_months_without_full_treatment_gets_a_proportionate_trial() -> None:
    # Z27c P7 (dangerous): rituximab first for anti-TIF1-gamma DM with platinum-resistant
    # ovarian cancer, a ward-based ceiling and a prognosis of months (H846)
    core = {"physician_global": 4, "patient_global": 6, "extramuscular_global": 4,
            "mmt8": 64, "haq": 1.8}
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}},
                     months_since_onset=14, classification={"age_at_onset": 67},
                     cancer={"active_cancer": True},
                     care_goals={"frailty_scale": 6, "treatment_ceiling": "ward_based",
                                 "prognosis": "months"},
                     labs={"enzymes": {"ck": {"value": 310, "uln": 200}}},
                     visits=[{"date": "2026-08-01", "core_set": core},
                             {"date": "2026-11-25", "core_set": core}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-10-01",
                                  "dose_value": 15, "dose_unit": "mg/day"},
                                 {"therapy": "methotrexate", "start": "2025-10-15",
                                  "stop": "2026-03-01", "outcome": "ineffective"},
                                 {"therapy": "azathioprine", "start": "2026-03-10",
                                  "stop": "2026-07-01", "outcome": "ineffective"},
                                 {"therapy": "ivig", "start": "2026-07-15", "dose_value": 2,
                                  "dose_unit": "g/kg", "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Severe frailty, a limited ceiling or a short "
                                             "prognosis"), muscle
    assert not any("Rituximab" in e for e in muscle.first_choice), muscle
    full = make_plan(**{**_quiet_frail(), "care_goals": {"treatment_ceiling": "full",
                                                          "prognosis": "months"}})
    assert not any(e.startswith("Severe frailty") for r in full.regimens
                   for e in r.first_choice)


def test_pregnancy_escalates_on_activity_not_on_a_missed_target() -> None:
    # Z27c P4 (dangerous): 'a glucocorticoid rise (IV methylprednisolone ...)' at 11 weeks for a
    # near-inactive muscle read as a missed treatment target; tacrolimus (stopped for tremor)
    # or a high 'caution' on azathioprine's pregnancy dose in the way of the switch (H847)
    core = {"physician_global": 3, "patient_global": 3, "extramuscular_global": 3,
            "mmt8": 75, "haq": 0.5}
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     diagnosis={"subgroup": "asys"}, months_since_onset=42,
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"age_at_onset": 30, "skin": {"heliotrope_rash": False,
                                                                   "gottron_papules": False}},
                     reproduction={"pregnant": True, "gestation_weeks": 11},
                     labs={"enzymes": {"ck": {"value": 260, "uln": 170}}},
                     visits=[{"date": "2026-08-01", "core_set": core},
                             {"date": "2026-11-25", "core_set": core}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2023-06-15",
                                  "dose_value": 7.5, "dose_unit": "mg/day",
                                  "response": "partial"},
                                 {"therapy": "tacrolimus", "start": "2023-07-01",
                                  "stop": "2024-02-01", "outcome": "not_tolerated",
                                  "reason_stopped": "adverse_event",
                                  "reaction_severity": "mild"},
                                 {"therapy": "mycophenolate", "start": "2024-02-15",
                                  "dose_value": 2000, "dose_unit": "mg/day",
                                  "response": "partial"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state != "inadequate_response", muscle
    text = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "IV methylprednisolone" not in text
    assert "switch to Azathioprine" in text, text


def test_the_gut_escalation_names_no_ivig_that_is_withheld() -> None:
    # Z27a P7: 'IVIG and/or IV cyclophosphamide' in the approach beside IVIG withheld (blood
    # products declined)
    from myositis.services.careplan.illness_guards import glucocorticoid_iv
    from myositis.services.careplan.model import Regimen
    gc = "Oral glucocorticoids (prednisone / prednisolone)"
    regimen = Regimen(domain="muscle", state="flare", first_choice=[gc], alternatives=[],
                      decision_point="Reassess.")
    [held] = glucocorticoid_iv([regimen], gc, jdm_gut=True, ivig_held=True)
    assert not any("IVIG and/or" in e for e in held.first_choice), held
    assert any(e.startswith("IV cyclophosphamide") for e in held.first_choice)
    [given] = glucocorticoid_iv([regimen], gc, jdm_gut=True)
    assert any(e.startswith("IVIG and/or IV cyclophosphamide") for e in given.first_choice)


def test_a_slow_new_agent_waits_for_the_incubation_even_with_an_organ_threatened() -> None:
    # Z27c P3: rituximab first for a seronegative child 3 days after a chickenpox contact with
    # gut vasculopathy; the organ's rescue goes ahead, rituximab waits (H848)
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_circumstances import varicella_incubation
    regimen = Regimen(domain="muscle", state="inadequate_response",
                      first_choice=["Rituximab (caution: chickenpox contact)",
                                    "add Intravenous methylprednisolone pulses",
                                    "IVIG and/or IV cyclophosphamide"],
                      alternatives=[], decision_point="Reassess.")
    [out] = varicella_incubation([regimen], True, "Intravenous immunoglobulin",
                                 agents=frozenset({"Rituximab",
                                                   "Intravenous methylprednisolone pulses"}))
    assert not any(e.startswith("Rituximab") for e in out.first_choice), out
    assert any("methylprednisolone" in e for e in out.first_choice)
    assert out.alternatives[0].startswith("after the chickenpox incubation period")
    assert "at once if an organ is threatened" not in out.alternatives[0]
    assert out.alternatives[0].endswith("Rituximab")


def test_a_failed_ivig_course_is_not_offered_again_at_2_g_per_kg_for_a_low_igg() -> None:
    # Z27b P5: full-dose IVIG 'to cover both' the low IgG and the myositis after 8 months of
    # IVIG without response
    from myositis.services.careplan.illness_guards import IVIG_COVERS_BOTH
    from myositis.services.careplan.regimens import IVIG_FAILED_REPLACEMENT
    core = {"physician_global": 5, "patient_global": 6, "extramuscular_global": 2,
            "mmt8": 58, "haq": 1.5}
    failed = [{"therapy": "ivig", "start": "2025-01-01", "stop": "2025-09-01",
               "outcome": "ineffective", "response": "none"}]
    base = dict(months_since_onset=40, comorbidities={"recurrent_infections": True},
                lab_results=[lab("igg", 3.8, "g/L")],
                visits=[{"date": "2026-08-01", "core_set": core},
                        {"date": "2026-11-25", "core_set": core}],
                treatments=[{"therapy": "glucocorticoids_oral", "start": "2023-09-01",
                             "dose_value": 10, "dose_unit": "mg/day"},
                            {"therapy": "mycophenolate", "start": "2024-01-01",
                             "dose_value": 2000, "dose_unit": "mg/day", "response": "partial"}])
    plan = make_plan(**{**base, "treatments": [*base["treatments"], *failed]})
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert IVIG_COVERS_BOTH not in entries, entries
    assert "Intravenous immunoglobulin" not in entries, entries
    assert IVIG_FAILED_REPLACEMENT in entries, entries
    fresh = make_plan(**base)
    assert "Intravenous immunoglobulin" in [e for r in fresh.regimens for e in r.first_choice]


def test_a_trans_man_is_not_given_the_male_sex_cancer_factor_or_male_only_fertility_advice() -> None:
    # Z27d P2: male sex counted as a cancer-risk factor, and sperm banking offered, for a trans
    # man recorded as male who can become pregnant
    from myositis.services.careplan.screening import cancer_screening
    from tests.services.careplan.conftest import make_record
    trans = make_record(sex="male", reproduction={"pregnant": False, "can_become_pregnant": True,
                                                  "planning_conception": False,
                                                  "breastfeeding": False})
    cis = make_record(sex="male", reproduction={"pregnant": None, "planning_conception": False,
                                                "breastfeeding": None})
    kb = load()
    assert "male_sex" not in {f.factor for f in cancer_screening(trans, kb, ["dm"]).factors}
    assert "male_sex" in {f.factor for f in cancer_screening(cis, kb, ["dm"]).factors}
    rule = next(r for r in kb.rules.rules if r.id == "cyclophosphamide_fertility")
    assert "for testes, sperm banking" in rule.text and "men and boys" not in rule.text


def test_a_prognosis_of_months_names_palliative_care() -> None:
    # Z27c P7 and Z27d P7: no palliative care named with a prognosis of months
    assert "palliative_care_prognosis_months" in do_now(
        make_plan(care_goals={"prognosis": "months", "treatment_ceiling": "full"}))
    assert "palliative_care_prognosis_months" not in do_now(
        make_plan(care_goals={"prognosis": "years"}))
    near_end = do_now(make_plan(care_goals={"prognosis": "months",
                                            "treatment_ceiling": "comfort"}))
    assert "palliative_care_prognosis_months" not in near_end  # covered by the end-of-life line
    assert "goals_of_care_end_of_life" in near_end


def test_refractory_jdm_skin_keeps_a_topical_adjunct_and_mycophenolate_has_a_child_dose() -> None:
    # re-scores of Z27a and Z27b: topical tacrolimus dropped from refractory JDM skin once IVIG
    # joined the options, and 'switch to mycophenolate' for an 11-year-old with no dose
    core = {"physician_global": 2, "patient_global": 3, "extramuscular_global": 3,
            "mmt8": 78, "cmas": 49, "chaq": 0.25}
    plan = make_plan(**_CHILD, sex="female", weight_kg=38, height_cm=146, months_since_onset=30,
                     diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 8},
                     antibodies={"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}},
                     labs={"enzymes": {"ck": {"value": 118, "uln": 190}}},
                     visits=[{"date": "2026-06-10", "core_set": core, "cdasi_activity": 12},
                             {"date": "2026-11-27", "core_set": core, "cdasi_activity": 14}],
                     treatments=[{"therapy": "methotrexate", "start": "2024-06-01",
                                  "dose_value": 15, "dose_unit": "mg/week",
                                  "response": "partial"},
                                 {"therapy": "hydroxychloroquine", "start": "2024-09-01",
                                  "dose_value": 200, "dose_unit": "mg/day",
                                  "response": "partial"}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.state == "inadequate_response"
    assert any(e.startswith("Topical") and e.endswith("(adjunct)") for e in skin.first_choice), \
        skin
    dose = next((d.text for d in plan.doses if d.therapy == "mycophenolate"), "")
    assert "mg/m2" in dose and "2 g a day" in dose, [d.therapy for d in plan.doses]


def test_pregnancy_keeps_the_glucocorticoid_at_the_lowest_controlling_dose() -> None:
    # re-score of Z27c P4: 'Continue and optimise Oral glucocorticoids' at 11 weeks read as a
    # steroid rise for a near-inactive muscle
    from myositis.services.careplan.pass_wording import PREGNANCY_GC
    core = {"physician_global": 3, "patient_global": 3, "extramuscular_global": 2,
            "mmt8": 75, "haq": 0.5}
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 11},
                     months_since_onset=20, labs={"enzymes": {"ck": {"value": 260, "uln": 170}}},
                     visits=[{"date": "2026-08-01", "core_set": core},
                             {"date": "2026-11-25", "core_set": core}],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-06-15",
                                  "dose_value": 7.5, "dose_unit": "mg/day"},
                                 {"therapy": "azathioprine", "start": "2025-07-01",
                                  "dose_value": 100, "dose_unit": "mg/day"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    gc = "Oral glucocorticoids (prednisone / prednisolone)"
    assert f"Continue and optimise {gc}" not in entries, entries
    assert PREGNANCY_GC.format(gc=gc) in entries, entries


def test_frailty_keeps_the_seasonal_vaccines_and_one_review_horizon() -> None:
    # re-score of Z27c P7: the vaccines dropped and the yearly cardiovascular review kept for
    # a patient with months to live; 'review in 4-6 weeks' beside 'reassess after 3-4 months'
    from myositis.services.careplan.regimen_route_and_risk import PROPORTIONATE_REVIEW
    plan = make_plan(**_quiet_frail(care_goals={"frailty_scale": 7, "prognosis": "months",
                                                "treatment_ceiling": "ward_based"},
                                    labs={"enzymes": {"ck": {"value": 900, "uln": 200}}},
                                    lab_results=[lab("ck", 900, "U/L", uln=200)]))
    codes = do_now(plan)
    assert "covid_vaccine_due" in codes or "influenza_vaccine_due" in codes, codes
    assert "cardiovascular_risk_review" not in codes
    assert "zoster_vaccination_review" not in codes
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.decision_point == PROPORTIONATE_REVIEW


def test_no_methotrexate_nsaid_monitoring_line_with_a_gut_bleed() -> None:
    # Z27d P6: 'monitor blood count and creatinine' on an NSAID beside 'no NSAIDs' for a child
    # with gut vasculopathy
    from tests.services.careplan.conftest import cautions
    mtx = [{"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 15,
            "dose_unit": "mg/week"}]
    bleed = make_plan(other_medicines=["nsaid"], treatments=mtx,
                      organs={"gi_bleeding": True, "gut_symptoms": True})
    assert "methotrexate_nsaid" not in cautions(bleed, "methotrexate")
    plain = make_plan(other_medicines=["nsaid"], treatments=mtx)
    assert "methotrexate_nsaid" in cautions(plain, "methotrexate")


def test_the_record_holds_the_cd4_count_and_a_low_one_asks_for_pjp_prophylaxis() -> None:
    # Z27d: the record could not hold the CD4 count, the HIV viral load, GGT, albumin or INR
    hiv = {"hiv": {"result": "positive"}}
    low = make_plan(infection_screening=hiv,
                    lab_results=[lab("cd4", 150, "cells/uL"),
                                 lab("hiv_viral_load", 40, "copies/mL"),
                                 lab("ggt", 98, "U/L", uln=38), lab("albumin", 31, "g/L"),
                                 lab("inr", 1.4, "ratio")])
    assert "hiv_low_cd4" in do_now(low)
    assert "hiv_low_cd4" not in do_now(make_plan(infection_screening=hiv,
                                                 lab_results=[lab("cd4", 450, "cells/uL")]))

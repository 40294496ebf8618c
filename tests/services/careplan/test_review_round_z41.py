"""Findings of specialist review round Z41 (clinical pharmacology and pharmacy, nephrology,
general practice, respiratory medicine and ILD) and of open findings carried over from Z40,
fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import FALLING_LUNG, do_now, make_plan, withheld

MDA5_RP_ILD = {
    "diagnosis": {"subgroup": "adm"},
    "antibodies": {"mda5": {"status": "positive", "level": "strong"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True,
                 "dyspnoea_or_cough": True},
    "lung_measures": [{"date": "2026-11-25", "fvc_percent_predicted": 55,
                       "hrct_pattern": "nsip_op", "oxygen": "at_rest",
                       "course": "rapidly_progressive"}],
}


def _first_choices(plan: CarePlan, domain: str) -> list[str]:
    return next(r for r in plan.regimens if r.domain == domain).first_choice


def test_cyclophosphamide_first_choice_says_breastfeeding_stops() -> None:
    """Z40 carried over (dangerous): cyclophosphamide the first choice for a breastfeeding
    mother, its breastfeeding stop only in the options table."""
    nursing = make_plan(**MDA5_RP_ILD, reproduction={"pregnant": False, "breastfeeding": True})
    cyc = [e for e in _first_choices(nursing, "lung") if "Cyclophosphamide" in e]
    assert cyc and all("not with breastfeeding" in e for e in cyc), cyc
    not_nursing = make_plan(**MDA5_RP_ILD)
    assert not any("not with breastfeeding" in e for e in _first_choices(not_nursing, "lung"))


GC_40 = {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 40,
         "dose_unit": "mg/day", "outcome": "ongoing"}


def test_prophylaxis_line_asks_about_co_trimoxazole_already_taken() -> None:
    """Z40 carried over: 'PJP prophylaxis due now ... co-trimoxazole' for a patient whose other
    medicines already hold co-trimoxazole."""
    taking = make_plan(other_medicines=["co_trimoxazole"], treatments=[GC_40], weight_kg=70)
    line = next(a.text for a in taking.do_now if a.code == "pjp_prophylaxis_due_glucocorticoid_dose")
    assert "already recorded among the other medicines" in line
    not_taking = make_plan(treatments=[GC_40], weight_kg=70)
    line = next(a.text for a in not_taking.do_now
                if a.code == "pjp_prophylaxis_due_glucocorticoid_dose")
    assert "already recorded" not in line


def test_high_risk_cancer_screen_is_done_in_the_same_admission() -> None:
    """Z40b P7 carried over: an 81-year-old with anti-TIF1-gamma and severe dysphagia, the
    cancer screen left 'once the urgent problem is stabilised'."""
    tif1g = {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}}
    plan = make_plan(date_of_birth="1945-03-01", classification={"age_at_onset": 81},
                     antibodies=tif1g, organs={"dysphagia": "severe"})
    line = next(a.text for a in plan.do_now if a.code == "cancer_screening_due")
    assert "within the same admission" in line
    moderate = make_plan(diagnosis={"subgroup": "asys"}, organs={"dysphagia": "severe"},
                         antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                         classification={"age_at_onset": 30})
    line = next(a.text for a in moderate.do_now if a.code == "cancer_screening_due")
    assert "high risk" not in line, line
    assert "once the urgent problem is stabilised" in line and "same admission" not in line


def test_swallow_is_asked_in_an_older_patient_with_active_imnm() -> None:
    """Z40b carried over (dangerous omission): an 86-year-old with active anti-HMGCR myopathy
    and no word on swallowing."""
    imnm = {"date_of_birth": "1940-03-01", "classification": {"age_at_onset": 86},
            "diagnosis": {"subgroup": "imnm"}, "skin": {},
            "antibodies": {"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
            "labs": {"enzymes": {"ck": {"value": 8000, "uln": 200}}}}
    assert do_now(make_plan(**imnm))["swallow_not_assessed"] == "soon"
    younger = {**imnm, "date_of_birth": "1962-03-01", "classification": {"age_at_onset": 64}}
    assert do_now(make_plan(**younger))["swallow_not_assessed_routine"] == "routine"
    assert "swallow_not_assessed" not in do_now(make_plan(**imnm, organs={"dysphagia": "none"}))
    # a swallow assessment on record answers it (re-score of Z41c P1)
    assessed = do_now(make_plan(**imnm, workup_done=["antibody_panel", "swallowing"]))
    assert "swallow_not_assessed" not in assessed


UIP_FALLING = [
    {"date": "2025-11-20", "fvc_percent_predicted": 64, "dlco_percent_predicted": 41,
     "hrct_pattern": "uip", "course": "progressive"},
    {"date": "2026-11-12", "fvc_percent_predicted": 55, "dlco_percent_predicted": 33,
     "hrct_pattern": "uip", "oxygen": "exertional", "course": "progressive"}]


def test_uip_pattern_progressing_brings_the_antifibrotic_now() -> None:
    """Z41d P5 (dangerous): nintedanib deferred 'until about 3 months of adequate
    immunosuppression' for a frail man of 79 whose UIP-pattern ILD had progressed for a year
    on glucocorticoids alone."""
    asys = {"diagnosis": {"subgroup": "asys"}, "date_of_birth": "1947-09-30",
            "classification": {"age_at_onset": 77}, "skin": {},
            "antibodies": {"mi2": {"status": "negative"}, "pl7": {"status": "positive"}},
            "systemic": {"interstitial_lung_disease": True},
            "treatments": [{"therapy": "glucocorticoids_oral", "start": "2025-06-15",
                            "dose_value": 10, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    frail = make_plan(**asys, lung_measures=UIP_FALLING,
                      care_goals={"frailty_scale": 6, "prognosis": "months"})
    assert any(e.startswith("add Nintedanib (UIP-pattern") for e in _first_choices(frail, "lung"))
    codes = do_now(frail)
    assert "ild_uip_progressing" in codes and "ild_progressing_early_in_treatment" not in codes
    nsip = [{**m, "hrct_pattern": "nsip"} for m in UIP_FALLING]
    other = make_plan(**asys, lung_measures=nsip)
    assert not any("UIP-pattern" in e for e in _first_choices(other, "lung"))
    assert "ild_uip_progressing" not in do_now(other)


def test_a_cockcroft_gault_clearance_is_not_called_egfr() -> None:
    """Z41a, Z41b, Z41c (and Z40): a clearance of 20.8 printed as 'eGFR 20.8' beside a
    reported eGFR of 24."""
    old = make_plan(date_of_birth="1946-01-01", classification={"age_at_onset": 80},
                    weight_kg=55, lab_results=[
                        {"analyte": "egfr", "value": 26, "unit": "mL/min/1.73m2",
                         "date": "2026-11-20"},
                        {"analyte": "creatinine", "value": 180, "unit": "umol/L",
                         "date": "2026-11-20"}])
    texts = [c.text for o in old.options for c in o.cautions] + [a.text for a in old.do_now]
    named = [t for t in texts if "Cockcroft-Gault" in t]
    assert named, texts
    assert not any("eGFR 2" in t and "Cockcroft-Gault" not in t and "26" not in t
                   for t in texts)


def test_a_cancer_operation_is_not_postponed_for_the_myositis() -> None:
    """Z41a P4 (dangerous): 'postpone it ... until the disease is controlled' for a curative
    hemicolectomy in anti-TIF1-gamma DM with severe dysphagia."""
    tif1g = {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}}
    operation = {"date": "2026-12-15", "elective": True,
                 "procedure": "laparoscopic right hemicolectomy for caecal adenocarcinoma"}
    plan = make_plan(antibodies=tif1g, organs={"dysphagia": "severe"}, surgery=operation,
                     cancer={"active_cancer": True,
                             "treatment": [{"kind": "surgery", "status": "planned",
                                            "start": "2026-12-15"}]})
    codes = do_now(plan)
    assert "cancer_surgery_with_active_myositis" in codes
    assert "elective_surgery_while_unsafe" not in codes
    hernia = make_plan(organs={"dysphagia": "severe"},
                       surgery={**operation, "procedure": "inguinal hernia repair"})
    assert "elective_surgery_while_unsafe" in do_now(hernia)


def test_ibm_keeps_the_statin_and_stops_the_interacting_drug() -> None:
    """Z41a P6 (dangerous): 'hold the statin now ... restarts once the CK settles' in IBM of
    seven years with CK 3 x ULN (its usual level), a statin after a heart attack, colchicine."""
    ibm = {"diagnosis": {"subgroup": "ibm"}, "skin": {}, "months_since_onset": 84,
           "antibodies": {"mi2": {"status": "negative"}},
           "labs": {"enzymes": {"ck": {"value": 620, "uln": 200}}},
           "other_medicines": ["statin", "colchicine"]}
    codes = do_now(make_plan(**ibm))
    assert "statin_interaction_in_ibm" in codes
    assert "statin_interaction_myotoxicity" not in codes
    dm = do_now(make_plan(labs={"enzymes": {"ck": {"value": 620, "uln": 200}}},
                          other_medicines=["statin", "colchicine"]))
    assert "statin_interaction_myotoxicity" in dm and "statin_interaction_in_ibm" not in dm


def test_full_care_keeps_intensive_care_when_only_the_kidney_rules_out_a_transplant() -> None:
    """Z41b P7 (dangerous): 'agree the ceiling ... rescue on the ward' for a fit woman of 45
    with full care agreed, anti-MDA5 RP-ILD and an acute kidney injury."""
    kidney = [{"analyte": "egfr", "value": 28, "unit": "mL/min/1.73m2", "date": "2026-11-28"}]
    full = make_plan(**MDA5_RP_ILD, lab_results=kidney,
                     care_goals={"frailty_scale": 2, "treatment_ceiling": "full"})
    line = next(a.text for a in full.do_now if a.code == "suspected_rp_ild")
    assert "Involve intensive care early" in line and "rescue on the ward" not in line
    assert "lung transplant needs kidney function" in line
    ward = make_plan(**MDA5_RP_ILD, lab_results=kidney,
                     care_goals={"frailty_scale": 2, "treatment_ceiling": "ward_based"})
    assert "rescue on the ward" in next(a.text for a in ward.do_now if a.code == "suspected_rp_ild")


def test_a_stable_lung_and_active_muscle_share_one_new_agent() -> None:
    """Z41b P6 (dangerous): 'add azathioprine' for the muscle and 'add mycophenolate' for a
    stable lung on glucocorticoids alone, never reconciled."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung_measures=[{"date": "2026-11-01", "fvc_percent_predicted": 78,
                                     "hrct_pattern": "nsip", "course": "stable"}],
                     treatments=[GC_40], weight_kg=70,
                     lab_results=[{"analyte": "egfr", "value": 27, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    muscle, lung = _first_choices(plan, "muscle"), _first_choices(plan, "lung")
    lung_new = [e[4:].split(" (")[0] for e in lung if e.startswith("add ")]
    muscle_new = [e[4:].split(" (")[0] for e in muscle if e.startswith("add ")]
    assert lung_new, lung
    assert not set(muscle_new) - set(lung_new), (muscle, lung)


def test_one_hba1c_does_not_overrule_a_record_of_no_diabetes() -> None:
    """Z41a P1, Z41c P5-P6, Z41d P5: 'Glucocorticoids taken with diabetes' and a same-day
    insulin plan from one HbA1c of 49-52 against a record of no diabetes."""
    hba1c = [{"analyte": "hba1c", "value": 50, "unit": "mmol/mol", "date": "2026-11-20"}]
    said_no = make_plan(treatments=[GC_40], weight_kg=70, lab_results=hba1c,
                        comorbidities={"diabetes": False})
    codes = do_now(said_no)
    assert "hba1c_diabetic_range_against_record" in codes
    assert not {"glucocorticoids_taken_with_diabetes",
                "diabetes_with_high_dose_glucocorticoids_now"} & set(codes)
    unrecorded = do_now(make_plan(treatments=[GC_40], weight_kg=70, lab_results=hba1c))
    assert "hba1c_diabetic_range_against_record" not in unrecorded
    assert "diabetes_with_high_dose_glucocorticoids_now" in unrecorded


def test_the_steroid_card_stays_when_an_infection_line_replaces_the_adrenal_line() -> None:
    """Z41c P1 and P4: the steroid emergency card dropped whenever an active infection was
    recorded, when it matters most."""
    plan = make_plan(treatments=[GC_40], weight_kg=70, comorbidities={"active_infection": True})
    line = next(a.text for a in plan.do_now if a.code == "active_infection_on_glucocorticoids")
    assert "steroid emergency card" in line


def test_live_vaccines_are_warned_of_once_every_vaccine_is_recorded() -> None:
    """Z41c P1, P4, P6: no live-vaccine warning when no vaccine was due; Z41c P3: the school
    nasal-spray influenza vaccine not named as live for a child."""
    done = [{"vaccine": v, "date": "2026-10-01"} for v in
            ("pneumococcal", "influenza", "covid19", "zoster_recombinant")]
    plan = make_plan(treatments=[GC_40], weight_kg=70, vaccinations=done)
    assert "no_live_vaccines_while_immunosuppressed" in do_now(plan)
    due = make_plan(treatments=[GC_40], weight_kg=70)
    assert "no_live_vaccines_while_immunosuppressed" not in do_now(due)
    child = make_plan(date_of_birth="2014-01-01", classification={"age_at_onset": 12},
                      diagnosis={"subgroup": "jdm"}, treatments=[GC_40], weight_kg=40)
    line = next(a.text for a in child.do_now if a.code == "vaccination_review_child")
    assert "nasal-spray influenza vaccine" in line


def test_a_planned_course_leads_the_regimen_that_lists_it() -> None:
    """Z41c P7: rituximab booked after an ILD team decision, listed as the alternative to
    tacrolimus (here the other way round: tacrolimus booked, rituximab the plan's own pick)."""
    mmf = {"therapy": "mycophenolate", "start": "2024-09-01", "dose_value": 3,
           "dose_unit": "g/day", "outcome": "ongoing", "response": "partial"}
    base = {"systemic": {"interstitial_lung_disease": True}, "lung_measures": FALLING_LUNG,
            "treatments": [mmf], "weight_kg": 70}
    without = _first_choices(make_plan(**base), "lung")
    assert without[0] == "Rituximab", without
    planned = make_plan(**base, planned_treatments=[{"therapy": "tacrolimus",
                                                     "start": "2026-12-08"}])
    lung = next(r for r in planned.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("Tacrolimus (planned"), lung.first_choice
    assert "Rituximab" in lung.alternatives and not any(
        a.startswith("Tacrolimus") for a in lung.alternatives)


def test_an_infected_anti_mda5_lung_is_not_called_fibrosis_and_the_lines_agree() -> None:
    """Z41c P4: 'refer to a lung-transplant centre' for a febrile, hypoxic anti-MDA5 lung, and
    'rituximab waits until the infection is treated' beside a lung regimen adding it."""
    mmf = {"therapy": "mycophenolate", "start": "2026-03-01", "dose_value": 2,
           "dose_unit": "g/day", "outcome": "ongoing"}
    plan = make_plan(**{**MDA5_RP_ILD, "lung_measures": FALLING_LUNG},
                     treatments=[mmf, GC_40], weight_kg=80,
                     comorbidities={"active_infection": True})
    codes = do_now(plan)
    assert "ild_progressing_transplant_referral" not in codes
    assert "progressive_pulmonary_fibrosis" not in codes
    lines = [c.text for o in plan.options for c in o.cautions] + [a.text for a in plan.do_now]
    assert not any("an antimetabolite, rituximab or another slow agent waits" in t for t in lines)


def test_pjp_prophylaxis_is_not_co_trimoxazole_by_default_on_dialysis_or_with_high_potassium(
) -> None:
    """Z41a P8: 'plan co-trimoxazole now' for an anuric dialysis patient with potassium 5.7."""
    gc = {**GC_40, "start": "2026-11-25"}
    dialysis = make_plan(treatments=[gc], weight_kg=70, comorbidities={"dialysis": True})
    potassium = make_plan(treatments=[gc], weight_kg=70, lab_results=[
        {"analyte": "potassium", "value": 5.7, "unit": "mmol/L", "date": "2026-11-28"}])
    for plan, said in ((dialysis, "on dialysis atovaquone"),
                       (potassium, "atovaquone while potassium is 5 mmol/L or more")):
        lines = [a.text for a in plan.do_now if a.code.startswith("pjp_prophylaxis")]
        assert lines and all(said in t for t in lines), lines


def test_a_transplanted_lung_worsening_fast_goes_to_the_transplant_centre_today() -> None:
    """Z41d P8: the native RP-ILD rescue text (plasma exchange, ECMO 'as a bridge to
    transplantation') for a lung-transplant recipient with CMV viraemia."""
    plan = make_plan(diagnosis={"subgroup": "asys"},
                     antibodies={"mi2": {"status": "negative"}, "ej": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     comorbidities={"solid_organ_transplant": True,
                                    "transplanted_organs": ["lung"]})
    line = next(a for a in plan.do_now if a.code == "suspected_rp_ild")
    assert line.urgency == "urgent" and "lung-transplant centre today" in line.text
    assert "ECMO" not in line.text


def test_anti_ro52_is_not_read_as_anti_ro60_in_pregnancy() -> None:
    """Z41d P3: 'Anti-Ro52 (anti-Ro/SSA) positive ... risk of congenital heart block', Ro52
    read as Ro60."""
    plan = make_plan(antibodies={"mi2": {"status": "positive"}, "ro52": {"status": "positive"}},
                     reproduction={"pregnant": True, "gestation_weeks": 14})
    line = next(a.text for a in plan.do_now if a.code == "anti_ro_pregnancy")
    assert "less certain with Ro52 alone" in line and "test anti-Ro60" in line
    assert "(anti-Ro/SSA) positive" not in line


def test_no_chest_radiograph_is_asked_for_days_after_a_chest_ct() -> None:
    """Z41d P1, P2, P6, P7: a chest radiograph requested days after an HRCT, in the TB screen
    and in the cancer screen."""
    hrct = [{"date": "2026-11-20", "fvc_percent_predicted": 80, "hrct_pattern": "nsip",
             "course": "stable"}]
    plan = make_plan(systemic={"interstitial_lung_disease": True}, lung_measures=hrct,
                     infection_screening={"tb_test": None})
    texts = [a.text for a in (plan.do_now_bundled or plan.do_now)]
    tb = [t for t in texts if "IGRA" in t]
    assert tb and all("the CT of the chest of 2026-11-20 as the chest imaging" in t for t in tb)
    assert plan.cancer_screening is None or not any(
        "Chest radiograph" in t for t in plan.cancer_screening.tests_due)
    without = make_plan(infection_screening={"tb_test": None})
    assert any("chest radiograph" in a.text for a in without.do_now)


def test_a_withheld_jak_inhibitor_names_only_the_reason_recorded() -> None:
    """Z41d P1: 'Withheld Tofacitinib: CMV viraemia, or lymphocytes 0.45' with no CMV result."""
    plan = make_plan(**MDA5_RP_ILD, lab_results=[
        {"analyte": "lymphocytes", "value": 0.45, "unit": "10^9/L", "date": "2026-11-28"}])
    reasons = [w.reason for w in plan.withheld if w.therapy == "tofacitinib"]
    assert reasons and not any("CMV" in r for r in reasons), reasons


def test_a_child_s_methotrexate_is_dosed_by_body_surface_area() -> None:
    """Z41a P2: 'Child: dose by weight (mg/kg)' for methotrexate, which JDM doses by mg/m2."""
    child = make_plan(date_of_birth="2014-01-01", classification={"age_at_onset": 12},
                      diagnosis={"subgroup": "jdm"}, treatments=[GC_40], weight_kg=40)
    line = next(a.text for a in child.do_now if a.code == "child_glucocorticoids")
    assert "methotrexate by body-surface area" in line


def test_a_low_count_or_chemotherapy_brings_a_fever_plan() -> None:
    """Z41c P5: neutrophils 1.1 on chemotherapy, no word on what a fever means."""
    chemo = make_plan(cancer={"active_cancer": True, "treatment": [
        {"kind": "chemotherapy", "status": "ongoing", "start": "2026-11-15"}]},
        lab_results=[{"analyte": "neutrophils", "value": 1.1, "unit": "10^9/L",
                      "date": "2026-11-28"}])
    assert do_now(chemo)["fever_safety_net_low_count_or_chemotherapy"] == "soon"
    assert "fever_safety_net_low_count_or_chemotherapy" not in do_now(make_plan())


def test_rituximab_days_away_with_anti_hbc_and_no_antiviral_is_urgent() -> None:
    """Z41c P7: anti-HBc positive, HBV DNA never done, no antiviral, rituximab in 7 days, the
    HBV steps graded 'soon'."""
    hbc = {"anti_hbc": {"result": "positive"}, "hbsag": {"result": "negative"}}
    soon = make_plan(infection_screening=hbc, planned_treatments=[
        {"therapy": "rituximab", "start": "2026-12-08"}])
    line = next(a for a in soon.do_now if a.code == "planned_course_checks_rituximab")
    assert line.urgency == "urgent" and "entecavir or tenofovir started before" in line.text
    later = make_plan(infection_screening=hbc, planned_treatments=[
        {"therapy": "rituximab", "start": "2027-02-01"}])
    assert next(a for a in later.do_now
                if a.code == "planned_course_checks_rituximab").urgency == "soon"
    covered = make_plan(infection_screening=hbc, other_medicines=["hbv_active_antiviral"],
                        planned_treatments=[{"therapy": "rituximab", "start": "2026-12-08"}])
    assert "entecavir or tenofovir started before" not in next(
        a.text for a in covered.do_now if a.code == "planned_course_checks_rituximab")


def test_a_new_slow_agent_waits_for_the_screen_and_a_provisional_diagnosis() -> None:
    """Z41c P8: 'add methotrexate' for an unclassified myositis on prednisolone 60 mg before
    any hepatitis B, TB or strongyloides test and before the biopsy."""
    unscreened = {"hbsag": None, "anti_hbc": None, "tb_test": None,
                  "strongyloides_endemic": True}
    provisional = make_plan(diagnosis={"subgroup": "unclassified",
                                       "treatment_cannot_wait": True},
                            infection_screening=unscreened, treatments=[GC_40], weight_kg=70)
    added = [e for e in _first_choices(provisional, "muscle") if e.startswith("add ")]
    assert added and all("after a confirmed diagnosis" in e and "strongyloides"
                         in e for e in added), added
    screened = make_plan(treatments=[GC_40], weight_kg=70)
    assert not any("(after " in e for e in _first_choices(screened, "muscle"))


def test_a_planned_course_the_plan_cautions_against_is_not_promoted() -> None:
    """Re-score of Z41b P4: azathioprine booked beside allopurinol, put first over the plan's
    own choice."""
    plan = make_plan(other_medicines=["allopurinol"], planned_treatments=[
        {"therapy": "azathioprine", "start": "2026-12-10"}])
    assert not any(e.removeprefix("add ").startswith("Azathioprine")
                   for e in _first_choices(plan, "muscle"))


def test_a_kidney_figure_keeps_its_advice_in_the_caution_cell_and_says_dialysis() -> None:
    """Re-scores of Z41a P1 and Z41b P1: 'started low (about 500 mg twice daily)' lost from
    the mycophenolate caution once the clearance was named; 'eGFR 6' on dialysis."""
    from myositis.services.careplan.patient_text import caution_label
    label = caution_label("creatinine clearance 20.8 mL/min (Cockcroft-Gault, below the "
                          "reported eGFR of 24): mycophenolate started low (about 500 mg "
                          "twice daily)", limit=400)
    assert "started low" in label
    dialysis = make_plan(comorbidities={"dialysis": True}, lab_results=[
        {"analyte": "egfr", "value": 6, "unit": "mL/min/1.73m2", "date": "2026-11-20"}])
    texts = [c.text for o in dialysis.options for c in o.cautions if "eGFR 6" in c.text]
    assert texts and all("on dialysis, so doses follow the dialysis schedule" in t
                         for t in texts), texts


def test_a_failing_lung_graft_is_the_transplant_team_s_today() -> None:
    """Re-score of Z41d P8: 'the lung transplant team this week' beside the urgent line
    saying today."""
    falling = [{"date": "2026-06-01", "fvc_percent_predicted": 80},
               {"date": "2026-11-28", "fvc_percent_predicted": 60, "oxygen": "at_rest",
                "course": "rapidly_progressive"}]
    plan = make_plan(diagnosis={"subgroup": "asys"},
                     systemic={"interstitial_lung_disease": True}, lung_measures=falling,
                     comorbidities={"solid_organ_transplant": True,
                                    "transplanted_organs": ["lung"]})
    texts = [a.text for a in plan.do_now if "lung transplant team" in a.text]
    assert texts and not any("this week" in t for t in texts), texts


def test_a_very_high_ck_with_a_low_egfr_and_no_baseline_is_a_kidney_injury() -> None:
    """Z42b P8 (dangerous): CK 25,400, creatinine 150 and potassium 5.4 with no earlier
    creatinine got only a 'soon' hydration line."""
    labs = [{"analyte": "ck", "value": 25400, "unit": "U/L", "uln": 200, "date": "2026-12-01"},
            {"analyte": "creatinine", "value": 150, "unit": "umol/L", "date": "2026-12-01"}]
    plan = make_plan(sex="male", labs={}, lab_results=labs)
    assert do_now(plan).get("very_high_ck_with_kidney_injury") == "urgent"
    ckd = make_plan(sex="male", labs={}, lab_results=labs,
                    comorbidities={"renal_impairment": True})
    assert "very_high_ck_with_kidney_injury" not in do_now(ckd)


def test_a_macrolide_goes_today_when_the_heart_is_involved() -> None:
    """Z42b P6 (dangerous): clarithromycin kept unless the QTc passed 500 ms, in myocarditis."""
    plan = make_plan(organs={"cardiac": "confirmed"},
                     other_medicines=["macrolide_antibiotic", "qt_prolonging"])
    line = next(a.text for a in plan.do_now if a.code == "qt_prolonging_drugs_together")
    assert "stopped or replaced today" in line and "above 500 ms" not in line
    heart_ok = make_plan(other_medicines=["macrolide_antibiotic", "qt_prolonging"])
    assert "above 500 ms" in next(a.text for a in heart_ok.do_now
                                  if a.code == "qt_prolonging_drugs_together")


def _liver_labs(bilirubin: float, albumin: float, inr: float) -> list[dict[str, object]]:
    return [{"analyte": "bilirubin", "value": bilirubin, "unit": "umol/L", "date": "2026-11-28"},
            {"analyte": "albumin", "value": albumin, "unit": "g/L", "date": "2026-11-28"},
            {"analyte": "inr", "value": inr, "unit": "ratio", "date": "2026-11-28"}]


def test_child_pugh_laboratory_rows_follow_pugh_1973_at_the_band_edges() -> None:
    """The laboratory rows of Child-Pugh (Pugh 1973, doi:10.1002/bjs.1800600817): bilirubin
    <34 / 34-50 / >50 umol/L,
    albumin >35 / 28-35 / <28 g/L, INR <1.7 / 1.7-2.3 / >2.3; ascites and encephalopathy
    scored 1 each as the minimum."""
    from myositis.services.careplan.record_readers import child_pugh_lab_minimum
    from tests.services.careplan.conftest import make_record
    cases = {(33.9, 35.1, 1.69): 5, (34, 35, 1.7): 8, (50, 28, 2.3): 8,
             (50.1, 27.9, 2.31): 11, (42, 28, 1.6): 7}
    for labs, points in cases.items():
        assert child_pugh_lab_minimum(make_record(lab_results=_liver_labs(*labs))) == points
    assert child_pugh_lab_minimum(make_record()) is None


def test_nintedanib_is_withheld_when_the_liver_tests_give_child_pugh_b() -> None:
    """Z42c P7 (dangerous): 'add nintedanib' with bilirubin 42, albumin 28 and INR 1.6 in
    cirrhosis; and 'avoid non-selective beta-blockers' beside variceal-bleed prophylaxis."""
    cirrhosis = {"hepatic_impairment": True}
    plan = make_plan(systemic={"interstitial_lung_disease": True, "raynaud": True},
                     lung_measures=UIP_FALLING, comorbidities=cirrhosis,
                     lab_results=_liver_labs(42, 28, 1.6))
    assert "nintedanib" in withheld(plan)
    raynaud = next(a.text for a in plan.do_now if a.code == "raynaud_care")
    assert "never stopped for Raynaud" in raynaud
    milder = make_plan(systemic={"interstitial_lung_disease": True},
                       lung_measures=UIP_FALLING, comorbidities=cirrhosis,
                       lab_results=_liver_labs(20, 40, 1.1))
    assert "nintedanib" not in withheld(milder)


def test_ivig_hydration_follows_the_heart_in_heart_failure() -> None:
    """Z42d P4 (dangerous): 'the course split over 3-5 days at the slowest rate with hydration'
    for a woman with heart failure (EF 35 %), overloaded after her last IVIG course."""
    ivig = {"therapy": "ivig", "start": "2026-06-01", "outcome": "ongoing"}
    clot = {"thrombosis_history": True, "last_thrombosis": "2026-10-15"}
    failing = make_plan(treatments=[ivig], other_medicines=["doac", "antiplatelet"],
                        comorbidities={**clot, "heart_failure": True})
    texts = [a.text for a in failing.do_now] + [c.text for o in failing.options
                                                  for c in o.cautions]
    assert not any("slowest rate with hydration" in t or "; hydration, the minimum" in t
                   for t in texts)
    assert any("fluids only as the heart failure allows" in t for t in texts)


def test_a_recorded_refusal_of_blood_products_reaches_the_cytopenia_line() -> None:
    """Z42d P8: 'haematology the same day for transfusion' for a patient who declines blood
    products; 'neutrophils 0.8 or platelets 160' read as if both were low."""
    mtx = {"therapy": "methotrexate", "start": "2026-01-01", "dose_value": 15,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    counts = [{"analyte": "neutrophils", "value": 0.4, "unit": "10^9/L", "date": "2026-11-28"},
              {"analyte": "platelets", "value": 160, "unit": "10^9/L", "date": "2026-11-28"}]
    plan = make_plan(treatments=[mtx], lab_results=counts,
                     preferences={"declines": ["blood_products"]})
    texts = " ".join(a.text for a in plan.do_now)
    assert "blood products are declined on the record" in texts
    assert "for transfusion (platelets, red cells)" not in texts
    assert "or platelets 160" not in texts


def test_critical_illness_on_glucocorticoids_starts_with_the_adrenal_crisis_bolus() -> None:
    """Z42b P5: an adrenal crisis in urosepsis given 50 mg hydrocortisone 6-hourly without the
    100 mg first dose, and no steroid card after recovery."""
    pred = {"therapy": "glucocorticoids_oral", "start": "2024-11-01", "dose_value": 7.5,
            "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[pred], comorbidities={"active_infection": True,
                                                       "sepsis": True})
    line = next(a.text for a in plan.do_now if a.code == "critical_illness_on_glucocorticoids")
    assert "100 mg IV at once" in line and "steroid emergency card" in line


def test_a_drug_held_today_is_not_named_bare_in_the_first_choice() -> None:
    """Z42b P1: tacrolimus withheld today for a trough of 19.5 with a kidney injury, still
    named in the first choice of the RP-ILD regimen."""
    tac = {"therapy": "tacrolimus", "start": "2026-11-12", "dose_value": 6,
           "dose_unit": "mg/day"}
    gc = {"therapy": "glucocorticoids_oral", "start": "2026-10-28", "dose_value": 40,
          "dose_unit": "mg/day"}
    plan = make_plan(**MDA5_RP_ILD, treatments=[tac, gc], weight_kg=60,
                     other_medicines=["azole_antifungal"],
                     comorbidities={"infection_focus": "lung_diffuse"}, lab_results=[
        {"analyte": "tacrolimus_trough", "value": 19.5, "unit": "ng/mL", "date": "2026-11-30"}])
    assert "tacrolimus_toxicity" in do_now(plan)
    lung = _first_choices(plan, "lung")
    assert not any(e.removeprefix("add ") == "Tacrolimus" for e in lung), lung
    assert any(e.startswith("Hold Tacrolimus") for e in lung), lung


def test_lung_function_is_repeated_yearly_in_dm_without_ild() -> None:
    """Z42a P6: amyopathic DM with lung function two years old, no lung check asked for."""
    old_pft = [{"date": "2024-09-01", "fvc_percent_predicted": 95, "dlco_percent_predicted": 88,
                "hrct_pattern": "normal", "course": "stable"}]
    plan = make_plan(diagnosis={"subgroup": "adm"}, lung_measures=old_pft)
    assert do_now(plan).get("lung_screen_repeat_without_ild") == "routine"
    recent = make_plan(diagnosis={"subgroup": "adm"},
                       lung_measures=[{**old_pft[0], "date": "2026-06-01"}])
    assert "lung_screen_repeat_without_ild" not in do_now(recent)


def test_the_bleeding_line_separates_upper_from_lower_bleeding() -> None:
    """Z42c P8: the Blatchford (upper-GI) score for rectal bleeding; an oral bisphosphonate
    beside a bleeding work-up."""
    plan = make_plan(organs={"gi_bleeding": True})
    line = next(a.text for a in plan.do_now if a.code == "gi_bleeding_now")
    assert "from below (fresh rectal blood)" in line and "oral bisphosphonate" in line


def test_hcv_treatment_with_anti_hbc_watches_for_hbv_reactivation() -> None:
    """Z42c P5: HCV RNA positive with anti-HBc positive, no word that HCV antivirals can
    reactivate hepatitis B."""
    both = make_plan(infection_screening={"hcv": {"result": "positive"},
                                          "hcv_rna": {"result": "positive"},
                                          "anti_hbc": {"result": "positive"},
                                          "hbsag": {"result": "negative"}})
    line = next(a.text for a in both.do_now if a.code == "hcv_rna_detectable")
    assert "can reactivate hepatitis B" in line
    hcv_only = make_plan(infection_screening={"hcv": {"result": "positive"},
                                              "hcv_rna": {"result": "positive"}})
    assert "reactivate" not in next(a.text for a in hcv_only.do_now
                                    if a.code == "hcv_rna_detectable")


def test_hydroxychloroquine_at_low_egfr_says_reduced_dose_in_the_regimen_line() -> None:
    """Z41b and Z42a P5: hydroxychloroquine first for the skin at eGFR 22-23 with only a bare
    'eGFR below 30' flag in the line acted on."""
    plan = make_plan(lab_results=[{"analyte": "egfr", "value": 22, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}])
    skin = _first_choices(plan, "skin")
    hcq = [e for e in skin if e.startswith("Hydroxychloroquine")]
    assert hcq and "reduced dose" in hcq[0], skin


def test_a_slow_agent_booked_during_sepsis_is_not_to_be_started() -> None:
    """Re-score of Z42d P6: cyclophosphamide booked for a septic patient with possible
    Pneumocystis pneumonia read as a go-ahead."""
    septic = {"active_infection": True, "sepsis": True}
    plan = make_plan(diagnosis={"subgroup": "asys"}, comorbidities=septic,
                     systemic={"interstitial_lung_disease": True},
                     planned_treatments=[{"therapy": "cyclophosphamide",
                                          "start": "2026-12-02"}])
    codes = do_now(plan)
    assert codes.get("planned_course_barred_cyclophosphamide") == "urgent"
    well = make_plan(diagnosis={"subgroup": "asys"}, systemic={"interstitial_lung_disease": True},
                     planned_treatments=[{"therapy": "cyclophosphamide",
                                          "start": "2026-12-02"}])
    assert "planned_course_barred_cyclophosphamide" not in do_now(well)


def test_low_igg_with_quiet_myositis_points_to_replacement_dosing() -> None:
    """Re-score of Z42d P1: a 2 g/kg IVIG load read as the default for secondary
    hypogammaglobulinaemia in stable disease."""
    mmf = {"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
           "dose_unit": "g/day", "outcome": "ongoing"}
    plan = make_plan(comorbidities={"recurrent_infections": True}, treatments=[mmf],
                     lab_results=[{"analyte": "igg", "value": 3.4, "unit": "g/L",
                                   "date": "2026-11-20"}])
    line = next(a.text for a in plan.do_now
                if a.code == "low_igg_with_infections_on_immunosuppression")
    assert "where the myositis is quiet, a replacement dose" in line


def test_liver_tests_at_child_pugh_b_bring_a_decompensated_liver_line() -> None:
    """Re-score of Z42c P7: the grade used only for nintedanib; 'if it is cirrhosis' and
    'cut down' on alcohol left elsewhere."""
    plan = make_plan(comorbidities={"hepatic_impairment": True},
                     lab_results=_liver_labs(42, 28, 1.6))
    codes = do_now(plan)
    assert "liver_disease_child_pugh_b_or_worse" in codes
    assert "liver_impairment_shared_care" not in codes
    mild = do_now(make_plan(comorbidities={"hepatic_impairment": True},
                            lab_results=_liver_labs(20, 40, 1.1)))
    assert "liver_impairment_shared_care" in mild
    assert "liver_disease_child_pugh_b_or_worse" not in mild


def test_a_raised_potassium_looks_for_the_cause_before_blaming_the_sample() -> None:
    """Re-score of Z42b (P1, P5, P8): potassium lines opening with 'repeat it (a haemolysed
    sample)' when trimethoprim, a kidney injury or a calcineurin inhibitor was on record."""
    plan = make_plan(lab_results=[{"analyte": "potassium", "value": 5.4, "unit": "mmol/L",
                                   "date": "2026-11-30"}])
    line = next(a.text for a in plan.do_now if a.code == "co_trimoxazole_hyperkalaemia")
    assert line.index("look for the cause on record first") < line.index("haemolysed sample")


def test_warfarin_in_pregnancy_is_replaced_today_at_a_treatment_dose() -> None:
    """Z43d P5 (dangerous): antiphospholipid syndrome on warfarin at 7 weeks - the switch only
    'soon' and LMWH at a prophylactic dose."""
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 7},
                     other_medicines=["warfarin"],
                     comorbidities={"thrombosis_history": True})
    codes = do_now(plan)
    assert codes.get("warfarin_pregnant_now") == "urgent" and "warfarin_pregnancy" not in codes
    line = next(a.text for a in plan.do_now if a.code == "pregnancy_with_previous_thrombosis")
    assert "full treatment dose" in line and "thromboprophylaxis" not in line


def test_co_trimoxazole_with_a_calcineurin_inhibitor_in_a_kidney_injury_is_checked_daily() -> None:
    """Z43d P6 (dangerous): 'check them within 2-3 days' beside treatment-dose co-trimoxazole,
    a kidney injury, potassium 5.4 and a toxic tacrolimus level."""
    tac = {"therapy": "tacrolimus", "start": "2026-10-01", "outcome": "ongoing"}
    labs = [{"analyte": "creatinine", "value": 60, "unit": "umol/L", "date": "2026-11-24"},
            {"analyte": "creatinine", "value": 112, "unit": "umol/L", "date": "2026-11-30"},
            {"analyte": "potassium", "value": 5.4, "unit": "mmol/L", "date": "2026-11-30"}]
    plan = make_plan(treatments=[tac], other_medicines=["co_trimoxazole"], lab_results=labs)
    line = next(a.text for a in plan.do_now
                if a.code == "co_trimoxazole_with_calcineurin_inhibitor")
    assert "daily while the kidney injury lasts" in line


def test_comfort_care_governs_the_organ_lines() -> None:
    """Z43b P5 (four dangerous findings): comfort care agreed, yet 'intensive care review now',
    'IV glucocorticoids with early rituximab or IVIG', cardiac MRI and IV pulses, and insulin
    'doses raised'."""
    srp = {"diagnosis": {"subgroup": "imnm"}, "skin": {},
           "antibodies": {"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
           "organs": {"respiratory_muscle_weakness": True, "cardiac": "confirmed",
                      "dysphagia": "severe"}}
    comfort = make_plan(**srp, care_goals={"treatment_ceiling": "comfort", "prognosis": "months"})
    assert comfort.do_now[0].code == "goals_of_care_end_of_life"
    texts = " ".join(a.text for a in comfort.do_now)
    for escalation in ("intensive care review now", "cardiac MRI (a macrocyclic",
                       "IV glucocorticoids with early"):
        assert escalation not in texts
    assert not any(a.urgency == "urgent" and a.code == "respiratory_muscle_weakness"
                   for a in comfort.do_now)
    no_icu = make_plan(**srp, care_goals={"treatment_ceiling": "no_icu"})
    line = next(a.text for a in no_icu.do_now if a.code == "respiratory_muscle_weakness")
    assert "within the agreed ceiling (no intensive care" in line
    full = make_plan(**srp)
    assert "intensive care review now" in next(
        a.text for a in full.do_now if a.code == "respiratory_muscle_weakness")


def test_an_adult_with_anti_tif1g_is_screened_whatever_the_onset_recorded() -> None:
    """Z43c P6 (dangerous): 'not applicable - juvenile-onset disease' for a man of 66 with new
    anti-TIF1-gamma DM and weight loss, whose JDM was at 9."""
    tif1g = {"mi2": {"status": "negative"}, "tif1g": {"status": "positive"}}
    plan = make_plan(sex="male", date_of_birth="1960-05-01", months_since_onset=684,
                     classification={"age_at_onset": 9}, antibodies=tif1g)
    assert plan.cancer_screening is not None and plan.cancer_screening.applicable
    assert plan.cancer_screening.tests_due
    child = make_plan(date_of_birth="2014-05-01", classification={"age_at_onset": 9},
                      antibodies=tif1g, diagnosis={"subgroup": "jdm"})
    assert child.cancer_screening is not None and not child.cancer_screening.applicable


def test_hydroxychloroquine_is_not_started_beside_two_qt_prolonging_drugs() -> None:
    """Z43a P6 (dangerous): hydroxychloroquine first for the skin beside an azole, a macrolide,
    another QT-prolonging drug and a low potassium."""
    stacked = make_plan(other_medicines=["azole_antifungal", "macrolide_antibiotic",
                                         "qt_prolonging"])
    assert "hydroxychloroquine" in withheld(stacked)
    assert not any(e.startswith("Hydroxychloroquine") for e in _first_choices(stacked, "skin"))
    one = make_plan(other_medicines=["qt_prolonging"])
    assert "hydroxychloroquine" not in withheld(one)


def test_bridging_around_a_procedure_follows_why_the_anticoagulant_is_taken() -> None:
    """Z43a P3 (dangerous): 'a recent clot decides the bridging' for a mechanical mitral valve
    on warfarin before a lung biopsy."""
    gc = {"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
          "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[gc], other_medicines=["warfarin"],
                     surgery={"date": "2026-12-10", "elective": True, "procedure": "lung biopsy"})
    line = next(a.text for a in plan.do_now if a.code == "procedure_that_treats_the_disease")
    assert "mechanical heart valve" in line and "a recent clot decides" not in line
    # a direct oral anticoagulant is not bridged (re-score of Z43a P3)
    assert "direct oral anticoagulant is not bridged" in line


def test_a_chickenpox_contact_does_not_delay_the_anti_mda5_rescue() -> None:
    """Z43c P2 (dangerous): tacrolimus and cyclophosphamide deferred to day 21 after a
    chickenpox contact for a boy of 15 with anti-MDA5 rapidly progressive ILD."""
    contact = {"vzv_igg": {"result": "negative"}, "varicella_exposure": "2026-11-26"}
    plan = make_plan(**MDA5_RP_ILD, sex="male", date_of_birth="2011-03-01",
                     classification={"age_at_onset": 15}, weight_kg=55,
                     infection_screening=contact)
    lung = _first_choices(plan, "lung")
    assert any("chickenpox incubation" in e for e in lung), lung
    assert any(e.removeprefix("add ").startswith("Tacrolimus") for e in lung), lung


def test_hydroxychloroquine_after_week_10_is_still_started_for_a_previous_heart_block() -> None:
    """Z43a P7: 'by the end of week 10' read as a closed window at 14 weeks, with a previous
    child with congenital heart block and hydroxychloroquine stopped."""
    plan = make_plan(antibodies={"mi2": {"status": "positive"}, "ro52": {"status": "positive"}},
                     reproduction={"pregnant": True, "gestation_weeks": 14,
                                   "previous_neonatal_lupus": True})
    line = next(a.text for a in plan.do_now if a.code == "anti_ro_previous_heart_block")
    assert "started now all the same" in line


def test_ldl_above_target_is_treated_without_a_statin_in_anti_hmgcr_myopathy() -> None:
    """Z43a P2: LDL 3.6 after a heart attack and a stent, 'when lipids need lowering' only."""
    hmgcr = {"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}}
    ldl = [{"analyte": "ldl_cholesterol", "value": 3.6, "unit": "mmol/L", "date": "2026-11-20"}]
    plan = make_plan(diagnosis={"subgroup": "imnm"}, antibodies=hmgcr, lab_results=ldl,
                     other_medicines=["antiplatelet"])
    assert do_now(plan).get("ldl_above_target_statin_avoided") == "soon"
    low = [{**ldl[0], "value": 1.2}]
    assert "ldl_above_target_statin_avoided" not in do_now(make_plan(
        diagnosis={"subgroup": "imnm"}, antibodies=hmgcr, lab_results=low,
        other_medicines=["antiplatelet"]))


def test_one_potassium_interval_in_a_kidney_injury() -> None:
    """Re-score of Z43d P6: 'daily' in one line, 'within a week' in two others, for a kidney
    injury with potassium 5.4 on tacrolimus, an azole and co-trimoxazole."""
    tac = {"therapy": "tacrolimus", "start": "2026-10-01", "outcome": "ongoing"}
    labs = [{"analyte": "creatinine", "value": 60, "unit": "umol/L", "date": "2026-11-24"},
            {"analyte": "creatinine", "value": 112, "unit": "umol/L", "date": "2026-11-30"},
            {"analyte": "potassium", "value": 5.4, "unit": "mmol/L", "date": "2026-11-30"}]
    plan = make_plan(treatments=[tac], other_medicines=["co_trimoxazole", "azole_antifungal"],
                     lab_results=labs)
    texts = " ".join(a.text for a in plan.do_now)
    assert "recheck potassium within a week" not in texts
    assert "with creatinine and potassium within a week" not in texts
    assert "daily while the kidney injury lasts" in texts


def test_the_anti_mda5_rescue_is_not_stopped_as_comfort_care_under_a_no_icu_ceiling() -> None:
    """Z43b P2: cyclophosphamide and tacrolimus to be stopped as 'comfort care: its benefit
    takes months' for anti-MDA5 RP-ILD with a no-ICU ceiling and days to weeks to live."""
    tac = {"therapy": "tacrolimus", "start": "2026-10-30", "outcome": "ongoing"}
    cyc = {"therapy": "cyclophosphamide", "start": "2026-11-06", "outcome": "ongoing"}
    goals = {"treatment_ceiling": "no_icu", "prognosis": "days_to_weeks"}
    plan = make_plan(**MDA5_RP_ILD, treatments=[tac, cyc, GC_40], weight_kg=60,
                     care_goals=goals)
    texts = [e for r in plan.regimens for e in r.first_choice]
    assert not any("comfort care: its benefit takes months" in e for e in texts), texts
    comfort = make_plan(**MDA5_RP_ILD, treatments=[tac, cyc, GC_40], weight_kg=60,
                        care_goals={**goals, "treatment_ceiling": "comfort"})
    assert any("comfort care: its benefit takes months" in e
               for r in comfort.regimens for e in r.first_choice)


def test_a_suicide_risk_brings_an_urgent_crisis_assessment() -> None:
    """Z43c P7: the same-day crisis assessment after an overdose ranked 'soon' and fifth, below a
    contraception line, for a girl of 16."""
    plan = make_plan(mental_health={"suicide_risk": True})
    assert do_now(plan)["suicide_risk_medicines_dangerous_in_overdose"] == "urgent"

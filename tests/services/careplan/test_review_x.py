"""Scenarios from specialist review X (December 2026, SYNTHETIC): rescue planning in rapidly
progressive ILD, and the findings of the review's patients."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan import build_care_plan
from myositis.services.careplan.facts import compute
from myositis.services.careplan.lab_trends import haemolysis_signs
from myositis.services.careplan.rules import fire
from myositis.services.scenarios import load_scenarios
from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, make_record, merge

MDA5_ILD: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-X-MDA5", "label": "SYNTHETIC anti-MDA5 DM with ILD",
    "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
    "systemic": {"interstitial_lung_disease": True, "dyspnoea_or_cough": True},
})


def _flag(plan: Any, code: str) -> Any:
    return next((f for f in plan.flags if f.code == code), None)


def test_rapidly_progressive_ild_prepares_rescue_and_goals_of_care() -> None:
    plan = build_care_plan(next(s for s in load_scenarios() if s.id == "SYN-PLAN-03"), load())
    flag = _flag(plan, "suspected_rp_ild")
    assert flag is not None and flag.urgency == "urgent"
    assert "lung-transplant centre" in flag.text and "goals of care" in flag.text
    assert "romerobueno2020_mda5_rpild" in flag.citations
    plan = make_plan(MDA5_ILD, lung={"course": "rapidly_progressive", "date": "2026-11-25"})
    assert "lung-transplant centre" in _flag(plan, "suspected_rp_ild").text


def test_ild_that_is_not_rapidly_progressive_gets_no_rescue_text() -> None:
    flag = _flag(make_plan(MDA5_ILD), "suspected_rp_ild")
    assert flag is not None  # anti-MDA5 with lung involvement is still urgent
    assert "transplant" not in flag.text


def _rule(rule_id: str) -> Any:
    return next(r for r in load().rules.rules if r.id == rule_id)


def test_ciclosporin_is_cautioned_with_reduced_kidney_function() -> None:
    kb = load()
    rule = _rule("ciclosporin_renal")
    reduced = compute(make_record(lab_results=[{"analyte": "egfr", "value": 42,
                                                "unit": "mL/min/1.73m2", "date": "2026-11-20"}]),
                      kb)
    firing = fire(rule, reduced, kb.therapies["ciclosporin"])
    assert firing is not None and "eGFR 42" in firing.text and "25-50 %" in firing.text
    assert fire(rule, compute(make_record(), kb), kb.therapies["ciclosporin"]) is None  # eGFR 90


def test_cyclophosphamide_pulses_are_lowered_for_age_or_kidney_function() -> None:
    kb = load()
    rule = _rule("cyclophosphamide_age_renal_dose")
    cyc = kb.therapies["cyclophosphamide"]
    older = compute(make_record(classification={"age_at_onset": 66}, months_since_onset=3), kb)
    assert older["age_years"] is not None and older["age_years"] >= 60
    firing = fire(rule, older, cyc)
    assert firing is not None and "12.5 at 60-70" in firing.text
    kidney = compute(make_record(lab_results=[{"analyte": "egfr", "value": 25,
                                               "unit": "mL/min/1.73m2", "date": "2026-11-20"}]),
                     kb)
    assert fire(rule, kidney, cyc) is not None
    assert fire(rule, compute(make_record(), kb), cyc) is None  # 50 years, eGFR 90


PMSCL_SRC: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-X-SRC", "label": "SYNTHETIC anti-PM/Scl overlap with a suspected renal crisis",
    "today": "2026-12-01", "months_since_onset": 8,
    "antibodies": {"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
    "organs": {"new_hypertension": True},
    "treatments": [
        {"therapy": "methotrexate", "start": "2026-05-01", "dose_value": 15,
         "dose_unit": "mg/week"},
        {"therapy": "glucocorticoids_oral", "start": "2026-04-10", "dose_value": 40,
         "dose_unit": "mg/day"}],
    "lab_results": [
        {"analyte": "creatinine", "value": 68, "unit": "umol/L", "date": "2026-10-12"},
        {"analyte": "creatinine", "value": 152, "unit": "umol/L", "date": "2026-11-30"},
        {"analyte": "egfr", "value": 34, "unit": "mL/min/1.73m2", "date": "2026-11-30"},
        {"analyte": "haemoglobin", "value": 128, "unit": "g/L", "date": "2026-10-12"},
        {"analyte": "haemoglobin", "value": 104, "unit": "g/L", "date": "2026-11-30"},
        {"analyte": "platelets", "value": 240, "unit": "10^9/L", "date": "2026-10-12"},
        {"analyte": "platelets", "value": 118, "unit": "10^9/L", "date": "2026-11-30"},
        {"analyte": "ldh", "value": 520, "unit": "U/L", "uln": 250, "date": "2026-11-30"}],
})


def test_falling_haemoglobin_and_platelets_are_read_in_a_suspected_renal_crisis() -> None:
    record = make_record(PMSCL_SRC)
    assert haemolysis_signs(record) == {"haemoglobin 128 to 104 g/L",
                                        "platelets 240 to 118 x10^9/L", "LDH 2.1 x ULN"}
    plan = make_plan(PMSCL_SRC)
    urgent = {a.code: a for a in plan.do_now if a.urgency == "urgent"}
    assert "renal_crisis_haemolysis" in urgent
    assert "haptoglobin" in urgent["renal_crisis_haemolysis"].text
    crisis = urgent["scleroderma_renal_crisis_suspected"].text
    assert "continued even if creatinine rises" in crisis and "anti-RNA polymerase III" in crisis
    # the methotrexate renal-decline text names an ACE inhibitor as a possible cause: not here
    assert "renal_decline_on_methotrexate" not in do_now(plan)
    assert not any("ACE inhibitor or ARB" in a.text for a in plan.do_now)
    screening = next(a for a in plan.do_now if a.code == "cancer_screening_due")
    assert screening.urgency == "routine" and "contrast CT only once" in screening.text


def test_stable_counts_raise_no_haemolysis_signs() -> None:
    steady = make_record(PMSCL_SRC, lab_results=[
        {"analyte": "haemoglobin", "value": 128, "unit": "g/L", "date": "2026-10-12"},
        {"analyte": "haemoglobin", "value": 124, "unit": "g/L", "date": "2026-11-30"},
        {"analyte": "platelets", "value": 240, "unit": "10^9/L", "date": "2026-10-12"},
        {"analyte": "platelets", "value": 230, "unit": "10^9/L", "date": "2026-11-30"},
        {"analyte": "ldh", "value": 200, "unit": "U/L", "uln": 250, "date": "2026-11-30"}])
    assert haemolysis_signs(steady) == frozenset()
    assert compute(steady, load())["haemolysis_suspected"] is False
    assert compute(make_record(lab_results=[]), load())["haemolysis_suspected"] is None


def test_methotrexate_below_egfr_30_is_stopped_without_restart_advice() -> None:
    plan = make_plan(
        months_since_onset=14,
        treatments=[{"therapy": "methotrexate", "start": "2025-10-01", "dose_value": 15,
                     "dose_unit": "mg/week"}],
        lab_results=[
            {"analyte": "egfr", "value": 34, "unit": "mL/min/1.73m2", "date": "2025-12-10"},
            {"analyte": "egfr", "value": 22, "unit": "mL/min/1.73m2", "date": "2026-11-10"}])
    texts = " ".join(a.text for a in plan.do_now) + " ".join(
        w.reason for w in plan.withheld if w.therapy == "methotrexate")
    assert "do not restart while the eGFR stays below 30" in texts
    assert "before restarting" not in texts and "not until renal function is stable" not in texts


def test_contraception_is_asked_only_for_teratogens_taken_or_still_offered() -> None:
    """Specialist review X: a breastfeeding mother was asked about contraception for
    mycophenolate stopped a year before and withheld by the plan itself."""
    plan = make_plan(
        months_since_onset=20,
        reproduction={"pregnant": False, "planning_conception": False, "breastfeeding": True,
                      "effective_contraception": None},
        treatments=[{"therapy": "mycophenolate", "start": "2024-09-01", "stop": "2025-10-01",
                     "reason_stopped": "pregnancy"}])
    withheld = {w.therapy for w in plan.withheld}
    assert {"mycophenolate", "methotrexate"} <= withheld
    action = next((a for a in plan.do_now if a.code == "contraception_with_teratogen"), None)
    assert action is None or "Mycophenolate" not in action.text


ICI_MYOSITIS: dict[str, Any] = {
    "id": "SYN-X-ICI", "label": "SYNTHETIC myositis on pembrolizumab", "sex": "female",
    "today": "2026-12-01", "date_of_birth": "1955-04-02", "weight_kg": 64,
    "months_since_onset": 0.4, "diagnosis": {"subgroup": "unclassified"},
    "classification": {"age_at_onset": 71,
                       "weakness": {"proximal_upper": True, "proximal_lower": True},
                       "elevated_muscle_enzymes": True},
    "systemic": {"dyspnoea_or_cough": True, "cardiac_symptoms": True},
    "other_medicines": ["immune_checkpoint_inhibitor"],
    "cancer": {"active_cancer": True},
    "organs": {"respiratory_muscle_weakness": True, "cardiac": "suspected"},
    "lab_results": [
        {"analyte": "ck", "value": 4800, "unit": "U/L", "uln": 170, "date": "2026-11-30"},
        {"analyte": "troponin_i", "value": 1650, "unit": "ng/L", "uln": 40,
         "date": "2026-11-30"},
        {"analyte": "haemoglobin", "value": 108, "unit": "g/L", "date": "2026-11-30"}],
}


def test_checkpoint_inhibitor_myositis_is_named_and_treated_as_an_adverse_event() -> None:
    plan = build_care_plan(make_record(ICI_MYOSITIS), load())
    assert plan.diagnosis is not None
    assert plan.diagnosis.followed.startswith("immune checkpoint inhibitor-associated myositis")
    assert plan.diagnosis.provisional  # treated from grade 2 without a clinician's mark
    urgent = {a.code: a.text for a in plan.do_now if a.urgency == "urgent"}
    assert "continuous ECG monitoring" in urgent["ici_myocarditis_suspected"]
    assert "cardiac_involvement_confirmed" not in urgent  # its Holter line gives way
    assert "rituximab is not an acute rescue" in urgent["respiratory_muscle_weakness_ici"]
    assert "respiratory_muscle_weakness" not in urgent
    assert "fluoroquinolones" in urgent["checkpoint_inhibitor_myositis"]
    text = " ".join(a.text for a in plan.do_now) + " ".join(plan.cancer_screening.notes)
    assert "national screening" not in text and "cancer may be the trigger" not in text


def test_idiopathic_myositis_keeps_its_own_cardiac_and_respiratory_rules() -> None:
    idiopathic = merge(ICI_MYOSITIS, {"other_medicines": [], "cancer": {"active_cancer": False},
                                      "diagnosis": {"subgroup": "pm"}})
    plan = build_care_plan(make_record(idiopathic), load())
    codes = {a.code for a in plan.do_now}
    assert {"cardiac_involvement_confirmed", "respiratory_muscle_weakness"} <= codes
    assert not {"ici_myocarditis_suspected", "respiratory_muscle_weakness_ici"} & codes
    assert plan.diagnosis is not None and "checkpoint" not in plan.diagnosis.followed


def test_anti_mda5_ild_escalation_keeps_the_rp_ild_order_and_two_further_agents() -> None:
    plan = make_plan(MDA5_ILD, months_since_onset=6,
                     lung={"date": "2026-11-20", "course": "progressive",
                           "fvc_percent_predicted": 74},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                                  "dose_value": 30, "dose_unit": "mg/day"},
                                 {"therapy": "mycophenolate", "start": "2026-06-01",
                                  "dose_value": 2, "dose_unit": "g/day"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.state == "inadequate_response"
    agents = [f for f in lung.first_choice if "glucocorticoid" not in f.lower()
              and "methylprednisolone" not in f.lower()]
    assert len(agents) == 2 and not agents[0].startswith("Rituximab")
    assert "Tacrolimus" in agents[0]


def test_a_second_calcineurin_inhibitor_is_withheld_never_both_taken() -> None:
    on_tac = make_plan(MDA5_ILD, treatments=[{"therapy": "tacrolimus", "start": "2026-06-01",
                                              "dose_value": 4, "dose_unit": "mg/day"}])
    assert "ciclosporin" in {w.therapy for w in on_tac.withheld}
    both = make_plan(MDA5_ILD, treatments=[
        {"therapy": "tacrolimus", "start": "2026-06-01", "dose_value": 4, "dose_unit": "mg/day"},
        {"therapy": "ciclosporin", "start": "2026-06-01", "dose_value": 200,
         "dose_unit": "mg/day"}])
    stopped = {w.therapy for w in both.withheld
               if any(r in ("ciclosporin_with_tacrolimus", "tacrolimus_with_ciclosporin")
                      for r in w.rule_ids)}
    assert stopped == set()


def test_a_long_glucocorticoid_course_in_remission_is_tapered_with_adrenal_precautions() -> None:
    kb = load()
    record = make_record(months_since_onset=30, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2024-06-01", "dose_value": 5,
         "dose_unit": "mg/day"}])
    rule = _rule("glucocorticoid_taper_adrenal")
    remission = compute(record, kb, muscle_state="remission")
    firing = fire(rule, remission)
    assert firing is not None and "steroid emergency card" in firing.text
    assert "5 mg/day" in firing.text
    assert fire(rule, compute(record, kb, muscle_state="active")) is None
    short = make_record(months_since_onset=3, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2026-11-01", "dose_value": 5,
         "dose_unit": "mg/day"}])
    assert fire(rule, compute(short, kb, muscle_state="remission")) is None


def test_a_child_is_not_offered_the_recombinant_zoster_vaccine_before_rituximab() -> None:
    kb = load()
    child = compute(make_record(classification={"age_at_onset": 8}, months_since_onset=12), kb)
    adult = compute(make_record(), kb)
    assert fire(_rule("vaccines_before_rituximab"), child, kb.therapies["rituximab"]) is None
    child_text = fire(_rule("vaccines_before_rituximab_child"), child, kb.therapies["rituximab"])
    assert child_text is not None and "licensed from 18 years" in child_text.text
    assert fire(_rule("vaccines_before_rituximab"), adult, kb.therapies["rituximab"]) is not None


def test_smoking_gets_cessation_advice() -> None:
    assert "smoking_cessation" in do_now(make_plan(comorbidities={"smoking": True}))
    assert "smoking_cessation" not in do_now(make_plan(comorbidities={"smoking": False}))


def test_a_skin_agent_without_response_is_reviewed_not_continued() -> None:
    plan = make_plan(months_since_onset=14, treatments=[
        {"therapy": "hydroxychloroquine", "start": "2025-06-10", "dose_value": 200,
         "dose_unit": "mg/day", "response": "none"}],
        visits=[{"date": "2026-11-20", "cdasi_activity": 22,
                 "core_set": {"physician_global": 3.0}}])
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.first_choice[0].startswith("Review Hydroxychloroquine")
    assert not any(f.startswith("Continue Hydroxychloroquine") for f in skin.first_choice)


def test_an_unclassified_myopathy_gets_the_full_mimic_screen_and_the_seronegative_caveat(
) -> None:
    plan = make_plan(diagnosis={"subgroup": "unclassified"}, skin={},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}})
    assert plan.diagnosis is not None
    mimics = " ".join(plan.diagnosis.mimics_to_exclude)
    assert "phosphate" in mimics and "after 5-7 days" in mimics
    assert any("does not exclude myositis" in e for e in plan.diagnosis.explanation)
    ici = build_care_plan(make_record(ICI_MYOSITIS), load())
    assert ici.diagnosis is not None and ici.diagnosis.mimics_to_exclude == []


def test_an_urgent_item_brings_the_next_review_forward() -> None:
    """Specialist review X: IBM with urgent dysphagia was given a review 9 months away."""
    from tests.services.careplan.test_review_v import IBM_ON_PRED
    # off glucocorticoids: a taper in progress brings the review forward by itself (H378)
    ibm = merge(IBM_ON_PRED, {"visits": [{"date": "2026-11-25",
                                          "core_set": {"physician_global": 3.0}}],
                              "treatments": []})
    calm = next(m for m in make_plan(ibm).monitoring if m.therapy == "Disease activity")
    assert calm.next_due == "by 2027-08-25"  # 39 weeks: IBM is reviewed every 6-12 months
    urgent = make_plan(ibm, organs={"dysphagia": "severe"})
    assert "severe_dysphagia" in do_now(urgent)
    item = next(m for m in urgent.monitoring if m.therapy == "Disease activity")
    assert item.next_due == "by 2027-01-06" and item.text.startswith("Review within 4-8 weeks")
    ibm_regimen = next(r for r in urgent.regimens if r.domain == "muscle")
    assert "occupational therapy" in ibm_regimen.first_choice[0]


def test_ivig_with_diabetes_and_hydroxychloroquine_with_heart_failure_are_cautioned() -> None:
    kb = load()
    record = make_record(comorbidities={"diabetes": True, "heart_failure": True})
    facts = compute(record, kb)
    ivig = fire(_rule("ivig_maltose_glucose_meters"), facts, kb.therapies["ivig"])
    assert ivig is not None and "maltose" in ivig.text
    hcq = fire(_rule("hydroxychloroquine_heart"), facts, kb.therapies["hydroxychloroquine"])
    assert hcq is not None and "QT" in hcq.text
    healthy = compute(make_record(comorbidities={"diabetes": False, "heart_failure": False}), kb)
    assert fire(_rule("ivig_maltose_glucose_meters"), healthy, kb.therapies["ivig"]) is None
    assert fire(_rule("hydroxychloroquine_heart"), healthy,
                kb.therapies["hydroxychloroquine"]) is None


def test_remission_with_ild_lets_the_lung_decide_any_reduction() -> None:
    visits = [{"date": d, "core_set": {"physician_global": 0.0, "patient_global": 0.5,
                                       "extramuscular_global": 0.0, "mmt8": 80, "mmt_max": 80,
                                       "haq": 0.0},
               "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}}}
              for d in ("2025-11-01", "2026-05-01", "2026-11-01")]
    plan = make_plan(months_since_onset=60,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-10-20", "course": "stable", "hrct_pattern": "nsip"},
                     treatments=[{"therapy": "mycophenolate", "start": "2022-11-01",
                                  "dose_value": 2, "dose_unit": "g/day"}],
                     visits=visits)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "remission"
    assert "the lung decides" in muscle.decision_point and "ILD team" in muscle.decision_point
    assert "one steroid-sparing drug at a time" not in muscle.decision_point


def test_pregnancy_with_ild_is_high_risk_with_close_lung_monitoring() -> None:
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-20", "fvc_percent_predicted": 58,
                           "dlco_percent_predicted": 45},
                     reproduction={"pregnant": True},
                     treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                  "dose_value": 125, "dose_unit": "mg/day"}])
    assert "pregnancy_with_lung_or_breathing_disease" in do_now(plan)
    lung = next(m for m in plan.monitoring if m.therapy == "Lung")
    assert lung.next_due == "by 2027-01-01" and "every 4-6 weeks" in lung.text
    care = next(a.text for a in plan.do_now if a.code == "pregnancy_general_care")
    assert "antiphospholipid" in care
    not_pregnant = make_plan(antibodies={"jo1": {"status": "positive"}},
                             systemic={"interstitial_lung_disease": True},
                             lung={"date": "2026-11-20"})
    assert "pregnancy_with_lung_or_breathing_disease" not in do_now(not_pregnant)


def test_pjp_prophylaxis_on_a_low_dose_is_reviewed() -> None:
    kb = load()
    rule = _rule("pjp_prophylaxis_review")
    quiet = {"comorbidities": {"active_infection": False},
             "lab_results": [{"analyte": "lymphocytes", "value": 1.4, "unit": "10^9/L",
                              "date": "2026-11-20"}]}
    low = compute(make_record(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2025-01-01", "dose_value": 5,
         "dose_unit": "mg/day"},
        {"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
         "dose_unit": "g/day"}], **quiet), kb)
    assert fire(rule, low) is not None
    # never with lymphopenia or a calcineurin inhibitor (specialist review Y)
    lymphopenic = compute(make_record(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2025-01-01", "dose_value": 5,
         "dose_unit": "mg/day"}], comorbidities={"active_infection": False},
        lab_results=[{"analyte": "lymphocytes", "value": 0.42, "unit": "10^9/L",
                      "date": "2026-11-20"}]), kb)
    assert fire(rule, lymphopenic) is None
    on_tac = compute(make_record(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "tacrolimus", "start": "2025-01-01", "dose_value": 4,
         "dose_unit": "mg/day"}], **quiet), kb)
    assert fire(rule, on_tac) is None
    high = compute(make_record(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 30,
         "dose_unit": "mg/day"}]), kb)
    assert fire(rule, high) is None
    on_rtx = compute(make_record(prophylaxis={"pjp": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2025-01-01", "dose_value": 5,
         "dose_unit": "mg/day"},
        {"therapy": "rituximab", "start": "2026-09-01", "dose_value": 1000, "dose_unit": "mg"}]),
        kb)
    assert fire(rule, on_rtx) is None


def test_basic_panel_blood_tests_in_the_lab_series_count_as_done() -> None:
    labs = [{"analyte": a, "value": v, "unit": u, "date": "2026-11-20"}
            for a, v, u in (("haemoglobin", 130, "g/L"), ("alt", 30, "U/L"), ("crp", 3, "mg/L"))]
    plan = make_plan(months_since_onset=6, lab_results=labs)
    due = " ".join(plan.cancer_screening.tests_due).lower()
    assert "complete blood count" not in due and "liver function" not in due
    assert "c-reactive" not in due and "protein electrophoresis" in due
    assert any("dated laboratory results" in n for n in plan.cancer_screening.notes)
    without = make_plan(months_since_onset=6, lab_results=[])
    assert "complete blood count" in " ".join(without.cancer_screening.tests_due).lower()


def test_methotrexate_leads_for_a_younger_adult_and_azathioprine_waits_for_the_cancer_screen(
) -> None:
    tif1g = merge(ADULT_DM, {"sex": "male", "classification": {"age_at_onset": 58},
                             "antibodies": {"tif1g": {"status": "positive"},
                                            "mi2": {"status": "negative"}},
                             "cancer": {"red_flags": ["weight_loss"]},
                             "systemic": {"dysphagia": True}})
    plan = make_plan(tif1g)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(f.startswith("Methotrexate") for f in muscle.first_choice)
    aza = next(o for o in plan.options if o.therapy == "azathioprine")
    assert any("warns of malignancy" in c.text for c in aza.cautions)
    older = make_plan(classification={"age_at_onset": 68})
    mtx = next(o for o in older.options if o.therapy == "methotrexate")
    assert any(c.severity == "high" and "co-trimoxazole" in c.text for c in mtx.cautions)


def test_dysphagia_of_unknown_severity_is_labelled_as_such_in_the_cancer_risk() -> None:
    unknown = make_plan(systemic={"dysphagia": True})
    factor = next(f for f in unknown.cancer_screening.factors
                  if f.factor == "dysphagia_moderate_severe")
    assert "severity not recorded" in factor.text
    graded = make_plan(systemic={"dysphagia": True}, organs={"dysphagia": "severe"})
    factor = next(f for f in graded.cancer_screening.factors
                  if f.factor == "dysphagia_moderate_severe")
    assert "severity not recorded" not in factor.text


def test_breastfeeding_defers_bone_drugs_and_qualifies_co_trimoxazole() -> None:
    plan = make_plan(reproduction={"pregnant": False, "breastfeeding": True},
                     other_medicines=["co_trimoxazole"],
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                                  "dose_value": 20, "dose_unit": "mg/day"}])
    actions = do_now(plan)
    assert "bone_medication_pregnancy" in actions and "co_trimoxazole_breastfeeding" in actions
    assert "bone_protection_due" not in actions


def test_a_statin_stopped_long_ago_is_a_lifelong_avoidance_not_an_urgent_stop() -> None:
    from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK
    unknown = make_plan(HMGCR_TEXTBOOK)  # no medicines recorded: it may still be taken
    assert do_now(unknown)["statin_anti_hmgcr"] == "urgent"
    stopped = make_plan(HMGCR_TEXTBOOK, other_medicines=["proton_pump_inhibitor"])
    assert "statin_anti_hmgcr" not in do_now(stopped)
    assert do_now(stopped)["anti_hmgcr_statin_avoidance"] == "soon"
    taken = make_plan(HMGCR_TEXTBOOK, other_medicines=["statin"])
    assert do_now(taken)["statin_anti_hmgcr_taken_now"] == "urgent"  # review N: definite


def test_a_breastfeeding_mother_is_offered_contraception_that_suits_breastfeeding() -> None:
    plan = make_plan(reproduction={"pregnant": False, "breastfeeding": True,
                                   "effective_contraception": None})
    text = next(a.text for a in plan.do_now if a.code == "postpartum_contraception")
    assert "no combined hormonal method in the first 6 weeks" in text
    covered = make_plan(reproduction={"pregnant": False, "breastfeeding": True,
                                      "effective_contraception": True})
    assert "postpartum_contraception" not in do_now(covered)


def test_a_flare_names_a_target_and_the_agent_that_worked_before() -> None:
    plan = make_plan(
        months_since_onset=40,
        treatments=[
            {"therapy": "glucocorticoids_oral", "start": "2023-03-15", "dose_value": 7.5,
             "dose_unit": "mg/day"},
            {"therapy": "methotrexate", "start": "2023-06-01", "dose_value": 15,
             "dose_unit": "mg/week"},
            {"therapy": "ivig", "start": "2023-04-20", "stop": "2023-10-15",
             "outcome": "effective", "response": "complete", "reason_stopped": "remission"}],
        visits=[_visit_x("2026-08-18", 1.5, 74, 0.25, 150),
                _visit_x("2026-11-10", 4.5, 62, 1.25, 1800)])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    assert any("about 0.5 mg/kg/day" in f and "(now 7.5 mg/day)" in f
               for f in muscle.first_choice)
    assert any("Intravenous immunoglobulin" in a and "worked before" in a
               for a in muscle.alternatives)


def _visit_x(day: str, pga: float, mmt8: int, haq: float, ck: int) -> dict[str, Any]:
    return {"date": day, "core_set": {"physician_global": pga, "patient_global": pga,
                                      "extramuscular_global": 0.5, "mmt8": mmt8,
                                      "mmt_max": 80, "haq": haq},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}


def test_high_infection_risk_holds_new_agents_and_never_stops_a_drug_holding_the_lung() -> None:
    plan = make_plan(MDA5_ILD, lung={"date": "2026-11-20", "course": "stable"},
                     comorbidities={"recurrent_infections": True},
                     treatments=[{"therapy": "tacrolimus", "start": "2024-06-01",
                                  "dose_value": 4, "dose_unit": "mg/day"}])
    held = {w.therapy for w in plan.withheld}
    assert "tacrolimus" not in held
    assert not any(f.startswith("Stop Tacrolimus") for r in plan.regimens
                   for f in r.first_choice)
    assert any(a.code == "high_infection_risk_on_treatment" for a in plan.do_now)


def test_an_infection_on_long_term_glucocorticoids_brings_sick_day_rules_not_a_stop() -> None:
    plan = make_plan(comorbidities={"active_infection": True}, treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2025-01-01", "dose_value": 7.5,
         "dose_unit": "mg/day"}])
    text = next(a.text for a in plan.do_now if a.code == "active_infection_on_glucocorticoids")
    assert "do not stop them abruptly" in text and "double the daily dose" in text
    assert not any(f.startswith("Review Oral glucocorticoids") for r in plan.regimens
                   for f in r.first_choice)


JDM_CHILD_X: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-X-JDM", "label": "SYNTHETIC juvenile DM", "sex": "male",
    "classification": {"age_at_onset": 8}, "months_since_onset": 14, "weight_kg": 30,
    "height_cm": 135,
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-10-01", "dose_value": 30,
                    "dose_unit": "mg/day"},
                   {"therapy": "methotrexate", "start": "2025-10-01", "dose_value": 12,
                    "dose_unit": "mg/week"}],
})


def test_a_non_immune_child_exposed_to_chickenpox_gets_prophylaxis_and_no_rituximab() -> None:
    exposed = merge(JDM_CHILD_X, {"infection_screening": {"varicella_exposure": "2026-11-26",
                                                          "vzv_igg": {"result": "negative"}}})
    plan = make_plan(exposed)
    text = next(a.text for a in plan.do_now if a.code == "varicella_exposure_susceptible")
    assert "5 days ago" in text and "IV aciclovir" in text
    kb = load()
    facts = compute(make_record(exposed), kb)
    rule = _rule("varicella_incubation_no_depleting_therapy")
    assert fire(rule, facts, kb.therapies["rituximab"]) is not None
    immune = merge(exposed, {"infection_screening": {"vzv_igg": {"result": "positive"}}})
    assert "varicella_exposure_susceptible" not in do_now(make_plan(immune))
    long_ago = merge(exposed, {"infection_screening": {"varicella_exposure": "2026-10-01"}})
    assert "varicella_exposure_susceptible" not in do_now(make_plan(long_ago))


def test_abdominal_symptoms_in_jdm_are_a_gut_vasculopathy_emergency() -> None:
    plan = make_plan(JDM_CHILD_X, organs={"gut_symptoms": True})
    assert do_now(plan)["jdm_gut_vasculopathy"] == "urgent"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.decision_point.startswith("Severe JDM")  # gut symptoms make it severe
    adult = make_plan(organs={"gut_symptoms": True})
    assert "jdm_gut_vasculopathy" not in do_now(adult)


def test_a_child_on_glucocorticoids_is_not_given_the_adult_taper_target() -> None:
    plan = make_plan(JDM_CHILD_X, visits=[{"date": "2026-11-20",
                                           "core_set": {"physician_global": 3.0}}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("7.5 mg/day or less by 6 months" in f for f in muscle.first_choice)


def test_raised_alt_with_anti_hbc_alone_and_undetectable_dna_is_read_as_muscle() -> None:
    base = {"infection_screening": {"hbsag": {"result": "negative"},
                                    "anti_hbc": {"result": "positive"},
                                    "hcv": {"result": "negative"},
                                    "hbv_dna": {"result": "negative", "date": "2026-11-20"}},
            "lab_results": [
                {"analyte": "ck", "value": 15000, "unit": "U/L", "uln": 200,
                 "date": "2026-11-28"},
                {"analyte": "alt", "value": 180, "unit": "U/L", "uln": 40, "date": "2026-11-28"}]}
    plan = make_plan(**base)
    codes = do_now(plan)
    assert "transaminases_raised_anti_hbc_only_high_ck" in codes
    assert "transaminases_raised_with_viral_hepatitis" not in codes
    detectable = merge(base, {"infection_screening": {"hbv_dna": {"result": "positive",
                                                                  "date": "2026-11-20"}}})
    codes = do_now(make_plan(**detectable))
    assert codes.get("transaminases_raised_with_viral_hepatitis") == "urgent"


def test_raised_alt_in_a_heavy_drinker_is_not_called_muscle() -> None:
    labs = [{"analyte": "ck", "value": 3000, "unit": "U/L", "uln": 200, "date": "2026-11-28"},
            {"analyte": "alt", "value": 130, "unit": "U/L", "uln": 40, "date": "2026-11-28"}]
    drinker = do_now(make_plan(lab_results=labs, comorbidities={"alcohol_excess": True}))
    assert "transaminases_raised_with_alcohol" in drinker
    assert "alt_raised_with_high_ck" not in drinker
    sober = do_now(make_plan(lab_results=labs, comorbidities={"alcohol_excess": False}))
    assert "alt_raised_with_high_ck" in sober


def test_planning_conception_holds_new_targeted_agents_without_pregnancy_data() -> None:
    plan = make_plan(months_since_onset=30, skin_refractory=True,
                     reproduction={"planning_conception": True, "pregnant": False},
                     treatments=[{"therapy": "methotrexate", "start": "2024-01-01",
                                  "stop": "2025-06-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "ivig", "start": "2025-06-01",
                                  "stop": "2026-06-01", "reason_stopped": "inefficacy"}])
    held = {w.therapy for w in plan.withheld}
    jaks = {t for t, th in load().therapies.items() if th.category == "jak_inhibitor"}
    offered = {o.therapy for o in plan.options}
    assert not (jaks & offered)
    assert jaks & held


def test_a_third_immunosuppressant_is_cautioned() -> None:
    kb = load()
    two = compute(make_record(treatments=[
        {"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2, "dose_unit": "g/day"},
        {"therapy": "tacrolimus", "start": "2025-06-01", "dose_value": 4,
         "dose_unit": "mg/day"}]), kb)
    assert two["steroid_sparing_current_count"] == 2
    assert fire(_rule("third_immunosuppressant"), two, kb.therapies["rituximab"]) is not None
    one = compute(make_record(treatments=[
        {"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2,
         "dose_unit": "g/day"}]), kb)
    assert fire(_rule("third_immunosuppressant"), one, kb.therapies["rituximab"]) is None


def test_a_tacrolimus_trough_of_13_is_acted_on_and_warfarin_gets_the_steroid_inr_check() -> None:
    plan = make_plan(MDA5_ILD, treatments=[{"therapy": "tacrolimus", "start": "2024-06-01",
                                            "dose_value": 4, "dose_unit": "mg/day"}],
                     lab_results=[{"analyte": "tacrolimus_trough", "value": 13.6,
                                   "unit": "ng/mL", "date": "2026-11-25"}])
    assert "tacrolimus_trough_high" in do_now(plan)
    tac = next(m for m in plan.monitoring if m.therapy == "Tacrolimus")
    assert tac.next_due.startswith("by 2026-12-02 (trough above range")
    kb = load()
    rule = _rule("co_trimoxazole_warfarin")
    facts = compute(make_record(other_medicines=["warfarin", "co_trimoxazole"]), kb)
    firing = fire(rule, facts)
    assert firing is not None and "glucocorticoids can also change the INR" in firing.text


def test_adolescents_get_transition_planning_and_cyclophosphamide_fertility_counselling() -> None:
    teen = make_plan(JDM_CHILD_X, classification={"age_at_onset": 12}, months_since_onset=48)
    assert "transition_to_adult_care" in do_now(teen)
    assert "transition_to_adult_care" not in do_now(make_plan(JDM_CHILD_X))  # 9 years old
    kb = load()
    facts = compute(make_record(JDM_CHILD_X, classification={"age_at_onset": 12},
                                months_since_onset=48), kb)
    firing = fire(_rule("cyclophosphamide_fertility"), facts, kb.therapies["cyclophosphamide"])
    # a boy's plan names his own fertility preservation, not the ovarian one (review Z27d P2)
    assert firing is not None and "sperm banking" in firing.text
    assert "GnRH agonist" not in firing.text
    girl = compute(make_record(JDM_CHILD_X, sex="female", classification={"age_at_onset": 12},
                               months_since_onset=48), kb)
    girls = fire(_rule("cyclophosphamide_fertility"), girl, kb.therapies["cyclophosphamide"])
    assert girls is not None and "GnRH agonist" in girls.text and "sperm" not in girls.text


def test_jdm_in_remission_a_year_off_glucocorticoids_is_offered_methotrexate_withdrawal() -> None:
    quiet = [{"date": d, "core_set": {"physician_global": 0.0, "patient_global": 0.0,
                                      "extramuscular_global": 0.0, "cmas": 52, "chaq": 0.0},
              "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
              "glucocorticoid_mg_per_day": 0, "cdasi_activity": 0}
             for d in ("2025-10-01", "2026-04-01", "2026-11-20")]
    base = merge(JDM_CHILD_X, {"classification": {"age_at_onset": 8}, "months_since_onset": 48,
                               "visits": quiet})
    base["treatments"] = [
        {"therapy": "glucocorticoids_oral", "start": "2023-01-01", "stop": "2025-09-01",
         "dose_value": 5, "dose_unit": "mg/day"},
        {"therapy": "methotrexate", "start": "2023-01-01", "dose_value": 12,
         "dose_unit": "mg/week"}]
    muscle = next(r for r in make_plan(base).regimens if r.domain == "muscle")
    assert muscle.state == "remission"
    assert muscle.first_choice[0].startswith("Taper and stop Methotrexate")
    recent = merge(base, {})
    recent["treatments"][0]["stop"] = "2026-06-01"
    muscle = next(r for r in make_plan(recent).regimens if r.domain == "muscle")
    assert not muscle.first_choice[0].startswith("Taper and stop")


def test_suspected_pulmonary_hypertension_and_progressive_fibrosis_bring_their_pathways() -> None:
    ph = make_plan(antibodies={"u1rnp": {"status": "positive"}, "mi2": {"status": "negative"}},
                   organs={"pulmonary_hypertension": "suspected"})
    assert "right heart" in next(a.text for a in ph.do_now
                                 if a.code == "pulmonary_hypertension_suspected")
    fibrosis = make_plan(antibodies={"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
                         systemic={"interstitial_lung_disease": True},
                         lung={"date": "2026-11-20", "course": "progressive",
                               "hrct_pattern": "nsip"},
                         treatments=[{"therapy": "mycophenolate", "start": "2025-01-01",
                                      "dose_value": 3, "dose_unit": "g/day"}])
    text = next(a.text for a in fibrosis.do_now if a.code == "progressive_pulmonary_fibrosis")
    assert "nintedanib" in text
    # the transplant referral is its own line, for a patient it may serve (review V)
    assert "lung-transplant centre" in next(
        a.text for a in fibrosis.do_now if a.code == "ild_progressing_transplant_referral")


def test_severe_jdm_active_on_treatment_adds_iv_pulses_and_ivig() -> None:
    plan = make_plan(JDM_CHILD_X, organs={"dysphagia": "moderate"},
                     visits=[{"date": "2026-11-20", "core_set": {"physician_global": 6.0}}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "active"
    assert any("methylprednisolone" in f for f in muscle.first_choice)
    assert any("immunoglobulin" in f for f in muscle.first_choice)


def test_severe_cytopenia_on_methotrexate_stops_it_with_folinic_acid() -> None:
    plan = make_plan(treatments=[{"therapy": "methotrexate", "start": "2025-06-01",
                                  "dose_value": 20, "dose_unit": "mg/week"}],
                     lab_results=[{"analyte": "neutrophils", "value": 0.9, "unit": "10^9/L",
                                   "date": "2026-11-28"},
                                  {"analyte": "platelets", "value": 88, "unit": "10^9/L",
                                   "date": "2026-11-28"}])
    actions = do_now(plan)
    assert actions["severe_cytopenia_on_marrow_toxic_drug"] == "urgent"
    assert "neutropenia_on_immunosuppression" not in actions  # its 'or reduce' gives way
    text = next(a.text for a in plan.do_now if a.code == "severe_cytopenia_on_marrow_toxic_drug")
    assert "folinic acid" in text and "stop methotrexate" in text
    assert "not glucocorticoids" in text  # re-score of review Z: it listed prednisolone too
    assert "methotrexate" in {w.therapy for w in plan.withheld} or any(
        f.startswith("Stop Methotrexate") for r in plan.regimens for f in r.first_choice)


def test_ivig_is_held_after_a_recent_thrombosis() -> None:
    plan = make_plan(comorbidities={"last_thrombosis": "2026-11-27"},
                     treatments=[{"therapy": "ivig", "start": "2024-11-01", "dose_value": 2,
                                  "dose_unit": "g/kg"}])
    assert "ivig" in {w.therapy for w in plan.withheld} or any(
        f.startswith(("Stop Intravenous immunoglobulin", "Hold Intravenous immunoglobulin"))
        for r in plan.regimens for f in r.first_choice)
    assert not any(f.startswith("Continue Intravenous immunoglobulin") for r in plan.regimens
                   for f in r.first_choice)
    old_clot = make_plan(comorbidities={"last_thrombosis": "2025-01-10"},
                         treatments=[{"therapy": "ivig", "start": "2024-11-01",
                                      "dose_value": 2, "dose_unit": "g/kg"}])
    assert not any(f.startswith("Stop Intravenous immunoglobulin") for r in old_clot.regimens
                   for f in r.first_choice)


def test_a_drug_stopped_for_an_adverse_reaction_is_never_offered_again() -> None:
    plan = make_plan(months_since_onset=6,
                     treatments=[{"therapy": "hydroxychloroquine", "start": "2026-08-01",
                                  "stop": "2026-08-18", "reason_stopped": "adverse_event"},
                                 {"therapy": "topical_corticosteroids", "start": "2026-06-01"},
                                 {"therapy": "photoprotection", "start": "2026-06-01"},
                                 {"therapy": "glucocorticoids_oral", "start": "2026-06-01",
                                  "dose_value": 20, "dose_unit": "mg/day"}],
                     visits=[{"date": "2026-11-20", "cdasi_activity": 30,
                              "core_set": {"physician_global": 4.0}}])
    named = " ".join(f for r in plan.regimens for f in r.first_choice + r.alternatives)
    assert "Hydroxychloroquine" not in named
    assert "hydroxychloroquine" not in {d.therapy for d in plan.doses}


def test_shingles_on_immunosuppression_and_colchicine_taken_for_gout() -> None:
    shingles = make_plan(comorbidities={"herpes_zoster_active": True}, treatments=[
        {"therapy": "methotrexate", "start": "2025-06-01", "dose_value": 15,
         "dose_unit": "mg/week"}])
    assert do_now(shingles)["herpes_zoster_on_immunosuppression"] == "urgent"
    gout = make_plan(treatments=[
        {"therapy": "methotrexate", "start": "2025-06-01", "dose_value": 15,
         "dose_unit": "mg/week"},
        {"therapy": "colchicine", "start": "2026-01-01"}])
    assert "colchicine_myotoxicity" in do_now(gout)
    named = [f for r in gout.regimens for f in r.first_choice]
    assert not any(f.startswith("Continue Colchicine") for f in named)


def test_stable_ild_on_glucocorticoids_alone_gets_a_steroid_sparing_agent_and_ivig_haemolysis(
) -> None:
    plan = make_plan(antibodies={"ku": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"date": "2026-11-20", "course": "stable", "hrct_pattern": "nsip"},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01",
                                  "dose_value": 30, "dose_unit": "mg/day"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(f.startswith("add ") and "ILD control" in f for f in lung.first_choice)
    ivig = make_plan(treatments=[{"therapy": "ivig", "start": "2026-06-01", "dose_value": 2,
                                  "dose_unit": "g/kg"}],
                     lab_results=[{"analyte": "haemoglobin", "value": v, "unit": "g/L",
                                   "date": d} for d, v in (("2026-10-01", 132),
                                                           ("2026-11-25", 108))])
    # a 24 g/L fall: the next course is held (review U), which covers the softer line
    assert {"ivig_haemolysis", "ivig_haemolysis_hold"} & set(do_now(ivig))


def test_a_recent_smear_and_a_young_mans_psa_are_not_listed_as_due() -> None:
    woman = make_plan(months_since_onset=6, cancer={"screening_done": [
        {"test": "cervical smear (Pap)", "date": "2025-03-01", "result": "normal"}]})
    assert not any("Pap" in t for t in woman.cancer_screening.tests_due)
    young_man = make_plan(months_since_onset=6, sex="male",
                          classification={"age_at_onset": 34})
    assert not any("PSA" in t for t in young_man.cancer_screening.tests_due)
    older_man = make_plan(months_since_onset=6, sex="male",
                          classification={"age_at_onset": 55})
    assert any("PSA" in t for t in older_man.cancer_screening.tests_due)


def test_cmv_viraemia_on_immunosuppression_is_urgent() -> None:
    plan = make_plan(MDA5_ILD, infection_screening={"cmv_pcr": {"result": "positive",
                                                                 "date": "2026-11-28"}},
                     treatments=[{"therapy": "tacrolimus", "start": "2024-06-01",
                                  "dose_value": 4, "dose_unit": "mg/day"}])
    assert do_now(plan)["cmv_viraemia_on_immunosuppression"] == "urgent"
    clear = make_plan(MDA5_ILD, infection_screening={"cmv_pcr": {"result": "negative"}},
                      treatments=[{"therapy": "tacrolimus", "start": "2024-06-01",
                                   "dose_value": 4, "dose_unit": "mg/day"}])
    assert "cmv_viraemia_on_immunosuppression" not in do_now(clear)


def test_nsaid_with_steroid_and_an_undated_clot_on_ivig_are_flagged() -> None:
    gc = [{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
           "dose_unit": "mg/day"}]
    assert "nsaid_with_glucocorticoid_no_gastroprotection" in do_now(
        make_plan(other_medicines=["nsaid"], treatments=gc))
    assert "nsaid_with_glucocorticoid_no_gastroprotection" not in do_now(
        make_plan(other_medicines=["nsaid", "proton_pump_inhibitor"], treatments=gc))
    clot = make_plan(comorbidities={"thrombosis_history": True}, treatments=[
        {"therapy": "ivig", "start": "2024-11-01", "dose_value": 2, "dose_unit": "g/kg"}])
    assert "ivig_thrombosis_date_unknown" in do_now(clot)


def test_a_ferritin_doubling_after_a_stable_lung_assessment_raises_the_rp_ild_alarm() -> None:
    base = merge(JDM_CHILD_X, {
        "today": "2026-03-02", "antibodies": {"mda5": {"status": "positive"},
                                              "mi2": {"status": "negative"}},
        "systemic": {"dyspnoea_or_cough": True, "fever": True},
        "lung": {"date": "2026-01-09", "course": "stable", "hrct_pattern": "normal"},
        "visits": [{"date": "2026-02-27", "core_set": {"physician_global": 2.0}}]})
    base["treatments"] = [
        {"therapy": "glucocorticoids_oral", "start": "2026-01-01", "dose_value": 30,
         "dose_unit": "mg/day"},
        {"therapy": "methotrexate", "start": "2025-10-01", "dose_value": 12,
         "dose_unit": "mg/week"}]
    rising = merge(base, {"lab_results": [
        {"analyte": "ferritin", "value": 290, "unit": "ng/mL", "date": "2026-02-02"},
        {"analyte": "ferritin", "value": 1150, "unit": "ng/mL", "date": "2026-02-27"}]})
    plan = make_plan(rising)
    assert any(f.code == "suspected_rp_ild" and f.urgency == "urgent" for f in plan.flags)
    assert not any("Taper glucocorticoids towards stopping" in f
                   for r in plan.regimens for f in r.first_choice)
    steady = merge(base, {"systemic": {"dyspnoea_or_cough": False, "fever": False},
                          "lab_results": [
        {"analyte": "ferritin", "value": 290, "unit": "ng/mL", "date": "2026-02-02"},
        {"analyte": "ferritin", "value": 300, "unit": "ng/mL", "date": "2026-02-27"}]})
    assert not any(f.code == "suspected_rp_ild" for f in make_plan(steady).flags)


def test_a_statin_with_a_myositis_explained_by_another_antibody_is_tested_not_stopped() -> None:
    jo1 = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                    other_medicines=["statin"])
    actions = do_now(jo1)
    assert "statin_with_another_msa" in actions and "statin_taken_with_myopathy" not in actions
    seronegative = make_plan(antibodies={"mi2": {"status": "negative"}},
                             other_medicines=["statin"])
    assert "statin_taken_with_myopathy" in do_now(seronegative)


def test_remission_in_pregnancy_keeps_the_compatible_maintenance_drug() -> None:
    quiet = [{"date": d, "core_set": {"physician_global": 0.0, "patient_global": 0.0,
                                      "extramuscular_global": 0.0, "mmt8": 80, "mmt_max": 80,
                                      "haq": 0.0},
              "labs": {"enzymes": {"ck": {"value": 100, "uln": 200}}}}
             for d in ("2025-11-01", "2026-05-01", "2026-11-20")]
    plan = make_plan(months_since_onset=40, visits=quiet, reproduction={"pregnant": True},
                     treatments=[{"therapy": "azathioprine", "start": "2024-01-01",
                                  "dose_value": 100, "dose_unit": "mg/day"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "remission"
    assert muscle.decision_point.startswith("Pregnant: keep the pregnancy-compatible")
    assert "folic acid" in next(a.text for a in plan.do_now
                                if a.code == "pregnancy_general_care")


def test_no_pet_ct_for_cancer_not_detected_when_a_cancer_is_recorded() -> None:
    tif1g = {"antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
             "classification": {"age_at_onset": 58}, "systemic": {"dysphagia": True},
             "cancer": {"red_flags": ["weight_loss"]}}
    found = make_plan(**merge(tif1g, {"cancer": {"past_cancer": ["breast cancer 2025"]}}))
    assert not any("not detected" in a for a in found.cancer_screening.additional)
    assert any("decided with oncology" in a for a in found.cancer_screening.additional)
    searching = make_plan(**tif1g)
    assert any("PET-CT" in a for a in searching.cancer_screening.additional)


def test_fever_on_immunosuppression_asks_for_an_infection_work_up() -> None:
    treated = [{"therapy": "methotrexate", "start": "2025-06-01", "dose_value": 15,
                "dose_unit": "mg/week"}]
    plan = make_plan(systemic={"fever": True, "dyspnoea_or_cough": True}, treatments=treated)
    text = next(a.text for a in plan.do_now if a.code == "fever_on_immunosuppression")
    assert "PJP" in text and "never stop glucocorticoids abruptly" in text
    assert "fever_on_immunosuppression" not in do_now(make_plan(systemic={"fever": True}))


def test_the_plan_says_that_visit_notes_are_not_read() -> None:
    plan = make_plan(visits=[{"date": "2026-11-20", "core_set": {"physician_global": 3.0},
                              "notes": "new cough, chickenpox contact last week"}])
    assert any("visit notes are not read" in part for part in plan.inputs_used)
    assert not any("visit notes" in part for part in make_plan().inputs_used)


def test_a_postmenopausal_woman_is_not_asked_for_a_pregnancy_test() -> None:
    mtx = [{"therapy": "methotrexate", "start": "2024-01-01", "dose_value": 15,
            "dose_unit": "mg/week"}]
    unknown = make_plan(classification={"age_at_onset": 50}, months_since_onset=48,
                        treatments=mtx, reproduction={"effective_contraception": None})
    assert "contraception_with_teratogen" in do_now(unknown)
    after = make_plan(classification={"age_at_onset": 50}, months_since_onset=48,
                      treatments=mtx, reproduction={"effective_contraception": None,
                                                    "postmenopausal": True})
    assert "contraception_with_teratogen" not in do_now(after)

"""Scenarios from specialist review V (December 2026, SYNTHETIC): the lung worse on
methotrexate, a partial response that is still improving, tacrolimus dosed by its trough with
an azole, co-trimoxazole with a raised potassium, azathioprine in kidney failure, adult steroid
targets in a child, IBM taper without screening, pregnancy clauses for men."""

from __future__ import annotations

from typing import Any

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.reports.careplan import to_markdown
from myositis.services.careplan.dosing import dose_line, limited
from myositis.services.careplan.facts import compute
from myositis.services.careplan.record_readers import lung_change_on_methotrexate
from myositis.services.careplan.rules import fire
from myositis.services.muscle_trend import muscle_improving
from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, make_record, merge

PM_ON_MTX: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-V2D", "label": "SYNTHETIC PM on methotrexate with a new lung change",
    "today": "2026-04-20", "months_since_onset": 14, "diagnosis": {"subgroup": "pm"},
    "systemic": {"dyspnoea_or_cough": True},
    "lung": {"date": "2026-04-10", "hrct_pattern": "other", "oxygen": "none"},
    "treatments": [
        {"therapy": "methotrexate", "start": "2025-04-10", "dose_value": 20,
         "dose_unit": "mg/week", "response": "partial"},
        {"therapy": "glucocorticoids_oral", "start": "2025-03-20", "dose_value": 7.5,
         "dose_unit": "mg/day", "response": "partial"}],
    "visits": [
        {"date": "2025-09-15", "core_set": {"physician_global": 3.5, "patient_global": 4,
                                            "extramuscular_global": 0.5, "mmt8": 132,
                                            "mmt_max": 150, "haq": 1.0}},
        {"date": "2026-04-14", "core_set": {"physician_global": 3, "patient_global": 4,
                                            "extramuscular_global": 0.5, "mmt8": 138,
                                            "mmt_max": 150, "haq": 0.75}}],
    "lab_results": [
        {"analyte": "ck", "value": 1100, "unit": "U/L", "uln": 170, "date": "2025-09-10"},
        {"analyte": "ck", "value": 450, "unit": "U/L", "uln": 170, "date": "2026-04-14"},
        {"analyte": "egfr", "value": 70, "unit": "mL/min/1.73m2", "date": "2026-04-14"}],
})


def test_lung_worse_on_methotrexate_withholds_it_and_asks_for_the_work_up() -> None:
    plan = make_plan(PM_ON_MTX)
    assert "methotrexate_pneumonitis_workup" in do_now(plan)
    assert "methotrexate" in {w.therapy for w in plan.withheld}
    text = next(a.text for a in plan.do_now if a.code == "methotrexate_pneumonitis_workup")
    assert "PJP" in text and "DLCO" in text


def test_a_stable_lung_or_no_symptoms_keeps_methotrexate() -> None:
    stable = make_record(PM_ON_MTX, lung={"date": "2026-04-10", "hrct_pattern": "nsip",
                                           "course": "stable"})
    assert lung_change_on_methotrexate(stable) is False
    quiet = make_record(PM_ON_MTX, systemic={"dyspnoea_or_cough": False})
    assert lung_change_on_methotrexate(quiet) is False
    before = make_record(PM_ON_MTX, lung={"date": "2025-01-10", "hrct_pattern": "nsip"})
    assert lung_change_on_methotrexate(before) is False  # imaging before methotrexate began
    progressive = make_record(PM_ON_MTX, systemic={"dyspnoea_or_cough": False},
                              lung={"course": "progressive"})
    assert lung_change_on_methotrexate(progressive) is True


def test_a_partial_response_still_improving_is_not_an_inadequate_one() -> None:
    record = make_record(PM_ON_MTX)
    assert muscle_improving(record) is not None
    plan = make_plan(PM_ON_MTX)
    assert plan.state is not None and plan.state.of("muscle") == "active"
    flat = [dict(v) for v in PM_ON_MTX["visits"]]
    flat[1] = merge(flat[1], {"core_set": {"mmt8": 132}})
    stalled = make_record(PM_ON_MTX, visits=flat, lab_results=[
        {"analyte": "ck", "value": 1100, "unit": "U/L", "uln": 170, "date": "2025-09-10"},
        {"analyte": "ck", "value": 1050, "unit": "U/L", "uln": 170, "date": "2026-04-14"}])
    assert muscle_improving(stalled) is None
    assert make_plan(PM_ON_MTX, visits=flat, lab_results=stalled.model_dump(
        mode="json")["lab_results"]).state.of("muscle") == "inadequate_response"


TACROLIMUS_AZOLE: dict[str, Any] = {
    "weight_kg": 80,
    "treatments": [{"therapy": "tacrolimus", "start": "2026-06-01", "dose_value": 4,
                    "dose_unit": "mg/day"}],
    "other_medicines": ["azole_antifungal"],
    "lab_results": [
        {"analyte": "tacrolimus_trough", "value": 9.8, "unit": "ng/mL", "date": "2026-11-25"},
        {"analyte": "egfr", "value": 80, "unit": "mL/min/1.73m2", "date": "2026-11-25"}],
}


def test_tacrolimus_with_a_trough_is_judged_by_the_trough_not_by_weight() -> None:
    plan = make_plan(**TACROLIMUS_AZOLE)
    line = next(d.text for d in plan.doses if "Tacrolimus" in d.name and "taken now" in d.text)
    assert "trough" in line and "below" not in line and "adequate trial" not in line
    assert "calcineurin_azole_recheck" in do_now(plan)


def test_tacrolimus_without_a_trough_asks_for_one_before_judging_the_dose() -> None:
    """Without a recent trough the weight range does not judge a level-guided drug (specialist
    review Z58d P6 replaced the weight check kept here since review V)."""
    plan = make_plan(**{**TACROLIMUS_AZOLE, "lab_results": TACROLIMUS_AZOLE["lab_results"][1:]})
    line = next(d.text for d in plan.doses if "Tacrolimus" in d.name and "taken now" in d.text)
    assert "measure the trough before judging the dose" in line and "below" not in line


def test_raised_potassium_warns_of_co_trimoxazole_when_immunosuppressed() -> None:
    def lab(value: float) -> dict[str, Any]:
        return {"lab_results": [
            {"analyte": "potassium", "value": value, "unit": "mmol/L", "date": "2026-11-25"},
            {"analyte": "egfr", "value": 25, "unit": "mL/min/1.73m2", "date": "2026-11-25"}]}
    assert "co_trimoxazole_hyperkalaemia" in do_now(make_plan(**lab(5.4)))
    assert "co_trimoxazole_hyperkalaemia" not in do_now(make_plan(**lab(5.0)))


def test_azathioprine_below_egfr_30_is_dosed_at_the_lower_end() -> None:
    entry = next(d for d in load().doses if d.therapy == "azathioprine")
    failing = make_record(weight_kg=86, lab_results=[
        {"analyte": "egfr", "value": 22, "unit": "mL/min/1.73m2", "date": "2026-11-25"}])
    capped, why = limited(entry, failing)
    line = dose_line(capped, "Azathioprine", failing).text
    assert line.startswith("86-170 mg/day (1-2 mg/kg/day") and "eGFR below 30" in why
    normal = make_record(weight_kg=86)
    assert limited(entry, normal)[0].high == 2.5


JDM_CHILD: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-V1B", "label": "SYNTHETIC JDM child on 10 mg/day for 8 months",
    "date_of_birth": "2017-05-01", "weight_kg": 28, "months_since_onset": 11,
    "diagnosis": {"subgroup": "jdm"}, "classification": {"age_at_onset": 8},
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-03-01", "dose_value": 10,
                    "dose_unit": "mg/day"}],
    "reproduction": {"pregnant": None, "planning_conception": None, "breastfeeding": None},
})


def test_a_child_gets_no_adult_mg_per_day_taper_target() -> None:
    plan = make_plan(JDM_CHILD)
    assert "long_term_glucocorticoid_exit" not in do_now(plan)
    adult = make_plan(JDM_CHILD, date_of_birth="1976-05-01", diagnosis={"subgroup": "dm"},
                      classification={"age_at_onset": 49})
    assert "long_term_glucocorticoid_exit" in do_now(adult)


IBM_ON_PRED: dict[str, Any] = {
    "id": "SYN-V2B", "label": "SYNTHETIC IBM on a prednisolone taper", "sex": "male",
    "today": "2026-12-01", "date_of_birth": "1955-01-01", "months_since_onset": 60,
    "diagnosis": {"subgroup": "ibm"},
    "antibodies": {"cn1a": {"status": "positive"}},
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-01-01", "dose_value": 10,
                    "dose_unit": "mg/day", "response": "none"}],
}


def test_ibm_on_a_steroid_taper_is_not_asked_for_tb_screening_before_immunosuppression() -> None:
    plan = make_plan(IBM_ON_PRED)
    assert not {"latent_tb_treat_first", "tb_status_not_recorded",
                "tb_status_not_recorded_established"} & set(do_now(plan))
    high = make_plan(IBM_ON_PRED, treatments=[merge(IBM_ON_PRED["treatments"][0],
                                                    {"dose_value": 40})])
    assert {"tb_status_not_recorded", "tb_status_not_recorded_established"} & set(do_now(high))


def test_pregnancy_clauses_are_left_out_of_a_mans_plan() -> None:
    plan = make_plan(IBM_ON_PRED)
    bone = next(a.text for a in plan.do_now if a.code == "bone_protection_due")
    assert "pregnancy" not in bone and bone.endswith(".")
    woman = make_plan(IBM_ON_PRED, sex="female", date_of_birth="1986-01-01")
    assert "in pregnancy" in next(a.text for a in woman.do_now
                                  if a.code == "bone_protection_due")


def test_routine_items_are_printed_in_full_in_the_markdown() -> None:
    plan = make_plan(JDM_CHILD)
    routine = [a for a in plan.printed_do_now() if a.urgency == "routine"]
    assert routine
    text = to_markdown(plan)
    for action in routine:
        assert action.text in text.split("## Routine items")[1]


def test_record_model_accepts_the_review_patients() -> None:
    assert PatientRecord.model_validate(PM_ON_MTX).lung is not None


def test_active_infection_in_organ_threatening_disease_asks_for_a_decision_not_no_delay() -> None:
    changes: dict[str, Any] = {
        "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        "lung": {"date": "2026-11-20", "hrct_pattern": "nsip_op", "course": "rapidly_progressive",
                 "oxygen": "at_rest"},
        "treatments": [{"therapy": "cyclophosphamide", "start": "2026-10-01", "dose_value": 750,
                        "dose_unit": "mg"}],
        "lab_results": [{"analyte": "lymphocytes", "value": 0.4, "unit": "10^9/L",
                         "date": "2026-11-28"}]}
    infected = make_plan(comorbidities={"active_infection": True}, **changes)
    assert do_now(infected).get("organ_threatening_with_active_infection") == "urgent"
    assert not any("do not delay" in c.text for o in infected.options for c in o.cautions)
    clean = make_plan(comorbidities={"active_infection": False}, **changes)
    assert "organ_threatening_with_active_infection" not in do_now(clean)


def test_a_woman_on_immunosuppression_is_asked_about_pregnancy_plans() -> None:
    unknown = make_plan(reproduction={"pregnant": False, "planning_conception": None},
                        treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                     "dose_value": 150, "dose_unit": "mg/day"}])
    # a plan that offers a teratogen asks through the contraception rule instead
    assert {"pregnancy_plans_not_recorded", "contraception_with_teratogen"} & set(do_now(unknown))
    on_aza_only = make_record(reproduction={"pregnant": False, "planning_conception": None})
    computed = compute(on_aza_only, load(), planned=["azathioprine"])
    computed["immunosuppression_planned_or_current"] = True
    rule = next(r for r in load().rules.rules if r.id == "pregnancy_plans_not_recorded")
    assert fire(rule, computed) is not None
    asked = make_plan(treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                   "dose_value": 150, "dose_unit": "mg/day"}])
    assert "pregnancy_plans_not_recorded" not in do_now(asked)
    man = make_plan(sex="male", reproduction={"pregnant": None, "planning_conception": None},
                    treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                 "dose_value": 150, "dose_unit": "mg/day"}])
    assert "pregnancy_plans_not_recorded" not in do_now(man)


def test_a_recorded_polymyositis_asks_for_its_mimics_to_be_excluded() -> None:
    plan = make_plan(PM_ON_MTX)
    text = next(a.text for a in plan.do_now if a.code == "polymyositis_reconsider")
    assert "anti-HMGCR" in text and "p62" in text and "antisynthetase" in text
    settled = make_plan(PM_ON_MTX, systemic={"dyspnoea_or_cough": False}, lung=None,
                        antibodies={"hmgcr": {"status": "negative"}})
    assert "polymyositis_reconsider" not in do_now(settled)


def test_rituximab_with_heart_failure_asks_for_cardiac_monitoring_of_infusions() -> None:
    plan = make_plan(comorbidities={"heart_failure": True},
                     treatments=[{"therapy": "rituximab", "start": "2026-11-30"}])
    assert any("cardiac monitoring" in a.text for a in plan.do_now
               if a.code == "rituximab_heart_disease")


def test_red_flags_after_a_recent_ct_do_not_repeat_the_ct() -> None:
    base: dict[str, Any] = {"months_since_onset": 5,
                            "cancer": {"red_flags": ["weight_loss"], "active_cancer": False}}
    fresh = make_plan(**base)
    assert "CT of the chest" in next(a.text for a in fresh.do_now
                                     if a.code == "cancer_red_flags")
    scanned = make_plan(**merge(base, {"cancer": {"screening_done": [
        {"test": "CT neck chest abdomen pelvis", "date": "2026-08-20", "result": "normal"}]}}))
    text = next(a.text for a in scanned.do_now if a.code == "cancer_red_flags_after_recent_ct")
    assert "do not repeat the CT" in text and "endoscopy" in text
    assert not any("investigate them now" in a.text for a in scanned.do_now)


def test_a_plateau_past_six_months_is_an_inadequate_response() -> None:
    """Re-score of review V: MMT-8 112 to 116/150 with CK down 19 % (still 17 x ULN) is a
    plateau, not improvement."""
    visits = [{"date": "2026-09-20", "core_set": {"physician_global": 5, "patient_global": 5,
                                                  "extramuscular_global": 1, "mmt8": 112,
                                                  "mmt_max": 150, "haq": 1.5}},
              {"date": "2026-12-01", "core_set": {"physician_global": 5, "patient_global": 5,
                                                  "extramuscular_global": 1, "mmt8": 116,
                                                  "mmt_max": 150, "haq": 1.5}}]
    labs = [{"analyte": "ck", "value": 4200, "unit": "U/L", "uln": 200, "date": "2026-09-20"},
            {"analyte": "ck", "value": 3400, "unit": "U/L", "uln": 200, "date": "2026-12-01"}]
    assert muscle_improving(make_record(PM_ON_MTX, today="2026-12-10", visits=visits,
                                        lab_results=labs)) is None


def test_switch_after_suspected_pneumonitis_waits_for_infection_to_be_excluded() -> None:
    plan = make_plan(PM_ON_MTX)
    changes = next(r for r in plan.regimens if r.domain == "treatment changes")
    switch = next(e for e in changes.first_choice if "switch to" in e)
    assert switch.startswith("once infection and drug pneumonitis are excluded")


def test_monitoring_on_an_azole_rechecks_tacrolimus_within_a_week() -> None:
    plan = make_plan(**TACROLIMUS_AZOLE)
    item = next(m for m in plan.monitoring if m.therapy.startswith("Tacrolimus"))
    assert "2026-12-08" in item.next_due and "azole" in item.next_due


def test_remission_taper_does_not_also_continue_glucocorticoids() -> None:
    visits = [{"date": d, "core_set": {"physician_global": 0, "patient_global": 0.5,
                                       "extramuscular_global": 0, "mmt8": 80, "mmt_max": 80,
                                       "haq": 0}, "labs": {"enzymes": {"ck": {"value": 90,
                                                                              "uln": 200}}}}
              for d in ("2025-10-01", "2026-04-01", "2026-11-20")]
    plan = make_plan(visits=visits, months_since_onset=36, treatments=[
        {"therapy": "azathioprine", "start": "2024-01-01", "dose_value": 150,
         "dose_unit": "mg/day", "response": "complete"},
        {"therapy": "glucocorticoids_oral", "start": "2023-12-01", "dose_value": 2.5,
         "dose_unit": "mg/day"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert any(e.startswith("Taper glucocorticoids") for e in entries)
    assert not any(e.startswith("Continue Oral glucocorticoids") for e in entries)


def test_a_childs_flare_names_chaq_and_leaves_out_statins() -> None:
    visit = {"physician_global": 1, "patient_global": 1, "extramuscular_global": 0.5,
             "cmas": 48, "chaq": 0.5}
    worse = {"physician_global": 4, "patient_global": 4, "extramuscular_global": 0.5,
             "cmas": 35, "chaq": 1.5}
    plan = make_plan(JDM_CHILD, visits=[{"date": "2026-06-01", "core_set": visit},
                                        {"date": "2026-11-28", "core_set": worse}])
    assert plan.state is not None and plan.state.worsening_vs_previous is not None
    assert "CHAQ" in plan.state.worsening_vs_previous
    assert "haq" not in plan.state.worsening_vs_previous
    flare = next((a.text for a in plan.do_now if a.code == "flare"), "")
    assert flare and "statins" not in flare


def test_ivig_per_kg_dose_in_obesity_says_the_weight_must_be_adjusted() -> None:
    """Review W: 190 g of IVIG for a woman of 96 kg with BMI 36, dosed on actual weight."""
    entry = next(d for d in load().doses if d.therapy == "ivig")
    obese = dose_line(entry, "IVIG", make_record(weight_kg=96, height_cm=163))
    assert "BMI 36" in obese.text and "ideal body weight" in obese.text
    assert "nhse2021_ig_policy" in obese.citations
    lean = dose_line(entry, "IVIG", make_record(weight_kg=60, height_cm=163))
    assert "BMI" not in lean.text


def test_anti_mda5_without_ild_has_lung_function_every_three_months() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=18,
                     lung={"date": "2026-11-20", "hrct_pattern": "normal"})
    item = next(m for m in plan.monitoring if m.therapy == "Lung")
    assert "every 3 months" in item.text and "2027-02-19" in item.next_due


def test_skin_ulcers_without_muscle_or_lung_regimen_do_not_point_to_one() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={"weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "elevated_muscle_enzymes": False},
                     diagnosis={"subgroup": "adm"}, labs={"enzymes": {"ck": {"value": 90,
                                                                             "uln": 200}}},
                     skin={"cutaneous_ulceration": True, "gottron_papules": True},
                     lung={"date": "2026-11-20", "hrct_pattern": "normal"})
    skin = next((r for r in plan.regimens if r.domain == "skin"), None)
    assert skin is not None
    text = " ".join(skin.first_choice)
    assert "ulcerating" in text
    assert not any(r.domain in ("muscle", "lung") for r in plan.regimens)
    assert "as in the muscle or lung regimen" not in text
    assert "prednisolone 0.5-1 mg/kg/day with a steroid-sparing agent" in text


def test_before_starting_checks_skip_drugs_taken_for_three_months() -> None:
    """Review W: TPMT 'before starting' after 3 years of azathioprine."""
    long_taken = make_plan(treatments=[{"therapy": "azathioprine", "start": "2023-06-01",
                                        "dose_value": 150, "dose_unit": "mg/day"}])
    assert not any("Azathioprine" in c.therapies for c in long_taken.shared_checks)
    new = make_plan(treatments=[{"therapy": "azathioprine", "start": "2026-11-20",
                                 "dose_value": 50, "dose_unit": "mg/day"}],
                    immunogenetics={"tpmt": None, "nudt15": None})
    assert any("Azathioprine" in c.therapies for c in new.shared_checks
               if c.id == "tpmt_nudt15")


def test_a_statin_taken_now_gets_one_message_not_two() -> None:
    plan = make_plan(other_medicines=["statin"], statin_exposure=True,
                     antibodies={"mi2": {"status": "negative"}})
    codes = set(do_now(plan))
    assert "statin_taken_with_myopathy" in codes
    assert "statin_exposure_anti_hmgcr_unknown" not in codes
    # explained by anti-Mi-2: one message too, a test rather than a stop (review F)
    explained = set(do_now(make_plan(other_medicines=["statin"], statin_exposure=True)))
    assert {c for c in explained if "statin" in c} == {"statin_with_another_msa"}
    past = make_plan(statin_exposure=True)
    assert "statin_exposure_anti_hmgcr_unknown" in do_now(past)


def test_missing_tb_status_is_routine_on_long_established_treatment() -> None:
    """Review W: 'TB ... before immunosuppression' at the top, two years into methotrexate."""
    doc = merge(ADULT_DM, {})
    del doc["infection_screening"]["tb_test"]
    established = make_record(doc, treatments=[{"therapy": "methotrexate", "start": "2024-10-01",
                                                "dose_value": 15, "dose_unit": "mg/week"}])
    facts = compute(established, load(), planned=["methotrexate"])
    assert facts["immunosuppression_new"] is False
    starting = compute(established, load(), planned=["methotrexate", "azathioprine"])
    assert starting["immunosuppression_new"] is True
    rules = {r.id: r for r in load().rules.rules}
    assert fire(rules["tb_status_not_recorded_established"], facts) is not None
    assert fire(rules["tb_status_not_recorded"], facts) is None
    assert fire(rules["tb_status_not_recorded"], starting) is not None

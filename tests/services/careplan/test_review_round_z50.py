"""Open findings of earlier rounds and findings of specialist review round Z50, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


HCQ_PREGNANT: dict[str, Any] = dict(
    weight_kg=72, classification={"age_at_onset": 30}, months_since_onset=60,
    treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01", "dose_value": 400,
                 "dose_unit": "mg/day"}])


def test_anti_ro52_alone_does_not_keep_hydroxychloroquine_above_the_retinal_limit() -> None:
    """Open finding: 'keep 400 mg/day through the pregnancy' for anti-Ro52 alone, which the
    PATCH study did not test (a previous heart-blocked child)."""
    plan = make_plan(**HCQ_PREGNANT,
                     antibodies={"mi2": {"status": "positive"}, "ro52": {"status": "positive"}},
                     reproduction={"pregnant": True, "gestation_weeks": 12})
    codes = do_now(plan)
    assert "hydroxychloroquine_dose_pregnant_anti_ro52_only" in codes
    assert "hydroxychloroquine_dose_pregnant_anti_ro" not in codes
    assert "keep 400 mg/day through the pregnancy" not in _texts(plan)


DYING: dict[str, Any] = dict(
    care_goals={"treatment_ceiling": "comfort", "prognosis": "days_to_weeks",
                "frailty_scale": 8},
    sex="male", weight_kg=60, systemic={"interstitial_lung_disease": True},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
                 "dose_unit": "mg/day"},
                {"therapy": "mycophenolate", "start": "2026-06-01", "dose_value": 2000,
                 "dose_unit": "mg/day"}])


def test_the_end_of_life_line_governs_work_up_monitoring_and_long_horizon_lines() -> None:
    """Open finding (Z48c): 'routine screening and monitoring are stopped' above contraception
    counselling, a taper target, an HRCT, lung function and core set scores for a dying man."""
    plan = make_plan(**DYING)
    codes = do_now(plan)
    assert "mycophenolate_paternal_contraception" not in codes
    assert "long_term_glucocorticoid_exit" not in codes
    assert "adrenal_safety_long_term_glucocorticoid" in codes  # comfort now: kept
    assert plan.workup == []
    assert [m.therapy for m in plan.monitoring] == ["Symptoms and comfort"]
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.startswith("Consider stopping Mycophenolate") for e in lung.first_choice)
    assert "Mycophenolate mofetil" not in lung.first_choice
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert "Hydroxychloroquine" not in skin.first_choice
    # with months to live, the schedule stays
    months = make_plan(**{**DYING, "care_goals": {"prognosis": "months"}})
    assert len(months.monitoring) > 1 and months.workup


def test_methotrexate_without_response_is_switched_not_kept_for_its_dose_or_prophylaxis() -> None:
    """Z50a P2 (dangerous): 'Continue Methotrexate (lower the dose ...)' and 'keep methotrexate
    and change the prophylaxis' after 15 weeks without response, at an eGFR of 32."""
    plan = make_plan(other_medicines=["co_trimoxazole"],
                     lab_results=[lab("egfr", 32, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "start": "2026-08-20",
                                  "dose_value": 15, "dose_unit": "mg/week",
                                  "response": "none"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Methotrexate: no response recorded") for e in muscle.first_choice)
    assert not any(e.startswith("Continue Methotrexate") for e in muscle.first_choice)
    text = _texts(plan)
    assert "methotrexate has given no response and is switched" in text
    assert "keep methotrexate and change the prophylaxis" not in text


SRP_HEART: dict[str, Any] = dict(
    antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
    diagnosis={"subgroup": "imnm", "confirmed_on": "2026-09-01"}, skin={},
    weight_kg=96, organs={"cardiac": "suspected"},
    lab_results=[lab("ck", 6500, "U/L", 170), lab("troponin_i", 62, "ng/L", 34)],
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 30,
                 "dose_unit": "mg/day"}])


def test_the_heart_line_names_ivig_only_when_it_is_not_withheld_and_caps_prednisolone() -> None:
    """Z50a P8: 'IVIG beside it if the heart does not settle' with IVIG withheld (blood products
    declined); Z50a P5: 'then oral prednisolone 0.5-1 mg/kg/day' with no ceiling at 96 kg."""
    declined = make_plan(**SRP_HEART, preferences={"declines": ["blood_products"]})
    line = next(r for r in declined.regimens if r.domain == "muscle").first_choice[0]
    assert "for the heart involvement" in line
    assert "IVIG" not in line and "usually at most 60 mg/day" in line


def test_a_transplant_recipients_tacrolimus_trough_is_the_transplant_teams() -> None:
    """Z50d P6 (dangerous): a liver-transplant recipient's trough of 4.1, inside the liver team's
    3-5 target, read against the myositis lung range - 'adjust the dose', levels every 2-3 days."""
    record: dict[str, Any] = dict(
        lab_results=[lab("tacrolimus_trough", 4.1, "ng/mL")],
        treatments=[{"therapy": "tacrolimus", "start": "2012-04-01"}])
    plan = make_plan(**record, comorbidities={"solid_organ_transplant": True,
                                              "transplanted_organs": ["liver"]})
    codes = do_now(plan)
    assert "tacrolimus_trough_low_transplant" in codes and "tacrolimus_trough_low" not in codes
    tac = next(m for m in plan.monitoring if m.therapy == "Tacrolimus")
    assert "trough below range" not in tac.next_due
    assert "tacrolimus_trough_low" in do_now(make_plan(**record))


def test_insulin_taken_is_treated_diabetes_for_the_glucose_lines() -> None:
    """Z50c P2 (dangerous): 'without known diabetes: capillary glucose once a day' on insulin
    with a continuous tube feed and glucose up to 14 mmol/L."""
    record: dict[str, Any] = dict(treatments=[{"therapy": "glucocorticoids_oral",
                                               "start": "2026-10-01", "dose_value": 40,
                                               "dose_unit": "mg/day"}])
    codes = do_now(make_plan(**record, other_medicines=["insulin"]))
    assert "glucose_watch_high_dose_glucocorticoids" not in codes
    assert "diabetes_with_high_dose_glucocorticoids_now" in codes
    assert "glucose_watch_high_dose_glucocorticoids" in do_now(make_plan(**record))


def test_no_iv_pulses_in_the_fortnight_around_an_operation_without_an_organ_threat() -> None:
    """Z50b P6 (dangerous): pulses, then 0.5-1 mg/kg/day, for a moderate flare 6 days before
    coronary bypass surgery in an insulin-treated woman."""
    from tests.services.careplan.test_review_v2 import _flare_visits
    record: dict[str, Any] = dict(
        visits=_flare_visits(150, 140, 124), months_since_onset=24,
        organs={"dysphagia": "moderate"},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-12-01", "dose_value": 5,
                     "dose_unit": "mg/day", "outcome": "ongoing"}])
    usual = next(r for r in make_plan(**record).regimens if r.domain == "muscle")
    assert any(e.startswith("Intravenous methylprednisolone pulses")
               for e in usual.first_choice)
    plan = make_plan(**record, surgery={"date": "2026-12-07", "procedure": "coronary bypass",
                                        "elective": False})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("Intravenous methylprednisolone pulses")
                   for e in muscle.first_choice)
    assert any(e.startswith("after the operation, once the wound has healed")
               and "methylprednisolone pulses" in e for e in muscle.first_choice)


def test_in_sepsis_the_lung_waits_for_pulses_and_rituximab_and_keeps_the_dose() -> None:
    """Z50b P7 (dangerous): pulses, rituximab and IVIG for anti-MDA5 RP-ILD in septic shock on
    the day of a laparotomy; hydrocortisone 200 mg/day below prednisolone 60 mg/day."""
    record: dict[str, Any] = dict(
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
        comorbidities={"sepsis": True, "active_infection": True, "infection_focus": "abdominal"},
        surgery={"date": "2026-12-01", "procedure": "laparotomy", "elective": False},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 60,
                     "dose_unit": "mg/day"}])
    plan = make_plan(**record)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(e.startswith(("Intravenous methylprednisolone pulses", "Rituximab"))
                   for e in lung.first_choice)
    assert any(e.startswith("the glucocorticoid at no less than its current dose")
               for e in lung.first_choice)
    text = _texts(plan)
    assert "then 200 mg a day" not in text and "the current glucocorticoid dose given IV" in text


def test_methotrexate_around_an_operation_is_held_when_the_kidney_condition_is_met() -> None:
    """Z50b P6: 'methotrexate and hydroxychloroquine continue ..., methotrexate held ... when
    the eGFR is below 60' for bypass at an eGFR of 52."""
    record: dict[str, Any] = dict(
        surgery={"date": "2026-12-07", "procedure": "coronary bypass", "elective": False},
        treatments=[{"therapy": "methotrexate", "start": "2025-02-01", "dose_value": 10,
                     "dose_unit": "mg/week"},
                    {"therapy": "glucocorticoids_oral", "start": "2024-11-21",
                     "dose_value": 10, "dose_unit": "mg/day"}])
    text = _texts(make_plan(**record, lab_results=[lab("egfr", 52, "mL/min/1.73m2")]))
    assert "methotrexate is held (reduced kidney function)" in text
    assert "methotrexate and hydroxychloroquine continue" not in text
    assert "methotrexate and hydroxychloroquine continue" in _texts(make_plan(**record))


def test_the_operation_lines_fit_a_pregnancy_an_urgent_operation_and_sepsis() -> None:
    """Z50b P3: the arthroplasty paragraph's 'methotrexate ... continue' and 'held for 1 week
    before only in mild disease' for a caesarean; Z50b P7: 'lung function before it' for an
    urgent laparotomy, and the next cyclophosphamide 'given, reduced or deferred' in sepsis."""
    azathioprine = [{"therapy": "azathioprine", "start": "2025-06-01", "dose_value": 100,
                     "dose_unit": "mg/day"}]
    pregnant = _texts(make_plan(
        treatments=azathioprine, surgery={"date": "2026-12-08", "procedure": "caesarean",
                                          "elective": True},
        reproduction={"pregnant": True, "gestation_weeks": 37}))
    assert "methotrexate and hydroxychloroquine continue" not in pregnant
    assert "held for 1 week before only in mild disease" not in pregnant
    assert "continue through the pregnancy and the delivery" in pregnant
    urgent = make_plan(systemic={"interstitial_lung_disease": True},
                       comorbidities={"sepsis": True, "active_infection": True,
                                      "infection_focus": "abdominal"},
                       surgery={"date": "2026-12-01", "procedure": "laparotomy",
                                "elective": False},
                       treatments=[{"therapy": "cyclophosphamide", "start": "2026-10-01"}])
    assert "lung function only if it does not delay an urgent operation" in _texts(urgent)
    said = " ".join(e for r in urgent.regimens for e in r.first_choice)
    assert "deferred by decision with the infection team until the sepsis is controlled" in said


def test_near_the_end_of_life_no_new_hydroxychloroquine_or_routine_work_up() -> None:
    """Z50c P7: hydroxychloroquine started, HRCT and capillaroscopy 'still missing', and 'only
    if the patient chooses' for a woman with weeks to months to live who lacks capacity."""
    goals = {"frailty_scale": 7, "treatment_ceiling": "ward_based",
             "prognosis": "weeks_to_months", "lacks_capacity": True, "decision_maker": "son"}
    plan = make_plan(care_goals=goals)
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert "Hydroxychloroquine" not in skin.first_choice
    assert any(a.startswith("only if a best-interests decision") for a in skin.alternatives)
    assert all(w.urgency != "routine" for w in plan.workup)
    assert any(w.urgency == "routine" for w in make_plan().workup)


def test_a_planned_rise_of_a_drug_taken_now_is_checked_too() -> None:
    """Z50c P5: prednisolone 10 to 40 mg/day booked in scleroderma overlap, never mentioned."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "overlap", "overlap_with": ["systemic_sclerosis"]},
        organs={"sclerodactyly": True},
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-08-05",
                     "dose_value": 10, "dose_unit": "mg/day"}])
    rise = [{"therapy": "glucocorticoids_oral", "start": "2026-12-03", "dose_value": 40,
             "dose_unit": "mg/day"}]
    plan = make_plan(**record, planned_treatments=rise)
    line = {a.code: a.text for a in plan.do_now}["planned_dose_rise_glucocorticoids_oral"]
    assert "to 40 mg/day" in line and "renal crisis" in line
    assert "planned_dose_rise_glucocorticoids_oral" not in do_now(make_plan(**record))


def test_a_drug_taken_since_before_the_myositis_has_treated_it_only_since_its_onset() -> None:
    """Z50d P6: graft tacrolimus since 2012 read as 'a year or more of a steroid-sparing agent'
    for a JDM of 8 months in a liver-transplant recipient."""
    from myositis.services.careplan.exposure import steroid_sparing_weeks
    from tests.services.careplan.conftest import make_record
    record = make_record(months_since_onset=8, treatments=[
        {"therapy": "tacrolimus", "start": "2012-04-01"}])
    weeks = steroid_sparing_weeks(record, {"tacrolimus"})
    assert weeks is not None and 30 < weeks < 40
    longer = make_record(months_since_onset=200, treatments=[
        {"therapy": "tacrolimus", "start": "2012-04-01"}])
    assert (steroid_sparing_weeks(longer, {"tacrolimus"}) or 0) > 700


def test_nintedanib_taken_already_is_not_added_again() -> None:
    """Z50d P1: 'add nintedanib' (twice) for a lung progressing after 11 months of it."""
    from myositis.services.careplan.regimen_lung import ON_NINTEDANIB
    plan = make_plan(
        antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-10", "fvc_percent_predicted": 58, "hrct_pattern": "nsip",
              "course": "progressive"},
        treatments=[{"therapy": "mycophenolate", "start": "2025-01-01", "dose_value": 2000,
                     "dose_unit": "mg/day"},
                    {"therapy": "nintedanib", "start": "2025-12-15", "dose_value": 300,
                     "dose_unit": "mg/day"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(e.startswith("add Nintedanib") for e in lung.first_choice)
    assert "add nintedanib" not in lung.decision_point and "add nintedanib" not in _texts(plan)
    assert "nintedanib is taken already" in _texts(plan)
    assert any(e.startswith(ON_NINTEDANIB.split("{")[0]) for e in lung.first_choice) or \
        lung.state != "inadequate_response"


def test_the_table_says_a_grafts_tacrolimus_is_changed_with_the_team_not_held() -> None:
    """Z50d P2: 'Held today by an urgent line' in the options table for a lung recipient's
    tacrolimus that the urgent line reduces with the transplant team."""
    record: dict[str, Any] = dict(
        lab_results=[lab("tacrolimus_trough", 16.5, "ng/mL")],
        systemic={"interstitial_lung_disease": True},
        treatments=[{"therapy": "tacrolimus", "start": "2020-04-01", "dose_value": 4,
                     "dose_unit": "mg/day"}])

    def status(plan: CarePlan) -> str:
        option = next(o for o in plan.options if o.therapy == "tacrolimus")
        return next(c.text for c in option.cautions if c.condition == "held_today")

    graft = make_plan(**record, comorbidities={"solid_organ_transplant": True,
                                               "transplanted_organs": ["lung"]})
    assert status(graft).startswith("Changed today with the transplant team")
    assert status(make_plan(**record)).startswith("Held today by an urgent line")


def test_a_normal_ggt_on_record_is_read_not_asked_for() -> None:
    """Z50a P5: 'check GGT and bilirubin' beside a normal GGT of the same week."""
    labs = [lab("ck", 4200, "U/L", 200), lab("alt", 140, "U/L", 40)]
    asked = _texts(make_plan(lab_results=labs))
    assert "check GGT and bilirubin before calling it liver disease" in asked
    read = _texts(make_plan(lab_results=[*labs, lab("ggt", 35, "U/L", 60)]))
    assert "the GGT on record is within its limit" in read
    assert "check GGT and bilirubin" not in read




def test_a_failed_methotrexate_is_stopped_not_added_to_nor_moved_to_injection() -> None:
    """Re-score of Z50a P2 (dangerous, partly fixed): 'switch it for, or add, another agent'
    kept the failed methotrexate, and 'change it to subcutaneous injection at the same weekly
    dose' for severe dysphagia moved it to a route that delivers more."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     treatments=[{"therapy": "methotrexate", "start": "2026-08-20",
                                  "dose_value": 15, "dose_unit": "mg/week", "route": "oral",
                                  "response": "none"}])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "or add, another agent" not in said
    text = _texts(plan)
    assert "change it to subcutaneous injection at the same weekly dose" not in text
    assert "stopped and switched (see the approach) rather than moved to injection" in text


def test_an_underweight_adult_with_dysphagia_sees_the_dietitian_now() -> None:
    """Z50c P1: 'nasogastric feeding and dietitian if intake is unsafe' for IBM with 12 %
    weight loss and a body-mass index of 18.3."""
    record: dict[str, Any] = dict(organs={"dysphagia": "severe"}, height_cm=170)
    assert "a dietitian now (body-mass index below 18.5)" in _texts(
        make_plan(**record, weight_kg=52))
    assert "dietitian if intake is unsafe" in _texts(make_plan(**record, weight_kg=70))


def test_an_operation_with_pulmonary_hypertension_is_not_a_day_case() -> None:
    """Z50b P8 (near-dangerous omission): confirmed pulmonary arterial hypertension never linked
    to a planned day-case cholecystectomy; 'the lowest oxygen that is enough' for the ILD."""
    record: dict[str, Any] = dict(
        systemic={"interstitial_lung_disease": True},
        organs={"pulmonary_hypertension": "confirmed"},
        surgery={"date": "2026-12-20", "procedure": "laparoscopic cholecystectomy",
                 "elective": True})
    plan = make_plan(**record)
    assert "operation_with_pulmonary_hypertension" in do_now(plan)
    assert "the lowest oxygen that is enough" not in _texts(plan)
    assert "operation_with_pulmonary_hypertension" not in do_now(
        make_plan(**{**record, "organs": {}}))


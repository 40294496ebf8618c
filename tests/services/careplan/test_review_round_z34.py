"""Findings of blind specialist review Z34 (SYNTHETIC patients): haematology, palliative and
supportive care, physiotherapy-led rehabilitation, and endocrinology and metabolic clinics."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_circumstances import (
    BRONCHOSCOPY_WITHIN_CEILING,
)
from tests.services.careplan.conftest import do_now, lab, make_plan

_PRED = {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 20,
         "dose_unit": "mg/day", "outcome": "ongoing"}
_MMF = {"therapy": "mycophenolate", "start": "2026-03-01", "dose_value": 2, "dose_unit": "g/day",
        "outcome": "ongoing"}
_DYING: dict[str, Any] = {
    "date_of_birth": "1946-03-01",
    "care_goals": {"treatment_ceiling": "comfort", "prognosis": "days_to_weeks"},
    "cancer": {"active_cancer": True}, "organs": {"dysphagia": "severe"},
    "treatments": [_PRED, _MMF]}


def _first(plan: Any) -> str:
    return " ".join(e for r in plan.regimens for e in r.first_choice)


def test_a_dying_patient_gets_no_new_ivig_and_slow_drugs_are_offered_for_stopping() -> None:
    # Z34b P1 (dangerous): IVIG added and mycophenolate continued for a woman dying in days to
    # weeks, with a comfort ceiling
    plan = make_plan(**_DYING)
    first = _first(plan)
    assert "add Intravenous immunoglobulin" not in first
    assert "Consider stopping Mycophenolate mofetil" in first
    assert "Continue Mycophenolate" not in first
    # weeks to months on a ward-based ceiling: IVIG may still restore a swallow
    months = make_plan(**{**_DYING, "care_goals": {"treatment_ceiling": "ward_based",
                                                   "prognosis": "weeks_to_months"}})
    assert "Consider stopping Mycophenolate" not in _first(months)


def test_no_routine_heparin_in_the_last_days_of_life() -> None:
    # Z34b P1 (dangerous): pharmacological thromboprophylaxis for a dying woman
    dying = make_plan(**_DYING)
    assert not any("thromboprophylaxis (dosed for kidney function)" in a.text
                   for a in dying.do_now)
    full = make_plan(**{**_DYING, "care_goals": {"treatment_ceiling": "full"}})
    assert any("thromboprophylaxis (dosed for kidney function)" in a.text for a in full.do_now)


def test_a_no_icu_ceiling_makes_bronchoscopy_a_goals_decision() -> None:
    # Z34b P2 (borderline dangerous): 'bronchoscopy with lavage where safe' on oxygen at rest
    # with a no-ICU ceiling
    record: dict[str, Any] = {
        "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        "systemic": {"interstitial_lung_disease": True, "fever": True},
        "lung_measures": [{"date": "2026-11-28", "hrct_pattern": "dad", "oxygen": "at_rest",
                           "course": "rapidly_progressive"}],
        "comorbidities": {"active_infection": True},
        "treatments": [{**_PRED, "dose_value": 60}]}
    limited = make_plan(**record, care_goals={"treatment_ceiling": "no_icu"})
    everything = " ".join([_first(limited), *(a.text for a in limited.do_now)])
    assert "bronchoscopy with lavage" not in everything
    assert BRONCHOSCOPY_WITHIN_CEILING in everything
    full = make_plan(**record)
    assert "bronchoscopy with lavage" in " ".join([_first(full),
                                                  *(a.text for a in full.do_now)])


_AZA = {"therapy": "azathioprine", "start": "2026-03-01", "dose_value": 100,
        "dose_unit": "mg/day", "outcome": "ongoing"}


def _texts(plan: Any) -> str:
    return " ".join(a.text for a in plan.do_now)


def _withheld(plan: Any) -> dict[str, str]:
    return {w.therapy: w.reason for w in plan.withheld}


def test_a_gastrostomy_is_not_postponed_for_the_disease_or_the_rituximab_cycle() -> None:
    # Z34a P8 (dangerous): a PEG for severe dysphagia told to wait until the disease was
    # controlled and 6 months after rituximab
    peg = make_plan(organs={"dysphagia": "severe", "respiratory_muscle_weakness": True},
                    treatments=[_PRED],
                    surgery={"date": "2026-12-08", "procedure": "PEG for severe dysphagia",
                             "elective": True})
    codes = do_now(peg)
    assert "elective_surgery_while_unsafe" not in codes
    assert "procedure_that_treats_the_disease" in codes
    assert "about 6 months after the last rituximab" not in _texts(peg)
    hernia = make_plan(organs={"dysphagia": "severe", "respiratory_muscle_weakness": True},
                       treatments=[_PRED],
                       surgery={"date": "2026-12-08", "procedure": "inguinal hernia repair",
                                "elective": True})
    assert "elective_surgery_while_unsafe" in do_now(hernia)


def test_an_anticoagulant_with_platelets_below_50_gets_a_dose_decision_today() -> None:
    # Z34a P6 (dangerous): 'the anticoagulation kept therapeutic' at platelets 42
    plan = make_plan(other_medicines=["lmwh"], lab_results=[lab("platelets", 42, "10^9/L")])
    assert do_now(plan).get("anticoagulant_with_low_platelets") == "urgent"
    fine = make_plan(other_medicines=["lmwh"], lab_results=[lab("platelets", 180, "10^9/L")])
    assert "anticoagulant_with_low_platelets" not in do_now(fine)


def test_low_platelets_in_pregnancy_are_worked_up_before_azathioprine_is_held() -> None:
    # Z34a P4 (dangerous): 'hold azathioprine' at 24 weeks on LMWH, HELLP and HIT not considered
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 24},
                     other_medicines=["lmwh"], treatments=[_AZA],
                     lab_results=[lab("platelets", 160, "10^9/L", date="2026-10-20"),
                                  lab("platelets", 88, "10^9/L")])
    codes = do_now(plan)
    assert "low_platelets_in_pregnancy" in codes
    assert "azathioprine_cytopenia_cause" not in codes
    assert "heparin_platelet_fall" in codes
    assert "HELLP" in _texts(plan)
    not_pregnant = make_plan(treatments=[_AZA], lab_results=[lab("platelets", 88, "10^9/L")])
    assert "azathioprine_cytopenia_cause" in do_now(not_pregnant)


def test_no_glucocorticoid_taper_target_is_set_in_pregnancy() -> None:
    # Z34d P3 and Z34c P6: 'set a written taper target' beside 'no taper until after them'
    long_course = {**_PRED, "start": "2025-06-01", "dose_value": 15}
    pregnant = make_plan(reproduction={"pregnant": True, "gestation_weeks": 14},
                         treatments=[long_course])
    assert "long_term_glucocorticoid_exit" not in do_now(pregnant)
    assert "long_term_glucocorticoid_exit" in do_now(make_plan(treatments=[long_course]))


def test_rituximab_is_not_a_new_start_with_a_high_infection_risk() -> None:
    # Z34c P7 (dangerous): rituximab first choice for a frail woman with recurrent infections
    plan = make_plan(comorbidities={"recurrent_infections": True}, treatments=[_PRED],
                     persistent_high_activity=True)
    assert "Recurrent or serious infections" in _withheld(plan).get("rituximab", "")
    assert not any("Rituximab" in e for r in plan.regimens for e in r.first_choice)


def test_chlorambucil_is_withheld_with_low_counts_or_frailty() -> None:
    # Z34c P7 (dangerous): chlorambucil listed at 81 with neutrophils 1.4 and frailty 6
    frail = make_plan(care_goals={"frailty_scale": 6}, persistent_high_activity=True)
    assert "chlorambucil" in _withheld(frail)
    low = make_plan(lab_results=[lab("neutrophils", 1.4, "10^9/L")],
                    persistent_high_activity=True)
    assert "chlorambucil" in _withheld(low)


def test_alcohol_with_raised_liver_tests_holds_methotrexate_in_the_approach() -> None:
    # Z34c P2 (dangerous): 'Continue methotrexate (note: alcohol...)' with ALT 95 and GGT 140
    mtx = {"therapy": "methotrexate", "start": "2026-11-10", "dose_value": 15,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    plan = make_plan(comorbidities={"alcohol_excess": True}, treatments=[_PRED, mtx],
                     lab_results=[lab("alt", 95, "U/L", uln=40),
                                  lab("egfr", 90, "mL/min/1.73m2")])
    first = " ".join(e for r in plan.regimens for e in r.first_choice)
    # held since review Z66a P6 (the same rule restored a missed methotrexate)
    assert "Hold Methotrexate" in first and "Continue Methotrexate" not in first


def test_pulses_that_worked_are_not_repeated_and_ivig_is_not_added() -> None:
    # Z34d P8 (dangerous): checkpoint-inhibitor myocarditis improving 5 weeks after pulses told
    # to give pulses 'without delay', with IVIG
    plan = make_plan(
        other_medicines=["immune_checkpoint_inhibitor"],
        organs={"cardiac": "confirmed", "respiratory_muscle_weakness": True},
        treatments=[{"therapy": "methylprednisolone_iv_pulse", "dose_value": 1,
                     "dose_unit": "g", "start": "2026-10-24", "stop": "2026-10-26",
                     "outcome": "effective"}, {**_PRED, "dose_value": 60,
                                               "start": "2026-10-27"}],
        lab_results=[lab("ck", 12000, "U/L", uln=200, date="2026-10-22"),
                     lab("ck", 900, "U/L", uln=200, date="2026-11-28")])
    text = _texts(plan)
    assert "IV methylprednisolone without delay" not in text
    assert "Possible checkpoint-inhibitor myocarditis" not in text
    assert "a morning cortisol cannot be read" in text
    first = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "with a response" in first
    assert "add Intravenous immunoglobulin" not in first


def test_a_raised_tsh_in_pregnancy_is_treated_not_called_subclinical() -> None:
    # Z34d P3 (dangerous): 'a raised TSH with a normal free T4 is subclinical and delays nothing'
    plan = make_plan(reproduction={"pregnant": True, "gestation_weeks": 14},
                     lab_results=[lab("tsh", 5.8, "mU/L", uln=4.0),
                                  lab("free_t4", 12, "pmol/L")])
    assert "raised_tsh_in_pregnancy" in do_now(plan)
    assert "is subclinical and delays nothing" not in _texts(plan)


def test_the_hyperkalaemia_line_replaces_co_trimoxazole_rather_than_dropping_it() -> None:
    # Z34d P6 (dangerous): 'withhold co-trimoxazole' with lymphocytes 0.4 on prednisolone 60 mg
    plan = make_plan(other_medicines=["co_trimoxazole"],
                     lab_results=[lab("potassium", 6.1, "mmol/L")])
    assert "replaced by atovaquone while PJP prophylaxis is needed" in _texts(plan)


def test_pulses_with_a_partial_response_and_ck_still_high_are_not_read_as_responding() -> None:
    # re-score of Z34a P8 and P1 (dangerous): CK still 40 x ULN, or a lung progressing since,
    # read as 'with a response'
    pulse = {"therapy": "methylprednisolone_iv_pulse", "dose_value": 1, "dose_unit": "g",
             "start": "2026-09-28", "stop": "2026-09-30", "outcome": "effective",
             "response": "partial"}
    high = make_plan(treatments=[pulse, _PRED],
                     lab_results=[lab("ck", 14000, "U/L", uln=200, date="2026-09-15"),
                                  lab("ck", 8000, "U/L", uln=200, date="2026-11-27")])
    assert "with a response" not in " ".join(e for r in high.regimens for e in r.first_choice)
    from myositis.services.careplan.record_readers import pulses_responded
    from tests.services.careplan.conftest import make_record
    assert pulses_responded(make_record(
        treatments=[pulse, _PRED],
        lab_results=[lab("ck", 14000, "U/L", uln=200, date="2026-09-15"),
                     lab("ck", 8000, "U/L", uln=200, date="2026-11-27")])) is None
    assert pulses_responded(make_record(
        treatments=[pulse, _PRED],
        lab_results=[lab("ck", 12000, "U/L", uln=200, date="2026-09-20"),
                     lab("ck", 900, "U/L", uln=200, date="2026-11-27")])) is not None
    progressing = make_record(
        treatments=[pulse, _PRED],
        lab_results=[lab("ck", 12000, "U/L", uln=200, date="2026-09-20"),
                     lab("ck", 900, "U/L", uln=200, date="2026-11-27")],
        lung_measures=[{"date": "2026-11-20", "hrct_pattern": "nsip",
                        "course": "rapidly_progressive"}])
    assert pulses_responded(progressing) is None


def test_treat_both_at_once_is_not_said_for_a_frail_patient_under_a_ward_ceiling() -> None:
    # re-score of Z33c P8 (dangerous): pulses 'alongside the antibiotics' at 81, frailty 7
    infected = {"organs": {"dysphagia": "severe"}, "treatments": [_PRED],
                "comorbidities": {"active_infection": True, "infection_focus": "lung_focal"}}
    frail = make_plan(**infected, care_goals={"frailty_scale": 7,
                                              "treatment_ceiling": "ward_based"})
    assert "goes on alongside the antibiotics" not in _texts(frail)
    assert "No rituximab, IV pulses or new immunosuppressant until it has settled" in _texts(
        frail)
    fit = make_plan(**infected)
    assert "IVIG first (it adds no immunosuppression)" in _texts(fit)


def test_lymphopenia_alone_does_not_withhold_a_new_rituximab_course() -> None:
    # re-score of Z34d P6 (dangerous): rituximab withheld for lymphocytes 0.4 with a progressing
    # lung on prednisolone 60 mg
    plan = make_plan(treatments=[{**_PRED, "dose_value": 60}], persistent_high_activity=True,
                     lab_results=[lab("lymphocytes", 0.4, "10^9/L")])
    reason = _withheld(plan).get("rituximab", "")
    assert "Recurrent or serious infections" not in reason and "Infection risk high" not in reason


def test_life_threatening_lines_lead_the_urgent_ones() -> None:
    # re-score of Z34d P7: contraception above a suspected adrenal crisis with BP 84/50
    plan = make_plan(comorbidities={"sepsis": True, "active_infection": True},
                     reproduction={"pregnant": False, "effective_contraception": False,
                                   "can_become_pregnant": True},
                     treatments=[_PRED, {"therapy": "methotrexate", "start": "2026-06-01",
                                         "dose_value": 15, "dose_unit": "mg/week",
                                         "outcome": "ongoing"}])
    from myositis.services.careplan.summary import LIFE_FIRST
    urgent = [a.code for a in plan.do_now if a.urgency == "urgent"]
    assert urgent[0] in LIFE_FIRST
    assert urgent.index("teratogen_taken_without_contraception") > 0


def test_a_drug_withheld_for_an_infection_is_held_not_stopped() -> None:
    # re-score of Z34b P5: 'Stop baricitinib' for an infected ulcer
    from myositis.services.careplan.regimen_stops import change_verb
    assert change_verb("Class serious-infection warning (by analogy with tofacitinib label).") \
        == "Hold"
    assert change_verb("recorded as ineffective but still taken") == "Review"
    assert change_verb("Pregnant; teratogenic.") == "Stop"


def test_a_recorded_refusal_of_tube_feeding_is_not_reopened_in_ibm() -> None:
    # re-score of Z34b P3: 'a gastrostomy discussed ... as the patient wishes' after a refusal
    ibm = {"diagnosis": {"subgroup": "ibm"},
           "ibm_pattern": {"knee_extension_weaker_or_equal_hip_flexion": True,
                           "finger_flexion_weaker_than_shoulder_abduction": True,
                           "weakness_duration_months": 48}}
    declined = make_plan(**ibm, preferences={"declines": ["tube_feeding"]})
    text = " ".join(e for r in declined.regimens for e in r.first_choice)
    assert "a gastrostomy discussed" not in text
    assert "tube feeding declined (recorded)" in text


def test_mycophenolate_below_egfr_30_is_started_low() -> None:
    # re-score of Z33d P5: 'switch to mycophenolate 2-3 g/day' at eGFR 28
    plan = make_plan(lab_results=[lab("egfr", 28, "mL/min/1.73m2")], treatments=[_PRED])
    option = next(o for o in plan.options if o.therapy == "mycophenolate")
    assert "mycophenolate_severe_kidney_impairment" in {c.condition for c in option.cautions}


def test_a_low_igg_caution_does_not_say_no_infections_during_an_infection() -> None:
    # re-score of Z33a P6: 'IgG below 5 g/L after rituximab, no infections recorded' in intensive
    # care with a pneumonia
    rituximab = {"therapy": "rituximab", "start": "2026-05-01", "stop": "2026-05-15",
                 "outcome": "ineffective"}
    common: dict[str, Any] = {"treatments": [_PRED, rituximab], "persistent_high_activity": True,
                              "lab_results": [lab("igg", 3.8, "g/L")]}
    infected = make_plan(**common, comorbidities={"active_infection": True})
    said = " ".join(c.text for o in infected.options for c in o.cautions)
    assert "no infections recorded" not in said
    quiet = make_plan(**common)
    assert "no infections recorded" in " ".join(c.text for o in quiet.options for c in o.cautions)


def test_pjp_prophylaxis_already_taken_is_continued_not_started() -> None:
    # re-score of Z34b P2: 'PJP prophylaxis now' for a man already taking it
    record: dict[str, Any] = {
        "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        "systemic": {"interstitial_lung_disease": True, "fever": True},
        "lung_measures": [{"date": "2026-11-28", "hrct_pattern": "nsip",
                           "course": "rapidly_progressive"}],
        "comorbidities": {"active_infection": True},
        "treatments": [{**_PRED, "dose_value": 60}]}
    taking = make_plan(**record, prophylaxis={"pjp": True})
    assert "PJP prophylaxis continued (recorded)" in _first(taking)
    assert "PJP prophylaxis now," not in _first(taking)
    assert "the treatment dose only with PJP features" in _first(taking)

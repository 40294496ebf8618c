"""Findings of blind specialist review Z35 (SYNTHETIC patients): solid-organ transplant clinic,
fertility and reproductive medicine, travel medicine, and liaison psychiatry."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_holds import GRAFT_CHANGE
from tests.services.careplan.conftest import (
    FALLING_LUNG,
    PRED_LOW,
    TACROLIMUS,
    cautions,
    do_now,
    lab,
    make_plan,
)

_PRED = PRED_LOW
_TAC = TACROLIMUS
_AZA = {"therapy": "azathioprine", "start": "2020-01-01", "dose_value": 100,
        "dose_unit": "mg/day", "outcome": "ongoing"}


def _first(plan: Any) -> list[str]:
    return [e for r in plan.regimens for e in r.first_choice]


def _texts(plan: Any) -> str:
    return " ".join(a.text for a in plan.do_now)


def test_anti_rejection_drugs_are_changed_with_the_transplant_team_never_held() -> None:
    # Z35a P3 and P8 (dangerous): tacrolimus and azathioprine both held the same day in a lung
    # transplant recipient
    plan = make_plan(comorbidities={"solid_organ_transplant": True},
                     treatments=[_PRED, _TAC, _AZA],
                     lab_results=[lab("tacrolimus_trough", 16.8, "ng/mL"),
                                  lab("neutrophils", 0.9, "10^9/L"),
                                  lab("egfr", 60, "mL/min/1.73m2")])
    first = _first(plan)
    assert not any(e.startswith(("Hold Tacrolimus", "Hold Azathioprine", "Stop Tacrolimus",
                                 "Stop Azathioprine")) for e in first)
    assert any(e.startswith(GRAFT_CHANGE.format(name="Tacrolimus")) for e in first)
    no_graft = make_plan(treatments=[_PRED, _TAC, _AZA],
                         lab_results=[lab("tacrolimus_trough", 16.8, "ng/mL"),
                                      lab("neutrophils", 0.9, "10^9/L"),
                                      lab("egfr", 60, "mL/min/1.73m2")])
    assert any(e.startswith("Hold Tacrolimus") for e in _first(no_graft))


def test_a_glucocorticoid_started_for_the_myositis_is_not_kept_for_the_graft_in_ibm() -> None:
    # Z35a P7 (dangerous): prednisolone 40 mg started for presumed myositis 6 weeks earlier kept
    # 'as the transplant team sets it' in IBM
    recent = {"therapy": "glucocorticoids_oral", "start": "2026-10-20", "dose_value": 40,
              "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(comorbidities={"solid_organ_transplant": True}, treatments=[recent, _TAC],
                     diagnosis={"subgroup": "ibm"},
                     ibm_pattern={"knee_extension_weaker_or_equal_hip_flexion": True,
                                  "finger_flexion_weaker_than_shoulder_abduction": True,
                                  "weakness_duration_months": 48})
    first = " ".join(_first(plan))
    assert "Keep Oral glucocorticoids" not in first
    assert "Keep Tacrolimus" in first


def test_a_pregnant_traveller_to_a_malaria_area_is_not_offered_doxycycline() -> None:
    # Z35c P4 (dangerous): doxycycline and atovaquone-proguanil as options at 24 weeks
    trip = {"depart": "2027-01-10", "destinations": "Brazil", "malaria_area": True}
    pregnant = make_plan(travel=trip, reproduction={"pregnant": True, "gestation_weeks": 24})
    codes = do_now(pregnant)
    assert "travel_malaria_prevention_pregnant" in codes
    assert "travel_malaria_prevention" not in codes
    assert "travel_malaria_prevention" in do_now(make_plan(travel=trip))


def test_fever_after_a_trip_to_a_malaria_area_asks_for_a_malaria_test_today() -> None:
    # Z35c P8 (dangerous): fever and neutropenia 10 days after Nigeria, no malaria test
    returned = make_plan(travel={"depart": "2026-11-01", "destinations": "Nigeria",
                                 "malaria_area": True},
                         systemic={"fever": True}, treatments=[_PRED])
    assert do_now(returned).get("fever_after_travel_to_a_malaria_area") == "urgent"
    assert "travel_malaria_prevention" not in do_now(returned)


def test_breathlessness_after_a_birth_is_assessed_for_embolism_first() -> None:
    # Z35b P7 (dangerous): breathlessness 7 weeks after a birth read as progressive fibrosis
    plan = make_plan(systemic={"dyspnoea_or_cough": True, "interstitial_lung_disease": True},
                     reproduction={"pregnant": False, "breastfeeding": True,
                                   "delivered_on": "2026-10-15"},
                     treatments=[_PRED, _AZA])
    assert do_now(plan).get("breathless_in_pregnancy_or_postpartum") == "urgent"
    assert "pulmonary embolism" in _texts(plan)
    assert "nor later while clot risks remain" in _texts(plan)


def test_no_mycophenolate_is_suggested_for_the_liver_while_breastfeeding() -> None:
    # Z35d P8 (dangerous): 'use mycophenolate' 6 weeks postpartum while breastfeeding
    mtx = {"therapy": "methotrexate", "start": "2026-11-01", "dose_value": 15,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    plan = make_plan(comorbidities={"alcohol_excess": True}, treatments=[_PRED, mtx],
                     reproduction={"pregnant": False, "breastfeeding": True},
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     lab_results=[lab("alt", 120, "U/L", uln=40),
                                  lab("egfr", 90, "mL/min/1.73m2")])
    said = " ".join([_texts(plan), *(c.text for o in plan.options for c in o.cautions)])
    assert "not mycophenolate here" in said
    assert "(mycophenolate; azathioprine can also injure the liver" not in said


def test_a_severe_cytopenia_line_does_not_double_a_high_glucocorticoid_dose() -> None:
    # Z35c P8 (dangerous): 'doubled for sick days' on prednisolone 30 mg
    plan = make_plan(treatments=[{**_PRED, "dose_value": 30}, _AZA],
                     lab_results=[lab("neutrophils", 0.4, "10^9/L")])
    text = _texts(plan)
    assert "doubled only on up to about 10 mg/day" in text
    assert "and doubled for sick days" not in text


def test_azathioprine_is_not_added_to_a_jak_inhibitor_taken_now() -> None:
    # Z35c P7 (dangerous): azathioprine first choice on top of tofacitinib
    tofa = {"therapy": "tofacitinib", "start": "2026-01-01", "dose_value": 10,
            "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[_PRED, tofa])
    withheld = {w.therapy: w.reason for w in plan.withheld}
    assert "A JAK inhibitor is taken now" in withheld.get("azathioprine", "")
    assert not any(e.removeprefix("add ").startswith("Azathioprine") for e in _first(plan))
    assert "azathioprine" not in {w.therapy for w in make_plan(treatments=[_PRED]).withheld}


def test_mycophenolate_does_not_take_azathioprines_place_on_a_jak_inhibitor() -> None:
    # re-score of Z35c P7 (dangerous): mycophenolate first choice on top of tofacitinib
    tofa = {"therapy": "tofacitinib", "start": "2026-01-01", "dose_value": 10,
            "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[_PRED, tofa])
    assert "mycophenolate" in {w.therapy for w in plan.withheld}
    assert not any(e.removeprefix("add ").startswith("Mycophenolate") for e in _first(plan))


def test_a_transplant_recipient_from_an_endemic_region_is_checked_for_strongyloides() -> None:
    # re-score of Z35a P8 (dangerous omission): a kidney graft on prednisolone 5 mg from Brazil
    low = {**_PRED, "dose_value": 5}
    graft = make_plan(comorbidities={"solid_organ_transplant": True}, treatments=[low, _TAC],
                      infection_screening={"strongyloides_endemic": True})
    assert "strongyloides_before_glucocorticoids" in do_now(graft)
    no_graft = make_plan(treatments=[low], infection_screening={"strongyloides_endemic": True})
    assert "strongyloides_before_glucocorticoids" not in do_now(no_graft)


# -- the record fields Z35 asked for: mental health, lithium, the transplanted organ --------

def test_glucocorticoids_carry_a_mania_warning_with_bipolar_disorder() -> None:
    # Z35d (dangerous): IV pulses for a patient with bipolar disorder, no word of mania
    bipolar = make_plan(mental_health={"bipolar_disorder": True})
    assert "glucocorticoids_bipolar_or_past_steroid_psychosis" in cautions(
        bipolar, "glucocorticoids_oral")
    past = make_plan(mental_health={"psychosis_on_glucocorticoids": True})
    assert "glucocorticoids_bipolar_or_past_steroid_psychosis" in cautions(
        past, "glucocorticoids_oral")
    unrecorded = make_plan()
    assert "glucocorticoids_bipolar_or_past_steroid_psychosis" not in cautions(
        unrecorded, "glucocorticoids_oral")
    # the depression line gives way to the fuller one
    both = make_plan(mental_health={"bipolar_disorder": True, "depression": True})
    assert "glucocorticoids_with_depression" not in cautions(both, "glucocorticoids_oral")
    assert "glucocorticoids_with_depression" in cautions(
        make_plan(mental_health={"depression": True}), "glucocorticoids_oral")


_MISSED_GC = {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 10,
              "dose_unit": "mg/day", "adherence": "partial"}
_MISSED_MTX = {"therapy": "methotrexate", "start": "2026-09-01", "dose_value": 20,
               "dose_unit": "mg/week", "adherence": "partial"}


def _missed_line(plan: Any) -> str:
    return next(a.text for a in plan.do_now if a.code == "doses_missed_before_escalation")


def test_a_glucocorticoid_that_caused_a_psychosis_is_not_restored_to_the_full_dose() -> None:
    # Z35d (dangerous): 'restore the full dose for 8-12 weeks' after a steroid psychosis
    alone = make_plan(mental_health={"psychosis_on_glucocorticoids": True}, treatments=[_MISSED_GC])
    text = _missed_line(alone)
    assert "at full dose" not in text and "8-12 weeks" not in text
    assert "agreed with the patient" in text
    with_mtx = make_plan(mental_health={"psychosis_on_glucocorticoids": True},
                         treatments=[_MISSED_GC, _MISSED_MTX])
    text = _missed_line(with_mtx)
    assert "restore Methotrexate at full dose (not the glucocorticoid" in text
    declined = make_plan(preferences={"declines": ["glucocorticoids"]},
                         treatments=[_MISSED_GC, _MISSED_MTX])
    assert "restore Methotrexate at full dose" in _missed_line(declined)
    assert "glucocorticoid taken again" not in _missed_line(declined)
    assert "not restored" in _missed_line(declined)
    usual = make_plan(treatments=[_MISSED_GC, _MISSED_MTX])
    assert "restore Methotrexate at full dose (and the glucocorticoid taken again as " \
        "prescribed)" in _missed_line(usual)
    assert "not the glucocorticoid" not in _missed_line(usual)


def test_a_suicide_risk_limits_the_supply_of_drugs_dangerous_in_overdose() -> None:
    # Z35d (dangerous): methotrexate without a word on supply for a patient with a suicide plan
    plan = make_plan(mental_health={"suicide_risk": True})
    assert "suicide_risk_medicines_dangerous_in_overdose" in do_now(plan)
    assert "weekly or fortnightly" in _texts(plan)
    assert "suicide_risk_medicines_dangerous_in_overdose" not in do_now(
        make_plan(mental_health={"suicide_risk": False}))


def test_an_nsaid_beside_lithium_is_flagged() -> None:
    # Z35d (dangerous): an NSAID beside lithium, which the record could not hold
    assert "lithium_with_nsaid" in do_now(make_plan(other_medicines=["lithium", "nsaid"]))
    assert "lithium_with_nsaid" not in do_now(make_plan(other_medicines=["nsaid"]))
    assert "lithium_with_nsaid" not in do_now(make_plan(other_medicines=["lithium"]))


_FALLING = FALLING_LUNG


def test_a_lung_graft_losing_function_goes_to_the_transplant_team_first() -> None:
    # Z35a (dangerous): a lung graft's FVC fall read as myositis ILD
    lung = make_plan(comorbidities={"transplanted_organs": ["lung"]},
                     systemic={"interstitial_lung_disease": True},
                     treatments=[_PRED, _TAC], lung_measures=_FALLING)
    assert "lung_transplant_function_falling" in do_now(lung)
    kidney = make_plan(comorbidities={"transplanted_organs": ["kidney"]},
                       systemic={"interstitial_lung_disease": True},
                       treatments=[_PRED, _TAC], lung_measures=_FALLING)
    assert "lung_transplant_function_falling" not in do_now(kidney)
    # a kidney graft is still a graft: the anti-rejection drugs stay the transplant team's
    assert any(e.startswith(GRAFT_CHANGE.format(name="Tacrolimus")) or "Tacrolimus" in e
               for e in _first(kidney))


def test_ivig_with_a_past_clot_before_a_long_journey_gets_clot_advice() -> None:
    # Z35c (dangerous): IVIG with a past DVT before long-haul flights, no clot advice
    ivig = {"therapy": "ivig", "start": "2026-06-01", "outcome": "ongoing"}
    trip = {"depart": "2027-01-10", "destinations": "Australia"}
    clot = {"thrombosis_history": True, "last_thrombosis": "2022-01-01"}
    plan = make_plan(travel=trip, comorbidities=clot, treatments=[_PRED, ivig])
    assert "ivig_taken_past_clot_with_travel" in do_now(plan)
    assert "ivig_taken_past_clot_with_travel" not in do_now(
        make_plan(comorbidities=clot, treatments=[_PRED, ivig]))
    offered = make_plan(travel=trip, comorbidities=clot, organs={"dysphagia": "severe"})
    assert "ivig_past_clot_with_travel" in cautions(offered, "ivig")


_IMNM: dict[str, Any] = {
    "classification": {"age_at_onset": 58, "elevated_muscle_enzymes": True,
                       "weakness": {"proximal_upper": True, "proximal_lower": True}},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "antibodies": {"hmgcr": {"status": "positive"}, "srp": {"status": "negative"}},
    "diagnosis": {"subgroup": "imnm", "confirmed_on": "2026-11-15"}, "statin_exposure": True,
    "labs": {"enzymes": {"ck": {"value": 8000, "uln": 200}}}, "weight_kg": 80}
_MMF = {"therapy": "mycophenolate", "start": "2020-01-01", "dose_value": 1000,
        "dose_unit": "mg/day", "outcome": "ongoing"}


def test_ivig_is_the_first_agent_added_to_a_transplant_recipients_drugs() -> None:
    # Z35a P1 (dangerous): anti-HMGCR myopathy on tacrolimus and mycophenolate, IVIG not first
    # line and azathioprine offered on top of the graft's mycophenolate
    plan = make_plan(**_IMNM, comorbidities={"transplanted_organs": ["kidney"]},
                     treatments=[_PRED, _TAC, _MMF])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("add Intravenous immunoglobulin (the first agent added")
               for e in muscle.first_choice)
    assert not any(a.startswith("Azathioprine") for a in muscle.alternatives)
    assert "Keep Tacrolimus as the transplant team sets it (an anti-rejection drug)" \
        in muscle.first_choice
    # the glucocorticoid is still raised for the myositis
    assert "Continue and optimise Oral glucocorticoids (prednisone / prednisolone)" \
        in muscle.first_choice
    assert "ivig" in {d.therapy for d in plan.doses}
    without_graft = make_plan(**_IMNM, treatments=[_PRED, _TAC, _MMF])
    assert not any("the first agent added to the anti-rejection" in e
                   for r in without_graft.regimens for e in r.first_choice)

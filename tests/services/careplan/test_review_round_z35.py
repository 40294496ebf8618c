"""Findings of blind specialist review Z35 (SYNTHETIC patients): solid-organ transplant clinic,
fertility and reproductive medicine, travel medicine, and liaison psychiatry."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_holds import GRAFT_CHANGE
from tests.services.careplan.conftest import do_now, lab, make_plan

_PRED = {"therapy": "glucocorticoids_oral", "start": "2020-01-01", "dose_value": 7.5,
         "dose_unit": "mg/day", "outcome": "ongoing"}
_TAC = {"therapy": "tacrolimus", "start": "2020-01-01", "outcome": "ongoing"}
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

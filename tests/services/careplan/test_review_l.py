"""Scenarios from the twelfth specialist review (SYNTHETIC): IBM worsening is not "start
treatment"; JDM ulcers are not an adult cancer factor; azathioprine with allopurinol taken is
urgent; azathioprine in pregnancy is capped."""

from __future__ import annotations

from tests.services.careplan.conftest import cautions, do_now, make_plan
from tests.services.careplan.test_safety_rules import IBM_UNTESTED_CN1A


def test_ibm_worsening_does_not_ask_to_start_treatment() -> None:
    visits = [{"date": "2026-05-01", "core_set": {"physician_global": 3, "patient_global": 3,
                                                  "extramuscular_global": 1, "mmt8": 66,
                                                  "mmt_max": 80, "haq": 1.0}},
              {"date": "2026-11-20", "core_set": {"physician_global": 5.5, "patient_global": 6,
                                                  "extramuscular_global": 2, "mmt8": 50,
                                                  "mmt_max": 80, "haq": 1.8}}]
    plan = make_plan(IBM_UNTESTED_CN1A, visits=visits)
    assert "worse_before_treatment" not in {f.code for f in plan.flags}


def test_jdm_ulcers_are_a_severity_marker_not_an_adult_cancer_factor() -> None:
    plan = make_plan(classification={"age_at_onset": 11}, months_since_onset=10, weight_kg=40,
                     skin={"cutaneous_ulceration": True, "heliotrope_rash": True},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    flag = next(f for f in plan.flags if f.code == "cutaneous_ulceration")
    assert "IMACS" not in flag.text and "severe" in flag.text


def test_azathioprine_with_allopurinol_taken_is_urgent_and_capped_in_pregnancy() -> None:
    plan = make_plan(other_medicines=["allopurinol"], treatments=[
        {"therapy": "azathioprine", "dose_value": 100, "dose_unit": "mg/day",
         "start": "2026-03-01", "outcome": "ongoing"}])
    actions = do_now(plan)
    assert actions["azathioprine_xanthine_oxidase_taken"] == "urgent"
    assert "azathioprine_xanthine_oxidase" not in actions
    pregnant = make_plan(reproduction={"pregnant": True, "planning_conception": False,
                                       "breastfeeding": False})
    assert "azathioprine_pregnancy_dose" in cautions(pregnant, "azathioprine")

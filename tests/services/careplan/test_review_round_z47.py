"""Findings of specialist review round Z46 left open at its close, and of round Z47
(respiratory medicine, cardiology, general practice, clinical pharmacy), fixed in December
2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _regimens(plan: CarePlan) -> str:
    return " ".join(e for r in plan.regimens for e in [*r.first_choice, *r.alternatives])


IBM_TUBE_DECLINED: dict[str, Any] = {
    "diagnosis": {"subgroup": "ibm"}, "classification": {"age_at_onset": 68},
    "antibodies": {"cn1a": {"status": "positive"}}, "organs": {"dysphagia": "severe"},
    "preferences": {"declines": ["tube_feeding"]}}


def test_a_refusal_by_a_patient_with_capacity_is_not_a_best_interests_one() -> None:
    """Z46 (wrong): 'unless the patient, or the best-interests decision, asks' for a man who
    declined tube feeding himself."""
    own = _regimens(make_plan(**IBM_TUBE_DECLINED))
    assert "tube feeding declined" in own and "best-interests" not in own
    proxy = _regimens(make_plan(**IBM_TUBE_DECLINED, care_goals={"lacks_capacity": True}))
    assert "best-interests decision" in proxy


def test_jdm_gut_line_keeps_injected_methotrexate() -> None:
    """Z46 (wrong): 'hold methotrexate by mouth' for a child on injected methotrexate - the line
    says what happens to each route."""
    plan = make_plan(diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 9},
                     date_of_birth="2016-05-01", organs={"gut_symptoms": True})
    text = _texts(plan)
    assert "injected methotrexate continued" in text and "hold methotrexate" not in text


def test_very_high_ck_fluids_are_what_the_heart_allows() -> None:
    """Z46 (wrong): 'keep well hydrated' for a man with myocarditis and heart failure."""
    high_ck = {"labs": {"enzymes": {"ck": {"value": 12000, "uln": 200}}}}
    plain = _texts(make_plan(**high_ck))
    assert "keep well hydrated" in plain
    for changes in ({"comorbidities": {"heart_failure": True}},
                    {"organs": {"cardiac": "confirmed"}},
                    {"organs": {"cardiac": "suspected"}, "lab_results": []}):
        text = _texts(make_plan(**high_ck, **changes))
        assert "keep well hydrated" not in text and "no fluid loading" in text


def test_recurrence_line_does_not_reorder_a_declined_pet_ct() -> None:
    """Z46 (wrong): 'FDG PET-CT now' for a woman who had declined PET-CT after discussion."""
    record: dict[str, Any] = {
        "antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
        "classification": {"age_at_onset": 58},
        "cancer": {"red_flags": ["weight_loss"], "past_cancer": ["colon cancer 2025, resected"],
                   "active_cancer": False}}
    assert "FDG PET-CT now" in _texts(make_plan(**record))
    text = _texts(make_plan(**record, preferences={"declines": ["pet_ct", "endoscopy"]}))
    assert "PET-CT is declined on the record" in text and "FDG PET-CT now" not in text
    assert "endoscopy is declined on the record" in text


def test_kidney_injury_is_named_against_an_older_baseline() -> None:
    """Z46 (wrong): 'until a baseline shows otherwise' beside a creatinine of 80 eight months
    before the latest of 240."""
    plan = make_plan(labs={"enzymes": {"ck": {"value": 30000, "uln": 200}}}, lab_results=[
        lab("creatinine", 80, "umol/L", date="2026-04-01"),
        lab("creatinine", 240, "umol/L", date="2026-11-30"),
        lab("egfr", 22, "mL/min/1.73m2", date="2026-11-30")])
    text = _texts(plan)
    assert "creatinine is 1.5 times or more the lowest value of the past year" in text
    assert "until a baseline shows otherwise" not in text

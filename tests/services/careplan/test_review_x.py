"""Scenarios from specialist review X (December 2026, SYNTHETIC): rescue planning in rapidly
progressive ILD, and the findings of the review's patients."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan import build_care_plan
from myositis.services.scenarios import load_scenarios
from tests.services.careplan.conftest import ADULT_DM, make_plan, merge

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

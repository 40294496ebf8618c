"""Specialist review round Z15 (SYNTHETIC patients): reproduction, overlap, older adults,
children in their first year and long-term follow-up."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan


def test_no_induction_dose_prompt_in_scleroderma_overlap() -> None:
    """Z15d P4 (dangerous): 'below the usual induction range; review the dose' beside a
    suspected scleroderma renal crisis in anti-PM/Scl overlap on 25 mg/day."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "pmscl": {"status": "positive"}},
                     organs={"sclerodactyly": True},
                     weight_kg=70,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                  "dose_unit": "mg/day", "start": "2026-11-10"}])
    assert "gc_below_induction_adult" not in do_now(plan)
    plain = make_plan(weight_kg=70, treatments=[{"therapy": "glucocorticoids_oral",
                                                 "dose_value": 25, "dose_unit": "mg/day",
                                                 "start": "2026-11-10"}])
    assert "gc_below_induction_adult" in do_now(plain)


def test_warfarin_is_named_as_a_teratogen_when_pregnancy_is_planned() -> None:
    """Z15d P7: warfarin after a DVT never named as a teratogen for a woman planning
    pregnancy."""
    plan = make_plan(other_medicines=["warfarin"], reproduction={"planning_conception": True})
    assert "warfarin_pregnancy" in do_now(plan)

"""The assessment the plan's passes read: built once, read-only, and what it knows (SYNTHETIC)."""

from __future__ import annotations

import dataclasses

import pytest

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan.assessment import Assessment, assess, missed_ids
from tests.services.careplan.conftest import ADULT_DM, merge


def _assess(changes: dict[str, object] | None = None) -> Assessment:
    return assess(PatientRecord.model_validate(merge(ADULT_DM, changes or {})), load())


def test_a_new_adult_dm_is_assessed_as_new_onset_dm_with_treatment_planned() -> None:
    ctx = _assess()
    assert "dm" in ctx.phenotypes
    assert ctx.state.of("muscle") == "new_onset"
    assert ctx.treat is True
    assert ctx.facts["induction_glucocorticoids_planned"] is True
    assert any(o.therapy == "glucocorticoids_oral" for o in ctx.options)


def test_the_assessment_is_read_only_so_no_pass_can_change_what_the_next_one_reads() -> None:
    ctx = _assess()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.treat = False  # type: ignore[misc]


def test_a_not_myositis_label_leaves_every_domain_not_involved() -> None:
    ctx = _assess({"diagnosis": {"not_myositis": "fibromyalgia"},
                   "antibodies": {"mi2": {"status": "negative"}}})
    assert {d.state for d in ctx.state.domains} == {"not_involved"}


def test_missed_doses_are_read_from_the_fact_and_nothing_else() -> None:
    assert missed_ids({"doses_missed": frozenset({"methotrexate"})}) == {"methotrexate"}
    assert missed_ids({"doses_missed": None}) == frozenset()
    assert missed_ids({}) == frozenset()

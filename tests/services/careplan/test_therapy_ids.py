"""Unknown therapy ids are refused with a suggestion, never mapped silently."""

from __future__ import annotations

import pytest

from myositis.errors import InputError
from myositis.knowledge import load
from myositis.services.careplan.therapy_ids import check_therapy_ids, therapy_id_problems
from tests.services.careplan.conftest import make_record


def test_an_abbreviation_is_refused_with_the_id_suggested() -> None:
    (field, message), = therapy_id_problems(["MTX"], load())
    assert field == "treatments.0.therapy" and "did you mean methotrexate" in message


def test_a_statin_is_sent_to_other_medicines() -> None:
    (_, message), = therapy_id_problems(["atorvastatin"], load())
    assert "other_medicines: [statin]" in message


def test_a_glucocorticoid_in_an_unreadable_unit_is_refused() -> None:
    record = make_record(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 1,
                                      "dose_unit": "g/day", "start": "2026-01-01"}])
    with pytest.raises(InputError):
        check_therapy_ids(record, load())

"""Current courses and glucocorticoid exposure: what counts as taken now."""

from __future__ import annotations

import datetime as dt

from myositis.services.careplan.exposure import current_therapies, gc_days_at_or_over, is_current
from tests.services.careplan.conftest import make_record


def test_a_course_is_current_until_its_stop_date_and_not_before_its_start() -> None:
    record = make_record(today="2026-12-01")
    day = dt.date.fromisoformat
    assert is_current(record, day("2026-01-01"), day("2026-12-02"), "ongoing", None)
    assert not is_current(record, day("2026-01-01"), day("2026-12-01"), "ongoing", None)
    assert not is_current(record, day("2026-12-02"), None, "ongoing", None)


def test_a_dated_course_without_a_stop_is_taken_whatever_its_outcome() -> None:
    """H95: a teratogen marked 'ineffective' but never stopped is still taken."""
    record = make_record(today="2026-12-01")
    assert is_current(record, dt.date(2026, 1, 1), None, "ineffective", None)
    assert not is_current(record, None, None, "ineffective", None)
    assert not is_current(record, dt.date(2026, 1, 1), None, "ongoing", "adverse_event")


def test_a_visit_dose_makes_glucocorticoids_current_and_counts_days_at_a_dose() -> None:
    record = make_record(today="2026-12-01", treatments=[], visits=[
        {"date": "2026-11-01", "glucocorticoid_mg_per_day": 20.0}])
    assert "glucocorticoids_oral" in current_therapies(record)
    assert gc_days_at_or_over(record, 20) == 30.0
    assert gc_days_at_or_over(record, 25) == 0.0

"""The record readers answer unknown when the record does not say (never "no"). SYNTHETIC
records only."""

from __future__ import annotations

from myositis.domain.record_sections import Screen
from myositis.services.careplan.record_readers import (
    either,
    gi_bleed_suspected,
    positive_wins,
    screen_result,
)
from tests.services.careplan.conftest import make_record


def test_an_indeterminate_or_missing_screen_is_unknown() -> None:
    assert screen_result(None) is None
    assert screen_result(Screen(result="indeterminate")) is None
    assert screen_result(Screen(result="negative")) is False
    assert screen_result(Screen(result="positive")) is True


def test_a_positive_result_from_either_source_wins() -> None:
    assert positive_wins(False, True) is True
    assert positive_wins(None, None) is None
    assert either(None, False) is False
    assert either(True, False) is True


def test_no_haemoglobin_series_leaves_a_bleed_unknown() -> None:
    assert gi_bleed_suspected(make_record(lab_results=[])) is None
    assert gi_bleed_suspected(make_record(organs={"gi_bleeding": False})) is False


def test_a_past_arthritis_needs_some_activity_at_the_latest_scored_visit() -> None:
    from myositis.services.careplan.record_readers import joints_may_be_active

    def visit(date: str, pg: float) -> dict[str, object]:
        return {"date": date, "core_set": {"physician_global": pg}}
    assert joints_may_be_active(make_record(visits=[]))  # nothing scored: unknown, not 'quiet'
    assert not joints_may_be_active(make_record(visits=[visit("2026-11-20", 0.5)]))
    assert joints_may_be_active(make_record(visits=[visit("2026-11-20", 1)]))

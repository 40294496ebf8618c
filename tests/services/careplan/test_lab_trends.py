"""The lung-function fall computed from the dated series (SYNTHETIC records)."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.lab_trends import fvc_fall_points
from tests.services.careplan.conftest import make_record


def _lung(date: str, fvc: float | None, dlco: float | None = None) -> dict[str, Any]:
    return {"date": date, "fvc_percent_predicted": fvc, "dlco_percent_predicted": dlco}


def test_the_fvc_fall_is_the_best_value_within_the_year_minus_the_latest() -> None:
    record = make_record(lung_measures=[_lung("2025-12-10", 79), _lung("2026-06-01", 81),
                                        _lung("2026-11-25", 64.5)])
    assert fvc_fall_points(record) == 16.5


def test_a_rise_is_no_fall_and_a_dlco_only_series_cannot_tell() -> None:
    assert fvc_fall_points(make_record(lung_measures=[_lung("2026-01-10", 60),
                                                      _lung("2026-11-25", 66)])) == 0.0
    assert fvc_fall_points(make_record(lung_measures=[_lung("2026-01-10", None, 62),
                                                      _lung("2026-11-25", None, 50)])) is None
    # two values more than a year (and a month) apart: no pair to compare
    assert fvc_fall_points(make_record(lung_measures=[_lung("2025-09-01", 90),
                                                      _lung("2026-11-25", 70)])) is None

"""Flare rates: hand-counted events per patient-year; small groups hidden."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from myositis.analytics.flares import flare_rates


def _scored(rows: list[tuple[str, date, bool | None]]) -> pl.DataFrame:
    return pl.DataFrame({"patient_id": [r[0] for r in rows], "visit_date": [r[1] for r in rows],
                         "baseline_date": [date(2024, 1, 1)] * len(rows),
                         "worsening_vs_previous": [r[2] for r in rows]},
                        schema={"patient_id": pl.String, "visit_date": pl.Date,
                                "baseline_date": pl.Date, "worsening_vs_previous": pl.Boolean})


def test_rate_is_events_over_follow_up_years() -> None:
    rows: list[tuple[str, date, bool | None]] = []
    for i in range(12):
        pid = f"P{i}"
        rows += [(pid, date(2024, 1, 1), None), (pid, date(2024, 7, 1), i < 6),
                 (pid, date(2025, 1, 1), i < 3)]
    patients = pl.DataFrame({"patient_id": [f"P{i}" for i in range(12)],
                             "subgroup": ["dm"] * 12})
    rates = {r.group: r for r in flare_rates(_scored(rows), patients, min_cell=5)}
    years = 12 * (366 / 365.25)  # 2024 is a leap year
    assert rates["all"].per_patient_year == pytest.approx(round(9 / years, 3))
    low, high = rates["all"].ci or (0, 0)
    assert low < 9 / years < high


def test_small_groups_are_hidden() -> None:
    rows: list[tuple[str, date, bool | None]] = []
    for i in range(8):
        pid = f"P{i}"
        rows += [(pid, date(2024, 1, 1), None), (pid, date(2025, 1, 1), i < 7)]
    patients = pl.DataFrame({"patient_id": [f"P{i}" for i in range(8)],
                             "subgroup": ["dm"] * 8})
    rates = {r.group: r for r in flare_rates(_scored(rows), patients, min_cell=5)}
    # only one patient without a flare: the rate would point at people
    assert rates["all"].per_patient_year is None and rates["dm"].ci is None

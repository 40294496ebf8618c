"""Cohort report: no small cell leaks, directly or as the total minus the cells shown; rates
and Wilson intervals are right where shown (SYNTHETIC registries)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from myositis.analytics.cohort import PARTITIONS, cohort_report, wilson

K = 5


def registry(seed: int, size: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    people, visits = [], []
    for i in range(size):
        pid = f"SYN-{seed}-{i}"
        people.append({
            "patient_id": pid, "sex": rng.choice(["female"] * 6 + ["male"] * 3 + ["other"]),
            "subgroup": rng.choice(["dm", "dm", "dm", "imnm", "asys", "jdm", "ibm", "pm"]),
            "antibodies": ";".join(rng.sample(["jo1", "mda5", "tif1g", "hmgcr", "ro52"],
                                              rng.randint(0, 2))),
            "age_at_onset": float(rng.randint(3, 85))})
        base = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        visits.append({"patient_id": pid, "visit_date": base, "baseline_date": base,
                       "response_vs_baseline": None})
        for months in (6, 12):
            if rng.random() < 0.85:
                day = base + dt.timedelta(days=round(months * 30.4375) + rng.randint(-40, 40))
                visits.append({"patient_id": pid, "visit_date": day, "baseline_date": base,
                               "response_vs_baseline": rng.choice(
                                   ["none", "minimal", "moderate", "major"])})
    return pl.DataFrame(visits), pl.DataFrame(people)


@pytest.mark.parametrize("seed", range(12))
def test_no_small_cell_is_shown_or_recoverable_from_the_total(seed: int) -> None:
    scored, people = registry(seed, size=[8, 23, 40, 120][seed % 4])
    report = cohort_report(scored, people, min_cell=K)
    for row in report.rows:
        if row.patients is not None:
            assert row.patients >= K
        for h in (6, 12):
            if row.assessed[h] is not None:
                assert row.assessed[h] >= K
            if row.rate[h] is not None:
                n, x = row._assessed[h], row._responders[h]
                assert n >= K and x >= K and n - x >= K
    for dimension in PARTITIONS:
        rows = [r for r in report.rows if r.dimension == dimension]
        total = sum(r._patients for r in rows)
        hidden = total - sum(r.patients or 0 for r in rows)
        assert hidden == 0 or hidden >= K, dimension
        for h in (6, 12):
            total_h = sum(r._assessed[h] for r in rows)
            hidden_h = total_h - sum(r.assessed[h] or 0 for r in rows)
            assert hidden_h == 0 or hidden_h >= K, (dimension, h)
    for record in report.records():  # nothing true leaks into the outputs
        assert not any(key.startswith("_") for key in record)


def test_shown_rate_and_interval_are_the_wilson_interval() -> None:
    scored, people = registry(99, size=400)
    report = cohort_report(scored, people, min_cell=K)
    female = next(r for r in report.rows if r.dimension == "sex" and r.group == "female")
    n, x = female._assessed[6], female._responders[6]
    assert female.rate[6] == round(x / n, 4)
    low, high = wilson(x, n)
    assert female.ci[6] == (round(low, 4), round(high, 4))
    assert wilson(0, 10)[0] == 0.0 and 0.0 < wilson(0, 10)[1] < 0.35


def test_a_tiny_registry_shows_nothing_identifying() -> None:
    scored, people = registry(5, size=4)
    report = cohort_report(scored, people, min_cell=K)
    assert report.total_patients is None
    assert all(r.patients is None for r in report.rows)

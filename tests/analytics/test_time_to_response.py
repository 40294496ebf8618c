"""Time to first moderate response (Kaplan-Meier): per-patient durations, the estimate against
a hand computation, and no estimate where a small cell could be read off (SYNTHETIC)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from myositis.analytics.time_to_response import durations, time_to_response
from tests.analytics.test_cohort import registry

BASE = dt.date(2025, 1, 1)


def visits(pid: str, responses: list[tuple[int, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"patient_id": pid, "visit_date": BASE,
                                      "baseline_date": BASE, "response_vs_baseline": None}]
    rows += [{"patient_id": pid, "visit_date": BASE + dt.timedelta(days=days),
              "baseline_date": BASE, "response_vs_baseline": r} for days, r in responses]
    return rows


def test_durations_run_to_the_first_response_or_the_last_visit() -> None:
    frame = pl.DataFrame(visits("A", [(61, "minimal"), (122, "moderate"), (183, "major")])
                         + visits("B", [(91, "none"), (274, "minimal")])
                         + visits("C", []))
    out = {r["patient_id"]: r for r in durations(frame).iter_rows(named=True)}
    assert out["A"]["event"] == 1 and out["A"]["months"] == pytest.approx(122 / 30.4375)
    assert out["B"]["event"] == 0 and out["B"]["months"] == pytest.approx(274 / 30.4375)
    assert "C" not in out  # no follow-up visit: nothing to estimate


def test_estimate_matches_a_hand_computed_kaplan_meier() -> None:
    # 10 patients: responders at 2, 2, 4, 4, 5 months; censored at 3, 7, 8, 9, 10 months
    rows: list[dict[str, object]] = []
    for i, (months, result) in enumerate([(2, "moderate"), (2, "major"), (4, "moderate"),
                                          (4, "moderate"), (5, "major"), (3, "none"),
                                          (7, "minimal"), (8, "none"), (9, "none"),
                                          (10, "minimal")]):
        rows += visits(f"P{i}", [(round(months * 30.4375), result)])
    people = pl.DataFrame({"patient_id": [f"P{i}" for i in range(10)], "subgroup": ["dm"] * 10})
    overall = time_to_response(pl.DataFrame(rows), people, min_cell=2)[0]
    # S(6) = (8/10) * (5/7) * (4/5) = 0.4571; responded = 0.5429
    assert overall.responded[6] == pytest.approx(1 - 0.8 * 5 / 7 * 0.8, abs=1e-4)
    assert overall.ci[6] is not None and overall.ci[6][0] < overall.responded[6] < overall.ci[6][1]
    assert overall.median_months == 5.0
    strict = time_to_response(pl.DataFrame(rows), people, min_cell=5)[0]
    assert strict.responded[6] is None  # 4 still at risk at 6 months: below 5


@pytest.mark.parametrize("seed", range(6))
def test_no_estimate_rests_on_a_small_cell(seed: int) -> None:
    scored, people = registry(seed, size=[8, 30, 60][seed % 3])
    times = durations(scored).join(people.select("patient_id", "subgroup"), on="patient_id")
    for row in time_to_response(scored, people, min_cell=5):
        group = times if row.group == "all patients" else times.filter(
            pl.col("subgroup") == row.group)
        for h, value in row.responded.items():
            if value is None:
                continue
            months, events = group["months"].to_list(), group["event"].to_list()
            assert sum(1 for m in months if m >= h) >= 5
            responded = sum(1 for m, e in zip(months, events, strict=True) if e and m <= h)
            assert responded >= 5 and group.height - responded >= 5

"""Time to first moderate response (Kaplan-Meier, lifelines), with small-cell protection.

Per patient, time runs from the baseline visit (the first complete one, as the TIS uses) to
the first later visit whose 2016 ACR/EULAR TIS against baseline is moderate or major (an
event), or is censored at the last scored visit. The report gives, per group, the cumulative
share responded at 3, 6 and 12 months with its 95 % interval and the median time.

A Kaplan-Meier curve drawn in full shows each event as a step, and at-risk counts shrink to
single patients, so: no counts and no curve are published; an estimate at a horizon is shown
only when, at that horizon, at least ``min_cell`` patients are still at risk, at least
``min_cell`` have responded and at least ``min_cell`` have not; groups of fewer than
``min_cell`` patients show nothing. Research use, not for individual decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from myositis.analytics.cohort import MIN_CELL, RESPONDED

KM_HORIZONS = (3, 6, 12)
DAYS_PER_MONTH = 30.4375


@dataclass
class KmRow:
    group: str
    responded: dict[int, float | None] = field(default_factory=dict)
    ci: dict[int, tuple[float, float] | None] = field(default_factory=dict)
    median_months: float | None = None


def durations(scored: pl.DataFrame) -> pl.DataFrame:
    """patient_id, months (to first response or to censoring) and event (1 = responded)."""
    follow = scored.filter(pl.col("response_vs_baseline").is_not_null()
                           & (pl.col("visit_date") > pl.col("baseline_date")))
    months = ((pl.col("visit_date") - pl.col("baseline_date")).dt.total_days()
              / DAYS_PER_MONTH)
    first = (follow.filter(pl.col("response_vs_baseline").is_in(RESPONDED))
             .group_by("patient_id").agg(months.min().alias("event_months")))
    last = follow.group_by("patient_id").agg(months.max().alias("last_months"))
    joined = last.join(first, on="patient_id", how="left")
    return joined.select(
        "patient_id",
        pl.coalesce("event_months", "last_months").alias("months"),
        pl.col("event_months").is_not_null().cast(pl.Int8).alias("event"))


def _row(group: str, frame: pl.DataFrame, k: int) -> KmRow:
    from lifelines import KaplanMeierFitter

    row = KmRow(group=group)
    if frame.height < k:
        return row
    months = frame["months"].to_list()
    events = frame["event"].to_list()
    fitter = KaplanMeierFitter().fit(months, events)
    bounds = fitter.confidence_interval_survival_function_
    for h in KM_HORIZONS:
        at_risk = sum(1 for m in months if m >= h)
        responded = sum(1 for m, e in zip(months, events, strict=True) if e and m <= h)
        not_yet = frame.height - responded
        if at_risk < k or responded < k or not_yet < k:
            row.responded[h] = row.ci[h] = None
            continue
        survival = float(fitter.survival_function_at_times(h).iloc[0])
        upto = bounds[bounds.index <= h].iloc[-1]
        low, high = float(upto.iloc[0]), float(upto.iloc[1])
        row.responded[h] = round(1 - survival, 4)
        row.ci[h] = (round(1 - high, 4), round(1 - low, 4))
    median = float(fitter.median_survival_time_)
    if sum(events) >= k and median != float("inf"):
        row.median_months = round(median, 1)
    return row


def time_to_response(scored: pl.DataFrame, patients: pl.DataFrame,
                     min_cell: int = MIN_CELL) -> list[KmRow]:
    """Overall and per subgroup, suppressed as the module says."""
    times = durations(scored).join(
        patients.select(pl.col("patient_id").cast(pl.String),
                        pl.col("subgroup").fill_null("unknown")),
        on="patient_id", how="left").with_columns(pl.col("subgroup").fill_null("unknown"))
    rows = [_row("all patients", times, min_cell)]
    for (subgroup,), frame in sorted(times.group_by("subgroup"), key=lambda g: str(g[0])):
        rows.append(_row(str(subgroup), frame, min_cell))
    return rows


__all__ = ["KM_HORIZONS", "KmRow", "durations", "time_to_response"]

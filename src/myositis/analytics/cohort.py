"""Cohort summary of a registry with small-cell suppression.

Patients by subgroup, antibody, sex and age band at onset, with the share responding (moderate
or major TIS against baseline, 2016 ACR/EULAR) at 6 and 12 months and its Wilson 95 %
confidence interval. Myositis subgroups are small enough to identify people, so:

* every count below ``min_cell`` (default 5) is suppressed (``None``, shown as "<5");
* a rate is shown only when its responders, its non-responders and its denominator all reach
  ``min_cell`` (a rate of 0 % or 100 % of a small group, or a rate next to its denominator,
  would give the small count away);
* secondary suppression: within each dimension (sex, subgroup, age band, antibody), when any
  count is suppressed, further counts are suppressed, smallest
  first, until the suppressed cells add up to ``min_cell`` or more, so that a suppressed cell
  cannot be recovered as the total minus the cells shown.

Response "at 6 months" is the patient's scored visit nearest to baseline + 6 months within
``WINDOW_DAYS`` either side (likewise at 12 months); patients without one are not assessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

PATIENT_COLUMNS = {"patient_id": "string", "sex": "female | male | other | unknown",
                   "subgroup": "dm, adm, pm, imnm, asys, ibm, jdm, overlap, unclassified",
                   "antibodies": "positive antibodies separated by ';' (jo1;ro52)",
                   "age_at_onset": "years"}
MIN_CELL = 5
WINDOW_DAYS = 45
HORIZONS = (6, 12)
AGE_BANDS = ((0, 18, "<18"), (18, 40, "18-39"), (40, 60, "40-59"), (60, 200, "60+"))
PARTITIONS = ("sex", "subgroup", "age_band")  # each patient in exactly one group
RESPONDED = ("moderate", "major")


@dataclass
class Row:
    dimension: str
    group: str
    patients: int | None
    assessed: dict[int, int | None] = field(default_factory=dict)
    rate: dict[int, float | None] = field(default_factory=dict)
    ci: dict[int, tuple[float, float] | None] = field(default_factory=dict)
    # true counts, kept out of every output, used only to decide suppression
    _responders: dict[int, int] = field(default_factory=dict, repr=False)
    _assessed: dict[int, int] = field(default_factory=dict, repr=False)
    _patients: int = field(default=0, repr=False)


@dataclass
class CohortReport:
    min_cell: int
    total_patients: int | None
    rows: list[Row]

    def records(self) -> list[dict[str, Any]]:
        """Plain rows for CSV, JSON or HTML; suppressed cells are None."""
        out = []
        for r in self.rows:
            record: dict[str, Any] = {"dimension": r.dimension, "group": r.group,
                                      "patients": r.patients}
            for h in HORIZONS:
                ci = r.ci.get(h)
                record |= {f"assessed_{h}m": r.assessed.get(h), f"response_rate_{h}m": r.rate.get(h),
                           f"ci_low_{h}m": ci[0] if ci else None,
                           f"ci_high_{h}m": ci[1] if ci else None}
            out.append(record)
        return out


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95 % interval for a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _age_band(age: float | None) -> str:
    if age is None:
        return "unknown"
    return next(label for low, high, label in AGE_BANDS if low <= age < high)


def _responses(scored: pl.DataFrame) -> pl.DataFrame:
    """Per patient and horizon: assessed (a scored visit in the window) and responded."""
    visits = scored.filter(pl.col("response_vs_baseline").is_not_null())
    frames = []
    for months in HORIZONS:
        target = pl.col("baseline_date") + pl.duration(days=round(months * 30.4375))
        near = visits.with_columns(
            (pl.col("visit_date") - target).dt.total_days().abs().alias("_gap"),
        ).filter(pl.col("_gap") <= WINDOW_DAYS).sort("patient_id", "_gap", "visit_date")
        first = near.group_by("patient_id", maintain_order=True).first()
        frames.append(first.select(
            "patient_id", pl.lit(months).alias("months"),
            pl.col("response_vs_baseline").is_in(RESPONDED).alias("responded")))
    return pl.concat(frames) if frames else pl.DataFrame()


def cohort_report(scored: pl.DataFrame, patients: pl.DataFrame,
                  min_cell: int = MIN_CELL) -> CohortReport:
    """The suppressed summary of ``scored`` (from `score_visits`) and the patients table."""
    people = patients.with_columns(
        pl.col("age_at_onset").map_elements(_age_band, return_dtype=pl.String)
        .alias("age_band"),
        pl.col("sex").fill_null("unknown"), pl.col("subgroup").fill_null("unknown"),
        pl.col("antibodies").fill_null("").str.split(";").alias("_antibodies"))
    responses = _responses(scored)
    by_patient: dict[str, dict[int, bool]] = {}
    for pid, months, responded in responses.iter_rows():
        by_patient.setdefault(pid, {})[months] = responded
    rows: list[Row] = []
    for dimension in (*PARTITIONS, "antibody"):
        groups: dict[str, list[str]] = {}
        for record in people.iter_rows(named=True):
            keys = ([a.strip().lower() for a in record["_antibodies"] if a.strip()] or ["none"]
                    if dimension == "antibody" else [str(record[dimension])])
            for key in keys:
                groups.setdefault(key, []).append(record["patient_id"])
        for group, members in sorted(groups.items()):
            row = Row(dimension, group, None, _patients=len(members))
            for h in HORIZONS:
                assessed = [by_patient[p][h] for p in members if h in by_patient.get(p, {})]
                row._assessed[h] = len(assessed)
                row._responders[h] = sum(assessed)
            rows.append(row)
    _suppress(rows, min_cell)
    total = people.height
    return CohortReport(min_cell=min_cell, total_patients=total if total >= min_cell else None,
                        rows=rows)


def _suppress(rows: list[Row], k: int) -> None:
    for row in rows:
        row.patients = row._patients if row._patients >= k else None
        for h in HORIZONS:
            n, x = row._assessed[h], row._responders[h]
            row.assessed[h] = n if n >= k else None
            shown = n >= k and x >= k and n - x >= k
            row.rate[h] = round(x / n, 4) if shown else None
            row.ci[h] = tuple(round(v, 4) for v in wilson(x, n)) if shown else None  # type: ignore[assignment]
    # antibodies overlap (a patient may have two), but where they do not they partition the
    # cohort like the others, so they get the same protection
    for dimension in (*PARTITIONS, "antibody"):
        members = [r for r in rows if r.dimension == dimension]
        _secondary(members, k, true=lambda r: r._patients,
                   shown=lambda r: r.patients is not None,
                   hide=lambda r: setattr(r, "patients", None))
        for h in HORIZONS:
            _secondary(members, k, *_horizon_column(h))


def _horizon_column(h: int) -> tuple[Callable[[Row], int], Callable[[Row], bool],
                                     Callable[[Row], None]]:
    """(true count, shown, hide) of the assessed column at ``h`` months; hiding it hides the
    rate and interval beside it too."""
    def true(row: Row) -> int:
        return row._assessed[h]

    def shown(row: Row) -> bool:
        return row.assessed[h] is not None

    def hide(row: Row) -> None:
        row.assessed[h] = row.rate[h] = row.ci[h] = None

    return true, shown, hide


def _secondary(rows: list[Row], k: int, true: Callable[[Row], int],
               shown: Callable[[Row], bool], hide: Callable[[Row], None]) -> None:
    """Suppress more cells of one column, smallest first, until the suppressed ones add up to
    at least ``k`` (or every cell is suppressed)."""
    hidden = [r for r in rows if not shown(r)]
    if not hidden:
        return
    while sum(true(r) for r in hidden) < k:
        candidates = sorted((r for r in rows if shown(r)), key=true)
        if not candidates:
            return
        hide(candidates[0])
        hidden.append(candidates[0])


def read_patients(path: str) -> pl.DataFrame:
    frame = (pl.read_parquet(path) if str(path).endswith(".parquet")
             else pl.read_csv(path, infer_schema_length=10_000))
    missing = [c for c in PATIENT_COLUMNS if c not in frame.columns]
    if missing:
        from myositis.errors import InputError
        raise InputError([(c, "missing column of the patients table") for c in missing])
    return frame.with_columns(pl.col("patient_id").cast(pl.String),
                              pl.col("age_at_onset").cast(pl.Float64, strict=False))


__all__ = ["CohortReport", "cohort_report", "read_patients", "wilson"]

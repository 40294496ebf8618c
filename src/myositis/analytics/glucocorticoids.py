"""Glucocorticoid exposure of a registry: cumulative dose and steroid-sparing, by subgroup.

Glucocorticoid toxicity is the commonest harm of myositis treatment, and "prednisone at or below
7.5 mg/day by 6 months" is the usual steroid-sparing target (it is the decision point the care
plan uses), so a registry wants both figures per subgroup.

The treatments table (``patient_id, therapy, start, stop, dose_mg_day``; ``therapy`` a
knowledge-base id) gives courses. Doses are prednisone-equivalent mg/day: oral glucocorticoids
as given, IV methylprednisolone converted at the conventional anti-inflammatory equivalence of
4 mg methylprednisolone to 5 mg prednisone (factor 1.25; BNF "Glucocorticoid therapy" table). The
window starts at the patient's baseline visit (the first visit in the visits table) and runs 6
or 12 months (182 or 365 days); a course started before baseline counts from baseline. ``stop``
is the first day without the drug (pulses from 1 to 4 January are three days); an empty
``stop`` means the course continues.

Missing data is unknown, never zero: a patient without any treatment row, or with a
glucocorticoid course whose dose is empty, is left out of the dose figures; a patient whose last
visit is more than 45 days before the horizon is not assessed at it.

Small cells: no counts are published. A group's median (and quartiles) appears only when at
least ``min_cell`` patients are assessed, and the share at or below 7.5 mg/day only when at least
``min_cell`` patients are at or below it and ``min_cell`` above it (a share of 0 % or 100 %, or of
a small group, gives single patients away).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

from myositis.analytics.cohort import wilson
from myositis.analytics.registry_io import read_raw
from myositis.errors import InputError

PREDNISONE_EQUIVALENT = {"glucocorticoids_oral": 1.0, "methylprednisolone_iv_pulse": 1.25}
HORIZON_DAYS = {6: 182, 12: 365}
SPARING_MG = 7.5
FOLLOW_UP_SLACK_DAYS = 45
TREATMENT_SCHEMA: dict[str, pl.DataType] = {
    "patient_id": pl.String(), "therapy": pl.String(), "start": pl.Date(), "stop": pl.Date(),
    "dose_mg_day": pl.Float64(),
}


@dataclass
class GlucocorticoidRow:
    group: str
    median_mg: dict[int, float | None] = field(default_factory=dict)
    quartiles_mg: dict[int, tuple[float, float] | None] = field(default_factory=dict)
    spared: dict[int, float | None] = field(default_factory=dict)
    spared_ci: dict[int, tuple[float, float] | None] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"group": self.group}
        for h in HORIZON_DAYS:
            q = self.quartiles_mg.get(h)
            ci = self.spared_ci.get(h)
            out |= {f"median_cumulative_mg_{h}m": self.median_mg.get(h),
                    f"iqr_cumulative_mg_{h}m": list(q) if q else None,
                    f"at_or_below_7_5_mg_{h}m": self.spared.get(h),
                    f"ci_at_or_below_7_5_mg_{h}m": list(ci) if ci else None}
        return out


def read_treatments(path: Path, known_therapies: set[str]) -> pl.DataFrame:
    """The treatments table; every missing column, bad value and unknown therapy named."""
    raw = read_raw(path, TREATMENT_SCHEMA, "treatments")
    typed = raw.select(*[
        (pl.col(c).cast(pl.String).str.to_date("%Y-%m-%d", strict=False) if t == pl.Date()
         else pl.col(c).cast(t, strict=False)).alias(c) for c, t in TREATMENT_SCHEMA.items()])
    problems: list[tuple[str, str]] = []
    for column in TREATMENT_SCHEMA:
        bad = (raw[column].is_not_null() & typed[column].is_null()).arg_true().to_list()
        problems += [(f"treatments row {i + 1}.{column}", f"not a {TREATMENT_SCHEMA[column]}")
                     for i in bad[:20]]
    unknown = sorted(set(typed["therapy"].drop_nulls()) - known_therapies)
    if unknown:
        problems.append(("treatments.therapy", f"not knowledge-base ids: {', '.join(unknown)}"))
    negative = (typed["dose_mg_day"] < 0).fill_null(False).arg_true().to_list()
    problems += [(f"treatments row {i + 1}.dose_mg_day", "0 or more") for i in negative[:20]]
    backwards = (typed["stop"] < typed["start"]).fill_null(False).arg_true().to_list()
    problems += [(f"treatments row {i + 1}.stop", "not before start") for i in backwards[:20]]
    if problems:
        raise InputError(problems)
    return typed


def exposure(visits: pl.DataFrame, treatments: pl.DataFrame) -> pl.DataFrame:
    """Per patient and horizon: cumulative prednisone-equivalent mg and the mg/day at the
    horizon; null where unknown or not followed that long."""
    follow = visits.group_by("patient_id").agg(pl.col("visit_date").min().alias("baseline"),
                                               pl.col("visit_date").max().alias("last"))
    recorded = treatments.select("patient_id").unique()
    courses = treatments.filter(pl.col("therapy").is_in(list(PREDNISONE_EQUIVALENT))).with_columns(
        (pl.col("dose_mg_day") * pl.col("therapy").replace_strict(PREDNISONE_EQUIVALENT))
        .alias("pred_mg"))
    unknown_dose = courses.filter(pl.col("pred_mg").is_null()).select("patient_id").unique()
    frames = []
    for months, days in HORIZON_DAYS.items():
        base = follow.join(recorded, on="patient_id", how="semi").with_columns(
            (pl.col("baseline") + timedelta(days=days)).alias("end"))
        joined = base.join(courses, on="patient_id", how="left")
        stop = pl.min_horizontal(pl.col("stop").fill_null(pl.col("end")), pl.col("end"))
        start = pl.max_horizontal(pl.col("start"), pl.col("baseline"))
        overlap = (stop - start).dt.total_days().clip(lower_bound=0)
        on_at_end = (pl.col("start") <= pl.col("end")) & (
            pl.col("stop").is_null() | (pl.col("stop") > pl.col("end")))
        per = joined.group_by("patient_id", "baseline", "last", "end").agg(
            (overlap * pl.col("pred_mg")).fill_null(0).sum().alias("cumulative_mg"),
            pl.when(on_at_end).then(pl.col("pred_mg")).otherwise(0).fill_null(0).sum()
            .alias("mg_day_at_horizon"))
        followed = pl.col("last") >= pl.col("end") - timedelta(days=FOLLOW_UP_SLACK_DAYS)
        per = per.join(unknown_dose, on="patient_id", how="anti").filter(followed)
        frames.append(per.select("patient_id", pl.lit(months).alias("months"), "cumulative_mg",
                                 "mg_day_at_horizon"))
    return pl.concat(frames)


def _row(group: str, frame: pl.DataFrame, k: int) -> GlucocorticoidRow:
    row = GlucocorticoidRow(group)
    for months in HORIZON_DAYS:
        at = frame.filter(pl.col("months") == months)
        n = at.height
        if n >= k:
            cum = sorted(float(v) for v in at["cumulative_mg"].to_list())
            quartiles = statistics.quantiles(cum, n=4, method="inclusive")
            row.median_mg[months] = round(statistics.median(cum))
            row.quartiles_mg[months] = (round(quartiles[0]), round(quartiles[2]))
        spared = int((at["mg_day_at_horizon"] <= SPARING_MG).sum())
        if spared >= k and n - spared >= k:
            row.spared[months] = spared / n
            row.spared_ci[months] = wilson(spared, n)
    return row


def glucocorticoid_summary(visits: pl.DataFrame, treatments: pl.DataFrame,
                           patients: pl.DataFrame, min_cell: int) -> list[GlucocorticoidRow]:
    """Overall and by subgroup, with the small-cell rules of the module docstring."""
    per = exposure(visits, treatments).join(patients.select("patient_id", "subgroup"),
                                            on="patient_id", how="left")
    rows = [_row("all", per, min_cell)]
    for subgroup in sorted(per["subgroup"].drop_nulls().unique().to_list()):
        rows.append(_row(str(subgroup), per.filter(pl.col("subgroup") == subgroup), min_cell))
    return rows


__all__ = [
    "PREDNISONE_EQUIVALENT",
    "SPARING_MG",
    "GlucocorticoidRow",
    "exposure",
    "glucocorticoid_summary",
    "read_treatments",
]

"""Flare rates of a registry: IMACS 2005 worsening events per patient-year, by subgroup.

An event is a scored visit that meets the IMACS 2005 worsening definition against the previous
complete visit (``worsening_vs_previous`` from :func:`myositis.analytics.score_visits`; the rule
text is unconfirmed, as the criteria notes say). Follow-up runs from each patient's first to
last complete visit; a patient with one complete visit adds no time. The 95 % interval is the
exact Poisson interval (chi-square form).

Small cells: no counts are published. A rate appears only when the group has at least
``min_cell`` patients with follow-up, at least ``min_cell`` events, and at least ``min_cell``
patients without any event (a rate with every patient flaring, or a handful of events, would
point at people).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from scipy.stats import chi2


@dataclass
class FlareRate:
    group: str
    per_patient_year: float | None
    ci: tuple[float, float] | None

    def record(self) -> dict[str, object]:
        return {"group": self.group, "flares_per_patient_year": self.per_patient_year,
                "ci": list(self.ci) if self.ci else None}


def _rate(group: str, per_patient: pl.DataFrame, k: int) -> FlareRate:
    followed = per_patient.filter(pl.col("years") > 0)
    events = int(followed["events"].sum())
    years = float(followed["years"].sum())
    without = followed.filter(pl.col("events") == 0).height
    if followed.height < k or events < k or without < k or years <= 0:
        return FlareRate(group, None, None)
    low = float(chi2.ppf(0.025, 2 * events)) / 2 / years
    high = float(chi2.ppf(0.975, 2 * events + 2)) / 2 / years
    return FlareRate(group, round(events / years, 3), (round(low, 3), round(high, 3)))


def flare_rates(scored: pl.DataFrame, patients: pl.DataFrame, min_cell: int) -> list[FlareRate]:
    """Overall and by subgroup, with the small-cell rules of the module docstring."""
    complete = scored.filter(pl.col("baseline_date").is_not_null())  # complete visits only
    per_patient = complete.group_by("patient_id").agg(
        pl.col("worsening_vs_previous").fill_null(False).sum().alias("events"),
        ((pl.col("visit_date").max() - pl.col("visit_date").min()).dt.total_days() / 365.25)
        .alias("years"))
    per_patient = per_patient.join(patients.select("patient_id", "subgroup"), on="patient_id",
                                   how="left")
    rows = [_rate("all", per_patient, min_cell)]
    for subgroup in sorted(per_patient["subgroup"].drop_nulls().unique().to_list()):
        rows.append(_rate(str(subgroup), per_patient.filter(pl.col("subgroup") == subgroup),
                          min_cell))
    return rows


__all__ = ["FlareRate", "flare_rates"]

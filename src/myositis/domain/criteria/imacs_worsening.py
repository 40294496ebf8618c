"""IMACS preliminary definition of disease worsening (Oddis 2005) and ProDERM's confirmed
deterioration.

Oddis CV, Rider LG, Reed AM, et al. Arthritis Rheum 2005;52:2607-2615, doi:10.1002/art.21291.
Clause A: physician global worse by >= 2 cm AND MMT worse by >= 20 %; clause B: extramuscular
global worse by >= 2 cm; clause C: at least 3 core set measures worse by >= 30 %. Worsening = A or
B or C.

* ``proderm`` (confirmed from the ProDERM figure legend, Aggarwal 2022/2024): C counts 3 of the
  5 measures without enzymes, and worsening vs baseline must hold at two consecutive visits.
* ``imacs_2005`` (rule text not read in the paper; unconfirmed): C counts 3 of 6 including the
  muscle enzyme, one visit suffices. This is what the care plan uses to compare a visit with the
  previous one, and its output says the rule is unconfirmed.

Percent changes are relative to the earlier value (same reading as the 2004 DOI here).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.types import Num

CITATION = ("Oddis CV, et al. International consensus guidelines for trials of therapies in the "
            "idiopathic inflammatory myopathies. Arthritis Rheum 2005;52:2607-2615, "
            "doi:10.1002/art.21291")
VAS_CM = 2.0
MMT_PCT = 20.0
CSM_PCT = 30.0
CSM_COUNT = 3
Variant = Literal["imacs_2005", "proderm"]


class Measures(BaseModel):
    """Core set measures at one visit; ``None`` = not measured."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    physician_global: Num | None = Field(default=None, ge=0, le=10)
    patient_global: Num | None = Field(default=None, ge=0, le=10)
    extramuscular_global: Num | None = Field(default=None, ge=0, le=10)
    mmt: Num | None = Field(default=None, ge=0, le=150)
    haq: Num | None = Field(default=None, ge=0, le=3)
    enzyme_x_uln: Num | None = Field(default=None, ge=0, le=10_000)
    strength_scale: Literal["MMT", "CMAS"] = Field(
        default="MMT", description="the strength measure behind ``mmt`` (a child's CMAS stands "
        "in for MMT-8), named in the reasons")


def _worse_pct(before: float, after: float, higher_is_better: bool) -> float:
    delta = (before - after) if higher_is_better else (after - before)
    if before == 0:
        return 0.0 if delta == 0 else (100.0 if delta > 0 else -100.0)
    return delta / before * 100


def compare(before: Measures, after: Measures, variant: Variant = "imacs_2005") -> CriteriaResult:
    """Whether ``after`` is worse than ``before`` by the clause logic (one comparison)."""
    reasons: list[str] = []
    missing: list[str] = []
    pga = (after.physician_global - before.physician_global
           if after.physician_global is not None and before.physician_global is not None
           else None)
    mmt = (_worse_pct(before.mmt, after.mmt, True)
           if after.mmt is not None and before.mmt is not None else None)
    ext = (after.extramuscular_global - before.extramuscular_global
           if after.extramuscular_global is not None and before.extramuscular_global is not None
           else None)
    a = pga is not None and mmt is not None and pga >= VAS_CM and mmt >= MMT_PCT
    if a:
        # the scale is named as measured (specialist review Z68a P6: 'MMT -65%' for a CMAS fall)
        reasons.append(f"A: physician global +{pga:.1f} cm and {after.strength_scale} "
                       f"-{mmt:.0f}%")
    b = ext is not None and ext >= VAS_CM
    if b:
        reasons.append(f"B: extramuscular global +{ext:.1f} cm")
    measures = ["physician_global", "patient_global", "extramuscular_global", "mmt", "haq"]
    if variant == "imacs_2005":
        measures.append("enzyme_x_uln")
    worse = []
    for name in measures:
        x, y = getattr(before, name), getattr(after, name)
        if x is None or y is None:
            missing.append(name)
            continue
        if _worse_pct(x, y, name == "mmt") >= CSM_PCT:
            worse.append(name)
    c = len(worse) >= CSM_COUNT
    if c:
        reasons.append(f"C: {len(worse)} measures worse by >= 30% ({', '.join(worse)})")
    met: bool | None = a or b or c
    if not met and len(missing) > len(measures) - CSM_COUNT:
        met = None  # too few measures to exclude worsening
    return CriteriaResult(
        criteria="IMACS 2005 worsening" if variant == "imacs_2005" else "ProDERM deterioration",
        met=met, category="worsening" if met else None, reasons=reasons, missing=missing,
        citation=CITATION, confirmed=variant == "proderm",
        notes=[] if variant == "proderm" else [
            "IMACS 2005 rule text not read in the paper; enzymes counted, one visit suffices."],
    )


def confirmed_deterioration(baseline: Measures, visits: list[Measures]) -> CriteriaResult:
    """ProDERM: worse than baseline at two consecutive visits (the last two given)."""
    if len(visits) < 2:
        return CriteriaResult(criteria="ProDERM deterioration", met=None, citation=CITATION,
                              confirmed=True, missing=["two follow-up visits"])
    first, second = (compare(baseline, v, "proderm") for v in visits[-2:])
    met = bool(first.met and second.met)
    return second.model_copy(update={"met": met, "category": "confirmed deterioration"
                                     if met else None})

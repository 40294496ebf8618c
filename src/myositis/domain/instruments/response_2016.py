"""2016 ACR/EULAR criteria for minimal, moderate and major clinical response in adult DM/PM and JDM.

Aggarwal R, Rider LG, Ruperto N, et al. Ann Rheum Dis 2017;76:792-801,
doi:10.1136/annrheumdis-2017-211400 (adult); Rider LG, Aggarwal R, Pistorio A, et al.
Ann Rheum Dis 2017;76:782-791, doi:10.1136/annrheumdis-2017-211401 (juvenile; Arthritis
Rheumatol version PMID 28382787). Point table: conjoint-analysis continuous criteria using
absolute percent change in core set measures, identical for adults and juveniles; only the
thresholds differ (adult 20/40/60, juvenile 30/45/70).

Inputs (baseline and follow-up): physician and patient/parent global activity (VAS 0-10 cm),
MMT-8 (0-80 or 0-150) or CMAS (0-52), HAQ-DI or CHAQ (0-3), muscle enzymes with their ULN,
extramuscular global activity (VAS 0-10 cm). All six measures are required, as in the IMACS
calculator.

Percent change, our reading (to be checked against the IMACS calculator; see README):
* bounded measures: change as a percentage of the scale's full range, signed so that
  improvement is positive (VAS / 10 cm, MMT / its maximum, CMAS / 52, HAQ and CHAQ / 3);
* enzymes: relative change from baseline of the most abnormal enzyme, chosen as the highest
  multiple of its ULN at baseline, and followed in the same enzyme.
Worsening and improvement up to the first band edge score 0; no measure scores negative points.
Arithmetic is exact (rationals), so a change of exactly 5 % scores 0 and 15 % scores 7.5.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.labs import Enzyme, EnzymeResult
from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Num
from myositis.errors import InputError

CITATIONS = [
    Citation(
        text="Aggarwal R, et al. 2016 ACR/EULAR criteria for minimal, moderate, and major "
        "clinical response in adult dermatomyositis and polymyositis. Ann Rheum Dis "
        "2017;76:792-801",
        doi="10.1136/annrheumdis-2017-211400",
    ),
    Citation(
        text="Rider LG, et al. 2016 ACR/EULAR criteria for minimal, moderate, and major clinical "
        "response in juvenile dermatomyositis. Ann Rheum Dis 2017;76:782-791",
        doi="10.1136/annrheumdis-2017-211401",
    ),
]

Population = Literal["adult", "juvenile"]
Measure = Literal[
    "physician_global", "patient_global", "muscle_strength", "physical_function",
    "muscle_enzyme", "extramuscular",
]

# Upper band edges (percent, inclusive) and the points of each band; beyond the last edge: last.
# Bands are: worsening to first edge | > e1 to e2 | > e2 to e3 | > e3 to e4 | > e4.
STANDARD_EDGES = (5, 15, 25, 40)
MMT_EDGES = (2, 10, 20, 30)
POINTS: dict[Measure, tuple[tuple[int, ...], tuple[Fraction, ...]]] = {
    "physician_global": (STANDARD_EDGES, tuple(map(Fraction, ("0", "7.5", "15", "17.5", "20")))),
    "patient_global": (STANDARD_EDGES, tuple(map(Fraction, ("0", "2.5", "5", "7.5", "10")))),
    "muscle_strength": (MMT_EDGES, tuple(map(Fraction, ("0", "10", "20", "27.5", "32.5")))),
    "physical_function": (STANDARD_EDGES, tuple(map(Fraction, ("0", "5", "7.5", "7.5", "10")))),
    "muscle_enzyme": (STANDARD_EDGES, tuple(map(Fraction, ("0", "2.5", "5", "7.5", "7.5")))),
    "extramuscular": (STANDARD_EDGES, tuple(map(Fraction, ("0", "7.5", "12.5", "15", "20")))),
}
LABELS: dict[Measure, str] = {
    "physician_global": "Physician global activity",
    "patient_global": "Patient/parent global activity",
    "muscle_strength": "Manual muscle testing (MMT-8) or CMAS",
    "physical_function": "HAQ (adult) or CHAQ (juvenile)",
    "muscle_enzyme": "Most abnormal muscle enzyme",
    "extramuscular": "Extramuscular global activity",
}
# Thresholds (minimal, moderate, major) per population.
THRESHOLDS: dict[Population, tuple[int, int, int]] = {
    "adult": (20, 40, 60),
    "juvenile": (30, 45, 70),
}


class CoreSetInput(BaseModel):
    """Core set measures at one time point (the `myositis response` file format)."""

    model_config = ConfigDict(extra="forbid")

    physician_global: Num = Field(ge=0, le=10, description="VAS cm, 0-10")
    patient_global: Num = Field(ge=0, le=10, description="patient/parent VAS cm, 0-10")
    mmt8: Num | None = Field(default=None, ge=0, le=150, description="MMT-8 total")
    mmt_max: Literal[80, 150] = Field(default=80, description="80 unilateral, 150 bilateral")
    cmas: Num | None = Field(default=None, ge=0, le=52, description="CMAS, 0-52")
    haq: Num | None = Field(default=None, ge=0, le=3, description="HAQ-DI, 0-3")
    chaq: Num | None = Field(default=None, ge=0, le=3, description="CHAQ, 0-3")
    enzymes: dict[Enzyme, EnzymeResult] = Field(min_length=1, description="at least one enzyme")
    extramuscular_global: Num = Field(ge=0, le=10, description="VAS cm, 0-10")

    @model_validator(mode="after")
    def _one_of_each(self) -> Self:
        if (self.mmt8 is None) == (self.cmas is None):
            raise ValueError("give exactly one of mmt8 or cmas")
        if (self.haq is None) == (self.chaq is None):
            raise ValueError("give exactly one of haq or chaq")
        if self.mmt8 is not None and self.mmt8 > self.mmt_max:
            raise ValueError(f"mmt8 must be between 0 and mmt_max ({self.mmt_max})")
        return self


class MeasureChange(ItemContribution):
    baseline: Num
    followup: Num
    percent_change: Num


class ResponseResult(InstrumentResult):
    total_improvement_score: Num
    population: Population
    measures: dict[str, MeasureChange]


def points_for(measure: Measure, percent_change: Fraction) -> Fraction:
    """Points of one measure for an improvement of ``percent_change`` percent (table lookup)."""
    edges, points = POINTS[measure]
    for edge, value in zip(edges, points, strict=False):
        if percent_change <= edge:
            return value
    return points[-1]


def category_for(tis: Fraction | float, population: Population) -> str:
    minimal, moderate, major = THRESHOLDS[population]
    if tis >= major:
        return "major"
    if tis >= moderate:
        return "moderate"
    if tis >= minimal:
        return "minimal"
    return "none"


@lru_cache(maxsize=4096)
def _q(value: float) -> Fraction:
    # Exact decimal of the value as entered (0.1 stays 1/10), so band edges are exact;
    # cached because a response series re-reads the same baseline values for every visit.
    return Fraction(str(value))


def _range_change(base: float, follow: float, span: float, higher_is_better: bool) -> Fraction:
    delta = _q(follow) - _q(base) if higher_is_better else _q(base) - _q(follow)
    return delta / _q(span) * 100


def percent_changes(
    baseline: CoreSetInput, followup: CoreSetInput
) -> dict[Measure, tuple[float, float, Fraction, str]]:
    """Each measure's (baseline, follow-up, improvement %, note); positive means better."""
    out: dict[Measure, tuple[float, float, Fraction, str]] = {}
    vas_measures: tuple[tuple[str, Measure], ...] = (
        ("physician_global", "physician_global"),
        ("patient_global", "patient_global"),
        ("extramuscular_global", "extramuscular"),
    )
    for name, measure in vas_measures:
        b, f = getattr(baseline, name), getattr(followup, name)
        out[measure] = (b, f, _range_change(b, f, 10, higher_is_better=False), "VAS / 10 cm")
    if baseline.mmt8 is not None and followup.mmt8 is not None:
        if baseline.mmt_max != followup.mmt_max:
            raise InputError([("mmt_max", "must be the same at baseline and follow-up")])
        change = _range_change(baseline.mmt8, followup.mmt8, baseline.mmt_max, True)
        note = f"MMT-8 / {baseline.mmt_max}"
        out["muscle_strength"] = (baseline.mmt8, followup.mmt8, change, note)
    elif baseline.cmas is not None and followup.cmas is not None:
        change = _range_change(baseline.cmas, followup.cmas, 52, True)
        out["muscle_strength"] = (baseline.cmas, followup.cmas, change, "CMAS / 52")
    else:
        raise InputError([("mmt8/cmas", "use the same strength measure at both time points")])
    if baseline.haq is not None and followup.haq is not None:
        out["physical_function"] = (
            baseline.haq, followup.haq, _range_change(baseline.haq, followup.haq, 3, False),
            "HAQ / 3",
        )
    elif baseline.chaq is not None and followup.chaq is not None:
        out["physical_function"] = (
            baseline.chaq, followup.chaq, _range_change(baseline.chaq, followup.chaq, 3, False),
            "CHAQ / 3",
        )
    else:
        raise InputError([("haq/chaq", "use the same function measure at both time points")])
    out["muscle_enzyme"] = _enzyme_change(baseline, followup)
    return out


def most_abnormal(enzymes: dict[Enzyme, EnzymeResult]) -> Enzyme:
    """Highest multiple of ULN; ties resolved in the order CK, aldolase, LDH, AST, ALT."""
    order = list(Enzyme)
    return max(enzymes, key=lambda e: (_q(enzymes[e].value) / _q(enzymes[e].uln), -order.index(e)))


def _enzyme_change(
    baseline: CoreSetInput, followup: CoreSetInput
) -> tuple[float, float, Fraction, str]:
    enzyme = most_abnormal(baseline.enzymes)
    if enzyme not in followup.enzymes:
        raise InputError(
            [(f"enzymes.{enzyme.value}", "the most abnormal baseline enzyme is needed at follow-up")]
        )
    b, f = baseline.enzymes[enzyme], followup.enzymes[enzyme]
    if b.unit != f.unit:
        raise InputError([(f"enzymes.{enzyme.value}.unit", "must match at both time points")])
    note = f"{enzyme.value.upper()} relative change from baseline"
    if b.value == 0:
        change = Fraction(0)
        note += " (baseline 0: change taken as 0)"
    else:
        change = (_q(b.value) - _q(f.value)) / _q(b.value) * 100
    if not b.elevated:
        note += "; baseline within normal limits, interpret with care"
    return b.value, f.value, change, note


def total_improvement_score(
    baseline: CoreSetInput, followup: CoreSetInput, population: Population = "adult"
) -> ResponseResult:
    """TIS (0-100) and response category from two sets of core set measures."""
    changes = percent_changes(baseline, followup)
    measures: dict[str, MeasureChange] = {}
    total = Fraction(0)
    for measure, (b, f, change, note) in changes.items():
        pts = points_for(measure, change)
        total += pts
        measures[measure] = MeasureChange(
            item=measure,
            label=f"{LABELS[measure]} ({note})",
            value=float(change),
            points=float(pts),
            baseline=b,
            followup=f,
            percent_change=round(float(change), 4),
        )
    minimal, moderate, major = THRESHOLDS[population]
    return ResponseResult(
        instrument="acr_eular_2016_response",
        total=float(total),
        minimum=0,
        maximum=100,
        category=category_for(total, population),
        items=list(measures.values()),
        citations=CITATIONS,
        notes=[
            f"{population} thresholds: minimal >= {minimal}, moderate >= {moderate}, "
            f"major >= {major}.",
            "Percent change: % of scale range for bounded measures; relative change from "
            "baseline for the most abnormal enzyme (see README, known uncertainties).",
        ],
        total_improvement_score=float(total),
        population=population,
        measures=measures,
    )

"""What changed since the last visit: every measure against the previous visit, the TIS and DOI
against the previous visit and against baseline, and the worsening that a clinician must see.

Why this exists: a TIS against a years-old baseline can read "major response" at the very visit
where the disease flares (physician global 0.9 to 3.2 cm, MMT-8 76 to 70, CK 115 to 640 U/L,
prednisone 5 to 15 mg). Two things are therefore reported for the latest visit:

* the IMACS 2005 definition of worsening against the previous visit (through
  :func:`myositis.domain.criteria.imacs_worsening.compare`; its rule text is unconfirmed and the
  result says so), which is a flare when met; and
* **worsening signals**: single measures that moved the wrong way by at least the threshold in
  :data:`SIGNALS`. They are not a validated definition; they exist so that a visit that falls
  short of the IMACS rule only because measures are missing, or a glucocorticoid increase, is
  never shown as "no flags". The thresholds are data, reviewable without reading code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from myositis.domain.criteria.imacs_worsening import compare
from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.patient import Visit
from myositis.domain.record import PatientRecord
from myositis.services.muscle_activity import measures, paired, same_strength_scale
from myositis.services.muscle_trend import floor_only
from myositis.services.state import ResponseView, responses


@dataclass(frozen=True)
class Signal:
    """A measure whose change beyond ``threshold`` (in ``kind`` units) is a worsening signal."""

    measure: str
    label: str
    unit: str
    higher_is_worse: bool
    kind: Literal["absolute", "percent", "above_uln_and_percent", "increase"]
    threshold: float
    why: str
    min_change: float = 0.0
    """The smallest change that counts, whatever the percentage (a HAQ of 0.25 to 0.375 is 50 %
    but one answer step: specialist review W)."""
    decimals: int = 2


# The thresholds follow the IMACS 2005 clause sizes (2 cm on a 10 cm VAS, 20 % of the MMT,
# 30 % of a core set measure); a glucocorticoid increase is a signal at any size because a
# clinician raised it for a reason.
SIGNALS: tuple[Signal, ...] = (
    Signal("physician_global", "Physician global", "cm", True, "absolute", 2.0,
           "IMACS 2005 clause size: 2 cm on the 10 cm VAS"),
    Signal("extramuscular_global", "Extramuscular global", "cm", True, "absolute", 2.0,
           "IMACS 2005 clause B: 2 cm on the 10 cm VAS"),
    Signal("patient_global", "Patient global", "cm", True, "absolute", 2.0,
           "same 2 cm size as the physician global"),
    Signal("mmt", "MMT", "", False, "percent", 20.0, "IMACS 2005 clause size: MMT 20 % worse"),
    Signal("haq", "HAQ-DI / CHAQ", "", True, "percent", 30.0,
           "IMACS 2005 core set measure 30 % worse, and by 0.25 or more (about the HAQ's "
           "minimal important difference; project choice)", min_change=0.25, decimals=3),
    Signal("enzyme_x_uln", "Most abnormal muscle enzyme", "x ULN", True,
           "above_uln_and_percent", 30.0,
           "above the ULN and 30 % higher than at the previous visit"),
    Signal("cdasi_activity", "CDASI activity", "", True, "absolute", 5.0,
           "5 points: the reported minimal clinically important difference (project choice; "
           "published MCID estimates are 4-5 points)"),
    Signal("glucocorticoid_mg_per_day", "Glucocorticoid", "mg/day", True, "increase", 0.0,
           "the dose was raised"),
)


class MeasureChange(BaseModel):
    measure: str
    label: str
    unit: str
    before: float | None
    after: float | None
    change: float | None
    worse: bool = Field(description="moved the wrong way beyond the signal threshold")


class Course(BaseModel):
    """The latest visit compared with the one before it (and the responses vs baseline)."""

    latest: dt.date | None
    previous: dt.date | None
    changes: list[MeasureChange] = Field(default_factory=list)
    responses: list[ResponseView] = Field(default_factory=list)
    worsening: CriteriaResult | None = None
    signals: list[str] = Field(default_factory=list)

    @property
    def flare(self) -> bool:
        """IMACS 2005 worsening against the previous visit."""
        return bool(self.worsening and self.worsening.met)

    @property
    def worse(self) -> bool:
        """A flare or any worsening signal: never shown as 'no flags'."""
        return self.flare or bool(self.signals)


def _value(visit: Visit, measure: str) -> float | None:
    if measure == "cdasi_activity":
        return visit.cdasi_activity
    if measure == "glucocorticoid_mg_per_day":
        return visit.glucocorticoid_mg_per_day
    # the muscle-enzyme signal reads the muscle enzymes (CK and aldolase when CK is measured):
    # a liver ALT is no muscle signal (specialist review H: ALT 3.7 x ULN with a normal CK
    # flagged 'assess for a flare'); the published worsening below keeps every enzyme
    value: float | None = getattr(measures(visit, muscle_only=measure == "enzyme_x_uln"),
                                  measure)
    return value


def _worse(signal: Signal, before: float, after: float) -> bool:
    delta = (after - before) if signal.higher_is_worse else (before - after)
    if delta < signal.min_change:
        return False
    if signal.kind == "absolute":
        return delta >= signal.threshold
    if signal.kind == "increase":
        return delta > signal.threshold
    pct = (delta / before * 100) if before else (100.0 if delta > 0 else 0.0)
    if signal.kind == "above_uln_and_percent":
        return after > 1.0 and pct >= signal.threshold
    return pct >= signal.threshold


def _first_course(record: PatientRecord, prev: Visit, before: float | None) -> bool:
    """A glucocorticoid started for the first time (none before the previous visit): induction,
    not a worsening signal (specialist review, December 2026)."""
    if before not in (None, 0.0):
        return False
    earlier_visit = any((v.glucocorticoid_mg_per_day or 0) > 0 for v in record.visits
                        if v.date < prev.date)
    earlier_course = any(t.therapy == "glucocorticoids_oral" and t.start is not None
                         and t.start < prev.date for t in record.treatments)
    return not (earlier_visit or earlier_course)


def _tapering_since(record: PatientRecord, prev: Visit, last: Visit,
                    after: float | None) -> bool:
    """The dose was raised at (or after) the previous visit and has been tapered since: the
    dated courses show a higher dose between the visits, so today's dose is a taper, not a
    rise (specialist review Z13c P1: 7.5 raised to 20 at a flare, tapered to 12.5, read as
    'the dose was raised')."""
    if after is None:
        return False
    return any(t.therapy == "glucocorticoids_oral" and t.start is not None
               and prev.date <= t.start < last.date and t.dose_value is not None
               and t.dose_unit == "mg/day" and t.dose_value > after
               for t in record.treatments)


def _fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def course(record: PatientRecord) -> Course:
    """Compare the latest visit with the previous one (visits in date order)."""
    visits = record.visits
    if not visits:
        return Course(latest=None, previous=None)
    last = visits[-1]
    if len(visits) < 2:
        return Course(latest=last.date, previous=None)
    prev = visits[-2]
    changes: list[MeasureChange] = []
    signals: list[str] = []
    for signal in SIGNALS:
        before, after = _value(prev, signal.measure), _value(last, signal.measure)
        if signal.measure == "mmt" and not same_strength_scale(prev, last):
            before = after = None  # MMT-8 at one visit, CMAS at the other: no comparison
        change = None if before is None or after is None else after - before
        worse = change is not None and _worse(signal, before or 0.0, after or 0.0)
        if worse and signal.measure == "glucocorticoid_mg_per_day" \
                and (_first_course(record, prev, before)
                     or _tapering_since(record, prev, last, after)):
            worse = False
        changes.append(MeasureChange(measure=signal.measure, label=signal.label,
                                     unit=signal.unit, before=before, after=after,
                                     change=change, worse=worse))
        if worse and before is not None and after is not None:
            unit = f" {signal.unit}" if signal.unit else ""
            signals.append(f"{signal.label} {_fmt(before, signal.decimals)} to "
                           f"{_fmt(after, signal.decimals)}{unit} "
                           f"({signal.why})")
    pair = paired(prev, last, muscle_only=False)
    worsening = compare(*pair)
    floor = floor_only(*pair, worsening)
    if floor is not None:
        # the instrument's result is kept (shown as computed) but not counted as a flare
        worsening = worsening.model_copy(update={"met": False, "category": None,
                                                 "notes": [*worsening.notes, floor]})
        signals.append(floor[0].upper() + floor[1:])
    return Course(latest=last.date, previous=prev.date, changes=changes,
                  responses=responses(record), worsening=worsening, signals=signals)

"""The patient's symptom and flare diary: how weak, how much rash, how tired, day by day, and
the symptoms that cannot wait for the next visit.

Swallowing or breathing trouble and quickly worsening weakness are warning symptoms: the
patient is told at once to contact the clinic, and the entry reaches the clinic as an urgent
flag (through the same patient-reported questionnaire the clinic already reviews). New hard
lumps under the skin (calcinosis) are shown to the clinic but are not urgent.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.types import Bool, Int

DIARY_WINDOW_DAYS = 30
"""An entry can be written up to this many days late; older memories are not a diary."""


class DiaryEntryIn(BaseModel):
    """One day of the diary. Scores are typed numbers from 0 (none) to 10 (worst)."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    weakness: Int | None = Field(default=None, ge=0, le=10,
                                 description="how weak the muscles feel, 0 (normal) to 10")
    rash: Int | None = Field(default=None, ge=0, le=10,
                             description="how bad the rash is, 0 (none) to 10")
    fatigue: Int | None = Field(default=None, ge=0, le=10,
                                description="how tired, 0 (not at all) to 10")
    swallowing_trouble: Bool = False
    breathing_trouble: Bool = False
    weakness_worsening_fast: Bool = False
    new_calcinosis: Bool = Field(default=False,
                                 description="new hard lumps under the skin")
    note: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _dated_and_not_empty(self) -> Self:
        today = dt.date.today()
        if self.date > today:
            raise ValueError(f"date: {self.date} is in the future")
        if self.date < today - dt.timedelta(days=DIARY_WINDOW_DAYS):
            raise ValueError(f"date: more than {DIARY_WINDOW_DAYS} days ago")
        if self.weakness is None and self.rash is None and self.fatigue is None \
                and not self.warning_symptoms() and not self.new_calcinosis \
                and not self.note.strip():
            raise ValueError("answer at least one question")
        return self

    def warning_symptoms(self) -> list[str]:
        """The warning symptoms of the portal's shared vocabulary (services.portal)."""
        return [code for code, present in (("swallowing", self.swallowing_trouble),
                                           ("breathing", self.breathing_trouble),
                                           ("weakness_worsening", self.weakness_worsening_fast))
                if present]


class DiaryEntryOut(BaseModel):
    id: int
    patient_id: int
    date: dt.date
    weakness: int | None
    rash: int | None
    fatigue: int | None
    swallowing_trouble: bool
    breathing_trouble: bool
    weakness_worsening_fast: bool
    new_calcinosis: bool
    note: str
    written_by: str
    written_at: dt.datetime


class DiaryTrend(BaseModel):
    """What the clinic reads at a glance: the last 4 weeks against the 4 weeks before."""

    entries: int
    weakness_recent: float | None
    weakness_before: float | None
    warnings: int
    new_calcinosis: bool


def _mean(values: list[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None


def trend(entries: list[DiaryEntryOut], today: dt.date) -> DiaryTrend:
    recent = [e for e in entries if (today - e.date).days < 28]
    before = [e for e in entries if 28 <= (today - e.date).days < 56]
    return DiaryTrend(
        entries=len(recent), weakness_recent=_mean([e.weakness for e in recent]),
        weakness_before=_mean([e.weakness for e in before]),
        warnings=sum(1 for e in recent if e.swallowing_trouble or e.breathing_trouble
                     or e.weakness_worsening_fast),
        new_calcinosis=any(e.new_calcinosis for e in recent))

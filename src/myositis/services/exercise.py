"""The exercise programme of the patient portal: which programme the clinic chose, the
sessions the patient logs, and the adherence the clinic sees.

The programmes themselves are curated data (``knowledge/data/exercise.yaml``), sourced and
graded like every other statement. A clinician sets the programme; the system only suggests
one from the disease phase, because the right load depends on what the physiotherapist sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.translatable import N_
from myositis.domain.types import Bool, Int
from myositis.errors import InputError
from myositis.knowledge import load
from myositis.knowledge.schema import ExerciseProgramme
from myositis.services.portal import WarningSymptom

ADHERENCE_DAYS = 28
"""Adherence is counted over the last four weeks: long enough to smooth a bad week."""

LOG_WINDOW_DAYS = 90
"""A session can be logged up to this many days late (a diary kept on paper, typed later)."""

STOP_ADVICE = N_("Stop exercising and contact your clinic. If you have trouble breathing or "
                 "swallowing, or chest pain, call emergency services now.")


class ExercisePlanIn(BaseModel):
    """What a clinician sets: a curated programme and, optionally, a note the patient reads
    (an adjustment such as 'no weights for the left arm')."""

    model_config = ConfigDict(extra="forbid")

    programme_id: str = Field(min_length=1, max_length=32)
    note: str = Field(default="", max_length=1000)


class ExercisePlanOut(BaseModel):
    id: int
    patient_id: int
    programme_id: str
    note: str
    set_by: str
    set_at: dt.datetime


class ExerciseLogIn(BaseModel):
    """One session the patient did. Minutes and effort are typed numbers (no slider needed);
    effort is the Borg CR10 scale, 0 (nothing at all) to 10 (maximal)."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    minutes: Int = Field(ge=1, le=240, description="minutes of exercise, 1 to 240")
    effort: Int = Field(ge=0, le=10, description="how hard it felt, 0 (nothing) to 10 (maximal)")
    exercises_done: list[str] = Field(default_factory=list, max_length=20)
    stop_sign: Bool = Field(default=False,
                            description="one of the programme's stop signs happened")
    warning_symptoms: list[WarningSymptom] = Field(default_factory=list)
    note: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _dated(self) -> Self:
        today = dt.date.today()
        if self.date > today:
            raise ValueError(f"date: {self.date} is in the future; log a session you have done")
        if self.date < today - dt.timedelta(days=LOG_WINDOW_DAYS):
            raise ValueError(f"date: more than {LOG_WINDOW_DAYS} days ago")
        return self


class ExerciseLogOut(BaseModel):
    id: int
    patient_id: int
    programme_id: str
    date: dt.date
    minutes: int
    effort: int
    exercises_done: list[str]
    stop_sign: bool
    warning_symptoms: list[str]
    note: str
    logged_by: str
    logged_at: dt.datetime


class Adherence(BaseModel):
    """What the clinic sees: sessions logged against sessions planned over four weeks."""

    programme_id: str | None
    days: int = ADHERENCE_DAYS
    sessions: int
    planned: int
    percent: int | None
    last_session: dt.date | None
    stop_signs: int
    warnings: int


def programme(programme_id: str) -> ExerciseProgramme:
    """The curated programme, or an InputError naming the valid ids."""
    programmes = load().exercise
    if programme_id not in programmes:
        raise InputError([("programme_id", f"unknown programme {programme_id!r}; choose one "
                                           f"of {', '.join(sorted(programmes))}")])
    return programmes[programme_id]


def check_log(log: ExerciseLogIn, programme_id: str) -> None:
    """Exercise ids must belong to the patient's programme (a log of another programme's
    exercises would read as adherence to this one)."""
    known = {e.id for e in programme(programme_id).exercises}
    unknown = [e for e in log.exercises_done if e not in known]
    if unknown:
        raise InputError([("exercises_done", f"not in this programme: {', '.join(unknown)}; "
                                             f"choose from {', '.join(sorted(known))}")])


PHASE_FOR_STATE = {
    "flare": "after_flare",
    "new_onset": "active",
    "active": "active",
    "inadequate_response": "active",
    "stable": "stable",
    "remission": "stable",
    "not_involved": "stable",
}


def suggested_programme(state: str | None) -> str | None:
    """A starting suggestion from the disease state; the clinician decides."""
    phase = PHASE_FOR_STATE.get(state or "")
    return next((p.id for p in load().exercise.values() if p.phase == phase), None)


def adherence(plan: ExercisePlanOut | None, logs: list[ExerciseLogOut],
              today: dt.date) -> Adherence:
    """Sessions in the last four weeks of the current programme (sessions before the plan was
    set do not count towards it), as a share of the programme's weekly rhythm."""
    if plan is None:
        return Adherence(programme_id=None, sessions=len(logs), planned=0, percent=None,
                         last_session=max((log.date for log in logs), default=None),
                         stop_signs=0, warnings=0)
    start = max(today - dt.timedelta(days=ADHERENCE_DAYS - 1), plan.set_at.date())
    recent = [log for log in logs if start <= log.date <= today
              and log.programme_id == plan.programme_id]
    days = (today - start).days + 1
    per_week = programme(plan.programme_id).sessions_per_week
    planned = max(1, round(per_week * days / 7))
    sessions = len({log.date for log in recent})
    return Adherence(programme_id=plan.programme_id, days=days, sessions=sessions,
                     planned=planned, percent=min(100, round(100 * sessions / planned)),
                     last_session=max((log.date for log in logs), default=None),
                     stop_signs=sum(1 for log in recent if log.stop_sign),
                     warnings=sum(1 for log in recent if log.warning_symptoms))


class ExerciseView(BaseModel):
    """The programme as the patient follows it and the clinic reviews it."""

    plan: ExercisePlanOut | None
    programme: ExerciseProgramme | None
    logs: list[ExerciseLogOut]
    adherence: Adherence
    suggested: str | None = None
    stop_advice: str = STOP_ADVICE


def exercise_view(plan: ExercisePlanOut | None, logs: list[ExerciseLogOut], today: dt.date,
                  state: str | None = None) -> ExerciseView:
    return ExerciseView(plan=plan, programme=programme(plan.programme_id) if plan else None,
                        logs=logs[:20], adherence=adherence(plan, logs, today),
                        suggested=suggested_programme(state))

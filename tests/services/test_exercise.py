"""Exercise programme logic: strict log input, exercises checked against the programme,
adherence over four weeks of the current programme, suggestion from the disease state."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from myositis.errors import InputError
from myositis.services import exercise
from myositis.services.exercise import ExerciseLogIn, ExerciseLogOut, ExercisePlanOut

TODAY = dt.date.today()


def plan(programme_id: str = "active_phase", days_ago: int = 60) -> ExercisePlanOut:
    return ExercisePlanOut(id=1, patient_id=1, programme_id=programme_id, note="", set_by="c",
                           set_at=dt.datetime.combine(TODAY - dt.timedelta(days=days_ago),
                                                      dt.time(9), tzinfo=dt.UTC))


def log(days_ago: int, programme_id: str = "active_phase", stop: bool = False) -> ExerciseLogOut:
    return ExerciseLogOut(id=days_ago, patient_id=1, programme_id=programme_id,
                          date=TODAY - dt.timedelta(days=days_ago), minutes=30, effort=3,
                          exercises_done=[], stop_sign=stop, warning_symptoms=[], note="",
                          logged_by="p", logged_at=dt.datetime.now(dt.UTC))


def test_log_input_is_strict_and_names_every_bad_field() -> None:
    with pytest.raises(ValidationError) as raised:
        ExerciseLogIn.model_validate({"date": TODAY.isoformat(), "minutes": True,
                                      "effort": 11, "stop_sign": "yes"})
    fields = {e["loc"][0] for e in raised.value.errors()}
    assert fields == {"minutes", "effort", "stop_sign"}
    with pytest.raises(ValidationError, match="in the future"):
        ExerciseLogIn(date=TODAY + dt.timedelta(days=1), minutes=10, effort=2)
    with pytest.raises(ValidationError, match="days ago"):
        ExerciseLogIn(date=TODAY - dt.timedelta(days=200), minutes=10, effort=2)


def test_exercises_must_belong_to_the_programme() -> None:
    ok = ExerciseLogIn(date=TODAY, minutes=30, effort=3, exercises_done=["sit_to_stand", "walk"])
    exercise.check_log(ok, "active_phase")
    other = ExerciseLogIn(date=TODAY, minutes=30, effort=3, exercises_done=["step_up"])
    with pytest.raises(InputError, match="step_up"):
        exercise.check_log(other, "active_phase")
    with pytest.raises(InputError, match="choose one of"):
        exercise.programme("marathon")


def test_adherence_counts_days_of_the_current_programme_in_four_weeks() -> None:
    logs = [log(d) for d in (0, 1, 2, 3, 5, 8, 9, 10)] + [log(3)] + [log(40)] \
        + [log(4, programme_id="stable_phase", stop=True)]
    result = exercise.adherence(plan(), logs, TODAY)
    # 8 distinct days in 28 against 5 a week (20 planned); the other programme's and the
    # 40-day-old session do not count
    assert (result.sessions, result.planned, result.percent) == (8, 20, 40)
    assert result.stop_signs == 0 and result.last_session == TODAY


def test_adherence_starts_when_the_plan_was_set() -> None:
    result = exercise.adherence(plan(days_ago=6), [log(d) for d in range(7)], TODAY)
    assert result.days == 7 and result.planned == 5 and result.percent == 100


def test_no_plan_has_no_percentage() -> None:
    result = exercise.adherence(None, [log(2)], TODAY)
    assert result.percent is None and result.programme_id is None


@pytest.mark.parametrize(("state", "programme"), [
    ("flare", "after_flare"), ("new_onset", "active_phase"), ("active", "active_phase"),
    ("remission", "stable_phase"), ("stable", "stable_phase"), ("unknown", None), (None, None)])
def test_suggestion_follows_the_disease_phase(state: str | None, programme: str | None) -> None:
    assert exercise.suggested_programme(state) == programme


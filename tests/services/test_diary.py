"""Symptom diary: strict scores, warning symptoms in the shared vocabulary, and the
four-week trend the clinic reads."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from myositis.services import diary
from myositis.services.diary import DiaryEntryIn, DiaryEntryOut

TODAY = dt.date.today()


def entry(days_ago: int, weakness: int | None, **flags: bool) -> DiaryEntryOut:
    base = {"swallowing_trouble": False, "breathing_trouble": False,
            "weakness_worsening_fast": False, "new_calcinosis": False}
    return DiaryEntryOut(id=days_ago, patient_id=1, date=TODAY - dt.timedelta(days=days_ago),
                         weakness=weakness, rash=None, fatigue=None, note="", written_by="p",
                         written_at=dt.datetime.now(dt.UTC), **{**base, **flags})


def test_warning_symptoms_use_the_portal_vocabulary() -> None:
    from typing import get_args

    from myositis.services.portal import WarningSymptom

    day = DiaryEntryIn(date=TODAY, swallowing_trouble=True, breathing_trouble=True,
                       weakness_worsening_fast=True, new_calcinosis=True)
    assert day.warning_symptoms() == ["swallowing", "breathing", "weakness_worsening"]
    assert set(day.warning_symptoms()) <= set(get_args(WarningSymptom))
    assert DiaryEntryIn(date=TODAY, new_calcinosis=True).warning_symptoms() == []


def test_scores_are_strict_whole_numbers_0_to_10() -> None:
    with pytest.raises(ValidationError) as raised:
        DiaryEntryIn.model_validate({"date": TODAY.isoformat(), "weakness": True,
                                     "rash": 11, "fatigue": 2.5})
    assert {e["loc"][0] for e in raised.value.errors()} == {"weakness", "rash", "fatigue"}


def test_trend_compares_the_last_four_weeks_with_the_four_before() -> None:
    entries = [entry(1, 7, swallowing_trouble=True), entry(10, 5), entry(30, 2),
               entry(40, 3), entry(60, 9, new_calcinosis=True)]
    result = diary.trend(entries, TODAY)
    assert result.entries == 2 and result.weakness_recent == 6.0
    assert result.weakness_before == 2.5 and result.warnings == 1
    assert result.new_calcinosis is False

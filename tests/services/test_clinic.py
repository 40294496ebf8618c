"""Clinic computations over stored records (demo clinic on both databases)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from myositis.errors import InputError
from myositis.services import clinic
from myositis.services.clinic import PatientSummary, SummaryCache


def test_latest_only_is_the_last_point_of_the_series(engine: Engine) -> None:
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        patients = repo.patients()
        visits = repo.visits_by_patient([p.id for p in patients])
        compared = 0
        for patient in patients:
            series = clinic.response_series(patient, visits[patient.id])
            latest = clinic.response_series(patient, visits[patient.id], latest_only=True)
            assert latest == series[-1:]
            compared += bool(series)
        assert compared  # the demo clinic has patients with a response series


def test_a_stored_record_the_plan_refuses_is_a_flagged_row_not_a_failed_list(
        engine: Engine) -> None:
    """H77: a record stored before a consistency check existed keeps its row, flagged."""
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        patient = repo.patients()[0]
    profile = patient.profile.model_copy(update={
        "reproduction": patient.profile.reproduction.model_copy(update={"pregnant": True})})
    broken = patient.model_copy(update={"sex": "male", "profile": profile, "version": 99})
    with pytest.raises(InputError, match="cannot be pregnant"):
        clinic.plan_input(broken, [], dt.date(2026, 11, 21))
    row = clinic.summary(broken, [], dt.date(2026, 11, 21))
    assert row.flags == [clinic.UNREADABLE]
    assert row.pseudonym == patient.pseudonym


def test_the_summary_cache_keeps_one_row_per_patient() -> None:
    """The soak test (issue 13) showed memory growing: each write left the previous version's
    row in the cache until the size cap. Only the latest version of a patient is kept."""
    cache = SummaryCache(size=100)
    row = cast(PatientSummary, object())
    day = dt.date(2026, 12, 1)
    for version in range(1, 30):
        cache.put(SummaryCache.key(7, 1, version, day), row)
    cache.put(SummaryCache.key(8, 1, 1, day), row)
    assert len(cache) == 2
    assert cache.peek(SummaryCache.key(7, 1, 29, day)) is row
    assert cache.peek(SummaryCache.key(7, 1, 28, day)) is None


def test_the_view_cache_reuses_a_view_until_the_record_changes(engine: Engine) -> None:
    from myositis.services.records import VisitIn

    cache = clinic.ViewCache(size=2)
    today = dt.date.today()
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        patient = repo.patients()[0]
        entries = repo.record_entries([patient.id])[patient.id]
        first = cache.get(patient, repo.visits(patient.id), today, entries)
        assert cache.get(patient, repo.visits(patient.id), today, entries) is first
        repo.add_visit(patient.id, VisitIn.model_validate(
            {"date": today.isoformat(), "physician_global": 6.0, "confirm": True}))
        session.commit()
        changed = repo.patient(patient.id)
        assert changed.record_version != patient.record_version
        fresh = cache.get(changed, repo.visits(changed.id), today,
                          repo.record_entries([changed.id])[changed.id])
        assert fresh is not first and fresh.course.latest == today

"""Clinic computations over stored records (demo clinic on both databases)."""

from __future__ import annotations

from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from myositis.services import clinic


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

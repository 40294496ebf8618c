"""Repository reads used by the clinic's hot paths, and the shared login-attempt counter."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from myositis.domain.record_sections import Vaccination
from myositis.errors import NotFoundError
from myositis.services import clinic
from myositis.services.records import VisitIn
from tests.conftest import TODAY


def test_visits_by_patient_matches_per_patient_reads(engine: Engine) -> None:
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        ids = [p.id for p in repo.patients()]
        grouped = repo.visits_by_patient([*ids, 999_999])
        assert grouped[999_999] == []
        for pid in ids:
            assert grouped[pid] == repo.visits(pid)
            assert [v.date for v in grouped[pid]] == sorted(v.date for v in grouped[pid])


def test_visits_of_missing_patient_is_not_found(engine: Engine) -> None:
    with session_factory(engine)() as session, pytest.raises(NotFoundError):
        Repository(session, actor="test").visits(999_999)


def test_patient_without_visits_has_an_empty_list(engine: Engine) -> None:
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        patient = repo.patients()[0]
        for visit in repo.visits(patient.id):
            repo.delete_visit(patient.id, visit.id)
        session.commit()
        assert repo.visits(patient.id) == []


def test_summary_cache_sees_every_write(engine: Engine) -> None:
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        patient = repo.patients()[0]
        before = clinic.summaries([patient], repo.visits_by_patient([patient.id]), TODAY)[0]
        repo.add_visit(patient.id, VisitIn(date=TODAY, physician_global=1.0, confirm=True))
        session.commit()
        patient = repo.patient(patient.id)  # every write bumps the record version (cache key)
        after = clinic.summaries([patient], repo.visits_by_patient([patient.id]), TODAY)[0]
        assert after.visits == before.visits + 1
        assert after.last_visit == TODAY
        repo.add_entry(patient.id, "vaccinations",
                       Vaccination(vaccine="influenza", date=TODAY))
        session.commit()
        assert repo.patient(patient.id).record_version == patient.record_version + 1
        later = TODAY + dt.timedelta(days=400)
        assert clinic.summaries([patient], repo.visits_by_patient([patient.id]), later)[0] \
            == clinic.summary(patient, repo.visits(patient.id), later)


def test_login_attempts_window(engine: Engine) -> None:
    with session_factory(engine)() as session:
        repo = Repository(session, actor="anonymous")
        assert all(repo.login_attempt("ip:user", limit=3, window=60, now=1000.0 + i)
                   for i in range(3))
        assert not repo.login_attempt("ip:user", limit=3, window=60, now=1010.0)
        assert repo.login_attempt("ip:other", limit=3, window=60, now=1010.0)
        session.commit()
        # Once the first attempts leave the window, attempts are allowed again.
        assert repo.login_attempt("ip:user", limit=3, window=60, now=1061.5)


def test_renaming_to_a_taken_pseudonym_with_a_clinician_is_a_conflict(engine: Engine) -> None:
    from myositis.errors import ConflictError
    from myositis.services.records import PatientUpdate
    with session_factory(engine)() as session:
        repo = Repository(session, actor="test")
        first, second = repo.patients()[:2]
        clinician = next((u.username for u in repo.users()
                          if u.active and u.role in ("clinician", "admin")), None)
        update = PatientUpdate(pseudonym=first.pseudonym, synthetic=True, sex=second.sex,
                               profile=second.profile, version=second.version,
                               clinician=clinician)
        with pytest.raises(ConflictError):
            repo.update_patient(second.id, update)

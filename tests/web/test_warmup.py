"""The worklist warm-up fills the row cache the worklist reads (so the first request of the day
does not compute every care plan)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from myositis.services import clinic
from myositis.web.warmup import warm_once


def test_warm_once_caches_every_row(engine: Engine) -> None:
    sessions = session_factory(engine)
    assert warm_once(sessions) == 4
    with sessions() as session:
        repo = Repository(session, actor="test")
        cache = clinic.summary_cache()
        for pid, _name, version, record in repo.patient_versions():
            assert cache.peek(cache.key(pid, version, record, dt.date.today())) is not None

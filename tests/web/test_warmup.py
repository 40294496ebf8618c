"""The worklist warm-up fills the row cache the worklist reads (so the first request of the day
does not compute every care plan)."""

from __future__ import annotations

import datetime as dt
import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from myositis.services import clinic
from myositis.settings import Settings
from myositis.web.app import create_app
from myositis.web.warmup import warm_once


def test_warm_once_caches_every_row(engine: Engine) -> None:
    sessions = session_factory(engine)
    assert warm_once(sessions) == 4
    with sessions() as session:
        repo = Repository(session, actor="test")
        cache = clinic.summary_cache()
        for pid, _name, version, record in repo.patient_versions():
            assert cache.peek(cache.key(pid, version, record, dt.date.today())) is not None


def test_the_health_check_says_when_the_worklist_is_warm(settings: Settings,
                                                          engine: Engine) -> None:
    from myositis.web import warmup

    with TestClient(create_app(settings, engine=engine)) as cold:
        assert cold.get("/api/health").json() == {"status": "ok", "worklist_warm": False}
    warm_settings = settings.model_copy(update={"warm_worklist": True})
    app = create_app(warm_settings, engine=engine)
    with TestClient(app) as client:
        for _ in range(200):
            if client.get("/api/health").json()["worklist_warm"]:
                break
            time.sleep(0.05)
        assert client.get("/api/health").json() == {"status": "ok", "worklist_warm": True}
        assert warmup.is_warm()
        app.state.warmup_stop.set()

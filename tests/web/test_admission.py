"""Overload: a worker admits a bounded number of requests and sheds the rest at once with 503
and Retry-After (never the health check); a request that waited past its deadline is
abandoned before its first transaction, and never after it has started its work."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from starlette.types import Receive, Scope, Send

from myositis.db.engine import DEADLINE_KEY, session_factory
from myositis.errors import OverloadedError
from myositis.web.admission import AdmissionControl
from tests.conftest import bearer


def test_beyond_the_limit_requests_are_shed_at_once_and_health_never() -> None:
    release = asyncio.Event()

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] != "/api/health":
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    admission = AdmissionControl(slow, limit=2, deadline_seconds=5)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=admission)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            held = [asyncio.create_task(client.get("/api/patients")) for _ in range(2)]
            await asyncio.sleep(0.05)
            started = time.monotonic()
            shed = await client.get("/api/patients")
            assert time.monotonic() - started < 0.5  # answered at once, not queued
            health = await client.get("/api/health")
            release.set()
            return [shed, health, *await asyncio.gather(*held)]

    shed, health, *admitted = asyncio.run(run())
    assert shed.status_code == 503 and shed.headers["retry-after"] == "1"
    assert shed.json()["error"]["code"] == "overloaded"
    assert health.status_code == 200
    assert [r.status_code for r in admitted] == [200, 200]
    assert admission.in_flight == 0 and admission.shed == 1


def test_work_past_its_deadline_is_abandoned_before_the_first_transaction(
        engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        session.info[DEADLINE_KEY] = time.monotonic() - 1
        with pytest.raises(OverloadedError):
            session.execute(text("SELECT 1"))
    with sessions() as session:
        session.info[DEADLINE_KEY] = time.monotonic() + 60
        session.execute(text("SELECT 1"))
        session.commit()
        # a later transaction of the same request is never cut off
        session.execute(text("SELECT 1"))


def test_the_app_answers_503_with_retry_after_for_a_request_past_its_deadline(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = bearer(client, "clinician")
    admission = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(admission, AdmissionControl):
        admission = admission.app
    monkeypatch.setattr(admission, "deadline_seconds", -1.0)
    response = client.get("/api/patients/1", headers=headers)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert client.get("/api/health").status_code == 200

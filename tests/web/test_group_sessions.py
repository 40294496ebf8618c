"""The clinic's group sessions, on SQLite and PostgreSQL: staff add and cancel them (every bad
field named at once, every write audited), patients see the ones for their age group on the
portal's support page, and a patient never reaches the staff page. SYNTHETIC data."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from myositis.db import models
from myositis.db.engine import session_factory
from tests.conftest import bearer
from tests.web.test_pages import login
from tests.web.test_portal import patient_account

SOON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).strftime("%Y-%m-%dT18:30")


def _add(client: TestClient, token: str, **fields: str) -> int:
    data = {"csrf_token": token, "title": "Living with myositis: evening talk", "starts_at": SOON,
            "place": "Outpatient seminar room 2", "audience": "everyone",
            "description": "SYNTHETIC session for the test", **fields}
    return client.post("/clinic/sessions", data=data, follow_redirects=False).status_code


def test_staff_add_and_cancel_sessions_and_patients_see_theirs(client: TestClient,
                                                               engine: Engine) -> None:
    headers = patient_account(client)
    token = login(client)
    assert _add(client, token) == 303
    assert _add(client, token, title="Parents and children group",
                audience="children_and_families") == 303
    page = client.get("/clinic/sessions").text
    assert "Living with myositis" in page and "Parents and children group" in page
    portal = client.get("/portal/support", headers=headers).text
    section = portal.split('id="sessions-h"')[1].split("</section>")[0]
    assert "Living with myositis" in section
    assert "Parents and children group" not in section  # an adult patient
    with session_factory(engine)() as session:
        first = session.scalars(select(models.GroupSession).order_by(
            models.GroupSession.id)).first()
        assert first is not None
        audited = session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.entity == "group_session")).all()
        assert len(audited) == 2
    cancelled = client.post(f"/clinic/sessions/{first.id}/cancel",
                            data={"csrf_token": token}, follow_redirects=False)
    assert cancelled.status_code == 303
    portal = client.get("/portal/support", headers=headers).text
    assert "Living with myositis" not in portal.split('id="sessions-h"')[1].split(
        "</section>")[0]
    assert "cancelled" in client.get("/clinic/sessions").text


def test_bad_session_input_names_every_field(client: TestClient) -> None:
    token = login(client)
    response = client.post("/clinic/sessions", data={
        "csrf_token": token, "title": "x", "starts_at": "2020-01-01T10:00", "place": "",
        "audience": "martians"})
    assert response.status_code == 422
    for field in ("title", "starts_at", "place", "audience"):
        assert f"<li>{field}:" in response.text, field
    assert "in the past" in response.text
    far = (dt.datetime.now(dt.UTC) + dt.timedelta(days=800)).strftime("%Y-%m-%dT10:00")
    assert "more than 2 years ahead" in client.post("/clinic/sessions", data={
        "csrf_token": token, "title": "Far away", "starts_at": far,
        "place": "Room 1"}).text


def test_only_staff_reach_the_sessions_page(client: TestClient) -> None:
    headers = patient_account(client)
    assert client.get("/clinic/sessions", headers=headers).status_code == 404
    assert client.get("/clinic/sessions", headers=bearer(client, "researcher")).status_code == 403
    assert client.get("/clinic/sessions", headers=bearer(client, "admin")).status_code == 200

"""Access audit: every read of a patient record is logged (who, when, what, channel), in an
append-only table, with an administrator report (issue 13, section 3)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from myositis.web.access_log import classify
from tests.conftest import bearer


def _flush(client: TestClient) -> None:
    client.app.state.access_log.flush()  # type: ignore[attr-defined]


def test_reads_are_logged_by_user_patient_action_and_channel(client: TestClient) -> None:
    clinician = bearer(client, "clinician")
    assert client.get("/api/patients/1", headers=clinician).status_code == 200
    assert client.get("/api/patients/1/plan", headers=clinician).status_code == 200
    assert client.get("/api/patients/999999", headers=clinician).status_code == 404
    _flush(client)
    admin = bearer(client, "admin")
    rows = client.get("/api/access", params={"patient_id": 1}, headers=admin).json()
    seen = {(r["username"], r["action"], r["channel"]) for r in rows}
    assert ("clinician", "view", "api") in seen and ("clinician", "plan", "api") in seen
    assert all(r["patient_id"] == 1 for r in rows)
    by_user = client.get("/api/access", params={"username": "clinician"}, headers=admin).json()
    assert not any(r["patient_id"] == 999999 for r in by_user)  # a failed read is no access


def test_page_views_are_logged(client: TestClient) -> None:
    client.post("/login", data={"username": "clinician", "password": "demo-clinician-2026"})
    assert client.get("/patients/2").status_code == 200
    _flush(client)
    rows = client.get("/api/access", params={"patient_id": 2},
                      headers=bearer(client, "admin")).json()
    assert any(r["channel"] == "page" and r["action"] == "view" for r in rows)


def test_only_administrators_read_the_access_log(client: TestClient) -> None:
    assert client.get("/api/access", headers=bearer(client, "clinician")).status_code == 403


def test_access_log_is_append_only(client: TestClient, engine: Engine) -> None:
    client.get("/api/patients/1", headers=bearer(client, "clinician"))
    _flush(client)
    with engine.connect() as connection, pytest.raises(DBAPIError):
        connection.execute(text("DELETE FROM access_log"))
        connection.commit()


def test_route_table() -> None:
    assert classify("/api/patients/7/visits") == ("view", "api", 7)
    assert classify("/patients/7/letter.pdf") == ("letter", "page", 7)
    assert classify("/static/app.css") is None and classify("/login") is None

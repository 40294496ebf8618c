"""User administration: the page and the CLI share the repository's rules; the last active
administrator is protected; a disabled account stops working on live tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import PASSWORDS, bearer


def _admin_page(client: TestClient) -> str:
    client.cookies.clear()
    client.post("/login", data={"username": "admin", "password": PASSWORDS["admin"]})
    page = client.get("/admin/users").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_add_disable_enable_and_role_change(client: TestClient) -> None:
    token = _admin_page(client)
    short = client.post("/admin/users", data={"csrf_token": token, "username": "syn-nurse",
                                               "password": "short", "role": "clinician"})
    assert short.status_code == 422 and "12 characters" in short.text
    added = client.post("/admin/users", follow_redirects=False, data={
        "csrf_token": token, "username": "syn-nurse", "password": "a-long-password-1",
        "role": "researcher"})
    assert added.status_code == 303
    nurse = client.post("/api/auth/token", data={"username": "syn-nurse",
                                                 "password": "a-long-password-1"}).json()
    headers = {"Authorization": f"Bearer {nurse['access_token']}"}
    assert client.get("/api/patients/1", headers=headers).status_code == 200
    assert client.post("/api/patients/1/visits", headers=headers,
                       json={"date": "2026-01-02", "physician_global": 1}).status_code == 403
    client.post("/admin/users/syn-nurse", data={"csrf_token": token, "action": "set-role",
                                                "role": "clinician"})
    assert client.post("/api/patients/1/visits", headers=headers, json={
        "date": "2026-01-02", "physician_global": 1, "confirm": True}).status_code == 201
    client.post("/admin/users/syn-nurse", data={"csrf_token": token, "action": "disable"})
    assert client.get("/api/patients/1", headers=headers).status_code == 401  # live token
    client.post("/admin/users/syn-nurse", data={"csrf_token": token, "action": "enable"})
    assert client.get("/api/patients/1", headers=headers).status_code == 200
    audit = client.get("/api/audit", headers=bearer(client, "admin")).json()
    assert sum(1 for r in audit if r["entity"] == "user" and r["action"] == "update") >= 3


def test_last_active_administrator_cannot_be_disabled_or_demoted(client: TestClient) -> None:
    token = _admin_page(client)
    disabled = client.post("/admin/users/admin", data={"csrf_token": token,
                                                      "action": "disable"})
    assert disabled.status_code == 409 and "last active administrator" in disabled.text
    demoted = client.post("/admin/users/admin", data={"csrf_token": token, "action": "set-role",
                                                     "role": "clinician"})
    assert demoted.status_code == 409
    assert client.get("/api/audit", headers=bearer(client, "admin")).status_code == 200

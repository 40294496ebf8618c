"""Role x route matrix: every API route and page goes through the one policy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORDS, bearer

VISIT = {"date": "2026-10-01", "physician_global": 3.0, "confirm": True}
PATIENT = {"pseudonym": "SYN-MATRIX", "profile": {"classification": {"age_at_onset": 40}}}

# (method, path, body, expected status per role: admin, clinician, researcher)
API = [
    ("GET", "/api/patients", None, (200, 200, 200)),
    ("POST", "/api/patients", PATIENT, (201, 201, 403)),
    ("GET", "/api/patients/1", None, (200, 200, 200)),
    ("GET", "/api/patients/1/visits", None, (200, 200, 200)),
    ("POST", "/api/patients/1/visits", VISIT, (201, 201, 403)),
    ("GET", "/api/patients/1/plan", None, (200, 200, 200)),
    ("GET", "/api/patients/1/response", None, (200, 200, 200)),
    ("POST", "/api/patients/1/plan/snapshots", None, (201, 201, 403)),
    ("GET", "/api/patients/1/plan/snapshots", None, (200, 200, 200)),
    ("GET", "/api/audit", None, (200, 403, 403)),
    ("GET", "/api/patients/1/course", None, (200, 200, 200)),
    ("GET", "/api/patients/1/entries/treatments", None, (200, 200, 200)),
    ("POST", "/api/patients/1/entries/vaccinations", {"vaccine": "influenza",
                                                      "date": "2026-10-01"}, (201, 201, 403)),
    ("POST", "/api/patients/1/antibody-panel", {"date": "2026-10-01",
                                                "results": {"jo1": "negative"}},
     (201, 201, 403)),
    ("GET", "/api/patients/1/flags", None, (200, 200, 200)),
    ("POST", "/api/patients/1/flags/999999", {"action": "acknowledge", "version": 1},
     (404, 404, 403)),
    ("DELETE", "/api/patients/1/entries/vaccinations/999999", None, (404, 404, 403)),
    ("GET", "/api/worklist", None, (200, 200, 200)),
    ("GET", "/api/evidence/search?q=myositis", None, (200, 200, 200)),
    ("GET", "/api/evidence/review", None, (200, 403, 403)),
    ("GET", "/api/patients/1/trials", None, (200, 200, 200)),
    ("DELETE", "/api/patients/2", None, (204, 204, 403)),
]
ROLES = ("admin", "clinician", "researcher")


@pytest.mark.parametrize(("method", "path", "body", "expected"), API)
def test_api_matrix(client: TestClient, method: str, path: str, body: object,
                    expected: tuple[int, int, int]) -> None:
    for role, status in zip(ROLES, expected, strict=True):
        doc = dict(body, pseudonym=f"SYN-M-{role}") if body is PATIENT else body  # type: ignore[call-overload]
        response = client.request(method, path, json=doc, headers=bearer(client, role))
        if method == "DELETE" and status == 204 and role == "clinician":
            status = 404  # already deleted by the admin in this loop
        assert response.status_code == status, (role, method, path, response.text)
        assert client.request(method, path, json=doc).status_code == 401


PAGES = [
    ("/patients", (200, 200, 200)),
    ("/patients/1", (200, 200, 200)),
    ("/patients/1/plan", (200, 200, 200)),
    ("/patients/1/letter", (200, 200, 200)),
    ("/patients/1/export.csv", (200, 200, 200)),
    ("/patients/1/export.json", (200, 200, 200)),
    ("/patients/new", (200, 200, 403)),
    ("/patients/1/visits/new", (200, 200, 403)),
    ("/audit", (200, 403, 403)),
    ("/worklist", (200, 200, 200)),
    ("/worklist.csv", (200, 200, 200)),
    ("/admin/users", (200, 403, 403)),
    ("/clinic/sessions", (200, 200, 403)),
    ("/evidence?q=myositis", (200, 200, 200)),
    ("/evidence/review", (200, 403, 403)),
    ("/patients/1/edit", (200, 200, 403)),
    ("/patients/1/visits/1/edit", (200, 200, 403)),
    ("/patients/1/visits/1/delete", (200, 200, 403)),
    ("/patients/1/delete", (200, 200, 403)),
    ("/patients/1/entries/vaccinations/999999/delete", (404, 404, 403)),
]


def login(client: TestClient, role: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"username": role, "password": PASSWORDS[role]},
                           follow_redirects=False)
    assert response.status_code == 303


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_page_matrix(client: TestClient, path: str, expected: tuple[int, int, int]) -> None:
    client.cookies.clear()
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login"
    for role, status in zip(ROLES, expected, strict=True):
        login(client, role)
        assert client.get(path).status_code == status, (role, path)


def test_researcher_pages_hide_identity(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = client.post("/api/patients", headers=headers, json={
        **PATIENT, "identity": {"full_name": "Synthetic Identified Name"}}).json()["id"]
    login(client, "clinician")
    assert "Synthetic Identified Name" in client.get(f"/patients/{pid}").text
    login(client, "researcher")
    assert "Synthetic Identified Name" not in client.get(f"/patients/{pid}").text
    assert "Synthetic Identified Name" not in client.get(f"/patients/{pid}/export.json").text
    assert "Synthetic Identified Name" not in client.get(f"/patients/{pid}/letter").text


def test_a_patient_account_gets_not_found_on_every_clinic_route(client: TestClient) -> None:
    """The patient column of the matrix: every clinic API route and page answers 404 (no
    record's existence leaks), for the patient's own record id as for any other."""
    from tests.web.test_portal import patient_account

    headers = patient_account(client, patient_id=1, username="syn-matrix-patient")
    for method, path, body, _expected in API:
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.text)
    client.cookies.clear()
    client.post("/login", data={"username": "syn-matrix-patient",
                                "password": "synthetic-patient-pass"})
    for path, _expected in PAGES:
        assert client.get(path).status_code == 404, path
    assert client.get("/portal").status_code == 200
    for role in ROLES:
        login(client, role)
        assert client.get("/portal").status_code == 403

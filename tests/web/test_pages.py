"""Pages: login, CSRF, rate limiting, headers, visit entry with validation, exports."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from myositis.settings import Settings
from myositis.web import create_app
from tests.conftest import PASSWORDS, bearer


def login(client: TestClient, role: str = "clinician") -> str:
    response = client.post("/login", data={"username": role, "password": PASSWORDS[role]},
                           follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/patients/1/visits/new").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_wrong_password_and_rate_limit(client: TestClient) -> None:
    for _ in range(5):
        bad = client.post("/login", data={"username": "clinician", "password": "wrong"})
        assert bad.status_code == 401
    limited = client.post("/login", data={"username": "clinician",
                                          "password": PASSWORDS["clinician"]})
    assert limited.status_code == 429
    api = client.post("/api/auth/token", data={"username": "clinician", "password": "x"})
    assert api.status_code == 429


def test_visit_form_requires_csrf(client: TestClient) -> None:
    login(client)
    forged = client.post("/patients/1/visits/new", data={"date": "2026-10-01",
                                                         "physician_global": "3"})
    assert forged.status_code == 403


def test_save_care_plan_snapshot_from_the_patient_page(client: TestClient) -> None:
    token = login(client)
    page = client.get("/patients/1").text
    assert "Save today's care plan" in page and "No saved care plans yet." in page
    assert client.post("/patients/1/plan/snapshots", data={}).status_code == 403  # no CSRF
    saved = client.post("/patients/1/plan/snapshots", data={"csrf_token": token},
                        follow_redirects=False)
    assert saved.status_code == 303
    snapshot = client.get(saved.headers["location"])
    assert snapshot.status_code == 200 and "Saved snapshot #" in snapshot.text
    assert "Decision support" in snapshot.text or "does not prescribe" in snapshot.text
    assert "Snapshot #" in client.get("/patients/1").text


def test_add_visit_through_the_form(client: TestClient) -> None:
    token = login(client)
    check = client.post("/patients/1/visits/validate",
                        data={"csrf_token": token, "date": "2026-10-01",
                              "physician_global": "12"})
    assert "physician global" in check.text and "less than or equal to 10" in check.text
    bad = client.post("/patients/1/visits/new", data={"csrf_token": token, "date": "2026-10-01",
                                                      "mmt8": "95"})
    assert bad.status_code == 422 and "mmt8" in bad.text
    ok = client.post("/patients/1/visits/new", follow_redirects=False, data={
        "csrf_token": token, "date": "2026-10-01", "physician_global": "2", "patient_global": "2",
        "extramuscular_global": "1", "mmt8": "75", "haq": "0.25", "ck": "180", "ck_uln": "200"})
    assert ok.status_code == 303
    page = client.get("/patients/1").text
    assert "2026-10-01" in page and 'id="since-last-visit"' in page and "<svg" in page


def test_add_patient_form(client: TestClient) -> None:
    token = login(client)
    response = client.post("/patients/new", follow_redirects=False, data={
        "csrf_token": token, "pseudonym": "SYN-FORM-1", "sex": "female", "age_at_onset": "45",
        "heliotrope_rash": "on", "gottron_papules": "on", "proximal_upper": "on",
        "elevated_muscle_enzymes": "on", "antibody": "tif1g"})
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "SYN-FORM-1" in page and "DM" in page
    bad = client.post("/patients/new", data={"csrf_token": token, "pseudonym": "SYN-FORM-2",
                                              "age_at_onset": "300"})
    assert bad.status_code == 422 and "age_at_onset" in bad.text


def test_search_and_exports(client: TestClient) -> None:
    login(client)
    rows = client.get("/patients", params={"q": "SYN-002"}, headers={"HX-Request": "true"})
    assert "SYN-002" in rows.text and "SYN-001" not in rows.text and "<html" not in rows.text
    csv_text = client.get("/patients/1/export.csv").text
    assert csv_text.splitlines()[0].startswith("pseudonym,date,physician_global")
    assert client.get("/patients/1/export.json").json()["patient"]["pseudonym"] == "SYN-001"
    assert "does not prescribe" in client.get("/patients/1/plan").text
    assert "Myositis clinic letter" in client.get("/patients/1/letter").text


def test_logout_needs_csrf(client: TestClient) -> None:
    token = login(client)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303


def test_rate_limit_is_shared_by_worker_processes(client: TestClient, settings: Settings,
                                                   engine: Engine) -> None:
    # A second app over the same database stands in for a second worker process.
    for _ in range(3):
        client.post("/login", data={"username": "clinician", "password": "wrong"})
    with TestClient(create_app(settings, engine=engine)) as other_worker:
        for _ in range(2):
            other_worker.post("/login", data={"username": "clinician", "password": "wrong"})
        assert other_worker.post("/login", data={
            "username": "clinician", "password": PASSWORDS["clinician"]}).status_code == 429
    assert client.post("/login", data={
        "username": "clinician", "password": PASSWORDS["clinician"]}).status_code == 429
    # Another user from the same client is not locked out.
    assert client.post("/login", data={"username": "admin", "password": PASSWORDS["admin"]},
                       follow_redirects=False).status_code == 303


def test_unrecorded_measures_are_not_shown_as_none(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = client.post("/api/patients", headers=headers, json={
        "pseudonym": "SYN-SPARSE", "profile": {"classification": {"age_at_onset": 40}}}).json()["id"]
    client.post(f"/api/patients/{pid}/visits", headers=headers,
                json={"date": "2026-10-01", "physician_global": 3.0})
    login(client)
    page = client.get(f"/patients/{pid}").text
    assert "None" not in page, page[max(0, page.find("None") - 300):page.find("None") + 50]
    assert "<td>–</td>" in page
    letter = client.get(f"/patients/{pid}/letter").text
    assert "physician global 3 cm." in letter and "HAQ-DI" not in letter


def test_cdasi_items_on_the_visit_form_compute_the_totals(client: TestClient) -> None:
    token = login(client)
    form = {"csrf_token": token, "date": "2026-10-02", "physician_global": "2",
            "cdasi_malar_area_erythema": "2", "cdasi_malar_area_scale": "1",
            "cdasi_scalp_erythema": "1", "cdasi_scalp_poikiloderma": "1",
            "cdasi_gottron_erythema": "2", "cdasi_gottron_papules": "on",
            "cdasi_periungual": "1", "confirm": "on"}
    saved = client.post("/patients/1/visits/new", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    visits = client.get("/api/patients/1/visits",
                        headers=bearer(client, "clinician")).json()
    visit = next(v for v in visits if v["date"] == "2026-10-02")
    # activity: malar 2+1, scalp 1, Gottron 2x2, periungual 1 = 9; damage: poikiloderma 1
    assert visit["cdasi_activity"] == 9 and visit["cdasi_damage"] == 1
    edit = client.get(f"/patients/1/visits/{visit['id']}/edit")
    assert 'name="cdasi_malar_area_erythema" aria-label="malar area: erythema" value="2"' \
        in edit.text
    bad = client.post("/patients/1/visits/new", data={**form, "date": "2026-10-03",
                                                      "cdasi_scalp_erythema": "7"})
    assert bad.status_code == 422


def test_patient_page_lists_pressing_plan_lines_before_routine_ones(client: TestClient) -> None:
    login(client)
    page = client.get("/patients/1").text
    pressing = page.split('id="plan-do-now"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>routine</strong>" not in pressing
    assert page.index('id="plan-do-now"') < page.index('id="plan-routine"')
    assert "Also due (routine" in page

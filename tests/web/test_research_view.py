"""No exact date reaches a researcher on any channel (issue 13, section 4)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from myositis.web.research_view import to_month
from tests.conftest import PASSWORDS, bearer
from tests.web.test_policy_matrix import API, PAGES

FULL_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
EXTRA_PAGES = ["/patients/1/plan", "/patients/1/visits", "/patients/1/course"]


def test_no_exact_date_in_any_researcher_response(client: TestClient) -> None:
    headers = bearer(client, "researcher")
    api_paths = [path for method, path, _, expected in API
                 if method == "GET" and expected[2] == 200]
    for path in api_paths:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert not FULL_DATE.search(response.text), (path, FULL_DATE.search(response.text))
    client.post("/login", data={"username": "researcher", "password": PASSWORDS["researcher"]})
    pages = [path for path, expected in PAGES if expected[2] == 200] + EXTRA_PAGES
    for path in pages:
        response = client.get(path)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, path
        assert not FULL_DATE.search(response.text), (path, FULL_DATE.search(response.text))
    page = client.get("/patients/1/letter").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    pdf = client.post("/patients/1/letter", data={"csrf_token": token.group(1), "format": "pdf"})
    assert pdf.status_code == 403  # a PDF cannot be rewritten: refused to researchers


def test_clinicians_still_see_exact_dates(client: TestClient) -> None:
    visits = client.get("/api/patients/1/visits", headers=bearer(client, "clinician")).json()
    assert FULL_DATE.fullmatch(visits[0]["date"])


def test_month_precision_keeps_year_and_month() -> None:
    assert to_month(b'{"date": "2026-10-01", "at": "2026-10-01T08:30:00Z"}') == \
        b'{"date": "2026-10", "at": "2026-10"}'
    assert to_month(b"saved 2026-10-01 08:30 UTC") == b"saved 2026-10"

"""Evidence search, the review queue and the trial panel in the clinic app (SYNTHETIC records,
SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from myositis.db.engine import session_factory
from myositis.literature.importer import import_files
from tests.conftest import bearer
from tests.web.test_pages import login

FIXTURES = Path(__file__).parents[1] / "literature" / "fixtures"


def _load(engine: Engine) -> None:
    import_files(session_factory(engine), [FIXTURES / "pubmed.xml", FIXTURES / "ctgov.json"])


def test_search_api_and_page(client: TestClient, engine: Engine) -> None:
    _load(engine)
    hits = client.get("/api/evidence/search", params={"q": "dermatomyositis"},
                      headers=bearer(client, "researcher")).json()
    keys = [h["key"] for h in hits]
    assert "PMID:99000001" in keys and hits[0]["rank"] >= hits[-1]["rank"]
    rct = client.get("/api/evidence/search", params={"q": "dermatomyositis",
                                                     "evidence_type": "rct_phase3"},
                     headers=bearer(client, "clinician")).json()
    assert {h["level"] for h in rct} == {"high"}
    ibm = client.get("/api/evidence/search", params={"q": "myositis", "tag": "subgroup:ibm"},
                     headers=bearer(client, "clinician")).json()
    assert {h["key"] for h in ibm} == {"PMID:99000004", "NCT09990002"}
    assert client.get("/api/evidence/search", params={"q": "x", "tag": "drop table"},
                      headers=bearer(client, "clinician")).status_code == 422
    login(client)
    page = client.get("/evidence", params={"q": "calcinosis"}).text
    assert "PMID:99000002" in page and "retracted" in page
    mda5 = client.get("/evidence", params={"q": "dermatomyositis", "tag": "antibody:mda5"}).text
    assert "PMID:99000001" in mda5 and "NCT09990002" not in mda5


def test_review_queue_is_for_administrators(client: TestClient, engine: Engine) -> None:
    _load(engine)
    assert client.get("/api/evidence/review", headers=bearer(client, "clinician")
                      ).status_code == 403
    queue = client.get("/api/evidence/review", params={"since": "2025-01-01"},
                       headers=bearer(client, "admin")).json()
    dazukibart = next(e for e in queue if e["entry"] == "dazukibart")
    assert dazukibart["review_due"]
    assert "PF-06823859" in {i["matched"] for i in dazukibart["items"]}


def test_trial_panel_on_the_patient_page(client: TestClient, engine: Engine) -> None:
    _load(engine)
    headers = bearer(client, "clinician")
    pid = client.post("/api/patients", headers=headers, json={
        "pseudonym": "SYN-TRIALS", "sex": "male", "profile": {"classification": {
            "age_at_onset": 60, "weakness": {"proximal_upper": True},
            "skin": {"heliotrope_rash": True, "gottron_papules": True},
            "elevated_muscle_enzymes": True}}}).json()["id"]
    matches = client.get(f"/api/patients/{pid}/trials", headers=headers).json()
    assert [m["key"] for m in matches] == ["NCT09990001"]
    login(client)
    panel = client.get(f"/patients/{pid}").text.split('id="trial-panel"')[1]
    assert "NCT09990001" in panel.split("</ul>")[0] and "NCT09990002" not in panel[:2000]
    # and in the printable care plan
    plan = client.get(f"/patients/{pid}/plan").text
    section = plan.split("Open trials that may fit</h2>")[1].split("<h2>Detail")[0]
    assert "NCT09990001" in section and "NCT09990002" not in section

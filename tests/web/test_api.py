"""REST API against SQLite and PostgreSQL: auth, records, validation, conflicts, audit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from myositis.db import models
from tests.conftest import bearer

NEW_PATIENT: dict[str, Any] = {
    "pseudonym": "SYN-NEW-1", "sex": "female", "symptom_onset": "2025-01-10",
    "profile": {"classification": {"age_at_onset": 52,
                                   "weakness": {"proximal_upper": True, "proximal_lower": True},
                                   "skin": {"heliotrope_rash": True, "gottron_papules": True},
                                   "elevated_muscle_enzymes": True}},
    "identity": {"full_name": "Synthetic Person", "record_number": "SYN-MRN-1"},
}
VISIT = {"date": "2025-03-01", "physician_global": 6.0, "patient_global": 7.0,
         "extramuscular_global": 3.0, "mmt8": 60, "haq": 1.5,
         "labs": {"enzymes": {"ck": {"value": 3000, "uln": 200}}}}
FOLLOW = {**VISIT, "date": "2025-09-01", "physician_global": 4.0, "patient_global": 5.0,
          "extramuscular_global": 2.0, "mmt8": 66, "haq": 1.125,
          "labs": {"enzymes": {"ck": {"value": 1200, "uln": 200}}}}


def audit_rows(engine: Engine) -> list[Any]:
    table = models.Base.metadata.tables["audit_log"]
    with engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def test_token_and_bad_credentials(client: TestClient) -> None:
    assert bearer(client, "clinician")
    bad = client.post("/api/auth/token", data={"username": "clinician", "password": "nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "not_authenticated"
    assert client.get("/api/patients").status_code == 401
    assert client.get("/api/patients", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_create_patient_visits_response_plan(client: TestClient, engine: Engine) -> None:
    headers = bearer(client, "clinician")
    created = client.post("/api/patients", json=NEW_PATIENT, headers=headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    assert created.json()["version"] == 1
    assert client.post(f"/api/patients/{pid}/visits", json=VISIT, headers=headers).status_code == 201
    assert client.post(f"/api/patients/{pid}/visits", json=FOLLOW, headers=headers).status_code == 201
    visits = client.get(f"/api/patients/{pid}/visits", headers=headers).json()
    assert [v["date"] for v in visits] == ["2025-03-01", "2025-09-01"]
    response = client.get(f"/api/patients/{pid}/response", headers=headers).json()
    assert response[0]["total_improvement_score"] == 50
    assert response[0]["category"] == "moderate"
    plan = client.get(f"/api/patients/{pid}/plan", headers=headers).json()
    assert plan["classification"]["subgroup"] == "DM"
    assert plan["options"] and all(o["citations"] for o in plan["options"])
    rows = audit_rows(engine)
    creates = [r for r in rows if r.action == "create" and r.entity in ("patient", "visit")
               and r.username == "clinician"]
    assert len(creates) == 3
    assert creates[0].after["pseudonym"] == "SYN-NEW-1"


def test_bad_input_is_422_names_field_and_changes_nothing(client: TestClient,
                                                          engine: Engine) -> None:
    headers = bearer(client, "clinician")
    before = len(audit_rows(engine))
    bad = client.post("/api/patients/1/visits", headers=headers,
                      json={**VISIT, "physician_global": 12, "haq": 4})
    assert bad.status_code == 422
    fields = {f["field"] for f in bad.json()["error"]["fields"]}
    assert {"physician_global", "haq"} <= fields
    early = client.post("/api/patients/1/visits", headers=headers,
                        json={**VISIT, "date": "1990-01-01"})
    assert early.status_code == 422
    assert early.json()["error"]["fields"][0]["field"] == "date"
    assert len(audit_rows(engine)) == before
    negative_ck = client.post("/api/patients/1/visits", headers=headers, json={
        **VISIT, "labs": {"enzymes": {"ck": {"value": -1, "uln": 200}}}})
    assert negative_ck.status_code == 422


def test_missing_patient_is_404(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    missing = client.get("/api/patients/99999", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "patient 99999 not found"}}
    assert client.get("/api/patients/1/visits/5", headers=headers).status_code in (404, 405)


def test_stale_version_is_409_and_not_overwritten(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    patient = client.get("/api/patients/1", headers=headers).json()
    first = {**patient, "sex": "male"}
    second = {**patient, "sex": "other"}
    for doc in (first, second):
        doc.pop("id")
    ok = client.put("/api/patients/1", json=first, headers=headers)
    assert ok.status_code == 200 and ok.json()["version"] == patient["version"] + 1
    stale = client.put("/api/patients/1", json=second, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert client.get("/api/patients/1", headers=headers).json()["sex"] == "male"


def test_visit_update_and_delete_are_audited(client: TestClient, engine: Engine) -> None:
    headers = bearer(client, "clinician")
    visit = client.get("/api/patients/1/visits", headers=headers).json()[0]
    doc = {k: v for k, v in visit.items() if k not in ("id", "patient_id")}
    doc["physician_global"] = 1.0
    updated = client.put(f"/api/patients/1/visits/{visit['id']}", json=doc, headers=headers)
    assert updated.status_code == 200
    stale = client.put(f"/api/patients/1/visits/{visit['id']}", json=doc, headers=headers)
    assert stale.status_code == 409
    assert client.delete(f"/api/patients/1/visits/{visit['id']}",
                         headers=headers).status_code == 204
    rows = [r for r in audit_rows(engine) if r.entity == "visit" and r.entity_id == visit["id"]]
    assert [r.action for r in rows][-2:] == ["update", "delete"]
    update = rows[-2]
    assert update.before["physician_global"] != 1.0 and update.after["physician_global"] == 1.0
    assert rows[-1].after is None


def test_care_plan_snapshots_are_kept_verbatim_and_audited(client: TestClient,
                                                           engine: Engine) -> None:
    headers = bearer(client, "clinician")
    assert client.get("/api/patients/1/plan/snapshots", headers=headers).json() == []
    live = client.get("/api/patients/1/plan", headers=headers).json()
    saved = client.post("/api/patients/1/plan/snapshots", headers=headers)
    assert saved.status_code == 201
    meta = saved.json()
    assert meta["created_by"] == "clinician" and meta["created_at"].endswith(("Z", "+00:00"))
    # A later visit changes the live plan's inputs, never the stored snapshot.
    assert client.post("/api/patients/1/visits", json={
        "date": "2026-10-01", "physician_global": 9.0}, headers=headers).status_code == 201
    stored = client.get(f"/api/patients/1/plan/snapshots/{meta['id']}", headers=headers).json()
    assert stored["plan"] == live
    listed = client.get("/api/patients/1/plan/snapshots", headers=bearer(client, "researcher"))
    assert [s["id"] for s in listed.json()] == [meta["id"]]
    assert client.get(f"/api/patients/2/plan/snapshots/{meta['id']}",
                      headers=headers).status_code == 404
    assert client.post("/api/patients/999999/plan/snapshots", headers=headers).status_code == 404
    row = [r for r in audit_rows(engine) if r.entity == "care_plan"][-1]
    assert (row.action, row.username, row.entity_id) == ("create", "clinician", meta["id"])
    assert row.after["patient_id"] == 1


def test_duplicate_pseudonym_is_409(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    assert client.post("/api/patients", json=NEW_PATIENT, headers=headers).status_code == 201
    assert client.post("/api/patients", json=NEW_PATIENT, headers=headers).status_code == 409


def test_researcher_sees_pseudonymised_data_only(client: TestClient) -> None:
    clinician = bearer(client, "clinician")
    pid = client.post("/api/patients", json=NEW_PATIENT, headers=clinician).json()["id"]
    assert client.get(f"/api/patients/{pid}", headers=clinician).json()["identity"]
    researcher = bearer(client, "researcher")
    seen = client.get(f"/api/patients/{pid}", headers=researcher).json()
    assert seen["identity"] is None
    assert seen["pseudonym"] == "SYN-NEW-1"


def test_audit_log_is_append_only(client: TestClient, engine: Engine) -> None:
    headers = bearer(client, "admin")
    log = client.get("/api/audit", headers=headers)
    assert log.status_code == 200 and log.json()
    for statement in ("update audit_log set username = 'x'", "delete from audit_log"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))
    assert len(audit_rows(engine)) == len(log.json())


def test_server_errors_do_not_leak(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = bearer(client, "clinician")
    from myositis.services import clinic

    def boom(*_: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(clinic, "response_series", boom)
    local = TestClient(client.app, raise_server_exceptions=False)
    response = local.get("/api/patients/1/response", headers=headers)
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "server_error",
                                         "message": "internal server error"}}
    assert "passwd" not in response.text


def test_openapi_lists_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/auth/token", "/api/patients", "/api/patients/{patient_id}",
                 "/api/patients/{patient_id}/visits", "/api/patients/{patient_id}/plan",
                 "/api/patients/{patient_id}/response", "/api/audit"):
        assert path in paths


def test_record_the_plan_would_refuse_is_refused_at_the_boundary(client: TestClient,
                                                                 engine: Engine) -> None:
    """H77: a male patient recorded as pregnant, or a future onset, is a 422 naming the
    fields; stored, it would have failed every worklist the patient appears in."""
    headers = bearer(client, "clinician")
    before = len(audit_rows(engine))
    body = {**NEW_PATIENT, "pseudonym": "SYN-BAD-1", "sex": "male", "symptom_onset": "2999-01-01",
            "profile": {**NEW_PATIENT["profile"],
                        "reproduction": {"pregnant": True, "breastfeeding": True}}}
    bad = client.post("/api/patients", headers=headers, json=body)
    assert bad.status_code == 422
    text = " ".join(f["message"] for f in bad.json()["error"]["fields"])
    assert "cannot be pregnant" in text and "breastfeeding" in text
    assert "symptom_onset: 2999-01-01 is after today" in text
    assert len(audit_rows(engine)) == before
    assert client.get("/api/worklist", headers=headers).status_code == 200

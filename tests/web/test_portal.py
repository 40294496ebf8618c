"""Patient portal: invitation to account, a patient reaches only their own record, the
pre-visit questionnaire is scored by the library and waits for a clinician, who accepts it into
a visit (both writes audited)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from myositis.db import models
from myositis.db.engine import session_factory
from tests.conftest import bearer

PASSWORD = "synthetic-patient-pass"
FULL_HAQ = {"categories": {
    "dressing": {"items": [1, 0]}, "arising": {"items": [2, 1]},
    "eating": {"items": [0, 0, 1]}, "walking": {"items": [1, 2]},
    "hygiene": {"items": [0, 1, 0], "aid_or_device": True}, "reach": {"items": [1, 1]},
    "grip": {"items": [0, 0, 0]}, "activities": {"items": [1, 1, 2]}}}


def invite(client: TestClient, patient_id: int = 1) -> str:
    response = client.post(f"/api/patients/{patient_id}/invitations",
                           headers=bearer(client, "clinician"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["link"].endswith(f"/invite/{body['code']}")
    return str(body["code"])


def patient_account(client: TestClient, patient_id: int = 1,
                    username: str = "syn-patient-1") -> dict[str, str]:
    code = invite(client, patient_id)
    assert client.get(f"/invite/{code}").status_code == 200
    created = client.post(f"/invite/{code}", data={
        "username": username, "password": PASSWORD, "password_again": PASSWORD},
        follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/portal"
    client.cookies.clear()
    token = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert token.status_code == 200
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_invitation_is_single_use_and_expires(client: TestClient, engine: Engine) -> None:
    code = invite(client)
    account = {"username": "syn-patient-x", "password": PASSWORD, "password_again": PASSWORD}
    assert client.post(f"/invite/{code}", data=account,
                       follow_redirects=False).status_code == 303
    client.cookies.clear()
    again = client.post(f"/invite/{code}", data={**account, "username": "syn-patient-y"})
    assert again.status_code == 422 and "not valid" in again.text
    assert client.get(f"/invite/{code}").status_code == 404
    late = invite(client)
    with session_factory(engine)() as session:
        session.execute(update(models.PortalInvitation).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
        session.commit()
    assert client.get(f"/invite/{late}").status_code == 404
    short = client.post(f"/invite/{invite(client)}", data={
        "username": "x", "password": "short", "password_again": "short"})
    assert short.status_code == 422
    assert "3-64 letters" in short.text and "at least 12 characters" in short.text


def test_a_patient_reaches_only_their_own_record(client: TestClient) -> None:
    headers = patient_account(client, patient_id=1)
    me = client.get("/api/portal/me", headers=headers)
    assert me.status_code == 200
    own = client.get("/api/patients/1", headers=bearer(client, "clinician")).json()
    assert me.json()["pseudonym"] == own["pseudonym"]
    assert "not replace" in me.json()["notice"]
    for path in ("/api/patients/1", "/api/patients/2", "/api/patients", "/api/worklist",
                 "/api/patients/1/plan", "/api/patients/2/visits", "/api/audit",
                 "/api/patients/1/reports"):
        assert client.get(path, headers=headers).status_code == 404, path
    assert client.post("/api/patients/2/invitations", headers=headers).status_code == 404
    staff = client.get("/api/portal/me", headers=bearer(client, "clinician"))
    assert staff.status_code == 403


def test_questionnaire_scored_then_accepted_into_a_visit(client: TestClient,
                                                         engine: Engine) -> None:
    headers = patient_account(client)
    sent = client.post("/api/portal/questionnaires", headers=headers, json={
        "haq": FULL_HAQ, "patient_global": 4.5, "pain": 3, "fatigue": 6,
        "concerns": "Stairs harder this week"})
    assert sent.status_code == 201, sent.text
    body = sent.json()
    # categories 1,2,1,2,2(aid),1,0,2 -> 11/8
    assert body["score"]["haq_di"] == 1.375
    assert body["report"]["status"] == "submitted"
    clinician = bearer(client, "clinician")
    listed = client.get("/api/patients/1/reports", headers=clinician).json()
    assert [r["id"] for r in listed] == [body["report"]["id"]]
    visit = client.get("/api/patients/1/visits", headers=clinician).json()[-1]
    accepted = client.post(f"/api/patients/1/reports/{body['report']['id']}/accept",
                           headers=clinician, json={"visit_id": visit["id"]})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    after = client.get("/api/patients/1/visits", headers=clinician).json()[-1]
    assert after["haq"] == 1.375 and after["patient_global"] == 4.5
    twice = client.post(f"/api/patients/1/reports/{body['report']['id']}/accept",
                        headers=clinician, json={"visit_id": visit["id"]})
    assert twice.status_code == 409
    with session_factory(engine)() as session:
        entities = [a.entity for a in session.scalars(select(models.AuditEntry))]
    assert {"portal_invitation", "patient_report", "visit"} <= set(entities)


def test_too_few_haq_groups_gives_no_score_and_says_why(client: TestClient) -> None:
    headers = patient_account(client)
    five = {"categories": {k: v for k, v in list(FULL_HAQ["categories"].items())[:5]}}
    sent = client.post("/api/portal/questionnaires", headers=headers, json={"haq": five})
    assert sent.status_code == 201
    score: dict[str, Any] = sent.json()["score"]
    assert score["haq_di"] is None and "needs at least 6" in score["haq_note"]
    empty = client.post("/api/portal/questionnaires", headers=headers, json={})
    assert empty.status_code == 422
    bad = client.post("/api/portal/questionnaires", headers=headers,
                      json={"pain": 11, "fatigue": True})
    fields = {f["field"] for f in bad.json()["error"]["fields"]}
    assert {"pain", "fatigue"} <= fields


def test_portal_pages_on_a_phone_session(client: TestClient) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-phone", "password": PASSWORD,
                                         "password_again": PASSWORD})
    home = client.get("/portal")
    assert home.status_code == 200 and "My record" in home.text
    assert "does not replace your clinic" in home.text
    form = client.get("/portal/questionnaire")
    assert "Dress yourself, including tying shoelaces" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    answers = {"csrf_token": csrf.group(1), "patient_global": "3,5", "concerns": "tired"}
    for name, cat in FULL_HAQ["categories"].items():
        for i, value in enumerate(cat["items"]):
            answers[f"haq.{name}.{i}"] = str(value)
    answers["haq.hygiene.aid"] = "on"
    done = client.post("/portal/questionnaire", data=answers)
    assert done.status_code == 200 and "1.375" in done.text
    bad = client.post("/portal/questionnaire", data={"csrf_token": csrf.group(1),
                                                      "pain": "12"})
    assert bad.status_code == 422 and "pain" in bad.text
    exported = client.get("/portal/export.json")
    assert exported.json()["record"]["reports"][0]["patient_global"] == 3.5
    page = client.get("/portal/education/medicine_methotrexate")
    assert page.status_code == 200 and "once a week" in page.text
    assert client.get("/patients").status_code == 404


def test_staff_cannot_make_or_become_patient_accounts(client: TestClient) -> None:
    from myositis.db.repository import Repository
    from myositis.errors import InputError

    patient_account(client, username="syn-role")
    engine = client.app.state.myositis.sessions  # type: ignore[attr-defined]
    with engine() as session:
        repo = Repository(session, actor="test")
        for change in (lambda: repo.add_user("p2", "x", "patient"),
                       lambda: repo.set_user("syn-role", role="clinician"),
                       lambda: repo.set_user("clinician", role="patient")):
            try:
                change()
            except InputError as exc:
                assert "invitation" in str(exc) or "patient" in str(exc)
            else:
                raise AssertionError("role change allowed")


def test_the_clinician_invites_and_accepts_from_the_record_page(client: TestClient) -> None:
    headers = patient_account(client, username="syn-page-patient")
    client.post("/api/portal/questionnaires", headers=headers,
                json={"haq": FULL_HAQ, "patient_global": 2.5})
    client.cookies.clear()
    from tests.conftest import PASSWORDS

    client.post("/login", data={"username": "clinician", "password": PASSWORDS["clinician"]})
    page = client.get("/patients/1")
    assert 'id="portal-reports"' in page.text and "1.375" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    invited = client.post("/patients/1/portal/invite", data={"csrf_token": csrf.group(1)})
    assert invited.status_code == 200 and "shown once" in invited.text
    report = re.search(r"/patients/1/portal/reports/(\d+)/accept", page.text)
    visit = re.search(r'<option value="(\d+)">', page.text)
    assert report is not None and visit is not None
    done = client.post(f"/patients/1/portal/reports/{report.group(1)}/accept",
                       data={"csrf_token": csrf.group(1), "visit_id": visit.group(1)},
                       follow_redirects=False)
    assert done.status_code == 303
    after = client.get("/patients/1")
    assert "accepted by clinician" in after.text


def test_a_warning_symptom_alerts_the_patient_and_flags_the_clinic(client: TestClient) -> None:
    headers = patient_account(client, username="syn-warning")
    sent = client.post("/api/portal/questionnaires", headers=headers,
                       json={"warning_symptoms": ["swallowing"]})
    assert sent.status_code == 201
    clinician = bearer(client, "clinician")
    flags = client.get("/api/patients/1/flags", headers=clinician).json()
    warning = next(f for f in flags if f["code"] == "patient_reported_warning")
    assert warning["urgency"] == "urgent" and "trouble swallowing" in warning["text"]
    worklist = client.get("/api/worklist", headers=clinician).json()
    assert any("patient_reported_warning" in row["flags"] for row in worklist)
    report = sent.json()["report"]["id"]
    client.post(f"/api/patients/1/reports/{report}/decline", headers=clinician)
    flags = client.get("/api/patients/1/flags", headers=clinician).json()
    assert all(f["code"] != "patient_reported_warning" or f["state"] == "resolved"
               for f in flags)
    bad = client.post("/api/portal/questionnaires", headers=headers,
                      json={"warning_symptoms": ["headache"]})
    assert bad.status_code == 422


def test_the_phone_form_takes_warning_symptoms_and_tells_the_patient_what_to_do(
        client: TestClient) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-phone-warn", "password": PASSWORD,
                                         "password_again": PASSWORD})
    form = client.get("/portal/questionnaire")
    assert 'value="breathing"' in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    done = client.post("/portal/questionnaire", data={"csrf_token": csrf.group(1),
                                                      "warning_symptoms": "breathing"})
    assert done.status_code == 200
    assert "call emergency services now" in done.text and 'role="alert"' in done.text


def test_a_negative_retest_is_not_shown_to_the_patient_as_positive(client: TestClient) -> None:
    headers = patient_account(client, username="syn-retest")
    clinician = bearer(client, "clinician")
    for result, date in (("positive", "2025-01-10"), ("negative", "2026-01-10")):
        added = client.post("/api/patients/1/entries/antibody_results", headers=clinician,
                            json={"antibody": "ro52", "result": result, "date": date,
                                  "method": "line_blot"})
        assert added.status_code == 201, added.text
    names = [a["name"] for a in client.get("/api/portal/me", headers=headers).json()
             ["antibodies"]]
    assert not any("Ro52" in n for n in names)


def test_exercise_programme_set_by_the_clinic_logged_by_the_patient(client: TestClient,
                                                                    engine: Engine) -> None:
    headers = patient_account(client, username="syn-exercise")
    clinician = bearer(client, "clinician")
    none_yet = client.get("/api/portal/exercise", headers=headers).json()
    assert none_yet["programme"] is None
    today = dt.date.today().isoformat()
    refused = client.post("/api/portal/exercise/logs", headers=headers,
                          json={"date": today, "minutes": 20, "effort": 3})
    assert refused.status_code == 409 and "clinic sets" in refused.text
    bad = client.put("/api/patients/1/exercise", headers=clinician,
                     json={"programme_id": "marathon"})
    assert bad.status_code == 422 and "active_phase" in bad.text
    set_ = client.put("/api/patients/1/exercise", headers=clinician,
                      json={"programme_id": "active_phase", "note": "no weights on the left"})
    assert set_.status_code == 200
    assert client.put("/api/patients/1/exercise", headers=headers,
                      json={"programme_id": "stable_phase"}).status_code == 404
    view = client.get("/api/portal/exercise", headers=headers).json()
    assert view["programme"]["id"] == "active_phase" and view["plan"]["note"]
    wrong = client.post("/api/portal/exercise/logs", headers=headers, json={
        "date": today, "minutes": 0, "effort": "3", "exercises_done": ["walk"]})
    assert wrong.status_code == 422 and "minutes" in wrong.text and "effort" in wrong.text
    other = client.post("/api/portal/exercise/logs", headers=headers, json={
        "date": today, "minutes": 20, "effort": 3, "exercises_done": ["step_up"]})
    assert other.status_code == 422 and "step_up" in other.text
    done = client.post("/api/portal/exercise/logs", headers=headers, json={
        "date": today, "minutes": 30, "effort": 3, "exercises_done": ["walk", "bridge"]})
    assert done.status_code == 201
    seen = client.get("/api/patients/1/exercise", headers=clinician).json()
    assert seen["adherence"]["sessions"] == 1 and seen["adherence"]["planned"] >= 1
    # a warning symptom during exercise reaches the clinic as an urgent flag
    warned = client.post("/api/portal/exercise/logs", headers=headers, json={
        "date": today, "minutes": 10, "effort": 6, "stop_sign": True,
        "warning_symptoms": ["breathing"], "note": "short of breath on the stairs"})
    assert warned.status_code == 201
    flags = client.get("/api/patients/1/flags", headers=clinician).json()
    assert any(f["code"] == "patient_reported_warning" and f["urgency"] == "urgent"
               for f in flags)
    reports = client.get("/api/patients/1/reports", headers=clinician).json()
    assert "exercise session" in reports[0]["concerns"]
    with session_factory(engine)() as session:
        audited = {e.entity for e in session.scalars(select(models.AuditEntry))}
    assert {"exercise_plan", "exercise_log"} <= audited


def test_exercise_pages_for_the_patient_and_the_clinic(client: TestClient) -> None:
    from tests.conftest import PASSWORDS

    client.post("/login", data={"username": "clinician", "password": PASSWORDS["clinician"]})
    page = client.get("/patients/1")
    assert 'id="exercise"' in page.text and "No exercise programme is set" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    set_ = client.post("/patients/1/exercise", data={
        "csrf_token": csrf.group(1), "programme_id": "after_flare", "note": "gently"},
        follow_redirects=False)
    assert set_.status_code == 303
    assert "Getting going again after a flare" in client.get("/patients/1").text
    client.cookies.clear()
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-ex-phone", "password": PASSWORD,
                                         "password_again": PASSWORD})
    assert "/portal/exercise" in client.get("/portal").text
    form = client.get("/portal/exercise")
    assert form.status_code == 200 and "Stop and call your clinic" in form.text
    assert "gently" in form.text and "Alexanderson" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    today = dt.date.today().isoformat()
    bad = client.post("/portal/exercise", data={"csrf_token": csrf.group(1), "date": today,
                                                "minutes": "lots", "effort": "12"})
    assert bad.status_code == 422 and "minutes" in bad.text and "effort" in bad.text
    ok = client.post("/portal/exercise", data={"csrf_token": csrf.group(1), "date": today,
                                               "minutes": "15", "effort": "2",
                                               "exercises_done": "walk"})
    assert ok.status_code == 200 and "Session saved" in ok.text and 'role="alert"' not in ok.text
    stop = client.post("/portal/exercise", data={"csrf_token": csrf.group(1), "date": today,
                                                 "minutes": "5", "effort": "7",
                                                 "stop_sign": "on"})
    assert stop.status_code == 200 and "Stop exercising and contact your clinic" in stop.text


def test_diary_over_time_with_warning_symptoms_reaching_the_clinic(client: TestClient) -> None:
    headers = patient_account(client, username="syn-diary")
    clinician = bearer(client, "clinician")
    today = dt.date.today()
    for days, weakness in ((40, 2), (35, 3), (3, 6), (1, 7)):
        sent = client.post("/api/portal/diary", headers=headers, json={
            "date": (today - dt.timedelta(days=days)).isoformat() if days <= 30 else
            today.isoformat(), "weakness": weakness})
        assert sent.status_code == 201, sent.text
    empty = client.post("/api/portal/diary", headers=headers, json={"date": today.isoformat()})
    assert empty.status_code == 422 and "at least one" in empty.text
    bad = client.post("/api/portal/diary", headers=headers, json={
        "date": (today + dt.timedelta(days=1)).isoformat(), "weakness": True, "rash": 11})
    assert bad.status_code == 422
    assert all(word in bad.text for word in ("weakness", "rash"))
    view = client.get("/api/patients/1/diary", headers=clinician).json()
    assert view["trend"]["entries"] == 4 and view["trend"]["warnings"] == 0
    assert not any(f["code"] == "patient_reported_warning"
                   for f in client.get("/api/patients/1/flags", headers=clinician).json())
    warned = client.post("/api/portal/diary", headers=headers, json={
        "date": today.isoformat(), "swallowing_trouble": True, "note": "coughing at meals"})
    assert warned.status_code == 201
    flags = client.get("/api/patients/1/flags", headers=clinician).json()
    assert any(f["code"] == "patient_reported_warning" and "swallowing" in f["text"]
               for f in flags)
    assert client.get("/api/patients/1/diary", headers=headers).status_code == 404


def test_diary_page_on_a_phone(client: TestClient) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-diary-phone", "password": PASSWORD,
                                         "password_again": PASSWORD})
    assert "/portal/diary" in client.get("/portal").text
    form = client.get("/portal/diary")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert form.status_code == 200 and csrf is not None
    today = dt.date.today().isoformat()
    bad = client.post("/portal/diary", data={"csrf_token": csrf.group(1), "date": today,
                                             "weakness": "very", "rash": "12"})
    assert bad.status_code == 422 and "weakness" in bad.text and "rash" in bad.text
    ok = client.post("/portal/diary", data={"csrf_token": csrf.group(1), "date": today,
                                            "weakness": "4", "new_calcinosis": "on"})
    assert ok.status_code == 200 and "Saved" in ok.text and 'role="alert"' not in ok.text
    urgent = client.post("/portal/diary", data={"csrf_token": csrf.group(1), "date": today,
                                                "breathing_trouble": "on"})
    assert "call emergency services now" in urgent.text and 'role="alert"' in urgent.text


def test_support_page_lists_confirmed_organisations_and_no_home_made_network(
        client: TestClient) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-support", "password": PASSWORD,
                                         "password_again": PASSWORD})
    assert "/portal/support" in client.get("/portal").text
    page = client.get("/portal/support")
    assert page.status_code == 200
    assert "The Myositis Association" in page.text and "Myositis UK" in page.text
    assert "no forum or map of its own" in page.text
    assert "please check this address" in page.text  # the unconfirmed address says so
    client.cookies.clear()
    assert client.get("/portal/support", follow_redirects=False).status_code == 303


def test_patient_sets_and_removes_a_reminder_address(client: TestClient, engine: Engine) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-email", "password": PASSWORD,
                                         "password_again": PASSWORD})
    home = client.get("/portal")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf is not None and "Reminders by e-mail" in home.text
    bad = client.post("/portal/email", data={"csrf_token": csrf.group(1), "email": "not-mail"})
    assert bad.status_code == 422 and "does not look like" in bad.text
    ok = client.post("/portal/email", data={"csrf_token": csrf.group(1),
                                            "email": "syn-email@example.invalid"})
    assert ok.status_code == 200 and "You get an e-mail" in ok.text
    with session_factory(engine)() as session:
        user = session.scalar(select(models.User).where(models.User.username == "syn-email"))
        assert user is not None and user.email == "syn-email@example.invalid"
        audit = session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.entity == "user_email")).all()
        assert audit and all("example" not in str(a.after) for a in audit)
    client.post("/portal/email", data={"csrf_token": csrf.group(1), "email": ""})
    with session_factory(engine)() as session:
        user = session.scalar(select(models.User).where(models.User.username == "syn-email"))
        assert user is not None and user.email is None


def test_the_portal_draws_the_patients_measures_as_charts(client: TestClient) -> None:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-charts", "password": PASSWORD,
                                         "password_again": PASSWORD})
    me = client.get("/portal/export.json").json()
    measured = [m for m in me["record"]["measures"] if m.get("haq") is not None]
    assert len(measured) >= 2  # the SYNTHETIC demo patient has a series
    home = client.get("/portal")
    assert home.status_code == 200
    assert "Daily activities (HAQ): 0 means no difficulty" in home.text
    assert "<svg" in home.text and "<table>" in home.text  # the table stays for readers

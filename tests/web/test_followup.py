"""The clinic follows the patient (issue 9): a flare is shown, flags clear, visits are corrected,
the record is kept in rows, the worklist and the letter. SYNTHETIC patients, SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.web.test_pages import login

TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _visit(days_ago: int, pga: float, mmt: int, ck: int, pred: float) -> dict[str, Any]:
    return {"date": _day(days_ago), "physician_global": pga, "patient_global": 1.0,
            "extramuscular_global": 0.5, "mmt8": mmt, "haq": 0.25,
            "glucocorticoid_mg_per_day": pred,
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}


def _patient(client: TestClient, headers: dict[str, str], name: str,
             **profile: Any) -> int:
    response = client.post("/api/patients", headers=headers, json={
        "pseudonym": name, "sex": "female", "profile": {
            "classification": {"age_at_onset": 48, "weakness": {"proximal_upper": True},
                               "skin": {"heliotrope_rash": True, "gottron_papules": True},
                               "elevated_muscle_enzymes": True}, **profile}})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_flare_is_red_on_the_page_the_worklist_and_the_letter(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = _patient(client, headers, "SYN-FLARE")
    for visit in (_visit(1500, 7.0, 50, 4000, 60), _visit(200, 0.9, 76, 115, 5),
                  _visit(3, 3.2, 70, 640, 15)):
        assert client.post(f"/api/patients/{pid}/visits", headers=headers,
                           json=visit).status_code == 201
    course = client.get(f"/api/patients/{pid}/course", headers=headers).json()
    assert course["previous"] == _day(200) and course["signals"]
    login(client)
    page = client.get(f"/patients/{pid}").text
    assert 'class="since flare"' in page and "Worse since the last visit" in page
    assert f"vs previous visit {_day(200)}" in page and f"vs baseline {_day(1500)}" in page
    assert "worse_since_last_visit" in page.split('id="active-flags"')[1].split("</ul>")[0]
    rows = client.get("/worklist", params={"kind": "flare"}).text
    assert "SYN-FLARE" in rows
    assert "(worse)" in client.get(f"/patients/{pid}/letter").text


def test_flag_lifecycle_acknowledge_resolve_and_clear_by_itself(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = _patient(client, headers, "SYN-FLAGS",
                   antibodies={"tif1g": {"status": "positive"}})
    client.post(f"/api/patients/{pid}/visits", headers=headers, json=_visit(30, 3, 60, 900, 0))
    flags = client.get(f"/api/patients/{pid}/flags", headers=headers).json()
    screening = next(f for f in flags if f["code"] == "cancer_screening_due")
    assert screening["state"] == "open"
    stale = {"action": "acknowledge", "version": screening["version"] + 5}
    assert client.post(f"/api/patients/{pid}/flags/{screening['id']}", headers=headers,
                       json=stale).status_code == 409
    ack = client.post(f"/api/patients/{pid}/flags/{screening['id']}", headers=headers,
                      json={"action": "acknowledge", "version": screening["version"]})
    assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"
    no_reason = client.post(f"/api/patients/{pid}/flags/{screening['id']}", headers=headers,
                            json={"action": "resolve", "version": ack.json()["version"]})
    assert no_reason.status_code == 422
    # Recording the tests done clears the due item, and the engine resolves the flag itself.
    plan = client.get(f"/api/patients/{pid}/plan", headers=headers).json()
    for test in plan["cancer_screening"]["tests_due"]:
        response = client.post(f"/api/patients/{pid}/entries/screening_tests", headers=headers,
                               json={"test": test[:80], "date": _day(2), "result": "normal"})
        assert response.status_code == 201, response.text
    after = {f["code"]: f for f in client.get(f"/api/patients/{pid}/flags",
                                              headers=headers).json()}
    assert after["cancer_screening_due"]["state"] == "resolved"
    assert after["cancer_screening_due"]["resolved_by"] == "engine"
    audit = client.get("/api/audit", headers=bearer(client, "admin")).json()
    assert any(r["entity"] == "flag" and r["username"] == "clinician" for r in audit)
    assert any(r["entity"] == "flag" and r["username"] == "engine"
               and (r["after"] or {}).get("state") == "resolved" for r in audit)


def test_a_person_resolution_holds_until_new_data(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = _patient(client, headers, "SYN-RESOLVE")
    client.post(f"/api/patients/{pid}/visits", headers=headers, json=_visit(300, 1, 78, 150, 5))
    client.post(f"/api/patients/{pid}/visits", headers=headers, json=_visit(10, 4, 60, 900, 5))
    flare = next(f for f in client.get(f"/api/patients/{pid}/flags", headers=headers).json()
                 if f["code"] in ("flare", "worse_since_last_visit"))
    resolved = client.post(f"/api/patients/{pid}/flags/{flare['id']}", headers=headers, json={
        "action": "resolve", "reason": "reviewed: infection, not a flare",
        "version": flare["version"]})
    assert resolved.status_code == 200
    again = client.get(f"/api/patients/{pid}/flags", headers=headers).json()
    assert [f["state"] for f in again if f["code"] == flare["code"]] == ["resolved"]


def test_visit_validation_one_schema_for_live_check_and_save(client: TestClient) -> None:
    token = login(client)
    live = client.post("/patients/1/visits/validate", data={
        "csrf_token": token, "date": _day(5), "mmt8": "92"})
    assert "mmt8" in live.text and "mmt_max" in live.text  # caught live, not only on save
    future = client.post("/patients/1/visits/new", data={
        "csrf_token": token, "date": (TODAY + dt.timedelta(days=1800)).isoformat(),
        "physician_global": "2"})
    assert future.status_code == 422 and "future" in future.text
    empty = client.post("/patients/1/visits/new", data={"csrf_token": token, "date": _day(5)})
    assert empty.status_code == 422 and "empty" in empty.text
    big = {"csrf_token": token, "date": _day(6), "physician_global": "2",
           "glucocorticoid_mg_per_day": "1500"}
    warned = client.post("/patients/1/visits/new", data=big)
    assert warned.status_code == 422 and "1500 mg/day" in warned.text
    saved = client.post("/patients/1/visits/new", data={**big, "confirm": "on"},
                        follow_redirects=False)
    assert saved.status_code == 303
    duplicate = client.post("/patients/1/visits/new", data={
        "csrf_token": token, "date": _day(6), "physician_global": "3"})
    assert duplicate.status_code == 422 and "already dated" in duplicate.text
    api = client.post("/api/patients/1/visits", headers=bearer(client, "clinician"),
                      json={"date": _day(6), "physician_global": 3})
    assert api.status_code == 422 and "already dated" in api.text


def test_edit_and_delete_a_visit_with_version_check_and_audit(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    visit = client.get("/api/patients/1/visits", headers=headers).json()[-1]
    token = login(client)
    form = client.get(f"/patients/1/visits/{visit['id']}/edit").text
    assert f'value="{visit["version"]}"' in form
    edited = client.post(f"/patients/1/visits/{visit['id']}/edit", follow_redirects=False,
                         data={"csrf_token": token, "visit_id": visit["id"],
                               "version": visit["version"], "date": visit["date"],
                               "physician_global": "4.5", "notes": "corrected PGA"})
    assert edited.status_code == 303
    stale = client.post(f"/patients/1/visits/{visit['id']}/edit", data={
        "csrf_token": token, "visit_id": visit["id"], "version": visit["version"],
        "date": visit["date"], "physician_global": "5"})
    assert stale.status_code == 409
    assert "Delete the visit" in client.get(f"/patients/1/visits/{visit['id']}/delete").text
    gone = client.post(f"/patients/1/visits/{visit['id']}/delete", data={"csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 303
    audit = client.get("/api/audit", headers=bearer(client, "admin")).json()
    actions = {(r["action"], r["entity"], r["entity_id"]) for r in audit}
    assert ("update", "visit", visit["id"]) in actions
    assert ("delete", "visit", visit["id"]) in actions


def test_record_entries_in_rows_with_loinc_timeline_and_checks(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    bad = client.post("/api/patients/1/entries/treatments", headers=headers,
                      json={"therapy": "MTX", "start": _day(100)})
    assert bad.status_code == 422 and "methotrexate" in bad.text
    unit = client.post("/api/patients/1/entries/lab_results", headers=headers,
                       json={"analyte": "ferritin", "value": 900, "unit": "U/L", "date": _day(2)})
    assert unit.status_code == 422 and "ng/mL" in unit.text
    lab = client.post("/api/patients/1/entries/lab_results", headers=headers,
                      json={"analyte": "ferritin", "value": 900, "unit": "ng/mL", "uln": 300,
                            "date": _day(2)})
    assert lab.status_code == 201 and lab.json()["loinc"] == "2276-4"
    token = login(client)
    added = client.post("/patients/1/entries/treatments", follow_redirects=False, data={
        "csrf_token": token, "therapy": "rituximab", "dose_value": "1000", "dose_unit": "mg",
        "route": "iv", "start": _day(40)})
    assert added.status_code == 303
    page = client.get("/patients/1").text
    assert "Treatment timeline" in page and "Rituximab" in page
    assert 'class="high"' in page.split('id="lab-trend"')[1]  # ferritin above its ULN
    assert "ULN" in page  # the CK chart's reference line


def test_search_by_antibody_subgroup_and_drug(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    _patient(client, headers, "SYN-SEARCH", antibodies={"mda5": {"status": "positive"}})
    found = [r["pseudonym"] for r in client.get("/api/patients", headers=headers,
                                                params={"q": "MDA5"}).json()]
    assert "SYN-SEARCH" in found
    by_drug = client.get("/api/patients", headers=headers, params={"q": "methotrexate"}).json()
    assert by_drug and all("methotrexate" in r["therapies"] for r in by_drug)


def test_worklist_csv_and_letter_pdf(client: TestClient) -> None:
    token = login(client)
    csv_text = client.get("/worklist.csv").text
    assert csv_text.splitlines()[0].startswith("pseudonym,clinician,subgroup,antibodies")
    pdf = client.post("/patients/1/letter", data={"csrf_token": token, "format": "pdf",
                                                  "free_text": "Seen with her daughter."})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.post("/patients/1/letter", data={"csrf_token": token, "format": "html",
                                                   "free_text": "Seen with her daughter."})
    assert "Seen with her daughter." in page.text and "Current treatment" in page.text


def test_patient_edit_records_prophylaxis_and_delete_asks_first(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = _patient(client, headers, "SYN-EDIT")
    token = login(client)
    version = client.get(f"/api/patients/{pid}", headers=headers).json()["version"]
    saved = client.post(f"/patients/{pid}/edit", follow_redirects=False, data={
        "csrf_token": token, "version": version, "pseudonym": "SYN-EDIT", "sex": "female",
        "pjp": "yes", "weight_kg": "61", "subgroup": "dm",
        "contraception": ["condom_or_barrier", "progestogen_only_pill"]})
    assert saved.status_code == 303
    patient = client.get(f"/api/patients/{pid}", headers=headers).json()
    assert patient["profile"]["prophylaxis"]["pjp"] is True
    assert patient["profile"]["reproduction"]["contraception"] == [
        "condom_or_barrier", "progestogen_only_pill"]
    assert 'value="progestogen_only_pill" checked' in client.get(f"/patients/{pid}/edit").text
    assert patient["profile"]["diagnosis"]["subgroup"] == "dm"
    assert "Delete patient SYN-EDIT" in client.get(f"/patients/{pid}/delete").text
    assert client.post(f"/patients/{pid}/delete", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert client.get(f"/api/patients/{pid}", headers=headers).status_code == 404


def test_item_level_mmt8_and_haq_compute_their_totals(client: TestClient) -> None:
    token = login(client)
    grades = {"mmt_neck_flexors": "9", "mmt_deltoid_middle": "8", "mmt_biceps_brachii": "9",
              "mmt_wrist_extensors": "10", "mmt_gluteus_maximus": "7",
              "mmt_gluteus_medius": "8", "mmt_quadriceps": "9", "mmt_ankle_dorsiflexors": "10"}
    haq = {f"haq_{c}_{i}": "1" for c, n in (("dressing", 2), ("arising", 2), ("eating", 3),
                                            ("walking", 2), ("hygiene", 3), ("reach", 2))
           for i in range(n)}
    base = {"csrf_token": token, "date": _day(9), "physician_global": "2"}
    conflict = client.post("/patients/1/visits/new", data={**base, **grades, "mmt8": "75"})
    assert conflict.status_code == 422 and "differs from the sum of its grades (70)" in conflict.text
    partial = client.post("/patients/1/visits/new", data={
        **base, "mmt_neck_flexors": "9", "mmt_quadriceps": "9"})
    assert partial.status_code == 422 and "deltoid_middle" in partial.text
    saved = client.post("/patients/1/visits/new", follow_redirects=False,
                        data={**base, **grades, **haq, "haq_walking_aid": "on"})
    assert saved.status_code == 303
    visit = next(v for v in client.get("/api/patients/1/visits",
                                       headers=bearer(client, "clinician")).json()
                 if v["date"] == _day(9))
    # MMT-8 70/80; HAQ-DI: five categories at 1 and walking raised to 2 by the aid: 7/6.
    assert visit["mmt8"] == 70 and visit["mmt_max"] == 80
    assert abs(visit["haq"] - 7 / 6) < 1e-9
    form = client.get(f"/patients/1/visits/{visit['id']}/edit").text
    assert 'name="mmt_quadriceps" type="number" min="0" max="10" step="1" value="9"' in form


def test_recording_prophylaxis_and_screening_clears_the_do_now_items(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    pid = _patient(client, headers, "SYN-PJP", antibodies={"mda5": {"status": "positive"}})
    client.post(f"/api/patients/{pid}/visits", headers=headers, json=_visit(20, 4, 60, 900, 40))
    before = {a["code"] for a in client.get(f"/api/patients/{pid}/plan",
                                            headers=headers).json()["do_now"]}
    assert any("pjp" in code for code in before)
    assert any("hbv" in code or "tb" in code for code in before)  # screening not recorded
    token = login(client)
    version = client.get(f"/api/patients/{pid}", headers=headers).json()["version"]
    saved = client.post(f"/patients/{pid}/edit", follow_redirects=False, data={
        "csrf_token": token, "version": version, "pseudonym": "SYN-PJP", "sex": "female",
        "pjp": "yes", "screen_hbsag": "negative", "screen_anti_hbc": "negative",
        "screen_tb_test": "negative", "screen_tb_test_date": _day(30),
        "screen_hcv": "negative", "screen_hiv": "negative"})
    assert saved.status_code == 303
    after = {a["code"] for a in client.get(f"/api/patients/{pid}/plan",
                                           headers=headers).json()["do_now"]}
    assert not any("pjp" in code for code in after)
    assert len(after) < len(before)


def test_worklist_filters_by_responsible_clinician(client: TestClient) -> None:
    clinician = bearer(client, "clinician")
    patient = client.get("/api/patients/1", headers=clinician).json()
    doc = {k: patient[k] for k in ("pseudonym", "synthetic", "sex", "symptom_onset", "profile",
                                   "version")}
    unknown = client.put("/api/patients/1", headers=clinician,
                         json={**doc, "clinician": "researcher"})
    assert unknown.status_code == 422 and "not an active clinician" in unknown.text
    mine = client.put("/api/patients/1", headers=clinician, json={**doc, "clinician": "clinician"})
    assert mine.status_code == 200 and mine.json()["clinician"] == "clinician"
    everyone = client.get("/api/worklist", headers=clinician).json()
    own = client.get("/api/worklist?clinician=clinician", headers=clinician).json()
    unassigned = client.get("/api/worklist?clinician=none", headers=clinician).json()
    assert {r["id"] for r in own} <= {1} and all(r["clinician"] == "clinician" for r in own)
    assert len(own) + len(unassigned) == len(everyone)
    page = client.get("/worklist?clinician=clinician", headers=clinician)
    assert "my patients (clinician)" in page.text
    csv_text = client.get("/worklist.csv?clinician=none", headers=clinician).text
    assert csv_text.splitlines()[0].startswith("pseudonym,clinician,")


def test_a_whole_antibody_panel_is_entered_at_once(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    patient = _patient(client, headers, "SYN-PANEL")
    stored = client.post(f"/api/patients/{patient}/antibody-panel", headers=headers, json={
        "date": _day(3), "method": "line_blot", "levels": {"pl7": "moderate"},
        "results": {"pl7": "positive", "jo1": "negative", "mda5": "negative"}})
    assert stored.status_code == 201, stored.text
    assert [(r["antibody"], r["result"]) for r in stored.json()] == [
        ("jo1", "negative"), ("pl7", "positive"), ("mda5", "negative")]
    bad = client.post(f"/api/patients/{patient}/antibody-panel", headers=headers, json={
        "date": _day(-3), "results": {"srp": "positive"}})
    assert bad.status_code == 422 and "future" in bad.text
    rows = client.get(f"/api/patients/{patient}/entries/antibody_results", headers=headers)
    assert len(rows.json()) == 3  # the refused panel stored nothing
    audit = client.get("/api/audit", headers=bearer(client, "admin")).json()
    assert sum(a["entity"] == "antibody_result" and a["action"] == "create"
               and a["after"]["patient_id"] == patient for a in audit) == 3

    token = login(client)
    empty = client.post(f"/patients/{patient}/antibody-panel",
                        data={"csrf_token": token, "date": _day(1)})
    assert empty.status_code == 422 and "at least one antibody" in empty.text
    stray = client.post(f"/patients/{patient}/antibody-panel", data={
        "csrf_token": token, "date": _day(1), "result_hmgcr": "negative",
        "level_hmgcr": "strong"})
    assert stray.status_code == 422 and "only for a positive result" in stray.text
    page = client.post(f"/patients/{patient}/antibody-panel", follow_redirects=False, data={
        "csrf_token": token, "date": _day(1), "method": "immunoprecipitation",
        "result_hmgcr": "positive", "level_hmgcr": "strong", "result_srp": "negative",
        "result_tif1g": ""})
    assert page.status_code == 303
    results = {(r["antibody"], r["result"], r["level"]) for r in client.get(
        f"/api/patients/{patient}/entries/antibody_results", headers=headers).json()}
    assert ("hmgcr", "positive", "strong") in results and ("srp", "negative", None) in results
    assert not any(a == "tif1g" for a, _, _ in results)  # "not tested" is not stored
    assert 'id="add-antibody_panel"' in client.get(f"/patients/{patient}").text


def test_the_glucocorticoid_chart_reads_treatment_courses(client: TestClient) -> None:
    headers = bearer(client, "clinician")
    patient = _patient(client, headers, "SYN-GC-CHART")
    course = client.post(f"/api/patients/{patient}/entries/treatments", headers=headers, json={
        "therapy": "glucocorticoids_oral", "dose_value": 40, "dose_unit": "mg/day",
        "route": "oral", "start": _day(60)})
    assert course.status_code == 201, course.text
    page = client.get(f"/patients/{patient}", headers=headers).text
    chart = page.split("<figcaption>CK")[1].split("</figure>")[0]
    assert "Glucocorticoid" in chart and "latest 40 mg/day prednisone" in chart
    assert f"Glucocorticoid {_day(60)}: 40 mg/day prednisone" in chart


def test_the_worklist_page_shows_a_page_of_rows_and_the_csv_has_them_all(
        client: TestClient, monkeypatch: Any) -> None:
    from myositis.web import record_pages

    monkeypatch.setattr(record_pages, "WORKLIST_PAGE", 2)
    headers = bearer(client, "clinician")
    total = len(client.get("/api/worklist", headers=headers).json())
    assert total >= 3  # the SYNTHETIC demo clinic
    login(client)
    first = client.get("/worklist").text
    assert f"Patients 1-2 of {total}" in first and 'rel="next"' in first
    assert first.count('<tr><td><a href="/patients/') == 2
    last_page = -(-total // 2)
    last = client.get(f"/worklist?page={last_page}").text
    assert 'rel="prev"' in last and 'rel="next"' not in last
    beyond = client.get("/worklist?page=999").text  # clamped to the last page
    assert f"Page {last_page} of {last_page}" in beyond
    assert client.get("/worklist?page=0").status_code == 422
    csv_rows = client.get("/worklist.csv").text.strip().splitlines()[1:]  # one per due item
    assert len({line.split(",")[0] for line in csv_rows}) == total

"""HTML pages (Jinja2 + htmx). Same repository, services and policy as the API."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData

from myositis.db.repository import Repository
from myositis.domain.labs import Enzyme
from myositis.errors import InputError, MyositisError
from myositis.reports import to_html
from myositis.services import clinic
from myositis.services.access import Principal, allowed
from myositis.services.careplan import CarePlan
from myositis.services.records import PatientIn, VisitIn
from myositis.web.api import TooManyAttemptsError, authenticate, snapshot_plan, visible
from myositis.web.charts import line_chart
from myositis.web.deps import SESSION_COOKIE, RecordId, authorized, db_session, repository, state

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["shown"] = lambda value, empty="–": empty if value is None else value
VISIT_FIELDS = ("physician_global", "patient_global", "extramuscular_global", "mmt8", "haq",
                "cdasi_activity", "cdasi_damage", "glucocorticoid_mg_per_day")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf", getattr(request.state, "csrf", ""))
    return templates.TemplateResponse(request, name, context, status_code=status)


def _with_user(request: Request, user: Principal) -> None:
    request.state.user = user


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/patients", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", user=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: str = Form(...), password: str = Form(...),
          session: Any = Depends(db_session)) -> Response:
    try:
        user = authenticate(request, Repository(session, actor="anonymous"), username, password)
    except MyositisError as exc:
        status = 429 if isinstance(exc, TooManyAttemptsError) else 401
        return render(request, "login.html", status=status, user=None, error=str(exc),
                      username=username)
    settings = state(request).settings
    value, _csrf = state(request).tokens.issue_session(user)
    response = RedirectResponse("/patients", status_code=303)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=settings.secure_cookies, max_age=settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(user: Principal = Depends(authorized("patient:read"))) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/patients", response_class=HTMLResponse)
def patients(request: Request, q: str | None = None,
             user: Principal = Depends(authorized("patient:read")),
             repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    found = repo.patients(q)
    rows = clinic.summaries(found, repo.visits_by_patient([p.id for p in found]),
                            dt.date.today())
    template = "_patient_rows.html" if request.headers.get("hx-request") else "patients.html"
    return render(request, template, rows=rows, q=q or "",
                  can_write=allowed(user, "patient:write"))


@router.get("/patients/new", response_class=HTMLResponse)
def new_patient_form(request: Request,
                     user: Principal = Depends(authorized("patient:write"))) -> HTMLResponse:
    _with_user(request, user)
    return render(request, "patient_new.html", errors={}, values={})


async def form_data(request: Request) -> FormData:
    """The posted form, read on the event loop so that the handler itself (which touches the
    database) can be a plain function run in the thread pool."""
    return await request.form()


def _checkbox(form: Any, name: str) -> bool:
    return form.get(name) in ("on", "true", "1")


@router.post("/patients/new", response_class=HTMLResponse)
def create_patient(request: Request, form: FormData = Depends(form_data),
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    values = {k: v for k, v in form.items() if k != "csrf_token"}
    antibody = str(form.get("antibody") or "")
    doc = {
        "pseudonym": form.get("pseudonym"), "sex": form.get("sex") or "unknown",
        "symptom_onset": form.get("symptom_onset") or None,
        "profile": {
            "classification": {
                "age_at_onset": _number(form.get("age_at_onset")),
                "weakness": {k: _checkbox(form, k) for k in (
                    "proximal_upper", "proximal_lower", "neck_flexors_weaker_than_extensors",
                    "legs_proximal_weaker_than_distal")},
                "skin": {k: _checkbox(form, k) for k in (
                    "heliotrope_rash", "gottron_papules", "gottron_sign")},
                "dysphagia_or_esophageal_dysmotility": _checkbox(form, "dysphagia"),
                "anti_jo1": antibody == "jo1",
                "elevated_muscle_enzymes": _checkbox(form, "elevated_muscle_enzymes"),
            },
            "systemic": {"interstitial_lung_disease": _checkbox(form, "ild"),
                         "dysphagia": _checkbox(form, "dysphagia")},
            "antibodies": {antibody: {"status": "positive"}} if antibody else {},
        },
    }
    try:
        patient = repo.create_patient(PatientIn.model_validate(doc))
        repo.session.commit()
    except ValidationError as exc:
        errors = {".".join(str(p) for p in e["loc"]).split(".")[-1]: e["msg"]
                  for e in exc.errors()}
        return render(request, "patient_new.html", status=422, errors=errors, values=values)
    except MyositisError as exc:
        return render(request, "patient_new.html", status=409, errors={"pseudonym": str(exc)},
                      values=values)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def _series(visits: list[Any], attr: str) -> list[tuple[dt.date, float]]:
    return [(v.date, float(getattr(v, attr))) for v in visits if getattr(v, attr) is not None]


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(request: Request, patient_id: RecordId,
                 user: Principal = Depends(authorized("patient:read")),
                 repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient = visible(repo.patient(patient_id), user)
    visits = repo.visits(patient_id)
    today = dt.date.today()
    plan = clinic.care_plan(patient, visits, today)
    series = clinic.response_series(patient, visits)
    ck = [(v.date, v.labs.enzymes[Enzyme.CK].value) for v in visits if Enzyme.CK in v.labs.enzymes]
    charts = [
        line_chart("MMT-8 (0-80)", _series(visits, "mmt8"), 80),
        line_chart("CK (U/L)", ck),
        line_chart("CDASI activity (0-100)", _series(visits, "cdasi_activity")),
        line_chart("Physician global (cm)", _series(visits, "physician_global"), 10),
        line_chart("Glucocorticoid (mg/day prednisone)", _series(visits, "glucocorticoid_mg_per_day")),
        line_chart("Total Improvement Score vs baseline",
                   [(p.date, p.total_improvement_score) for p in series], 100),
    ]
    return render(request, "patient.html", patient=patient, visits=visits, plan=plan,
                  snapshots=repo.plan_snapshots(patient_id),
                  series=series, charts=charts, latest=visits[-1] if visits else None,
                  can_write=allowed(user, "patient:write"),
                  flags=clinic.list_flags(patient, visits, plan, series, today))


@router.get("/patients/{patient_id}/plan", response_class=HTMLResponse)
def plan_page(patient_id: RecordId, user: Principal = Depends(authorized("plan:read")),
              repo: Repository = Depends(repository)) -> HTMLResponse:
    patient = repo.patient(patient_id)
    plan = clinic.care_plan(patient, repo.visits(patient_id), dt.date.today())
    return HTMLResponse(to_html(plan))


@router.post("/patients/{patient_id}/plan/snapshots")
def save_plan_snapshot(patient_id: RecordId,
                       user: Principal = Depends(authorized("patient:write")),
                       repo: Repository = Depends(repository)) -> RedirectResponse:
    snapshot = snapshot_plan(repo, patient_id)
    return RedirectResponse(f"/patients/{patient_id}/plan/snapshots/{snapshot.id}",
                            status_code=303)


@router.get("/patients/{patient_id}/plan/snapshots/{snapshot_id}", response_class=HTMLResponse)
def plan_snapshot_page(patient_id: RecordId, snapshot_id: RecordId,
                       user: Principal = Depends(authorized("plan:read")),
                       repo: Repository = Depends(repository)) -> HTMLResponse:
    snapshot = repo.plan_snapshot(patient_id, snapshot_id)
    saved = snapshot.created_at.strftime("%Y-%m-%d %H:%M UTC") if snapshot.created_at else "?"
    note = (f"Saved snapshot #{snapshot.id} of {saved} by {snapshot.created_by}: the plan as "
            f"it stood then, not recomputed.")
    try:
        plan = CarePlan.model_validate(snapshot.plan)
    except ValidationError:  # saved by an older version whose plan format has since changed
        return HTMLResponse("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
                            f"<title>Care plan snapshot</title><p>{html.escape(note)}</p><pre>"
                            f"{html.escape(json.dumps(snapshot.plan, indent=2))}</pre></html>")
    return HTMLResponse(to_html(plan, note=note))


def _number(value: Any) -> Any:
    """A form field is text: turn a numeral into a number and leave anything else as typed,
    so the one validation (strict numbers, the same as the API's) names it."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() and "." not in str(value) else number


def _visit_doc(form: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"date": form.get("date") or None}
    for name in VISIT_FIELDS:
        doc[name] = _number(form.get(name))
    if form.get("ck"):
        doc["labs"] = {"enzymes": {"ck": {"value": _number(form.get("ck")),
                                          "uln": _number(form.get("ck_uln")) or 200}}}
    doc["notes"] = form.get("notes") or None
    return doc


def _visit_errors(repo: Repository, patient_id: RecordId, doc: dict[str, Any]) -> dict[str, str]:
    try:
        VisitIn.model_validate(doc)
    except ValidationError as exc:
        return {str(e["loc"][0]) if e["loc"][0] != "labs" else "ck": e["msg"]
                for e in exc.errors()}
    patient = repo.patient(patient_id)
    if patient.symptom_onset and doc["date"] and \
            dt.date.fromisoformat(str(doc["date"])) < patient.symptom_onset:
        return {"date": f"must not be before symptom onset ({patient.symptom_onset})"}
    return {}


@router.get("/patients/{patient_id}/visits/new", response_class=HTMLResponse)
def new_visit_form(request: Request, patient_id: RecordId,
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient = repo.patient(patient_id)
    return render(request, "visit_form.html", patient=patient, errors={},
                  values={"date": dt.date.today().isoformat(), "ck_uln": "200"})


@router.post("/patients/{patient_id}/visits/validate", response_class=HTMLResponse)
def validate_visit(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> HTMLResponse:
    errors = _visit_errors(repo, patient_id, _visit_doc(form))
    return render(request, "_visit_errors.html", errors=errors)


@router.post("/patients/{patient_id}/visits/new", response_class=HTMLResponse)
def create_visit(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    doc = _visit_doc(form)
    errors = _visit_errors(repo, patient_id, doc)
    if not errors:
        try:
            repo.add_visit(patient_id, VisitIn.model_validate(doc))
            repo.session.commit()
        except InputError as exc:
            errors = dict(exc.problems)
    if errors:
        return render(request, "visit_form.html", status=422, patient=repo.patient(patient_id),
                      errors=errors, values={k: v for k, v in form.items()})
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)


@router.get("/patients/{patient_id}/export.json")
def export_json(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                repo: Repository = Depends(repository)) -> Response:
    patient = visible(repo.patient(patient_id), user)
    payload = {"patient": patient.model_dump(mode="json"),
               "visits": [v.model_dump(mode="json") for v in repo.visits(patient_id)],
               "response": [p.model_dump(mode="json")
                            for p in clinic.response_series(patient, repo.visits(patient_id))]}
    return Response(json.dumps(payload, indent=2), media_type="application/json",
                    headers={"content-disposition":
                             f'attachment; filename="{patient.pseudonym}.json"'})


@router.get("/patients/{patient_id}/export.csv")
def export_csv(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
               repo: Repository = Depends(repository)) -> Response:
    patient = repo.patient(patient_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pseudonym", "date", *VISIT_FIELDS, "ck", "ck_uln"])
    for v in repo.visits(patient_id):
        ck = v.labs.enzymes.get(Enzyme.CK)
        writer.writerow([patient.pseudonym, v.date.isoformat(),
                         *(getattr(v, f) if getattr(v, f) is not None else "" for f in VISIT_FIELDS),
                         ck.value if ck else "", ck.uln if ck else ""])
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"content-disposition":
                             f'attachment; filename="{patient.pseudonym}.csv"'})


@router.get("/patients/{patient_id}/letter", response_class=HTMLResponse)
def letter(request: Request, patient_id: RecordId,
           user: Principal = Depends(authorized("patient:read")),
           repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient = visible(repo.patient(patient_id), user)
    visits = repo.visits(patient_id)
    plan = clinic.care_plan(patient, visits, dt.date.today())
    return render(request, "letter.html", patient=patient, latest=visits[-1] if visits else None,
                  plan=plan, series=clinic.response_series(patient, visits),
                  today=dt.date.today())


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: Principal = Depends(authorized("audit:read")),
               repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    return render(request, "audit.html", rows=repo.audit_log(limit=200))



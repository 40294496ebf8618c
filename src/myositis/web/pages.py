"""HTML pages (Jinja2 + htmx). Same repository, services and policy as the API."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from pathlib import Path
from typing import Any, get_args

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData

from myositis.db.portal_repository import PortalRepository
from myositis.db.repository import Repository
from myositis.domain.antibodies import Antibody
from myositis.domain.labs import Enzyme
from myositis.domain.record_sections import ANALYTE_UNITS, ContraceptionMethod, ReasonStopped
from myositis.errors import MyositisError
from myositis.knowledge import load as load_kb
from myositis.reports import to_html
from myositis.services import clinic
from myositis.services.access import Principal, Role, allowed
from myositis.services.careplan import CarePlan
from myositis.services.careplan.exposure import gc_dose_series
from myositis.services.letter import build_letter, letter_pdf
from myositis.services.records import PatientIn
from myositis.web import i18n, views
from myositis.web.api import (
    TooManyAttemptsError,
    authenticate,
    patient_rows,
    snapshot_plan,
    visible,
)
from myositis.web.charts import date_axis, line_chart, timeline
from myositis.web.deps import (
    SESSION_COOKIE,
    RecordId,
    authorized,
    db_session,
    principal,
    repository,
    state,
)
from myositis.web.portal_api import diary_of, exercise_of

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["shown"] = lambda value, empty="–": empty if value is None else value
# the record's own vocabulary, so that a form never offers a value the record would refuse
templates.env.globals["reasons_stopped"] = get_args(ReasonStopped)
templates.env.globals["contraception_methods"] = get_args(ContraceptionMethod)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.policies["ext.i18n.trimmed"] = True  # the catalogue is extracted trimmed too
templates.env.install_gettext_translations(  # type: ignore[attr-defined]
    i18n.translations(i18n.SOURCE_LOCALE), newstyle=False)
VISIT_FIELDS = ("physician_global", "patient_global", "extramuscular_global", "mmt8", "haq",
                "cdasi_activity", "cdasi_damage", "glucocorticoid_mg_per_day")


def request_locale(request: Request) -> str:
    """The language this request is answered in (the browser's, else the clinic's setting)."""
    return i18n.negotiate(request.headers.get("accept-language"), state(request).settings.locale)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context.update(i18n.template_context(request_locale(request)))
    context.setdefault("csrf", getattr(request.state, "csrf", ""))
    return templates.TemplateResponse(request, name, context, status_code=status)


def form_errors(exc: ValidationError) -> dict[str, str]:
    """Every bad field of a posted form at once, named by its path, for the page to show."""
    return {".".join(str(p) for p in e["loc"]) or "form": e["msg"].removeprefix("Value error, ")
            for e in exc.errors()}


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
          code: str | None = Form(default=None), session: Any = Depends(db_session)
          ) -> Response:
    try:
        user = authenticate(request, Repository(session, actor="anonymous"), username, password,
                            code=code)
    except MyositisError as exc:
        status = 429 if isinstance(exc, TooManyAttemptsError) else 401
        return render(request, "login.html", status=status, user=None, error=str(exc),
                      username=username)
    settings = state(request).settings
    value, _csrf = state(request).tokens.issue_session(user)
    response = RedirectResponse("/portal" if user.role is Role.PATIENT else "/patients",
                                status_code=303)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=settings.resolved_secure_cookies(),
                        max_age=settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(user: Principal = Depends(principal)) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/patients", response_class=HTMLResponse)
def patients(request: Request, q: str | None = None,
             user: Principal = Depends(authorized("patient:read")),
             repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    rows = patient_rows(repo, q)
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
        errors = form_errors(exc)
        return render(request, "patient_new.html", status=422, errors=errors, values=values)
    except MyositisError as exc:
        return render(request, "patient_new.html", status=409, errors={"pseudonym": str(exc)},
                      values=values)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def _series(visits: list[Any], attr: str) -> list[tuple[dt.date, float]]:
    return [(v.date, float(getattr(v, attr))) for v in visits if getattr(v, attr) is not None]


def patient_charts(loaded: views.Loaded, today: dt.date) -> list[str]:
    visits, entries = loaded.visits, loaded.entries
    treatments = entries.treatments
    gc = gc_dose_series(loaded.view.record)
    dates = [v.date for v in visits] + [t.start for t in treatments if t.start] + [
        d for d, _ in gc]
    axis = date_axis(dates)
    ck = [(v.date, v.labs.enzymes[Enzyme.CK].value) for v in visits
          if Enzyme.CK in v.labs.enzymes]
    ck_uln = next((v.labs.enzymes[Enzyme.CK].uln for v in reversed(visits)
                   if Enzyme.CK in v.labs.enzymes), None)
    names = {t.id: t.name for t in load_kb().therapies.values()}
    mmt_max = visits[-1].mmt_max if visits else 80
    return [
        line_chart("CK", ck, unit="U/L", reference=ck_uln, reference_label=f"ULN {ck_uln:g}"
                   if ck_uln else "", axis=axis,
                   second=("Glucocorticoid", "mg/day prednisone",
                           gc)),
        timeline([(names.get(t.therapy, t.therapy), t.start, t.stop) for t in treatments],
                 axis, today),
        line_chart("MMT-8", _series(visits, "mmt8"), mmt_max, unit=f"points (0-{mmt_max})",
                   axis=axis),
        line_chart("Physician global activity", _series(visits, "physician_global"), 10,
                   unit="VAS cm (0-10)", axis=axis),
        line_chart("CDASI activity", _series(visits, "cdasi_activity"), unit="points (0-100)",
                   axis=axis),
        line_chart("Total Improvement Score vs baseline",
                   [(p.date, p.total_improvement_score) for p in loaded.view.series], 100,
                   unit="TIS (0-100)", axis=axis),
    ]


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(request: Request, patient_id: RecordId, saved: str | None = None,
                 user: Principal = Depends(authorized("patient:read")),
                 repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    return _patient_page(request, repo, patient_id, user, saved=saved)


def _patient_page(request: Request, repo: Repository, patient_id: int, user: Principal,
                  status: int = 200, saved: str | None = None,
                  entry_errors: dict[str, dict[str, str]] | None = None) -> HTMLResponse:
    today = dt.date.today()
    loaded = views.load(repo, patient_id, today)
    patient = visible(loaded.patient, user)
    kb = load_kb()
    current = clinic.current_therapies(loaded.entries, today)
    from myositis.web.evidence_pages import open_trials_matching

    trials = open_trials_matching(repo, request, loaded.view.record, loaded.view.plan.phenotypes)
    portal = PortalRepository(repo.session, repo.actor)
    state = loaded.view.plan.state
    muscle_state = state.of("muscle") if state is not None else None
    return render(request, "patient.html", status=status, patient=patient, trials=trials,
                  visits=loaded.visits, entries=loaded.entries, view=loaded.view,
                  plan=loaded.view.plan, course=loaded.view.course,
                  flags=loaded.live_flags, resolved=[f for f in loaded.flags
                                                     if f.state == "resolved"][-5:],
                  snapshots=repo.plan_snapshots(patient_id),
                  charts=patient_charts(loaded, today),
                  trend=clinic.lab_trend(loaded.visits, loaded.entries),
                  latest=loaded.visits[-1] if loaded.visits else None,
                  current=[kb.therapies[t].name if t in kb.therapies else t for t in current],
                  therapies=sorted(kb.therapies.values(), key=lambda t: t.name),
                  names={t.id: t.name for t in kb.therapies.values()},
                  analytes=list(ANALYTE_UNITS.items()), antibodies=list(Antibody),
                  can_write=allowed(user, "patient:write"), saved=saved,
                  entry_errors=entry_errors or {}, today=today,
                  portal_reports=portal.reports(patient_id)
                  if allowed(user, "patient:write") else [],
                  exercise=exercise_of(portal, patient_id, muscle_state),
                  diary=diary_of(portal, patient_id),
                  programmes=list(kb.exercise.values()))


@router.get("/patients/{patient_id}/plan", response_class=HTMLResponse)
def plan_page(request: Request, patient_id: RecordId,
              user: Principal = Depends(authorized("plan:read")),
              repo: Repository = Depends(repository)) -> HTMLResponse:
    from myositis.web.evidence_pages import open_trials_matching

    view = views.load(repo, patient_id, dt.date.today()).view
    return HTMLResponse(to_html(view.plan, trials=open_trials_matching(
        repo, request, view.record, view.plan.phenotypes)))


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


def _letter(repo: Repository, patient_id: int, user: Principal) -> tuple[Any, Any]:
    today = dt.date.today()
    loaded = views.load(repo, patient_id, today)
    patient = visible(loaded.patient, user)
    return patient, build_letter(patient, loaded.visits, loaded.entries, loaded.view, today)


@router.get("/patients/{patient_id}/letter", response_class=HTMLResponse)
def letter(request: Request, patient_id: RecordId,
           user: Principal = Depends(authorized("patient:read")),
           repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient, content = _letter(repo, patient_id, user)
    return render(request, "letter.html", patient=patient, letter=content, free_text="")


@router.post("/patients/{patient_id}/letter", response_class=HTMLResponse)
def letter_with_text(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                     user: Principal = Depends(authorized("patient:read")),
                     repo: Repository = Depends(repository)) -> Response:
    """The letter with the clinician's free text, as a page to print or as a PDF."""
    _with_user(request, user)
    patient, content = _letter(repo, patient_id, user)
    free_text = str(form.get("free_text") or "")[:8000]
    if form.get("format") == "pdf":
        name = patient.identity.full_name if patient.identity else None
        return Response(letter_pdf(content, free_text, name), media_type="application/pdf",
                        headers={"content-disposition":
                                 f'attachment; filename="letter-{patient.pseudonym}.pdf"'})
    return render(request, "letter.html", patient=patient, letter=content, free_text=free_text)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: Principal = Depends(authorized("audit:read")),
               repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    return render(request, "audit.html", rows=repo.audit_log(limit=200))



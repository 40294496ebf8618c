"""Portal pages for patients (phone first): accept an invitation, read one's own record in
plain words, complete the pre-visit questionnaire, read the education pages, download one's
data. The logic lives in `myositis.services.portal`; this module only renders it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from myositis.db.portal_repository import PortalRepository, ReminderRepository
from myositis.domain.instruments import haq
from myositis.errors import InputError, MyositisError, NotFoundError
from myositis.knowledge import load
from myositis.services import clinic, group_sessions
from myositis.services.access import Principal, Role
from myositis.services.diary import DiaryEntryIn
from myositis.services.exercise import ExerciseLogIn, ExercisePlanIn
from myositis.services.portal import URGENT_ADVICE, WARNING_TEXT, PortalView, Questionnaire
from myositis.web import i18n
from myositis.web.admin_pages import MIN_PASSWORD
from myositis.web.charts import line_chart
from myositis.web.deps import SESSION_COOKIE, RecordId, authorized, db_session, state
from myositis.web.evidence_pages import open_trials_matching
from myositis.web.pages import form_data, form_errors, render, request_locale
from myositis.web.portal_api import (
    diary_of,
    exercise_of,
    log_session,
    my_view,
    own_record,
    portal_repository,
    submit,
    write_diary,
)
from myositis.web.security import hash_password

router = APIRouter(include_in_schema=False)
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@router.get("/invite/{code}", response_class=HTMLResponse, name="accept_form")
def accept_form(request: Request, code: str,
                session: Session = Depends(db_session)) -> HTMLResponse:
    try:
        PortalRepository(session, actor="anonymous").check_invitation(code, _now())
    except NotFoundError as exc:
        return render(request, "portal_accept.html", status=404, user=None, invalid=str(exc),
                      code=code, errors={}, username="", min_password=MIN_PASSWORD)
    return render(request, "portal_accept.html", user=None, invalid="", code=code, errors={},
                  username="", min_password=MIN_PASSWORD)


def _account_problems(username: str, password: str, again: str) -> dict[str, str]:
    problems = {}
    if not 3 <= len(username) <= 64 or not set(username) <= USERNAME_CHARS:
        problems["username"] = "3-64 letters, digits or . _ - @"
    if len(password) < MIN_PASSWORD:
        problems["password"] = f"at least {MIN_PASSWORD} characters"
    elif password != again:
        problems["password_again"] = "the two passwords differ"
    return problems


@router.post("/invite/{code}", response_class=HTMLResponse)
def accept(request: Request, code: str, form: FormData = Depends(form_data),
           session: Session = Depends(db_session)) -> Response:
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    errors = _account_problems(username, password, str(form.get("password_again") or ""))
    repo = PortalRepository(session, actor=username or "anonymous")
    if not errors:
        try:
            user = repo.redeem(code, username, hash_password(password), _now())
            session.commit()
        except MyositisError as exc:
            session.rollback()
            errors = {"form": str(exc)}
    if errors:
        return render(request, "portal_accept.html", status=422, user=None, invalid="",
                      code=code, errors=errors, username=username, min_password=MIN_PASSWORD)
    settings = state(request).settings
    value, _csrf = state(request).tokens.issue_session(
        Principal(user.username, Role.PATIENT, user.patient_id))
    response = RedirectResponse("/portal", status_code=303)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=settings.resolved_secure_cookies(),
                        max_age=settings.session_hours * 3600)
    return response


EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@router.get("/portal", response_class=HTMLResponse)
def home(request: Request, saved: str | None = None,
         user: Principal = Depends(authorized("portal:self")),
         repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    account = repo.user(user.username)
    view = my_view(repo, user)
    return render(request, "portal.html", view=view, saved=saved, charts=_charts(request, view),
                  email_set=bool(account and account.email), email_error="")


def _charts(request: Request, view: PortalView) -> list[Markup]:
    """The patient's own measures as charts they can read (two points or more), beside the
    table that screen readers use; titles in the patient's language."""
    _ = i18n.translations(request_locale(request)).gettext
    haq = [(m.date, m.haq) for m in view.measures if m.haq is not None]
    rated = [(m.date, m.patient_global) for m in view.measures if m.patient_global is not None]
    out = []
    if len(haq) >= 2:
        out.append(Markup(line_chart(
            _("Daily activities (HAQ): 0 means no difficulty, 3 means unable"), haq, 3.0,
            unit=_("HAQ"))))
    if len(rated) >= 2:
        out.append(Markup(line_chart(
            _("How active you rated your myositis: 0 (not active) to 10"), rated, 10.0,
            unit=_("0 to 10"))))
    return out


@router.post("/portal/email", response_class=HTMLResponse)
def set_email(request: Request, form: FormData = Depends(form_data),
              user: Principal = Depends(authorized("portal:self")),
              repo: PortalRepository = Depends(portal_repository)) -> Response:
    """Reminders by e-mail: the patient gives (or removes, with an empty box) an address."""
    request.state.user = user
    email = str(form.get("email") or "").strip()
    if email and (len(email) > 254 or not EMAIL.match(email)):
        account = repo.user(user.username)
        return render(request, "portal.html", status=422, view=my_view(repo, user), saved=None,
                      email_set=bool(account and account.email),
                      email_error="email: this does not look like an e-mail address")
    ReminderRepository(repo.session, actor=user.username).set_email(user.username,
                                                                    email or None)
    repo.session.commit()
    return RedirectResponse("/portal?saved=email#email-h", status_code=303)


@router.get("/portal/export.json")
def export(user: Principal = Depends(authorized("portal:self")),
           repo: PortalRepository = Depends(portal_repository)) -> JSONResponse:
    """The patient's own data as JSON (a right of access): the plain view, visits and the
    questionnaires they submitted."""
    view = my_view(repo, user)
    visits = repo.visits(user.patient_id or 0)
    body: dict[str, Any] = {
        "exported_at": _now().isoformat(), "record": view.model_dump(mode="json"),
        "visits": [v.model_dump(mode="json", exclude={"notes"}) for v in visits]}
    return JSONResponse(body, headers={
        "content-disposition": 'attachment; filename="my-myositis-record.json"'})


def _questionnaire_from_form(form: Any) -> dict[str, Any]:
    """The posted form as the Questionnaire schema: HAQ answers per item (blank = not
    answered), the aid and help boxes per group, the VAS as typed numbers."""
    categories: dict[str, Any] = {}
    for name, questions in haq.HAQ_ITEMS.items():
        answers = [form.get(f"haq.{name}.{i}") for i in range(len(questions))]
        items = [int(a) if a in ("0", "1", "2", "3") else None for a in answers]
        aid = form.get(f"haq.{name}.aid") == "on"
        helped = form.get(f"haq.{name}.help") == "on"
        if any(i is not None for i in items) or aid or helped:
            categories[name] = {"items": items, "aid_or_device": aid, "help_from_person": helped}
    data: dict[str, Any] = {"haq": {"categories": categories} if categories else None}
    for field in ("patient_global", "pain", "fatigue"):
        raw = str(form.get(field) or "").strip().replace(",", ".")
        try:
            data[field] = float(raw) if raw else None
        except ValueError:
            data[field] = raw  # refused by the schema with the field named
    concerns = str(form.get("concerns") or "").strip()
    data["concerns"] = concerns or None
    data["warning_symptoms"] = [str(w) for w in form.getlist("warning_symptoms")]
    return data


def _form_page(request: Request, status: int = 200, errors: dict[str, str] | None = None,
               values: Any = None) -> HTMLResponse:
    return render(request, "portal_questionnaire.html", status=status, errors=errors or {},
                  values=values or {}, items=haq.HAQ_ITEMS, labels=haq.HAQ_CATEGORY_LABELS,
                  answers=haq.HAQ_ANSWERS, licence=haq.HAQ_LICENCE,
                  warnings=WARNING_TEXT)


@router.get("/portal/questionnaire", response_class=HTMLResponse)
def questionnaire_form(request: Request,
                       user: Principal = Depends(authorized("portal:self"))) -> HTMLResponse:
    request.state.user = user
    return _form_page(request)


@router.post("/portal/questionnaire", response_class=HTMLResponse)
def questionnaire(request: Request, form: FormData = Depends(form_data),
                  user: Principal = Depends(authorized("portal:self")),
                  repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    try:
        answers = Questionnaire.model_validate(_questionnaire_from_form(form))
    except ValidationError as exc:
        return _form_page(request, 422, form_errors(exc), form)
    result = submit(repo, user, answers)
    return render(request, "portal_submitted.html", result=result,
                  haq_min_categories=haq.MIN_CATEGORIES,
                  urgent=URGENT_ADVICE if answers.warning_symptoms else "")


@router.get("/portal/education", response_class=HTMLResponse)
def education_index(request: Request,
                    user: Principal = Depends(authorized("portal:self"))) -> HTMLResponse:
    request.state.user = user
    return render(request, "portal_education.html", page=None,
                  pages=list(load().education.values()))


@router.get("/portal/education/{page_id}", response_class=HTMLResponse)
def education_page(request: Request, page_id: str,
                   user: Principal = Depends(authorized("portal:self"))) -> HTMLResponse:
    request.state.user = user
    kb = load()
    page = kb.education.get(page_id)
    if page is None:
        raise NotFoundError(f"no page {page_id!r}")
    sources = [kb.sources[key] for key in page.sources]
    return render(request, "portal_education.html", page=page, pages=[], sources=sources)


def _exercise_page(request: Request, repo: PortalRepository, user: Principal,
                   status: int = 200, errors: dict[str, str] | None = None, values: Any = None,
                   saved: bool = False, stop: bool = False) -> HTMLResponse:
    view = exercise_of(repo, own_record(user))
    kb = load()
    sources = [kb.sources[k] for k in view.programme.sources] if view.programme else []
    return render(request, "portal_exercise.html", status=status, view=view, sources=sources,
                  errors=errors or {}, values=values or {}, saved=saved, stop=stop,
                  warnings=WARNING_TEXT, today=dt.date.today())


@router.get("/portal/exercise", response_class=HTMLResponse)
def exercise_page(request: Request, user: Principal = Depends(authorized("portal:self")),
                  repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    return _exercise_page(request, repo, user)


def _int_or_raw(raw: str) -> int | str:
    """A typed whole number, or the raw text for the schema to refuse with the field named."""
    raw = raw.strip()
    return int(raw) if raw.isdigit() else raw


@router.post("/portal/exercise", response_class=HTMLResponse)
def exercise_log_page(request: Request, form: FormData = Depends(form_data),
                      user: Principal = Depends(authorized("portal:self")),
                      repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    data = {"date": str(form.get("date") or ""),
            "minutes": _int_or_raw(str(form.get("minutes") or "")),
            "effort": _int_or_raw(str(form.get("effort") or "")),
            "exercises_done": [str(e) for e in form.getlist("exercises_done")],
            "stop_sign": form.get("stop_sign") == "on",
            "warning_symptoms": [str(w) for w in form.getlist("warning_symptoms")],
            "note": str(form.get("note") or "")}
    try:
        log = ExerciseLogIn.model_validate(data)
        out = log_session(repo, user, log)
    except ValidationError as exc:
        return _exercise_page(request, repo, user, 422, form_errors(exc), form)
    except InputError as exc:
        repo.session.rollback()
        return _exercise_page(request, repo, user, 422, dict(exc.problems), form)
    return _exercise_page(request, repo, user, saved=True,
                          stop=out.stop_sign or bool(out.warning_symptoms))


def _diary_page(request: Request, repo: PortalRepository, user: Principal, status: int = 200,
                errors: dict[str, str] | None = None, values: Any = None, saved: bool = False,
                urgent: str = "") -> HTMLResponse:
    return render(request, "portal_diary.html", status=status,
                  view=diary_of(repo, own_record(user)), errors=errors or {},
                  values=values or {}, saved=saved, urgent=urgent, today=dt.date.today())


@router.get("/portal/diary", response_class=HTMLResponse)
def diary_page(request: Request, user: Principal = Depends(authorized("portal:self")),
               repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    return _diary_page(request, repo, user)


@router.post("/portal/diary", response_class=HTMLResponse)
def diary_entry_page(request: Request, form: FormData = Depends(form_data),
                     user: Principal = Depends(authorized("portal:self")),
                     repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    data: dict[str, Any] = {"date": str(form.get("date") or ""),
                            "note": str(form.get("note") or "")}
    for field in ("weakness", "rash", "fatigue"):
        raw = str(form.get(field) or "").strip()
        data[field] = _int_or_raw(raw) if raw else None
    for field in ("swallowing_trouble", "breathing_trouble", "weakness_worsening_fast",
                  "new_calcinosis"):
        data[field] = form.get(field) == "on"
    try:
        entry = DiaryEntryIn.model_validate(data)
    except ValidationError as exc:
        return _diary_page(request, repo, user, 422, form_errors(exc), form)
    write_diary(repo, user, entry)
    return _diary_page(request, repo, user, saved=True,
                       urgent=URGENT_ADVICE if entry.warning_symptoms() else "")


@router.get("/portal/support", response_class=HTMLResponse)
def support_page(request: Request, user: Principal = Depends(authorized("portal:self")),
                 repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    """Patient organisations (juvenile ones first for a child) and recruiting trials that fit
    the record, each with "talk to your clinic first"."""
    request.state.user = user
    patient_id = own_record(user)
    patient = repo.patient(patient_id)
    view = clinic.patient_view(patient, repo.visits(patient_id), dt.date.today(),
                               repo.record_entries([patient_id])[patient_id])
    juvenile = view.record.age_years() < 18 or "jdm" in view.plan.phenotypes
    organisations = sorted(load().support.values(),
                           key=lambda o: (("juvenile" in o.serves) != juvenile, o.name))
    trials = open_trials_matching(repo, request, view.record, view.plan.phenotypes)
    sessions = group_sessions.for_patient(repo.group_sessions(_now()), juvenile)
    return render(request, "portal_support.html", organisations=organisations, trials=trials,
                  sessions=sessions, audiences=group_sessions.AUDIENCE_TEXT)


# -- clinic side: invite from the record, accept or decline a questionnaire ---------------

@router.post("/patients/{patient_id}/portal/invite", response_class=HTMLResponse)
def invite_page(request: Request, patient_id: RecordId,
                user: Principal = Depends(authorized("portal:invite")),
                repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    request.state.user = user
    code, expires = repo.invite(patient_id, _now())
    repo.session.commit()
    return render(request, "portal_invited.html", patient=repo.patient(patient_id), code=code,
                  link=str(request.url_for("accept_form", code=code)), expires=expires)


@router.post("/patients/{patient_id}/portal/reports/{report_id}/accept")
def accept_report_page(patient_id: RecordId, report_id: RecordId,
                       form: FormData = Depends(form_data),
                       user: Principal = Depends(authorized("patient:write")),
                       repo: PortalRepository = Depends(portal_repository)) -> Response:
    raw = str(form.get("visit_id") or "")
    if not raw.isdigit():
        raise InputError([("visit_id", "choose the visit to add the answers to")])
    repo.accept_report(patient_id, report_id, int(raw), _now())
    repo.session.commit()
    return RedirectResponse(f"/patients/{patient_id}?saved=questionnaire#portal",
                            status_code=303)


@router.post("/patients/{patient_id}/portal/reports/{report_id}/decline")
def decline_report_page(patient_id: RecordId, report_id: RecordId,
                        user: Principal = Depends(authorized("patient:write")),
                        repo: PortalRepository = Depends(portal_repository)) -> Response:
    repo.decline_report(patient_id, report_id, _now())
    repo.session.commit()
    return RedirectResponse(f"/patients/{patient_id}#portal", status_code=303)


@router.post("/patients/{patient_id}/exercise")
def set_exercise_page(patient_id: RecordId, form: FormData = Depends(form_data),
                      user: Principal = Depends(authorized("patient:write")),
                      repo: PortalRepository = Depends(portal_repository)) -> Response:
    try:
        plan = ExercisePlanIn.model_validate({"programme_id": str(form.get("programme_id") or ""),
                                              "note": str(form.get("note") or "")})
    except ValidationError as exc:
        raise InputError([(k, v) for k, v in form_errors(exc).items()]) from exc
    repo.set_exercise_plan(patient_id, plan, _now())
    repo.session.commit()
    return RedirectResponse(f"/patients/{patient_id}?saved=exercise#exercise", status_code=303)

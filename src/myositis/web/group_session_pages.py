"""The clinic's group sessions: staff add and cancel them; patients see the ones for their age
group on the portal's support page. The rules live in ``services.group_sessions``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from myositis.db.portal_repository import PortalRepository
from myositis.services.access import Principal
from myositis.services.group_sessions import AUDIENCE_TEXT, GroupSessionIn
from myositis.web.deps import RecordId, authorized
from myositis.web.pages import _with_user, form_data, form_errors, render
from myositis.web.portal_api import portal_repository

router = APIRouter(include_in_schema=False)


def _page(request: Request, repo: PortalRepository, status: int = 200,
          errors: dict[str, str] | None = None, values: FormData | None = None) -> HTMLResponse:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    return render(request, "group_sessions.html", status=status,
                  sessions=repo.group_sessions(since), audiences=AUDIENCE_TEXT,
                  errors=errors or {}, values=values or {})


@router.get("/clinic/sessions", response_class=HTMLResponse)
def sessions_page(request: Request, user: Principal = Depends(authorized("sessions:manage")),
                  repo: PortalRepository = Depends(portal_repository)) -> HTMLResponse:
    _with_user(request, user)
    return _page(request, repo)


@router.post("/clinic/sessions", response_class=HTMLResponse)
def add_session(request: Request, form: FormData = Depends(form_data),
                user: Principal = Depends(authorized("sessions:manage")),
                repo: PortalRepository = Depends(portal_repository)) -> Response:
    _with_user(request, user)
    try:
        session_in = GroupSessionIn.model_validate({
            "title": form.get("title") or "", "starts_at": form.get("starts_at") or None,
            "place": form.get("place") or "", "description": form.get("description") or "",
            "audience": form.get("audience") or "everyone"})
    except ValidationError as exc:
        return _page(request, repo, 422, form_errors(exc), form)
    repo.add_group_session(session_in, dt.datetime.now(dt.UTC))
    repo.session.commit()
    return RedirectResponse("/clinic/sessions", status_code=303)


@router.post("/clinic/sessions/{session_id}/cancel")
def cancel_session(request: Request, session_id: RecordId,
                   user: Principal = Depends(authorized("sessions:manage")),
                   repo: PortalRepository = Depends(portal_repository)) -> Response:
    _with_user(request, user)
    repo.cancel_group_session(session_id)
    repo.session.commit()
    return RedirectResponse("/clinic/sessions", status_code=303)

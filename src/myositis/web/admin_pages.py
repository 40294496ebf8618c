"""The administrator's user page: the same operations as `myositis users ...`, audited, with
the last active administrator protected by the repository."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from myositis.db.repository import Repository
from myositis.errors import ConflictError, MyositisError
from myositis.services.access import Principal, Role
from myositis.web.deps import authorized, repository, state
from myositis.web.pages import _with_user, form_data, render
from myositis.web.security import hash_password

router = APIRouter(include_in_schema=False)
MIN_PASSWORD = 12


STAFF_ROLES = [r.value for r in Role if r is not Role.PATIENT]
"""Roles an administrator gives; patients get accounts by invitation from their record."""


def _page(request: Request, repo: Repository, status: int = 200, error: str = "",
          done: str = "") -> HTMLResponse:
    return render(request, "admin_users.html", status=status, users=repo.users(),
                  roles=STAFF_ROLES, error=error, done=done)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, user: Principal = Depends(authorized("user:admin")),
               repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    return _page(request, repo)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(request: Request, form: FormData = Depends(form_data),
             user: Principal = Depends(authorized("user:admin")),
             repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    role = str(form.get("role") or "")
    problems = []
    if not username or len(username) > 64:
        problems.append("username: 1-64 characters")
    if len(password) < MIN_PASSWORD:
        problems.append(f"password: at least {MIN_PASSWORD} characters")
    if role not in STAFF_ROLES:
        problems.append("role: admin, clinician or researcher")
    if not problems and repo.user(username):
        problems.append(f"username: {username} already exists")
    if problems:
        return _page(request, repo, 422, "; ".join(problems))
    repo.add_user(username, hash_password(password), role)
    repo.session.commit()
    return RedirectResponse("/admin/users?done=added", status_code=303)


@router.post("/admin/users/{username}", response_class=HTMLResponse)
def change_user(request: Request, username: str, form: FormData = Depends(form_data),
                user: Principal = Depends(authorized("user:admin")),
                repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    action = form.get("action")
    try:
        if action == "disable":
            repo.set_user(username, active=False)
        elif action == "enable":
            repo.set_user(username, active=True)
        elif action == "set-role" and form.get("role") in STAFF_ROLES:
            repo.set_user(username, role=str(form.get("role")))
        elif action == "reset-password":
            password = str(form.get("password") or "")
            if len(password) < MIN_PASSWORD:
                return _page(request, repo, 422,
                             f"password: at least {MIN_PASSWORD} characters")
            repo.set_user(username, password_hash=hash_password(password))
        else:
            return _page(request, repo, 422, "unknown action")
        repo.session.commit()
    except ConflictError as exc:
        repo.session.rollback()
        return _page(request, repo, 409, str(exc))
    except MyositisError as exc:
        repo.session.rollback()
        return _page(request, repo, 404, str(exc))
    state(request).accounts.pop(username, None)  # this worker applies the change at once
    return RedirectResponse("/admin/users?done=changed", status_code=303)

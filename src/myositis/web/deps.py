"""Request dependencies: the unit of work, who is asking, and the one policy check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session, sessionmaker

from myositis.db.repository import Repository
from myositis.errors import AuthenticationError, PermissionDeniedError
from myositis.services.access import Action, Principal, require
from myositis.settings import Settings
from myositis.web.security import Tokens

SESSION_COOKIE = "myositis_session"
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647, description="record id")]
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]
    tokens: Tokens


def state(request: Request) -> AppState:
    value: AppState = request.app.state.myositis
    return value


async def db_session(request: Request) -> AsyncIterator[Session]:
    # Async on purpose: opening a Session does no I/O (it connects lazily, in the endpoint's
    # worker thread), and closing one is a pool check-in, so neither is worth a thread hop.
    session = state(request).sessions()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def _csrf_form_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def principal(request: Request) -> Principal:
    """Bearer token (API) or session cookie (pages); cookie writes must carry the CSRF token."""
    tokens = state(request).tokens
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return tokens.read_token(auth[7:].strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = tokens.read_session(cookie)
        request.state.csrf = session.csrf
        if request.method in UNSAFE and await _csrf_form_token(request) != session.csrf:
            raise PermissionDeniedError("missing or invalid CSRF token")
        return session.principal
    raise AuthenticationError("not authenticated")


def authorized(action: Action) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the caller, after the policy allowed ``action``."""

    async def check(user: Principal = Depends(principal)) -> Principal:
        require(user, action)
        return user

    return check


async def repository(user: Principal = Depends(principal),
               session: Session = Depends(db_session)) -> Repository:
    return Repository(session, actor=user.username)

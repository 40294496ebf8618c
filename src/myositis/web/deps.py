"""Request dependencies: the unit of work, who is asking, and the one policy check."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BeforeValidator
from sqlalchemy.orm import Session, sessionmaker

from myositis.db.engine import DEADLINE_KEY
from myositis.db.repository import Repository
from myositis.errors import AuthenticationError, PermissionDeniedError
from myositis.services.access import Action, Principal, Role, require
from myositis.settings import Settings
from myositis.web.security import Tokens

SESSION_COOKIE = "myositis_session"
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647, description="record id")]
# A date in a query string is an ISO calendar date, not a number read as a Unix timestamp
# ("0.0" was accepted as 1970-01-01).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("a date as YYYY-MM-DD")
    return value

IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), Query(description="YYYY-MM-DD")]
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


ACCOUNT_CHECK_SECONDS = 5.0


@dataclass
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]
    tokens: Tokens
    accounts: dict[str, tuple[float, bool, str, int | None]] = field(default_factory=dict)

    def account(self, username: str) -> tuple[bool, str, int | None]:
        """Whether the account is active, its current role and (patients) its record, read
        from the database at most every few seconds per worker, so that disabling an account
        or changing its role takes effect on live sessions and tokens without a database read
        per request."""
        now = time.monotonic()
        cached = self.accounts.get(username)
        if cached is not None and now - cached[0] < ACCOUNT_CHECK_SECONDS:
            return cached[1], cached[2], cached[3]
        with self.sessions() as session:
            user = Repository(session, actor="system").user(username)
            status = (bool(user and user.active), user.role if user else "",
                      user.patient_id if user else None)
        self.accounts[username] = (now, *status)
        return status


def state(request: Request) -> AppState:
    value: AppState = request.app.state.myositis
    return value


async def db_session(request: Request) -> AsyncIterator[Session]:
    # Async on purpose: opening a Session does no I/O (it connects lazily, in the endpoint's
    # worker thread), and closing one is a pool check-in, so neither is worth a thread hop.
    session = state(request).sessions()
    deadline = getattr(request.state, "deadline", None)
    if deadline is not None:
        session.info[DEADLINE_KEY] = deadline
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


async def _current(request: Request, claimed: Principal) -> Principal:
    """The caller as the accounts table says now: disabled accounts are refused and a changed
    role applies at once (within the few seconds of the per-worker account cache)."""
    active, role, patient_id = await run_in_threadpool(state(request).account,
                                                       claimed.username)
    if not active:
        raise AuthenticationError("this account is disabled or no longer exists")
    return Principal(claimed.username, Role(role), patient_id)


async def principal(request: Request) -> Principal:
    """Bearer token (API) or session cookie (pages); cookie writes must carry the CSRF token."""
    tokens = state(request).tokens
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = await _current(request, tokens.read_token(auth[7:].strip()))
        request.state.principal = user  # read by the access log
        return user
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = tokens.read_session(cookie)
        request.state.csrf = session.csrf
        if request.method in UNSAFE and await _csrf_form_token(request) != session.csrf:
            raise PermissionDeniedError("missing or invalid CSRF token")
        user = await _current(request, session.principal)
        request.state.principal = user
        if session.renew:  # sliding idle timeout: the response carries a fresh cookie
            settings = state(request).settings
            value, _ = tokens.issue_session(session.principal, csrf=session.csrf,
                                            started=session.started)
            request.state.renew_cookie = (
                f"{SESSION_COOKIE}={value}; HttpOnly; Max-Age={settings.session_hours * 3600}; "
                "Path=/; SameSite=strict" + ("; Secure" if settings.resolved_secure_cookies()
                                             else ""))
        return user
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

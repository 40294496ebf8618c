"""Application factory: state, security headers, one JSON error envelope, routers."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myositis.db.engine import make_engine, migrate, session_factory
from myositis.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    MyositisError,
    NotComputableError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
)
from myositis.services.clinic import summary_cache, view_cache
from myositis.settings import Settings
from myositis.web import (
    account_pages,
    admin_pages,
    api,
    evidence_pages,
    group_session_pages,
    pages,
    portal_api,
    portal_pages,
    record_pages,
    visit_pages,
    warmup,
)
from myositis.web.access_log import AccessLogMiddleware, AccessRecorder
from myositis.web.admission import AdmissionControl
from myositis.web.deps import SESSION_COOKIE, AppState
from myositis.web.research_view import ResearchDatesMiddleware
from myositis.web.security import Tokens

log = logging.getLogger("myositis.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}
STATUS: list[tuple[type[MyositisError], int, str]] = [
    (NotFoundError, 404, "not_found"),
    (AuthenticationError, 401, "not_authenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (InputError, 422, "invalid_input"),
    (NotComputableError, 422, "not_computable"),
    (api.TooManyAttemptsError, 429, "too_many_attempts"),
    (OverloadedError, 503, "overloaded"),
]


def envelope(status: int, code: str, message: str,
             fields: list[dict[str, str]] | None = None) -> JSONResponse:
    error: dict[str, object] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    body = {"error": error}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task or body buffering, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
                renew = scope.get("state", {}).get("renew_cookie")
                if renew and not any(v.startswith(SESSION_COOKIE + "=")
                                     for v in headers.getlist("set-cookie")):
                    headers.append("set-cookie", renew)
                if scope.get("scheme") == "https" and "strict-transport-security" not in headers:
                    # HSTS only over TLS (directly or via a trusted proxy's forwarded scheme)
                    headers["strict-transport-security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    url = settings.resolved_database_url()
    if engine is None:
        migrate(url)
        engine = make_engine(url)
    app = FastAPI(title="myositis clinic API", version="0.1.0",
                  description="Longitudinal myositis records. Decision support only; it does "
                              "not prescribe. All demo data are synthetic.")
    app.state.myositis = AppState(
        settings=settings,
        sessions=session_factory(engine),
        tokens=Tokens(settings.resolved_secret(), settings.token_minutes * 60,
                      settings.session_hours * 3600, settings.idle_minutes * 60),
    )
    app.state.engine = engine
    summary_cache().clear()  # rows are keyed by patient id and version, not by database
    view_cache().clear()

    app.state.access_log = AccessRecorder(app.state.myositis.sessions)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLogMiddleware, recorder=app.state.access_log)
    app.add_middleware(ResearchDatesMiddleware)
    # outermost: a shed request costs no other middleware's work
    app.add_middleware(AdmissionControl, limit=settings.max_in_flight,
                       deadline_seconds=settings.request_deadline_seconds)
    app.router.on_shutdown.append(app.state.access_log.close)

    @app.exception_handler(MyositisError)
    async def domain_error(request: Request, exc: MyositisError) -> Response:
        for kind, status, code in STATUS:
            if isinstance(exc, kind):
                if status == 401 and _is_page(request):
                    return RedirectResponse("/login", status_code=303)
                fields = [{"field": f, "message": m} for f, m in exc.problems] \
                    if isinstance(exc, InputError) else None
                response = envelope(status, code, str(exc), fields)
                if status == 503:
                    response.headers["Retry-After"] = "1"
                return response
        return envelope(400, "error", str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"),
                   "message": e["msg"]} for e in exc.errors()]
        return envelope(422, "invalid_input", "request validation failed", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return envelope(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return envelope(500, "server_error", "internal server error")

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(visit_pages.router)
    app.include_router(record_pages.router)
    app.include_router(admin_pages.router)
    app.include_router(evidence_pages.router)
    app.include_router(evidence_pages.pages)
    app.include_router(portal_api.router)
    app.include_router(portal_pages.router)
    app.include_router(group_session_pages.router)
    app.include_router(account_pages.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")),
              name="static")
    if settings.warm_worklist:
        app.state.warmup_stop = threading.Event()
        app.state.warmup = warmup.start(app.state.myositis.sessions, app.state.warmup_stop)
    return app


def worker_app() -> FastAPI:
    """Factory for uvicorn worker processes (``serve --workers N``); the parent migrated."""
    settings = Settings()
    return create_app(settings, engine=make_engine(settings.resolved_database_url()))

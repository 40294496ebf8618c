"""Admission control: each worker admits a bounded number of requests and sheds the rest at
once with 503 and ``Retry-After``, instead of queueing them behind its thread and database
pools (where, under a retry storm, work for clients long gone kept the server unresponsive
after the load stopped).

Every admitted request gets a deadline; a request that waited past it is abandoned before it
takes a database connection (`myositis.db.engine` checks ``session.info["deadline"]`` when a
transaction begins). The health check is never shed, so that a load balancer can tell an
overloaded server from a dead one.
"""

from __future__ import annotations

import json
import time

from starlette.types import ASGIApp, Receive, Scope, Send

NEVER_SHED = ("/api/health",)
SHED_BODY = json.dumps({"error": {
    "code": "overloaded", "message": "the server is at capacity; retry in a second"}}).encode()


class AdmissionControl:
    """Pure ASGI middleware; one counter per worker process (the event loop is one thread,
    so the counter needs no lock)."""

    def __init__(self, app: ASGIApp, limit: int, deadline_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.deadline_seconds = deadline_seconds
        self.in_flight = 0
        self.shed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in NEVER_SHED:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.shed += 1
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", b"1"),
                (b"content-length", str(len(SHED_BODY)).encode())]})
            await send({"type": "http.response.body", "body": SHED_BODY})
            return
        scope.setdefault("state", {})["deadline"] = time.monotonic() + self.deadline_seconds
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

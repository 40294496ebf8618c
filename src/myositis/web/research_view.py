"""Research views that are harder to re-identify: no exact date reaches a researcher.

Dates of onset and of every visit are quasi-identifiers in a rare disease. For the researcher
role every ISO date or timestamp in a response (JSON, pages, CSV and the charts inside pages)
is reduced to its month (``2026-10-01`` -> ``2026-10``), on every channel at once because it
is applied to the response body here, after the views have built it; a view added later cannot
forget it. A PDF cannot be rewritten and is refused to researchers (the HTML letter is served).
Identity fields are already removed by the views (pseudonymisation).
"""

from __future__ import annotations

import json
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myositis.services.access import Role

ISO_DATE = re.compile(rb"\b(\d{4})-(\d{2})-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                      rb"(?:Z|[+-]\d{2}:?\d{2}| UTC)?)?\b")
TEXTUAL = (b"application/json", b"text/", b"image/svg")


def to_month(body: bytes) -> bytes:
    """Every ISO date or timestamp in ``body`` reduced to year and month."""
    return ISO_DATE.sub(rb"\1-\2", body)


class ResearchDatesMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        mode = "pass"

        async def filtered(message: Message) -> None:
            nonlocal start, mode
            if message["type"] == "http.response.start":
                user = scope.get("state", {}).get("principal")
                if user is None or user.role != Role.RESEARCHER:
                    await send(message)
                    return
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if kind.startswith(b"application/pdf"):
                    mode = "refuse"
                elif kind.startswith(TEXTUAL):
                    mode = "rewrite"
                else:
                    await send(message)
                    return
                start = message
                return
            if mode == "pass":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            if mode == "refuse":
                body = json.dumps({"error": {"code": "forbidden", "message": "researchers get "
                                             "the HTML letter (dates at month precision)"}}
                                  ).encode()
                start = {**start, "status": 403,
                         "headers": [(b"content-type", b"application/json")]}
            else:
                body = to_month(b"".join(chunks))
            headers = MutableHeaders(scope=start)
            headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, filtered)


__all__ = ["ResearchDatesMiddleware", "to_month"]

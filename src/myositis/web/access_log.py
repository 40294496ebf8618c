"""Who viewed which patient record: every successful read of patient data is logged.

An ASGI middleware matches the request path against :data:`ROUTES` (data: a pattern, the
action and the channel) once the response has started with a 2xx status, and hands the row to
an :class:`AccessRecorder`. The recorder buffers rows in memory and a background thread writes
them in batches (every half second, or at once past :data:`BATCH`), so that a read costs a
queue append instead of a database write: on SQLite a write per read would serialise every
reader behind the single writer. The price is that rows of the last half second are lost if
the process is killed; they are flushed on a normal shutdown.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import re
import threading
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myositis.db import models

log = logging.getLogger(__name__)

BATCH = 200
INTERVAL_SECONDS = 0.5

# (path pattern, action, channel): the first match wins; group "pid" is the patient id.
ROUTES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), action, channel) for pattern, action, channel in (
        (r"^/api/patients/(?P<pid>\d+)/plan(?:/.*)?$", "plan", "api"),
        (r"^/api/patients/(?P<pid>\d+)(?:/.*)?$", "view", "api"),
        (r"^/api/patients$", "list", "api"),
        (r"^/api/worklist$", "list", "api"),
        (r"^/patients/(?P<pid>\d+)/letter(?:\.pdf)?$", "letter", "page"),
        (r"^/patients/(?P<pid>\d+)/plan(?:\.\w+)?$", "plan", "page"),
        (r"^/patients/(?P<pid>\d+)(?:/.*)?$", "view", "page"),
        (r"^/patients$", "list", "page"),
        (r"^/worklist(?:\.csv)?$", "list", "page"),
        (r"^/export(?:/.*)?$", "export", "page"),
        (r"^/api/export(?:/.*)?$", "export", "api"),
        # The portal reads the patient's own record (its id comes from the account).
        (r"^/portal/export\.json$", "export", "page"),
        (r"^/portal$", "view", "page"),
        (r"^/api/portal/me$", "view", "api"),
    ))


@dataclass(frozen=True)
class Access:
    at: dt.datetime
    username: str
    role: str
    action: str
    channel: str
    patient_id: int | None
    path: str


def classify(path: str) -> tuple[str, str, int | None] | None:
    """(action, channel, patient id) for a logged path, None for any other."""
    for pattern, action, channel in ROUTES:
        match = pattern.match(path)
        if match:
            pid = match.groupdict().get("pid")
            return action, channel, int(pid) if pid else None
    return None


class AccessRecorder:
    """Buffered, batched writer of access rows (one per worker process)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._queue: queue.SimpleQueue[Access] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="access-log", daemon=True)
        self._thread.start()

    def record(self, access: Access) -> None:
        self._queue.put(access)
        if self._queue.qsize() >= BATCH:
            self._wake.set()

    def flush(self) -> int:
        """Write everything queued now; returns the number of rows written."""
        rows = []
        while True:
            try:
                rows.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if not rows:
            return 0
        try:
            with self._sessions() as session:
                session.execute(insert(models.AccessEntry),
                                [row.__dict__ for row in rows])
                session.commit()
        except Exception:  # a logging failure must not take the reads down with it
            log.exception("could not write %d access-log rows", len(rows))
            return 0
        return len(rows)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(INTERVAL_SECONDS)
            self._wake.clear()
            self.flush()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self.flush()


class AccessLogMiddleware:
    """Logs each successful GET of patient data with the caller the auth dependency found."""

    def __init__(self, app: ASGIApp, recorder: AccessRecorder) -> None:
        self.app = app
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        target = classify(scope["path"])
        if target is None:
            await self.app(scope, receive, send)
            return

        async def send_and_log(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                user = scope.get("state", {}).get("principal")
                if user is not None:
                    action, channel, pid = target
                    pid = pid if pid is not None else getattr(user, "patient_id", None)
                    self.recorder.record(Access(
                        at=dt.datetime.now(dt.UTC), username=user.username,
                        role=user.role.value, action=action, channel=channel, patient_id=pid,
                        path=scope["path"][:255]))
            await send(message)

        await self.app(scope, receive, send_and_log)


__all__ = ["ROUTES", "Access", "AccessLogMiddleware", "AccessRecorder", "classify"]

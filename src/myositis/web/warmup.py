"""Keep the worklist warm: compute every patient's list and worklist row in the background when a
worker starts and again just after midnight, so the first worklist request of the day does not
wait for thousands of care plans. Rows are keyed by record version and date, so a row computed
here is exactly the row a request would compute."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from myositis.db.repository import Repository

log = logging.getLogger("myositis.warmup")
_warm = threading.Event()


def is_warm() -> bool:
    """Whether this worker's warm-up has finished once (the health check reports it, so a
    deployment or a benchmark can wait for it instead of timing requests against it)."""
    return _warm.is_set()


def warm_once(sessions: sessionmaker[Session]) -> int:
    from myositis.web.api import patient_rows

    with sessions() as session:
        return len(patient_rows(Repository(session, actor="system"), None))


def start(sessions: sessionmaker[Session], stop: threading.Event) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                rows = warm_once(sessions)
                _warm.set()
                log.info("worklist warm: %d rows in %.1f s", rows, time.monotonic() - started)
            except Exception:
                log.exception("worklist warm-up failed")
            now = dt.datetime.now()
            tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 1))
            stop.wait((tomorrow - now).total_seconds())

    thread = threading.Thread(target=run, name="worklist-warmup", daemon=True)
    thread.start()
    return thread

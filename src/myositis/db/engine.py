"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import threading
import time
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from myositis.errors import ConflictError, OverloadedError


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        _queue_sqlite_writers(factory)
    _abandon_past_deadline(factory)
    return factory


DEADLINE_KEY = "deadline"


def _abandon_past_deadline(factory: sessionmaker[Session]) -> None:
    """A request that waited in the thread pool past its deadline (``session.info`` holds a
    ``time.monotonic()`` value, set by the web layer) fails before its first transaction
    takes a connection: its client has most likely given up, and the connection is better
    spent on one that has not."""

    @event.listens_for(factory, "after_transaction_create")
    def _check(session: Session, transaction: SessionTransaction) -> None:
        # the first transaction only: once a request has started its work it finishes it,
        # so a write is never followed by a 503 that invites a duplicate retry
        deadline = session.info.pop(DEADLINE_KEY, None) if transaction.parent is None \
            else None
        if deadline is not None and time.monotonic() > deadline:
            raise OverloadedError("the request waited too long for the server; retry")


WRITE_LOCK_KEY = "myositis.write_lock"


def _queue_sqlite_writers(factory: sessionmaker[Session]) -> None:
    """SQLite has one writer at a time, and a blocked writer sleeps in SQLite's busy handler
    (1, 2, 5, 10 ... ms) long after the lock is free. Threads of this process therefore queue
    on a lock from their first flush to the end of their transaction; other processes still
    meet the busy timeout, which stays the cross-process guard."""
    lock = threading.Lock()

    @event.listens_for(factory, "before_flush")
    def _acquire(session: Session, _context: Any, _instances: Any) -> None:
        if WRITE_LOCK_KEY not in session.info:
            if not lock.acquire(timeout=30):
                raise ConflictError("the database is busy; try again")
            session.info[WRITE_LOCK_KEY] = True

    @event.listens_for(factory, "after_transaction_end")
    def _release(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None and session.info.pop(WRITE_LOCK_KEY, False):
            lock.release()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "myositis.db:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Create or upgrade the schema to the latest migration."""
    command.upgrade(alembic_config(url), "head")

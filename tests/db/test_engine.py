"""SQLite writers queue on a process lock from first flush to end of transaction."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from myositis.db import models
from myositis.db.engine import WRITE_LOCK_KEY, make_engine, migrate, session_factory


def _user(name: str) -> models.User:
    return models.User(username=name, password_hash="x", role="clinician")


def test_second_writer_waits_for_the_first_to_commit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    migrate(url)
    sessions = session_factory(make_engine(url))
    first = sessions()
    first.add(_user("first"))
    first.flush()
    assert first.info[WRITE_LOCK_KEY]
    done = threading.Event()

    def second_writer() -> None:
        with sessions() as second:
            second.add(_user("second"))
            second.commit()
        done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert not done.is_set()  # queued behind the first writer's open transaction
    first.commit()
    thread.join(timeout=10)
    assert done.is_set()
    assert WRITE_LOCK_KEY not in first.info
    first.close()


def test_rollback_releases_the_write_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    migrate(url)
    sessions = session_factory(make_engine(url))
    with sessions() as failed:
        failed.add(_user("dup"))
        failed.flush()
        failed.rollback()
        assert WRITE_LOCK_KEY not in failed.info
    with sessions() as later:
        later.add(_user("dup"))
        later.commit()  # would wait 30 s and fail if the lock had leaked
    with sessions() as reader:
        assert reader.query(models.User).count() == 1


def test_only_sqlite_takes_the_process_lock(database_url: str) -> None:
    migrate(database_url)
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        session.add(_user("a"))
        session.flush()
        assert bool(session.info.get(WRITE_LOCK_KEY)) == database_url.startswith("sqlite")
        session.commit()
    engine.dispose()

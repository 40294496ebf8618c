"""Loading the SYNTHETIC demo clinic and its demo users into an empty database."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session, sessionmaker

from myositis.db.repository import Repository
from myositis.demo.clinic import demo_clinic, demo_entries

DEMO_USERS = (("admin", "admin"), ("clinician", "clinician"), ("researcher", "researcher"))


def ensure_demo_users(sessions: sessionmaker[Session], hash_password: Callable[[str], str],
                      passwords: Mapping[str, str] | None = None) -> dict[str, str]:
    """Create the demo accounts that do not exist yet and return {username: password} for
    those just created. No install shares a known password: each password is random
    (``secrets.token_urlsafe``) unless given, is stored only as a hash, and is returned so that
    the caller can show it once."""
    created: dict[str, str] = {}
    with sessions() as session:
        repo = Repository(session, actor="system")
        for username, role in DEMO_USERS:
            if repo.user(username) is None:
                password = (passwords or {}).get(username) or secrets.token_urlsafe(12)
                repo.add_user(username, hash_password(password), role)
                created[username] = password
        session.commit()
    return created


def count_users(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return len(Repository(session, actor="system").users())


def load_demo_clinic(sessions: sessionmaker[Session], count: int = 36,
                     today: dt.date | None = None,
                     progress: Callable[[int], None] | None = None) -> int:
    """Insert the synthetic clinic; returns the number of patients added."""
    added = 0
    with sessions() as session:
        repo = Repository(session, actor="system")
        for patient, visits in demo_clinic(count, today=today):
            stored = repo.create_patient(patient)
            for visit in visits:
                repo.add_visit(stored.id, visit)
            for kind, entry in demo_entries(patient, visits):
                repo.add_entry(stored.id, kind, entry)  # type: ignore[arg-type]
            added += 1
            if progress:
                progress(1)
        session.commit()
    return added


def is_empty(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return Repository(session, actor="system").count_patients() == 0

"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and an app over it."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.seed import ensure_demo_users, load_demo_clinic
from myositis.settings import Settings
from myositis.web import create_app
from myositis.web.security import hash_password

PG_ADMIN_URL = os.environ.get("MYOSITIS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TODAY = dt.date(2026, 11, 21)


def _pg_database() -> Iterator[str]:
    import psycopg

    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"myositis_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate(database_url)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    ensure_demo_users(sessions, hash_password, PASSWORDS)
    load_demo_clinic(sessions, count=4, today=TODAY)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=database_url, secret_key="test-secret-key",
                    login_attempts_per_minute=5)


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine)
    with TestClient(app) as test_client:
        yield test_client


PASSWORDS = {"admin": "demo-admin-2026", "clinician": "demo-clinician-2026",
             "researcher": "demo-researcher-2026"}


def bearer(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token",
                           data={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}

"""Property-based API testing from the OpenAPI description: no request produces a server error
and every response matches its documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.seed import ensure_demo_users, load_demo_clinic
from myositis.settings import Settings
from myositis.web import create_app
from myositis.web.security import hash_password
from tests.conftest import PASSWORDS, TODAY, bearer


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    directory: Path = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{directory / 'api.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    ensure_demo_users(sessions, hash_password, PASSWORDS)
    load_demo_clinic(sessions, count=3, today=TODAY)
    yield create_app(Settings(data_dir=directory, database_url=url, secret_key="st",
                              login_attempts_per_minute=1000), engine=engine)
    engine.dispose()


@pytest.fixture(scope="module")
def api_schema(api_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


@pytest.fixture(scope="module")
def admin_headers(api_app: FastAPI) -> dict[str, str]:
    with TestClient(api_app) as client:
        return bearer(client, "admin")


def test_api_never_fails(api_schema: schemathesis.BaseSchema,
                         admin_headers: dict[str, str]) -> None:
    from hypothesis import given
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=admin_headers,
                                   checks=[not_a_server_error, response_schema_conformance])

        check()


def test_api_rejects_negative_data(api_schema: schemathesis.BaseSchema,
                                   admin_headers: dict[str, str]) -> None:
    """Issue 13: data that breaks the documented schema (wrong types, out of range, missing
    fields) is refused with a 4xx on every operation, never stored."""
    from hypothesis import given
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import negative_data_rejection

    operations = [result.ok() for result in api_schema.get_all_operations()]
    checked = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        @settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=admin_headers,
                                   checks=[not_a_server_error, negative_data_rejection])

        try:
            check()
        except Unsatisfiable:  # nothing in this operation can be made schema-violating
            continue
        checked += 1
    assert checked >= 10

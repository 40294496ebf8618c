"""The worker-process factory and the settings that size the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from myositis.db.engine import migrate
from myositis.settings import Settings
from myositis.web.app import worker_app


def test_worker_app_builds_from_the_environment(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYOSITIS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MYOSITIS_DATABASE_URL", raising=False)
    migrate(Settings().resolved_database_url())  # the parent process migrates, not workers
    with TestClient(worker_app()) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get("/api/patients").status_code == 401
    # Workers sign with the one key kept in the data directory, so any worker reads any token.
    assert (tmp_path / "secret.key").exists()


def test_workers_default_to_cores_capped_at_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert Settings().resolved_workers() == 4
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert Settings().resolved_workers() == 1
    assert Settings(workers=3).resolved_workers() == 3


def test_workers_out_of_range_names_the_setting() -> None:
    with pytest.raises(ValidationError, match="workers"):
        Settings(workers=99)


def test_hsts_only_over_tls(client: TestClient) -> None:
    plain = client.get("/api/health")
    assert "strict-transport-security" not in plain.headers
    tls = client.get("https://testserver/api/health")
    assert tls.headers["strict-transport-security"].startswith("max-age=")

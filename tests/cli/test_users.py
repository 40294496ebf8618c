"""`myositis users ...` and the CLI error titles (a restore error is not "Cannot compute")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myositis.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MYOSITIS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MYOSITIS_DATABASE_URL", raising=False)
    return tmp_path


def test_users_lifecycle_and_last_admin(data_dir: Path) -> None:
    ok = runner.invoke(app, ["users", "add", "syn-chief", "--role", "admin", "--password",
                             "a-long-password-1"])
    assert ok.exit_code == 0, ok.output
    runner.invoke(app, ["users", "add", "syn-doc", "--role", "clinician", "--password",
                        "a-long-password-2"])
    listed = runner.invoke(app, ["users", "list"])
    assert "syn-chief" in listed.output and "clinician" in listed.output
    refused = runner.invoke(app, ["users", "disable", "syn-chief"])
    assert refused.exit_code == 2 and "last active administrator" in refused.output
    assert "Cannot change the account" in refused.output
    assert runner.invoke(app, ["users", "set-role", "syn-doc", "admin"]).exit_code == 0
    assert runner.invoke(app, ["users", "disable", "syn-chief"]).exit_code == 0
    assert runner.invoke(app, ["users", "enable", "syn-chief"]).exit_code == 0
    reset = runner.invoke(app, ["users", "reset-password", "syn-doc", "--password", "short"])
    assert reset.exit_code == 2 and "12 characters" in reset.output
    missing = runner.invoke(app, ["users", "disable", "nobody"])
    assert missing.exit_code == 2 and "Not found" in missing.output


def test_restore_error_is_titled_as_a_restore(data_dir: Path) -> None:
    bad = data_dir / "bad.json"
    bad.write_text(json.dumps({"format": "something-else"}))
    result = runner.invoke(app, ["restore", str(bad)])
    assert result.exit_code == 2 and "Cannot restore" in result.output
    assert "Cannot compute" not in result.output

"""`myositis serve` start-up rules: no install has a known password (issue 13, section 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from myositis.cli import app
from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.repository import Repository
from myositis.db.seed import ensure_demo_users
from myositis.settings import is_loopback
from myositis.web.security import hash_password, verify_password

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MYOSITIS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MYOSITIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("MYOSITIS_DEMO_PASSWORD", raising=False)
    # `serve` writes these to the environment for its workers: restored after the test
    monkeypatch.setenv("MYOSITIS_HOST", "127.0.0.1")
    monkeypatch.setenv("MYOSITIS_WARM_WORKLIST", "0")
    return tmp_path


def test_demo_accounts_get_random_passwords_stored_hashed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    created = ensure_demo_users(sessions, hash_password)
    assert set(created) == {"admin", "clinician", "researcher"}
    assert len(set(created.values())) == 3 and all(len(p) >= 16 for p in created.values())
    assert not any(p.startswith("demo-") for p in created.values())
    with sessions() as session:
        stored = Repository(session, actor="test").user("admin")
        assert stored is not None and created["admin"] not in stored.password_hash
        assert verify_password(stored.password_hash, created["admin"])
    assert ensure_demo_users(sessions, hash_password) == {}  # shown once, never again
    other = tmp_path / "other.db"
    migrate(f"sqlite:///{other}")
    again = ensure_demo_users(session_factory(make_engine(f"sqlite:///{other}")), hash_password)
    assert again["admin"] != created["admin"]  # two installs never share a password
    engine.dispose()


def test_demo_clinic_is_refused_on_a_network_address(data_dir: Path) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 2
    assert "--no-demo" in result.output and "--demo-on-network" in result.output
    assert not (data_dir / "myositis.db").exists()  # refused before anything was created


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert not is_loopback("clinic.example.org")

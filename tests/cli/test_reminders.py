"""`myositis reminders send`: one private e-mail per patient with something new coming up,
to a local SMTP sink (aiosmtpd on 127.0.0.1, never outside the machine); never twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from myositis.cli import app
from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.portal_repository import ReminderRepository
from myositis.db.seed import ensure_demo_users, load_demo_clinic
from myositis.web.security import hash_password

runner = CliRunner()


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def sink() -> Any:
    import socket

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_reminders_are_private_and_never_repeated(tmp_path: Path, sink: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    handler, port = sink
    url = f"sqlite:///{tmp_path / 'myositis.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    ensure_demo_users(sessions, hash_password, {"admin": "a" * 14, "clinician": "c" * 14,
                                                "researcher": "r" * 14})
    load_demo_clinic(sessions, count=2, today=dt.date.today())
    now = dt.datetime.now(dt.UTC)
    with sessions() as session:
        repo = ReminderRepository(session, actor="test")
        code, _ = repo.invite(1, now)
        repo.redeem(code, "syn-mail", hash_password("x" * 14), now)
        repo.set_email("syn-mail", "syn-mail@example.invalid")
        code, _ = repo.invite(2, now)
        repo.redeem(code, "syn-nomail", hash_password("x" * 14), now)
        session.commit()
    engine.dispose()
    monkeypatch.setenv("MYOSITIS_DATABASE_URL", url)
    monkeypatch.setenv("MYOSITIS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MYOSITIS_SMTP_HOST", raising=False)
    unset = runner.invoke(app, ["reminders", "send"])
    assert unset.exit_code == 2 and "SMTP_HOST" in unset.output
    dry = runner.invoke(app, ["reminders", "send", "--dry-run"])
    assert dry.exit_code == 0 and "syn-mail:" in dry.output and handler.messages == []
    monkeypatch.setenv("MYOSITIS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MYOSITIS_SMTP_PORT", str(port))
    first = runner.invoke(app, ["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert len(handler.messages) == 1
    recipients, body = handler.messages[0]
    assert recipients == ["syn-mail@example.invalid"]
    assert "coming up" in body and "/portal" in body
    for private in ("dermatomyositis", "methotrexate", "HAQ", "CK"):
        assert private not in body
    again = runner.invoke(app, ["reminders", "send"])
    assert again.exit_code == 0 and len(handler.messages) == 1  # nothing new: nothing sent

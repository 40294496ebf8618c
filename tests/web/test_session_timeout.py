"""Page sessions: an idle timeout that slides with use, under an absolute lifetime."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from myositis.errors import AuthenticationError
from myositis.services.access import Principal, Role
from myositis.web import security
from myositis.web.security import Tokens
from tests.conftest import PASSWORDS

USER = Principal("clinician", Role.CLINICIAN)


def test_an_idle_session_expires_and_an_old_one_expires_whatever_its_use() -> None:
    tokens = Tokens("secret", 60, session_seconds=3600, idle_seconds=1)
    value, _ = tokens.issue_session(USER)
    assert tokens.read_session(value).principal.username == "clinician"
    time.sleep(2.2)
    with pytest.raises(AuthenticationError, match="inactivity"):
        tokens.read_session(value)
    old, _ = Tokens("secret", 60, 3600, 600).issue_session(USER, started=time.time() - 3700)
    with pytest.raises(AuthenticationError, match="log in again"):
        Tokens("secret", 60, 3600, 600).read_session(old)


def test_a_used_session_gets_a_fresh_cookie_with_the_same_csrf(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    client.post("/login", data={"username": "clinician", "password": PASSWORDS["clinician"]})
    first = client.cookies.get("myositis_session")
    monkeypatch.setattr(security, "RENEW_AFTER_SECONDS", -1)
    time.sleep(1.1)  # a later timestamp
    page = client.get("/patients")
    assert page.status_code == 200
    renewed = page.headers.get("set-cookie", "")
    assert renewed.startswith("myositis_session=") and "HttpOnly" in renewed
    assert client.cookies.get("myositis_session") != first
    logout = client.post("/logout", data={"csrf_token": client.get("/patients").text.split(
        'name="csrf_token" value="')[1].split('"')[0]}, follow_redirects=False)
    assert logout.status_code == 303
    assert client.get("/patients", follow_redirects=False).status_code == 303

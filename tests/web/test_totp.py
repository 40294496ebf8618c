"""Optional TOTP second factor: set up only with a valid code, then required at every log-in
(pages and API), turned off with a current code or by an administrator's reset."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from myositis.db import models
from myositis.db.engine import session_factory
from myositis.db.repository import Repository
from tests.conftest import PASSWORDS


def _login(client: TestClient, code: str | None = None) -> int:
    client.cookies.clear()
    data = {"username": "clinician", "password": PASSWORDS["clinician"]}
    if code is not None:
        data["code"] = code
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_totp_set_up_then_required_then_reset(client: TestClient, engine: Engine) -> None:
    assert _login(client) == 303
    page = client.get("/account/totp").text
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert secret is not None and csrf is not None
    wrong = client.post("/account/totp", data={"csrf_token": csrf.group(1),
                                               "secret": secret.group(1), "code": "000000"})
    assert wrong.status_code == 422 and "does not match" in wrong.text
    code = pyotp.TOTP(secret.group(1)).now()
    done = client.post("/account/totp", data={"csrf_token": csrf.group(1),
                                              "secret": secret.group(1), "code": code},
                       follow_redirects=False)
    assert done.status_code == 303
    assert _login(client) == 401  # password alone no longer enough
    assert _login(client, pyotp.TOTP(secret.group(1)).now()) == 303
    token = client.post("/api/auth/token", data={
        "username": "clinician", "password": PASSWORDS["clinician"]})
    assert token.status_code == 401
    token = client.post("/api/auth/token", data={
        "username": "clinician", "password": PASSWORDS["clinician"],
        "client_secret": pyotp.TOTP(secret.group(1)).now()})
    assert token.status_code == 200
    with session_factory(engine)() as session:  # an administrator's reset (lost device)
        Repository(session, actor="admin").set_totp("clinician", None)
        session.execute(delete(models.LoginAttempt))  # this test's attempts, not the limit's
        session.commit()
    client.app.state.myositis.accounts.clear()  # type: ignore[attr-defined]
    assert _login(client) == 303

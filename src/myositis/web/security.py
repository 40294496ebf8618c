"""Passwords (argon2), signed short-lived tokens and sessions, CSRF tokens.

Login rate limiting lives in the database (`Repository.login_attempt`) so that it holds
across worker processes.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from myositis.errors import AuthenticationError
from myositis.services.access import Principal, Role

RENEW_AFTER_SECONDS = 60
_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str
    started: float = 0.0  # time.time() at login: the absolute lifetime counts from here
    renew: bool = False  # issued long enough ago that the idle clock should be reset


class Tokens:
    """Bearer tokens for the API and session cookies for the pages, both signed and expiring."""

    def __init__(self, secret: str, token_seconds: int, session_seconds: int,
                 idle_seconds: int | None = None) -> None:
        self._api = URLSafeTimedSerializer(secret, salt="api-token")
        self._session = URLSafeTimedSerializer(secret, salt="session")
        self.token_seconds = token_seconds
        self.session_seconds = session_seconds
        # a session cookie is re-issued as it is used; unused for this long, it expires
        self.idle_seconds = min(idle_seconds or session_seconds, session_seconds)

    def issue_token(self, principal: Principal) -> str:
        return self._api.dumps({"u": principal.username, "r": principal.role.value})

    def read_token(self, token: str) -> Principal:
        data, _ = self._load(self._api, token, self.token_seconds)
        return Principal(username=data["u"], role=Role(data["r"]))

    def issue_session(self, principal: Principal, csrf: str | None = None,
                      started: float | None = None) -> tuple[str, str]:
        csrf = csrf or secrets.token_urlsafe(24)
        value = self._session.dumps({"u": principal.username, "r": principal.role.value,
                                     "c": csrf, "s": started or time.time()})
        return value, csrf

    def read_session(self, value: str) -> Session:
        """A session unused for ``idle_seconds`` or older than ``session_seconds`` is refused;
        one issued more than a minute ago is marked for renewal (sliding idle timeout)."""
        data, issued = self._load(self._session, value, self.idle_seconds,
                                  expired="session expired after inactivity; log in again")
        started = float(data.get("s", issued))
        if time.time() - started > self.session_seconds:
            raise AuthenticationError("session expired; log in again")
        return Session(Principal(username=data["u"], role=Role(data["r"])), csrf=data["c"],
                       started=started, renew=time.time() - issued > RENEW_AFTER_SECONDS)

    @staticmethod
    def _load(serializer: URLSafeTimedSerializer, value: str, max_age: int,
              expired: str = "credentials expired") -> tuple[dict[str, Any], float]:
        """The signed payload and the time it was issued; expired or forged is refused."""
        try:
            data, issued = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except SignatureExpired as exc:
            raise AuthenticationError(expired) from exc
        except BadSignature as exc:
            raise AuthenticationError("invalid credentials") from exc
        if not isinstance(data, dict):
            raise AuthenticationError("invalid credentials")
        return data, issued.timestamp()

TOTP_ISSUER = "myositis"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (typed or scanned)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def verify_totp(secret: str | None, code: str | None) -> bool:
    """A 6-digit code of this 30-second step or the one either side (clock drift)."""
    if not secret or not code or not code.strip().isdigit():
        return False
    return bool(pyotp.TOTP(secret).verify(code.strip(), valid_window=1))

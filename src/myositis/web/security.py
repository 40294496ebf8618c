"""Passwords (argon2), signed short-lived tokens and sessions, CSRF tokens.

Login rate limiting lives in the database (`Repository.login_attempt`) so that it holds
across worker processes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from myositis.errors import AuthenticationError
from myositis.services.access import Principal, Role

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


class Tokens:
    """Bearer tokens for the API and session cookies for the pages, both signed and expiring."""

    def __init__(self, secret: str, token_seconds: int, session_seconds: int) -> None:
        self._api = URLSafeTimedSerializer(secret, salt="api-token")
        self._session = URLSafeTimedSerializer(secret, salt="session")
        self.token_seconds = token_seconds
        self.session_seconds = session_seconds

    def issue_token(self, principal: Principal) -> str:
        return self._api.dumps({"u": principal.username, "r": principal.role.value})

    def read_token(self, token: str) -> Principal:
        data = self._load(self._api, token, self.token_seconds)
        return Principal(username=data["u"], role=Role(data["r"]))

    def issue_session(self, principal: Principal) -> tuple[str, str]:
        csrf = secrets.token_urlsafe(24)
        value = self._session.dumps({"u": principal.username, "r": principal.role.value,
                                     "c": csrf})
        return value, csrf

    def read_session(self, value: str) -> Session:
        data = self._load(self._session, value, self.session_seconds)
        return Session(Principal(username=data["u"], role=Role(data["r"])), csrf=data["c"])

    @staticmethod
    def _load(serializer: URLSafeTimedSerializer, value: str, max_age: int) -> dict[str, str]:
        try:
            data = serializer.loads(value, max_age=max_age)
        except SignatureExpired as exc:
            raise AuthenticationError("credentials expired") from exc
        except BadSignature as exc:
            raise AuthenticationError("invalid credentials") from exc
        if not isinstance(data, dict):
            raise AuthenticationError("invalid credentials")
        return data

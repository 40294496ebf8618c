"""The one authorisation policy. Every web page and API route asks `require(user, action)`.

Researchers read pseudonymised data only and never write; clinicians read and write patient
records with identifying fields; administrators also read the audit log and manage users.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from myositis.errors import PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    CLINICIAN = "clinician"
    RESEARCHER = "researcher"


Action = Literal[
    "patient:read", "patient:identify", "patient:write", "plan:read", "audit:read", "user:admin",
    "evidence:read", "evidence:review",
]

POLICY: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"patient:read", "patient:identify", "patient:write", "plan:read",
                          "audit:read", "user:admin", "evidence:read", "evidence:review"}),
    Role.CLINICIAN: frozenset({"patient:read", "patient:identify", "patient:write",
                              "plan:read", "evidence:read"}),
    Role.RESEARCHER: frozenset({"patient:read", "plan:read", "evidence:read"}),
}


@dataclass(frozen=True)
class Principal:
    username: str
    role: Role


def allowed(user: Principal, action: Action) -> bool:
    return action in POLICY[user.role]


def require(user: Principal, action: Action) -> None:
    if not allowed(user, action):
        raise PermissionDeniedError(f"role {user.role.value!r} may not {action}")

"""The one authorisation policy. Every web page and API route asks `require(user, action)`.

Researchers read pseudonymised data only and never write; clinicians read and write patient
records with identifying fields; administrators also read the audit log and manage users.
Patients reach only the portal, which reads the one record their account is linked to; any
clinic route answers them "not found", so a patient cannot even learn that a record exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from myositis.errors import NotFoundError, PermissionDeniedError


class Role(StrEnum):
    ADMIN = "admin"
    CLINICIAN = "clinician"
    RESEARCHER = "researcher"
    PATIENT = "patient"


Action = Literal[
    "patient:read", "patient:identify", "patient:write", "plan:read", "audit:read", "user:admin",
    "evidence:read", "evidence:review", "portal:self", "portal:invite", "sessions:manage",
]

POLICY: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"patient:read", "patient:identify", "patient:write", "plan:read",
                          "audit:read", "user:admin", "evidence:read", "evidence:review",
                          "portal:invite", "sessions:manage"}),
    Role.CLINICIAN: frozenset({"patient:read", "patient:identify", "patient:write",
                              "plan:read", "evidence:read", "portal:invite",
                              "sessions:manage"}),
    Role.RESEARCHER: frozenset({"patient:read", "plan:read", "evidence:read"}),
    Role.PATIENT: frozenset({"portal:self"}),
}


@dataclass(frozen=True)
class Principal:
    username: str
    role: Role
    patient_id: int | None = None  # the patient role's own record


def allowed(user: Principal, action: Action) -> bool:
    return action in POLICY[user.role]


def require(user: Principal, action: Action) -> None:
    if not allowed(user, action):
        if user.role is Role.PATIENT:
            raise NotFoundError("not found")
        if action == "portal:self":
            raise PermissionDeniedError("the portal is for patients; clinic staff use the "
                                        "patient pages")
        raise PermissionDeniedError(f"role {user.role.value!r} may not {action}")

"""REST API (`/api/...`): the same operations as the pages, under the same policy."""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ValidationError

from myositis.db.repository import Repository
from myositis.domain.record_sections import AntibodyPanel
from myositis.errors import AuthenticationError, MyositisError
from myositis.services import clinic
from myositis.services.access import Principal, Role, allowed
from myositis.services.careplan import CarePlan
from myositis.services.course import Course
from myositis.services.entry_checks import check_entry
from myositis.services.records import (
    ENTRY_INPUT,
    EntryKind,
    FlagAction,
    FlagOut,
    PatientIn,
    PatientOut,
    PatientSummary,
    PatientUpdate,
    PlanSnapshot,
    PlanSnapshotOut,
    UtcDateTime,
    VisitIn,
    VisitOut,
    VisitUpdate,
)
from myositis.web import views, warmup
from myositis.web.deps import RecordId, authorized, db_session, repository, state
from myositis.web.security import verify_password, verify_totp

router = APIRouter(prefix="/api", tags=["api"])


class TooManyAttemptsError(MyositisError):
    """Login rate limit reached."""


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class AuditRow(BaseModel):
    id: int
    at: UtcDateTime
    username: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def authenticate(request: Request, repo: Repository, username: str, password: str,
                 code: str | None = None) -> Principal:
    """Shared by the token endpoint and the login page; rate-limited per user and client.
    An account with a TOTP secret also needs the current code."""
    client = request.client.host if request.client else "unknown"
    allowed_now = repo.login_attempt(f"{client}:{username.lower()[:128]}",
                                     state(request).settings.login_attempts_per_minute,
                                     window=60.0, now=time.time())
    repo.session.commit()  # the attempt counts whatever the outcome
    if not allowed_now:
        raise TooManyAttemptsError("too many login attempts; wait a minute")
    user = repo.user(username)
    if not verify_password(user.password_hash if user else None, password) or user is None \
            or not user.active:
        raise AuthenticationError("incorrect username or password")
    if user.totp_secret and not verify_totp(user.totp_secret, code):
        raise AuthenticationError("a valid authenticator code is required for this account")
    return Principal(username=user.username, role=Role(user.role), patient_id=user.patient_id)


def visible(patient: PatientOut, user: Principal) -> PatientOut:
    """Researchers see pseudonymised records only."""
    if allowed(user, "patient:identify"):
        return patient
    return patient.model_copy(update={"identity": None})


@router.post("/auth/token", response_model=Token)
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
          session: Any = Depends(db_session)) -> Token:
    # the TOTP code travels in the standard form's client_secret field (or "totp")
    user = authenticate(request, Repository(session, actor="anonymous"), form.username,
                        form.password, code=form.client_secret)
    tokens = state(request).tokens
    return Token(access_token=tokens.issue_token(user), expires_in=tokens.token_seconds)


def patient_rows(repo: Repository, q: str | None) -> list[PatientSummary]:
    """Patient-list rows; ``q`` matches pseudonym, antibody, subgroup or current drug."""
    today = dt.date.today()
    cache = clinic.summary_cache()
    rows: dict[int, PatientSummary] = {}
    keys = {pid: cache.key(pid, version, record, today)
            for pid, _name, version, record in repo.patient_versions()}
    missing = []
    for pid, key in keys.items():
        row = cache.peek(key)
        if row is None:
            missing.append(pid)
        else:
            rows[pid] = row
    for start in range(0, len(missing), 500):  # misses: load and compute in batches
        ids = missing[start:start + 500]
        for row in clinic.summaries(repo.patients_by_ids(ids), repo.visits_by_patient(ids),
                                    today, repo.record_entries(ids)):
            rows[row.id] = row
    ordered = [rows[pid] for pid in keys if pid in rows]
    return [r for r in ordered if clinic.matches(r, q)] if q else ordered


def clinic_worklist(repo: Repository, q: str | None = None,
                    clinician: str | None = None) -> list[PatientSummary]:
    """Rows with something due or flagged; ``clinician`` keeps one clinician's patients
    ("none": patients without a responsible clinician)."""
    rows = [r for r in patient_rows(repo, q) if r.due or r.flags]
    if clinician:
        wanted = None if clinician == "none" else clinician
        rows = [r for r in rows if r.clinician == wanted]
    return sorted(rows, key=lambda r: (not any(d.overdue for d in r.due), -len(r.flags),
                                       r.pseudonym))


@router.get("/patients", response_model=list[PatientSummary])
def list_patients(q: str | None = None, user: Principal = Depends(authorized("patient:read")),
                  repo: Repository = Depends(repository)) -> list[PatientSummary]:
    return patient_rows(repo, q)


@router.post("/patients", response_model=PatientOut, status_code=201)
def create_patient(data: PatientIn, user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> PatientOut:
    patient = repo.create_patient(data)
    repo.session.commit()
    return patient


@router.get("/patients/{patient_id}", response_model=PatientOut)
def get_patient(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                repo: Repository = Depends(repository)) -> PatientOut:
    return visible(repo.patient(patient_id), user)


@router.put("/patients/{patient_id}", response_model=PatientOut)
def update_patient(patient_id: RecordId, data: PatientUpdate,
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> PatientOut:
    patient = repo.update_patient(patient_id, data)
    repo.session.commit()
    return patient


@router.delete("/patients/{patient_id}", status_code=204)
def delete_patient(patient_id: RecordId, user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> Response:
    repo.delete_patient(patient_id)
    repo.session.commit()
    return Response(status_code=204)


@router.get("/patients/{patient_id}/visits", response_model=list[VisitOut])
def list_visits(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                repo: Repository = Depends(repository)) -> list[VisitOut]:
    return repo.visits(patient_id)


@router.post("/patients/{patient_id}/visits", response_model=VisitOut, status_code=201)
def add_visit(patient_id: RecordId, data: VisitIn,
              user: Principal = Depends(authorized("patient:write")),
              repo: Repository = Depends(repository)) -> VisitOut:
    visit = repo.add_visit(patient_id, data)
    repo.session.commit()
    return visit


@router.put("/patients/{patient_id}/visits/{visit_id}", response_model=VisitOut)
def update_visit(patient_id: RecordId, visit_id: RecordId, data: VisitUpdate,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> VisitOut:
    visit = repo.update_visit(patient_id, visit_id, data)
    repo.session.commit()
    return visit


@router.delete("/patients/{patient_id}/visits/{visit_id}", status_code=204)
def delete_visit(patient_id: RecordId, visit_id: RecordId,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    repo.delete_visit(patient_id, visit_id)
    repo.session.commit()
    return Response(status_code=204)


@router.get("/patients/{patient_id}/plan", response_model=CarePlan)
def get_plan(patient_id: RecordId, user: Principal = Depends(authorized("plan:read")),
             repo: Repository = Depends(repository)) -> CarePlan:
    patient = repo.patient(patient_id)
    return clinic.care_plan(patient, repo.visits(patient_id), dt.date.today())


def snapshot_plan(repo: Repository, patient_id: int) -> PlanSnapshotOut:
    """Store today's care plan verbatim (the record of what was discussed); API and pages."""
    patient = repo.patient(patient_id)
    plan = clinic.care_plan(patient, repo.visits(patient_id), dt.date.today())
    snapshot = repo.save_plan(patient_id, plan.model_dump(mode="json"))
    repo.session.commit()
    return snapshot


@router.post("/patients/{patient_id}/plan/snapshots", response_model=PlanSnapshotOut,
             status_code=201)
def save_plan(patient_id: RecordId, user: Principal = Depends(authorized("patient:write")),
              repo: Repository = Depends(repository)) -> PlanSnapshotOut:
    return snapshot_plan(repo, patient_id)


@router.get("/patients/{patient_id}/plan/snapshots", response_model=list[PlanSnapshotOut])
def list_plan_snapshots(patient_id: RecordId, user: Principal = Depends(authorized("plan:read")),
                        repo: Repository = Depends(repository)) -> list[PlanSnapshotOut]:
    return repo.plan_snapshots(patient_id)


@router.get("/patients/{patient_id}/plan/snapshots/{snapshot_id}", response_model=PlanSnapshot)
def get_plan_snapshot(patient_id: RecordId, snapshot_id: RecordId,
                      user: Principal = Depends(authorized("plan:read")),
                      repo: Repository = Depends(repository)) -> PlanSnapshot:
    return repo.plan_snapshot(patient_id, snapshot_id)


@router.get("/patients/{patient_id}/response", response_model=list[clinic.ResponsePoint])
def get_response(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                 repo: Repository = Depends(repository)) -> list[clinic.ResponsePoint]:
    patient = repo.patient(patient_id)
    return clinic.response_series(patient, repo.visits(patient_id))


@router.get("/patients/{patient_id}/course", response_model=Course)
def get_course(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
               repo: Repository = Depends(repository)) -> Course:
    """The latest visit against the previous one: changes, TIS/DOI (labelled), worsening."""
    return views.load(repo, patient_id).view.course


@router.get("/patients/{patient_id}/entries/{kind}")
def list_entries(patient_id: RecordId, kind: EntryKind,
                 user: Principal = Depends(authorized("patient:read")),
                 repo: Repository = Depends(repository)) -> list[dict[str, Any]]:
    repo.patient(patient_id)
    return [e.model_dump(mode="json") for e in repo.entries(patient_id, kind)]


def _entry(kind: EntryKind, body: dict[str, Any]) -> BaseModel:
    """The body validated against the entry kind's schema (422 names every bad field) and the
    clinical checks (a therapy id from the knowledge base, no future date)."""
    try:
        data = ENTRY_INPUT[kind].model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    check_entry(kind, data, dt.date.today())
    return data


@router.post("/patients/{patient_id}/entries/{kind}", status_code=201)
def add_entry(patient_id: RecordId, kind: EntryKind, body: Annotated[dict[str, Any], Body()],
              user: Principal = Depends(authorized("patient:write")),
              repo: Repository = Depends(repository)) -> dict[str, Any]:
    out = repo.add_entry(patient_id, kind, _entry(kind, body))
    repo.session.commit()
    result: dict[str, Any] = out.model_dump(mode="json")
    return result


@router.post("/patients/{patient_id}/antibody-panel", status_code=201)
def add_antibody_panel(patient_id: RecordId, body: Annotated[dict[str, Any], Body()],
                       user: Principal = Depends(authorized("patient:write")),
                       repo: Repository = Depends(repository)) -> list[dict[str, Any]]:
    """A whole antibody panel in one request: one date and method, a result per antibody
    tested; stored whole (one audited row per antibody) or, on any bad field, not at all."""
    try:
        panel = AntibodyPanel.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    check_entry("antibody_results", panel, dt.date.today())
    outs = repo.add_antibody_panel(patient_id, panel)
    repo.session.commit()
    return [out.model_dump(mode="json") for out in outs]


@router.put("/patients/{patient_id}/entries/{kind}/{entry_id}")
def update_entry(patient_id: RecordId, kind: EntryKind, entry_id: RecordId,
                 body: Annotated[dict[str, Any], Body()],
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> dict[str, Any]:
    out = repo.update_entry(patient_id, kind, entry_id, _entry(kind, body))
    repo.session.commit()
    result: dict[str, Any] = out.model_dump(mode="json")
    return result


@router.delete("/patients/{patient_id}/entries/{kind}/{entry_id}", status_code=204)
def delete_entry(patient_id: RecordId, kind: EntryKind, entry_id: RecordId,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    repo.delete_entry(patient_id, kind, entry_id)
    repo.session.commit()
    return Response(status_code=204)


@router.get("/patients/{patient_id}/flags", response_model=list[FlagOut])
def list_flags(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
               repo: Repository = Depends(repository)) -> list[FlagOut]:
    return views.load(repo, patient_id).flags


@router.post("/patients/{patient_id}/flags/{flag_id}", response_model=FlagOut)
def act_on_flag(patient_id: RecordId, flag_id: RecordId, data: FlagAction,
                user: Principal = Depends(authorized("patient:write")),
                repo: Repository = Depends(repository)) -> FlagOut:
    flag = repo.act_on_flag(patient_id, flag_id, data)
    repo.session.commit()
    return flag


@router.get("/worklist", response_model=list[PatientSummary])
def worklist(q: str | None = None,
             clinician: Annotated[str | None, Query(max_length=64)] = None,
             user: Principal = Depends(authorized("patient:read")),
             repo: Repository = Depends(repository)) -> list[PatientSummary]:
    """Patients with something due or flagged, most overdue first; ``clinician`` filters to
    one clinician's patients ("none" for patients without one)."""
    return clinic_worklist(repo, q, clinician)


@router.get("/audit", response_model=list[AuditRow])
def audit(limit: Annotated[int, Query(ge=1, le=1000)] = 200,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
          user: Principal = Depends(authorized("audit:read")),
          repo: Repository = Depends(repository)) -> list[AuditRow]:
    rows = repo.audit_log(limit=limit, offset=offset)
    return [AuditRow.model_validate(r, from_attributes=True) for r in rows]


class AccessRow(BaseModel):
    id: int
    at: UtcDateTime
    username: str
    role: str
    action: str
    channel: str
    patient_id: int | None
    path: str


@router.get("/access", response_model=list[AccessRow])
def access(username: Annotated[str | None, Query(max_length=64)] = None,
           patient_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 200,
           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
           user: Principal = Depends(authorized("audit:read")),
           repo: Repository = Depends(repository)) -> list[AccessRow]:
    """Who viewed, exported or printed patient records: by user, by patient, or all."""
    rows = repo.access_log(username=username, patient_id=patient_id, limit=limit,
                           offset=offset)
    return [AccessRow.model_validate(r, from_attributes=True) for r in rows]


@router.get("/health", include_in_schema=False)
async def health(request: Request) -> dict[str, str | bool]:
    """Liveness, and whether this worker's worklist warm-up has finished (false while it runs,
    and when the warm-up is switched off)."""
    warming = getattr(request.app.state, "warmup", None) is not None
    return {"status": "ok", "worklist_warm": warming and warmup.is_warm()}

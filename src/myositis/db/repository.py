"""Reads and writes of clinic records. Each write and its audit row share one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from myositis.db import models
from myositis.errors import ConflictError, InputError, NotFoundError
from myositis.services.records import (
    Identity,
    PatientIn,
    PatientOut,
    PatientProfile,
    PatientUpdate,
    PlanSnapshot,
    PlanSnapshotOut,
    VisitIn,
    VisitOut,
    VisitUpdate,
)

VISIT_COLUMNS = (
    "date", "physician_global", "patient_global", "extramuscular_global", "mmt8", "mmt_max",
    "haq", "cdasi_activity", "cdasi_damage", "glucocorticoid_mg_per_day", "notes",
)


VISIT_READ = tuple(getattr(models.Visit, name) for name in (
    *VISIT_COLUMNS, "labs", "medications", "id", "patient_id", "version"))


def patient_out(row: models.Patient) -> PatientOut:
    identity = row.identity
    return PatientOut(
        id=row.id, pseudonym=row.pseudonym, synthetic=row.synthetic, sex=row.sex,
        symptom_onset=row.symptom_onset,
        profile=PatientProfile.model_validate(row.profile),
        identity=Identity(full_name=identity.full_name, date_of_birth=identity.date_of_birth,
                          record_number=identity.record_number) if identity else None,
        version=row.version,
    )


def visit_out(row: models.Visit) -> VisitOut:
    data: dict[str, Any] = {name: getattr(row, name) for name in VISIT_COLUMNS}
    return VisitOut.model_validate({**data, "labs": row.labs, "medications": row.medications,
                                    "id": row.id, "patient_id": row.patient_id,
                                    "version": row.version})


class Repository:
    """Clinic persistence for one session; the caller commits (one transaction per request)."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor

    # -- audit ---------------------------------------------------------------------------
    def _audit(self, action: str, entity: str, entity_id: int | None,
               before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self.session.add(models.AuditEntry(username=self.actor, action=action, entity=entity,
                                           entity_id=entity_id, before=before, after=after))

    def audit_log(self, limit: int = 200, offset: int = 0) -> list[models.AuditEntry]:
        query = select(models.AuditEntry).order_by(models.AuditEntry.id.desc())
        return list(self.session.scalars(query.limit(limit).offset(offset)))

    # -- users ---------------------------------------------------------------------------
    def user(self, username: str) -> models.User | None:
        return self.session.scalar(select(models.User).where(models.User.username == username))

    def add_user(self, username: str, password_hash: str, role: str) -> models.User:
        user = models.User(username=username, password_hash=password_hash, role=role)
        self.session.add(user)
        self.session.flush()
        self._audit("create", "user", user.id, None, {"username": username, "role": role})
        return user

    # -- login attempts ------------------------------------------------------------------
    def login_attempt(self, key: str, limit: int, window: float, now: float) -> bool:
        """Record an attempt under ``key`` unless ``limit`` already fall within ``window``
        seconds; answers whether it was allowed. Old attempts are pruned on the way."""
        attempts = models.LoginAttempt
        self.session.execute(delete(attempts).where(attempts.at < now - window))
        recent = self.session.scalar(select(func.count()).select_from(attempts).where(
            attempts.key == key, attempts.at >= now - window)) or 0
        if recent >= limit:
            return False
        self.session.add(attempts(key=key, at=now))
        return True

    # -- patients ------------------------------------------------------------------------
    def _patient_row(self, patient_id: int) -> models.Patient:
        row = self.session.get(models.Patient, patient_id,
                               options=[joinedload(models.Patient.identity)])
        if row is None:
            raise NotFoundError(f"patient {patient_id} not found")
        return row

    def count_patients(self) -> int:
        return int(self.session.scalar(select(func.count(models.Patient.id))) or 0)

    def patients(self, search: str | None = None, limit: int = 500) -> list[PatientOut]:
        query = select(models.Patient).options(selectinload(models.Patient.identity))
        if search:
            like = f"%{search.lower()}%"
            query = query.where(or_(func.lower(models.Patient.pseudonym).like(like)))
        rows = self.session.scalars(query.order_by(models.Patient.pseudonym).limit(limit))
        return [patient_out(r) for r in rows]

    def patient(self, patient_id: int) -> PatientOut:
        return patient_out(self._patient_row(patient_id))

    def create_patient(self, data: PatientIn) -> PatientOut:
        row = models.Patient(
            pseudonym=data.pseudonym, synthetic=data.synthetic, sex=data.sex,
            age_at_onset=data.profile.classification.age_at_onset,
            symptom_onset=data.symptom_onset, profile=data.profile.model_dump(mode="json"),
        )
        if data.identity:
            row.identity = models.PatientIdentity(**data.identity.model_dump())
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise ConflictError(f"pseudonym {data.pseudonym!r} already exists") from exc
        out = patient_out(row)
        self._audit("create", "patient", row.id, None, out.model_dump(mode="json"))
        return out

    def update_patient(self, patient_id: int, data: PatientUpdate) -> PatientOut:
        row = self._patient_row(patient_id)
        if row.version != data.version:
            raise ConflictError(
                f"patient {patient_id} was changed by someone else (version {row.version}, "
                f"you sent {data.version}); reload and try again"
            )
        before = patient_out(row).model_dump(mode="json")
        row.pseudonym = data.pseudonym
        row.synthetic = data.synthetic
        row.sex = data.sex
        row.symptom_onset = data.symptom_onset
        row.age_at_onset = data.profile.classification.age_at_onset
        row.profile = data.profile.model_dump(mode="json")
        if data.identity:
            if row.identity is None:
                row.identity = models.PatientIdentity(**data.identity.model_dump())
            else:
                for key, value in data.identity.model_dump().items():
                    setattr(row.identity, key, value)
        try:
            self.session.flush()
        except StaleDataError as exc:
            self.session.rollback()
            raise ConflictError(f"patient {patient_id} was changed concurrently") from exc
        except IntegrityError as exc:
            self.session.rollback()
            raise ConflictError(f"pseudonym {data.pseudonym!r} already exists") from exc
        out = patient_out(row)
        self._audit("update", "patient", row.id, before, out.model_dump(mode="json"))
        return out

    def delete_patient(self, patient_id: int) -> None:
        row = self._patient_row(patient_id)
        before = patient_out(row).model_dump(mode="json")
        self.session.delete(row)
        self.session.flush()
        self._audit("delete", "patient", patient_id, before, None)

    # -- visits --------------------------------------------------------------------------
    def _require_patient(self, patient_id: int) -> None:
        if self.session.scalar(select(models.Patient.id).where(
                models.Patient.id == patient_id)) is None:
            raise NotFoundError(f"patient {patient_id} not found")

    def visits(self, patient_id: int) -> list[VisitOut]:
        # Read columns, not ORM objects: the hot read path of the clinic (lists, charts, API).
        rows = self.session.execute(select(*VISIT_READ).where(
            models.Visit.patient_id == patient_id).order_by(models.Visit.date, models.Visit.id))
        visits = [VisitOut.model_validate(row._mapping) for row in rows]
        if not visits:
            self._require_patient(patient_id)
        return visits

    def visits_by_patient(self, patient_ids: list[int]) -> dict[int, list[VisitOut]]:
        """All visits of many patients in one query (patient list, registry export)."""
        grouped: dict[int, list[VisitOut]] = {pid: [] for pid in patient_ids}
        rows = self.session.execute(select(*VISIT_READ).where(
            models.Visit.patient_id.in_(patient_ids)).order_by(
            models.Visit.patient_id, models.Visit.date, models.Visit.id))
        for row in rows:
            grouped[row.patient_id].append(VisitOut.model_validate(row._mapping))
        return grouped

    def _symptom_onset(self, patient_id: int) -> dt.date | None:
        row = self.session.execute(select(models.Patient.symptom_onset).where(
            models.Patient.id == patient_id)).first()
        if row is None:
            raise NotFoundError(f"patient {patient_id} not found")
        onset: dt.date | None = row.symptom_onset
        return onset

    @staticmethod
    def _check_visit(symptom_onset: dt.date | None, data: VisitIn) -> None:
        if data.mmt8 is not None and data.mmt8 > data.mmt_max:
            raise InputError([("mmt8", f"must be between 0 and mmt_max ({data.mmt_max})")])
        if symptom_onset and data.date < symptom_onset:
            raise InputError([("date", f"must not be before symptom onset "
                                       f"({symptom_onset.isoformat()})")])

    def _visit_values(self, data: VisitIn) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(data, name) for name in VISIT_COLUMNS}
        values["labs"] = data.labs.model_dump(mode="json")
        values["medications"] = [m.model_dump(mode="json") for m in data.medications]
        return values

    def add_visit(self, patient_id: int, data: VisitIn) -> VisitOut:
        self._check_visit(self._symptom_onset(patient_id), data)
        row = models.Visit(patient_id=patient_id, **self._visit_values(data))
        self.session.add(row)
        self.session.flush()
        out = visit_out(row)
        self._audit("create", "visit", row.id, None, out.model_dump(mode="json"))
        return out

    def _visit_row(self, patient_id: int, visit_id: int) -> models.Visit:
        row = self.session.get(models.Visit, visit_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError(f"visit {visit_id} not found")
        return row

    def update_visit(self, patient_id: int, visit_id: int, data: VisitUpdate) -> VisitOut:
        row = self._visit_row(patient_id, visit_id)
        if row.version != data.version:
            raise ConflictError(f"visit {visit_id} was changed by someone else "
                                f"(version {row.version}, you sent {data.version})")
        self._check_visit(row.patient.symptom_onset, data)
        before = visit_out(row).model_dump(mode="json")
        for key, value in self._visit_values(data).items():
            setattr(row, key, value)
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise ConflictError(f"visit {visit_id} was changed concurrently") from exc
        out = visit_out(row)
        self._audit("update", "visit", visit_id, before, out.model_dump(mode="json"))
        return out

    def delete_visit(self, patient_id: int, visit_id: int) -> None:
        row = self._visit_row(patient_id, visit_id)
        before = visit_out(row).model_dump(mode="json")
        self.session.delete(row)
        self.session.flush()
        self._audit("delete", "visit", visit_id, before, None)

    # -- care plans ----------------------------------------------------------------------
    def save_plan(self, patient_id: int, plan: dict[str, Any]) -> PlanSnapshotOut:
        """Store the plan as shown; the audit row records who saved which plan for whom."""
        self._require_patient(patient_id)
        row = models.CarePlanSnapshot(patient_id=patient_id, created_by=self.actor, plan=plan)
        self.session.add(row)
        self.session.flush()
        self.session.refresh(row, ["created_at"])
        out = PlanSnapshotOut.model_validate(row, from_attributes=True)
        self._audit("create", "care_plan", row.id, None, out.model_dump(mode="json"))
        return out

    def plan_snapshots(self, patient_id: int) -> list[PlanSnapshotOut]:
        self._require_patient(patient_id)
        snapshots = models.CarePlanSnapshot
        rows = self.session.execute(select(
            snapshots.id, snapshots.patient_id, snapshots.created_at, snapshots.created_by,
        ).where(snapshots.patient_id == patient_id).order_by(snapshots.id.desc()))
        return [PlanSnapshotOut.model_validate(row._mapping) for row in rows]

    def plan_snapshot(self, patient_id: int, snapshot_id: int) -> PlanSnapshot:
        row = self.session.get(models.CarePlanSnapshot, snapshot_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError(f"care-plan snapshot {snapshot_id} not found")
        return PlanSnapshot.model_validate(row, from_attributes=True)

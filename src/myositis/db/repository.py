"""Reads and writes of clinic records. Each write and its audit row share one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from myositis.db import models
from myositis.domain.loinc import loinc_code
from myositis.domain.record_sections import AntibodyPanel, Treatment
from myositis.errors import ConflictError, InputError, NotFoundError
from myositis.services.flag_lifecycle import FlagChanges
from myositis.services.records import (
    ENTRY_INPUT,
    ENTRY_OUTPUT,
    EntryKind,
    FlagAction,
    FlagOut,
    Identity,
    PatientIn,
    PatientOut,
    PatientProfile,
    PatientUpdate,
    PlanSnapshot,
    PlanSnapshotOut,
    RecordEntries,
    VisitIn,
    VisitOut,
    VisitUpdate,
)
from myositis.services.visit_checks import VisitCheck, check_visit

VISIT_COLUMNS = (
    "date", "physician_global", "patient_global", "extramuscular_global", "mmt8", "mmt_max",
    "haq", "cdasi_activity", "cdasi_damage", "glucocorticoid_mg_per_day", "notes",
)


VISIT_READ = tuple(getattr(models.Visit, name) for name in (
    *VISIT_COLUMNS, "labs", "medications", "instrument_items", "id", "patient_id", "version"))


ENTRY_TABLES: dict[str, type[Any]] = {
    "treatments": models.TreatmentRow, "lab_results": models.LabResultRow,
    "antibody_results": models.AntibodyResultRow, "lung_measures": models.LungMeasureRow,
    "screening_tests": models.ScreeningTestRow, "vaccinations": models.VaccinationRow,
}
RENAMED = {"dose": "dose_text"}  # record field -> column


def _entry_out(kind: str, row: Any) -> Any:
    table = ENTRY_TABLES[kind].__table__
    values = {name: getattr(row, name) for name in table.columns.keys()  # noqa: SIM118
              if name not in ("patient_id", "version")}
    for field, column in RENAMED.items():
        if column in values:
            values[field] = values.pop(column)
    return ENTRY_OUTPUT[kind].model_validate(values)


def _entry_columns(kind: str, data: Any) -> dict[str, Any]:
    values = data.model_dump()
    for field, column in RENAMED.items():
        if field in values:
            values[column] = values.pop(field)
    if kind == "lab_results":
        values["loinc"] = loinc_code(values["analyte"])
    result: dict[str, Any] = values
    return result


def patient_out(row: models.Patient) -> PatientOut:
    identity = row.identity
    return PatientOut(
        id=row.id, pseudonym=row.pseudonym, synthetic=row.synthetic, sex=row.sex,
        symptom_onset=row.symptom_onset,
        profile=PatientProfile.model_validate(row.profile),
        identity=Identity(full_name=identity.full_name, date_of_birth=identity.date_of_birth,
                          record_number=identity.record_number) if identity else None,
        version=row.version, record_version=row.record_version or 1,
        clinician=row.clinician,
    )


def visit_out(row: models.Visit) -> VisitOut:
    data: dict[str, Any] = {name: getattr(row, name) for name in VISIT_COLUMNS}
    return VisitOut.model_validate({**data, "labs": row.labs, "medications": row.medications,
                                    "instrument_items": row.instrument_items, "id": row.id,
                                    "patient_id": row.patient_id, "version": row.version})


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

    def access_log(self, username: str | None = None, patient_id: int | None = None,
                   limit: int = 200, offset: int = 0) -> list[models.AccessEntry]:
        """Reads of patient data, newest first, by user and/or by patient."""
        query = select(models.AccessEntry).order_by(models.AccessEntry.id.desc())
        if username is not None:
            query = query.where(models.AccessEntry.username == username)
        if patient_id is not None:
            query = query.where(models.AccessEntry.patient_id == patient_id)
        return list(self.session.scalars(query.limit(limit).offset(offset)))

    # -- users ---------------------------------------------------------------------------
    def user(self, username: str) -> models.User | None:
        return self.session.scalar(select(models.User).where(models.User.username == username))

    def add_user(self, username: str, password_hash: str, role: str) -> models.User:
        if role == "patient":
            raise InputError([("role", "patient accounts are created by invitation from the "
                                       "patient's record")])
        user = models.User(username=username, password_hash=password_hash, role=role)
        self.session.add(user)
        self.session.flush()
        self._audit("create", "user", user.id, None, {"username": username, "role": role})
        return user

    def users(self) -> list[models.User]:
        return list(self.session.scalars(select(models.User).order_by(models.User.username)))

    def _user_row(self, username: str) -> models.User:
        user = self.user(username)
        if user is None:
            raise NotFoundError(f"user {username!r} not found")
        return user

    def _other_active_admins(self, username: str) -> int:
        return int(self.session.scalar(select(func.count()).select_from(models.User).where(
            models.User.role == "admin", models.User.active.is_(True),
            models.User.username != username)) or 0)

    def set_user(self, username: str, *, active: bool | None = None, role: str | None = None,
                 password_hash: str | None = None) -> models.User:
        """Enable, disable, change the role or reset the password; the last active
        administrator can be neither disabled nor demoted (nobody could manage users then)."""
        user = self._user_row(username)
        before = {"active": user.active, "role": user.role}
        losing_admin = user.role == "admin" and user.active and (
            active is False or (role is not None and role != "admin"))
        if losing_admin and self._other_active_admins(username) == 0:
            raise ConflictError(f"{username} is the last active administrator: add or enable "
                                "another administrator first")
        if role is not None and (role == "patient") != (user.patient_id is not None):
            # A patient account turned staff would read every record; a staff account turned
            # patient has no record. Patients get accounts by invitation only.
            raise InputError([("role", "patient accounts are created by invitation and "
                                       "cannot change role; staff cannot become patients")])
        if active is not None:
            user.active = active
        if role is not None:
            user.role = role
        if password_hash is not None:
            user.password_hash = password_hash
        self.session.flush()
        after: dict[str, Any] = {"active": user.active, "role": user.role}
        if password_hash is not None:
            after["password"] = "reset"
        self._audit("update", "user", user.id, before, after)
        return user

    def set_totp(self, username: str, secret: str | None) -> None:
        """Turn the second factor on (a confirmed secret) or off; audited, secret not logged."""
        user = self._user_row(username)
        before = {"totp": user.totp_secret is not None}
        user.totp_secret = secret
        self.session.flush()
        self._audit("update", "user", user.id, before, {"totp": secret is not None})

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

    def _touch(self, patient_id: int) -> None:
        """Bump the patient's record version (cached patient-list and worklist rows are keyed
        by it). A core UPDATE: it must not trip the optimistic lock on the patient row."""
        table = models.Base.metadata.tables["patients"]
        self.session.execute(update(table).where(table.c.id == patient_id).values(
            record_version=table.c.record_version + 1))

    def patient_versions(self) -> list[tuple[int, str, int, int]]:
        """(id, pseudonym, version, record version) of every patient, in pseudonym order."""
        table = models.Base.metadata.tables["patients"]
        rows = self.session.execute(select(table.c.id, table.c.pseudonym, table.c.version,
                                           table.c.record_version).order_by(table.c.pseudonym))
        return [(r.id, r.pseudonym, r.version, r.record_version) for r in rows]

    def patients_by_ids(self, ids: list[int]) -> list[PatientOut]:
        query = select(models.Patient).options(selectinload(models.Patient.identity)).where(
            models.Patient.id.in_(ids))
        return [patient_out(r) for r in self.session.scalars(query)]

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
            clinician=self._clinician(data.clinician),
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
        self.sync_profile_antibodies(row.id, data.profile)
        return out

    def update_patient(self, patient_id: int, data: PatientUpdate) -> PatientOut:
        row = self._patient_row(patient_id)
        if row.version != data.version:
            raise ConflictError(
                f"patient {patient_id} was changed by someone else (version {row.version}, "
                f"you sent {data.version}); reload and try again"
            )
        before = patient_out(row).model_dump(mode="json")
        # looked up before any attribute changes: the query autoflushed a duplicate pseudonym
        # outside the try below, so the API answered 500 instead of 409 (schemathesis)
        clinician = self._clinician(data.clinician)
        row.pseudonym = data.pseudonym
        row.synthetic = data.synthetic
        row.sex = data.sex
        row.symptom_onset = data.symptom_onset
        row.age_at_onset = data.profile.classification.age_at_onset
        row.profile = data.profile.model_dump(mode="json")
        row.clinician = clinician
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
        self.sync_profile_antibodies(row.id, data.profile)
        return out

    def delete_patient(self, patient_id: int) -> None:
        row = self._patient_row(patient_id)
        before = patient_out(row).model_dump(mode="json")
        self.session.delete(row)
        self.session.flush()
        self._audit("delete", "patient", patient_id, before, None)

    # -- visits --------------------------------------------------------------------------
    def clinician_names(self) -> list[str]:
        """Active clinician and administrator usernames (the worklist's clinician filter)."""
        return list(self.session.scalars(select(models.User.username).where(
            models.User.active.is_(True), models.User.role.in_(("clinician", "admin")))
            .order_by(models.User.username)))

    def _clinician(self, username: str | None) -> str | None:
        """The responsible clinician must be an active clinician or administrator account."""
        if username is None:
            return None
        user = self.user(username)
        if user is None or not user.active or user.role not in ("clinician", "admin"):
            raise InputError([("clinician", f"{username!r} is not an active clinician or "
                                            "administrator account")])
        return username

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

    def check_visit(self, patient_id: int, data: VisitIn, editing: int | None = None,
                    today: dt.date | None = None) -> VisitCheck:
        """The one visit validation (API, save and the form's live check)."""
        dates = [(r.id, r.date) for r in self.session.execute(select(
            models.Visit.id, models.Visit.date).where(models.Visit.patient_id == patient_id))]
        return check_visit(data, self.patient(patient_id), dates, today or dt.date.today(),
                           editing)

    def _check_visit(self, patient_id: int, data: VisitIn, editing: int | None = None) -> None:
        check = self.check_visit(patient_id, data, editing)
        problems = list(check.errors.items())
        if not data.confirm:
            problems += [(field, f"{message} (confirm to save anyway)")
                         for field, message in check.warnings.items()]
        if problems:
            raise InputError(problems)

    def _visit_values(self, data: VisitIn) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(data, name) for name in VISIT_COLUMNS}
        values["labs"] = data.labs.model_dump(mode="json")
        values["medications"] = []  # a course of treatment has one home: the treatments table
        values["instrument_items"] = (data.instrument_items.model_dump(mode="json")
                                      if data.instrument_items else None)
        return values

    def _medications_to_treatments(self, patient_id: int, data: VisitIn) -> None:
        """Legacy visit medications become treatment rows (one per therapy and start date)."""
        if not data.medications:
            return
        existing = {(t.therapy, t.start): t for t in self.entries(patient_id, "treatments")}
        for med in data.medications:
            known = existing.get((med.therapy, med.start))
            values = Treatment.model_validate(med.model_dump())
            if known is None:
                self.add_entry(patient_id, "treatments", values)
            elif known.model_dump(exclude={"id"}) != values.model_dump():
                self.update_entry(patient_id, "treatments", known.id, values)

    def add_visit(self, patient_id: int, data: VisitIn) -> VisitOut:
        self._check_visit(patient_id, data)
        row = models.Visit(patient_id=patient_id, **self._visit_values(data))
        self.session.add(row)
        self.session.flush()
        out = visit_out(row)
        self._audit("create", "visit", row.id, None, out.model_dump(mode="json"))
        self._medications_to_treatments(patient_id, data)
        self._touch(patient_id)
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
        self._check_visit(patient_id, data, editing=visit_id)
        before = visit_out(row).model_dump(mode="json")
        for key, value in self._visit_values(data).items():
            setattr(row, key, value)
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise ConflictError(f"visit {visit_id} was changed concurrently") from exc
        out = visit_out(row)
        self._audit("update", "visit", visit_id, before, out.model_dump(mode="json"))
        self._medications_to_treatments(patient_id, data)
        self._touch(patient_id)
        return out

    def delete_visit(self, patient_id: int, visit_id: int) -> None:
        row = self._visit_row(patient_id, visit_id)
        before = visit_out(row).model_dump(mode="json")
        self.session.delete(row)
        self.session.flush()
        self._audit("delete", "visit", visit_id, before, None)
        self._touch(patient_id)

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

    # -- record entries (treatments, lab results, antibodies, lung, screening, vaccines) ----
    def entries(self, patient_id: int, kind: EntryKind) -> list[Any]:
        table = ENTRY_TABLES[kind]
        order = [table.date] if hasattr(table, "date") else [table.start]
        rows = self.session.scalars(select(table).where(table.patient_id == patient_id)
                                    .order_by(*order, table.id))
        return [_entry_out(kind, r) for r in rows]

    def record_entries(self, patient_ids: list[int]) -> dict[int, RecordEntries]:
        """Every entry of many patients, one query per table (patient list, worklist)."""
        out = {pid: RecordEntries() for pid in patient_ids}
        for kind, table in ENTRY_TABLES.items():
            order = table.date if hasattr(table, "date") else table.start
            rows = self.session.scalars(select(table).where(table.patient_id.in_(patient_ids))
                                        .order_by(table.patient_id, order, table.id))
            for row in rows:
                getattr(out[row.patient_id], kind).append(_entry_out(kind, row))
        reports = self.session.execute(
            select(models.PatientReport.patient_id, models.PatientReport.answers).where(
                models.PatientReport.patient_id.in_(patient_ids),
                models.PatientReport.status == "submitted"))
        for pid, answers in reports:
            for warning in (answers or {}).get("warning_symptoms") or []:
                if warning not in out[pid].patient_warnings:
                    out[pid].patient_warnings.append(warning)
        return out

    def add_entry(self, patient_id: int, kind: EntryKind, data: Any) -> Any:
        self._require_patient(patient_id)
        data = ENTRY_INPUT[kind].model_validate(data.model_dump())
        row = ENTRY_TABLES[kind](patient_id=patient_id, **_entry_columns(kind, data))
        self.session.add(row)
        self.session.flush()
        out = _entry_out(kind, row)
        self._audit("create", kind[:-1] if kind.endswith("s") else kind, row.id, None,
                    {"patient_id": patient_id, **out.model_dump(mode="json")})
        self._touch(patient_id)
        return out

    def add_antibody_panel(self, patient_id: int, panel: AntibodyPanel) -> list[Any]:
        """Every result of one panel, each an audited antibody-result row; the caller commits
        once, so a panel is stored whole or not at all."""
        return [self.add_entry(patient_id, "antibody_results", entry) for entry in panel.entries()]

    def _entry_row(self, patient_id: int, kind: EntryKind, entry_id: int) -> Any:
        row = self.session.get(ENTRY_TABLES[kind], entry_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError(f"{kind} entry {entry_id} not found")
        return row

    def update_entry(self, patient_id: int, kind: EntryKind, entry_id: int, data: Any) -> Any:
        row = self._entry_row(patient_id, kind, entry_id)
        data = ENTRY_INPUT[kind].model_validate(data.model_dump())
        before = _entry_out(kind, row).model_dump(mode="json")
        for key, value in _entry_columns(kind, data).items():
            setattr(row, key, value)
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise ConflictError(f"{kind} entry {entry_id} was changed concurrently") from exc
        out = _entry_out(kind, row)
        self._audit("update", kind[:-1], entry_id, {"patient_id": patient_id, **before},
                    {"patient_id": patient_id, **out.model_dump(mode="json")})
        self._touch(patient_id)
        return out

    def delete_entry(self, patient_id: int, kind: EntryKind, entry_id: int) -> None:
        row = self._entry_row(patient_id, kind, entry_id)
        before = _entry_out(kind, row).model_dump(mode="json")
        self.session.delete(row)
        self.session.flush()
        self._audit("delete", kind[:-1], entry_id, {"patient_id": patient_id, **before}, None)
        self._touch(patient_id)

    def sync_profile_antibodies(self, patient_id: int, profile: PatientProfile) -> None:
        """Undated antibody rows mirror the profile's panel, so search finds "MDA5"."""
        table = models.AntibodyResultRow
        self.session.execute(delete(table).where(
            table.patient_id == patient_id, table.date.is_(None), table.method.is_(None)))
        for name, entry in profile.antibodies.model_dump(mode="json").items():
            status = (entry or {}).get("status")
            if status in ("positive", "negative"):
                self.session.add(table(patient_id=patient_id, antibody=name, result=status))

    # -- flags with a lifecycle ------------------------------------------------------------
    def flags(self, patient_id: int, include_resolved: bool = True) -> list[FlagOut]:
        query = select(models.FlagRow).where(models.FlagRow.patient_id == patient_id)
        if not include_resolved:
            query = query.where(models.FlagRow.state != "resolved")
        rows = self.session.scalars(query.order_by(models.FlagRow.id))
        return [FlagOut.model_validate(r, from_attributes=True) for r in rows]

    def open_flags(self, patient_ids: list[int] | None = None) -> dict[int, list[FlagOut]]:
        query = select(models.FlagRow).where(models.FlagRow.state != "resolved")
        if patient_ids is not None:
            query = query.where(models.FlagRow.patient_id.in_(patient_ids))
        out: dict[int, list[FlagOut]] = {}
        for row in self.session.scalars(query.order_by(models.FlagRow.id)):
            out.setdefault(row.patient_id, []).append(
                FlagOut.model_validate(row, from_attributes=True))
        return out

    def apply_flag_changes(self, patient_id: int, changes: FlagChanges) -> None:
        """Raise new flags and resolve the ones the engine no longer raises (actor: engine)."""
        now = dt.datetime.now(dt.UTC)
        for flag in changes.raise_:
            row = models.FlagRow(patient_id=patient_id, code=flag.code, urgency=flag.urgency,
                                 text=flag.text, state="open")
            self.session.add(row)
            self.session.flush()
            self.session.add(models.AuditEntry(
                username="engine", action="create", entity="flag", entity_id=row.id,
                before=None, after={"patient_id": patient_id, "code": flag.code,
                                    "urgency": flag.urgency, "text": flag.text}))
        for flag_id, reason in changes.resolve.items():
            found = self.session.get(models.FlagRow, flag_id)
            if found is None or found.state == "resolved":
                continue
            before = {"state": found.state}
            found.state, found.resolved_by, found.resolved_at, found.resolution = (
                "resolved", "engine", now, reason)
            self.session.add(models.AuditEntry(
                username="engine", action="update", entity="flag", entity_id=flag_id,
                before=before, after={"patient_id": patient_id, "state": "resolved",
                                      "resolution": reason}))
        for flag_id, text in changes.retext.items():
            current = self.session.get(models.FlagRow, flag_id)
            if current is not None:
                current.text = text
        self.session.flush()

    def act_on_flag(self, patient_id: int, flag_id: int, action: FlagAction) -> FlagOut:
        row = self.session.get(models.FlagRow, flag_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError(f"flag {flag_id} not found")
        if row.version != action.version:
            raise ConflictError(f"flag {flag_id} was changed by someone else "
                                f"(version {row.version}, you sent {action.version})")
        before = FlagOut.model_validate(row, from_attributes=True).model_dump(mode="json")
        now = dt.datetime.now(dt.UTC)
        if action.action == "acknowledge":
            if row.state != "open":
                raise ConflictError(f"flag {flag_id} is {row.state}, not open")
            row.state, row.acknowledged_by, row.acknowledged_at = "acknowledged", self.actor, now
        elif action.action == "resolve":
            if not (action.reason or "").strip():
                raise InputError([("reason", "say why the flag is resolved")])
            row.state, row.resolved_by, row.resolved_at, row.resolution = (
                "resolved", self.actor, now, action.reason)
        else:
            row.state, row.resolved_by, row.resolved_at, row.resolution = (
                "open", None, None, None)
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise ConflictError(f"flag {flag_id} was changed concurrently") from exc
        out = FlagOut.model_validate(row, from_attributes=True)
        self._audit("update", "flag", flag_id, before, out.model_dump(mode="json"))
        return out

"""Tables. Pseudonymous clinical data and identifying fields live in separate tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())
    # Optional second factor (RFC 6238 TOTP); set once the user confirmed a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    # Set for the `patient` role only: the one record this account may read.
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE", name="fk_users_patient"), default=None)
    # Optional address for portal reminders (patients choose it; never shown to others).
    email: Mapped[str | None] = mapped_column(String(254), default=None)


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    synthetic: Mapped[bool] = mapped_column(default=True)
    sex: Mapped[str] = mapped_column(String(16), default="unknown")
    age_at_onset: Mapped[float] = mapped_column(Float)
    symptom_onset: Mapped[dt.date | None] = mapped_column(Date)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    record_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    clinician: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now(),
                                                    onupdate=func.now())

    identity: Mapped[PatientIdentity | None] = relationship(back_populates="patient",
                                                            cascade="all, delete-orphan")
    visits: Mapped[list[Visit]] = relationship(back_populates="patient",
                                               order_by="Visit.date",
                                               cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class PatientIdentity(Base):
    """Identifying fields, kept apart so researchers' queries never touch them."""

    __tablename__ = "patient_identities"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            primary_key=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    record_number: Mapped[str | None] = mapped_column(String(64))

    patient: Mapped[Patient] = relationship(back_populates="identity")


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    physician_global: Mapped[float | None] = mapped_column(Float)
    patient_global: Mapped[float | None] = mapped_column(Float)
    extramuscular_global: Mapped[float | None] = mapped_column(Float)
    mmt8: Mapped[float | None] = mapped_column(Float)
    mmt_max: Mapped[int] = mapped_column(Integer, default=80)
    haq: Mapped[float | None] = mapped_column(Float)
    cdasi_activity: Mapped[float | None] = mapped_column(Float)
    cdasi_damage: Mapped[float | None] = mapped_column(Float)
    glucocorticoid_mg_per_day: Mapped[float | None] = mapped_column(Float)
    labs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    medications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    instrument_items: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())

    patient: Mapped[Patient] = relationship(back_populates="visits")

    __mapper_args__ = {"version_id_col": version}


class CarePlanSnapshot(Base):
    __tablename__ = "care_plan_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(64))
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the migration)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                            index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AccessEntry(Base):
    """Append-only record of one read of patient data (view, export, letter, plan)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    path: Mapped[str] = mapped_column(String(255))


class LoginAttempt(Base):
    """Recent login attempts (epoch seconds); shared by all worker processes, pruned as read."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[float] = mapped_column(Float)


class TreatmentRow(Base):
    """One course of a knowledge-base therapy (the record's ``treatments``)."""

    __tablename__ = "treatments"
    __table_args__ = (Index("ix_treatments_patient_therapy", "patient_id", "therapy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    therapy: Mapped[str] = mapped_column(String(64))
    dose_text: Mapped[str | None] = mapped_column(String(120))
    dose_value: Mapped[float | None] = mapped_column(Float)
    dose_unit: Mapped[str | None] = mapped_column(String(16))
    route: Mapped[str | None] = mapped_column(String(16))
    start: Mapped[dt.date | None] = mapped_column(Date)
    stop: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16), default="unknown")
    reason_stopped: Mapped[str | None] = mapped_column(String(16))
    reaction_severity: Mapped[str | None] = mapped_column(String(16))
    response: Mapped[str | None] = mapped_column(String(16))
    adherence: Mapped[str | None] = mapped_column(String(16))
    cumulative_dose_g: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LabResultRow(Base):
    """Laboratory results as a long table: one analyte, value, unit and ULN on a date."""

    __tablename__ = "lab_results"
    __table_args__ = (Index("ix_lab_results_patient_analyte_date", "patient_id", "analyte",
                            "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    analyte: Mapped[str] = mapped_column(String(24))
    loinc: Mapped[str | None] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(24))
    uln: Mapped[float | None] = mapped_column(Float)
    date: Mapped[dt.date] = mapped_column(Date)


class AntibodyResultRow(Base):
    __tablename__ = "antibody_results"
    __table_args__ = (Index("ix_antibody_results_antibody", "antibody", "result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    antibody: Mapped[str] = mapped_column(String(24))
    result: Mapped[str] = mapped_column(String(16))
    method: Mapped[str | None] = mapped_column(String(24))
    level: Mapped[str | None] = mapped_column(String(16))
    date: Mapped[dt.date | None] = mapped_column(Date)


class LungMeasureRow(Base):
    __tablename__ = "lung_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    fvc_percent_predicted: Mapped[float | None] = mapped_column(Float)
    dlco_percent_predicted: Mapped[float | None] = mapped_column(Float)
    hrct_pattern: Mapped[str | None] = mapped_column(String(16))
    oxygen: Mapped[str | None] = mapped_column(String(16))
    course: Mapped[str | None] = mapped_column(String(24))


class ScreeningTestRow(Base):
    """A screening or monitoring test done (cancer screening, DXA, ...), with date and result."""

    __tablename__ = "screening_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    test: Mapped[str] = mapped_column(String(80))
    date: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16), default="normal")


class VaccinationRow(Base):
    __tablename__ = "vaccinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    vaccine: Mapped[str] = mapped_column(String(24))
    date: Mapped[dt.date] = mapped_column(Date)


class FlagRow(Base):
    """A flag raised by the engine, with its lifecycle: open, acknowledged, resolved."""

    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_patient_state", "patient_id", "state"),
                      Index("ix_flags_code_state", "code", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(48))
    urgency: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="open")
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                   server_default=func.now())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(400))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class EvidenceRow(Base):
    """A PubMed citation or ClinicalTrials.gov study; ``data`` is the whole parsed record."""

    __tablename__ = "evidence_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    abstract: Mapped[str] = mapped_column(Text, default="")
    evidence_type: Mapped[str] = mapped_column(String(24), index=True)
    record_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str | None] = mapped_column(String(32))
    retracted: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class EvidenceTagRow(Base):
    __tablename__ = "evidence_tags"
    __table_args__ = (Index("ix_evidence_tags_target", "kind", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("evidence_records.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(48))
    term: Mapped[str] = mapped_column(String(80))


class TrialStatusRow(Base):
    """Each status a trial was seen in, with the registry's update date (history)."""

    __tablename__ = "trial_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("evidence_records.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[str] = mapped_column(String(32))
    has_results: Mapped[bool] = mapped_column(default=False)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)


class PullCheckpoint(Base):
    """Where an incremental pull stopped, so an interrupted one resumes without duplicates."""

    __tablename__ = "pull_checkpoints"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class PortalInvitation(Base):
    """A single-use, expiring code the clinic gives a patient; only its SHA-256 is stored."""

    __tablename__ = "portal_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    used_by: Mapped[str | None] = mapped_column(String(64), default=None)


class PatientReport(Base):
    """A questionnaire a patient submitted: patient-reported values waiting for a clinician
    to accept them into a visit (or decline them)."""

    __tablename__ = "patient_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    haq_di: Mapped[float | None] = mapped_column(Float, default=None)
    patient_global: Mapped[float | None] = mapped_column(Float, default=None)
    pain: Mapped[float | None] = mapped_column(Float, default=None)
    fatigue: Mapped[float | None] = mapped_column(Float, default=None)
    concerns: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), default=None)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            default=None)


class ExercisePlan(Base):
    """The exercise programme a clinician set for a patient. A new plan ends the previous
    one (``ended_at``), so the history of what was asked stays."""

    __tablename__ = "exercise_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    programme_id: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class ExerciseLog(Base):
    """One exercise session as the patient logged it (patient-reported)."""

    __tablename__ = "exercise_logs"
    __table_args__ = (
        CheckConstraint("minutes BETWEEN 1 AND 240", name="ck_exercise_logs_minutes"),
        CheckConstraint("effort BETWEEN 0 AND 10", name="ck_exercise_logs_effort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    programme_id: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    exercises_done: Mapped[list[str]] = mapped_column(JSON)
    stop_sign: Mapped[bool] = mapped_column(Boolean, default=False)
    warning_symptoms: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    logged_by: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class GroupSession(Base):
    """A group session the clinic runs (clinic data: no patient is named)."""

    __tablename__ = "group_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(32))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DiaryEntry(Base):
    """One day of the patient's symptom diary (patient-reported)."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        CheckConstraint("weakness IS NULL OR weakness BETWEEN 0 AND 10",
                        name="ck_diary_weakness"),
        CheckConstraint("rash IS NULL OR rash BETWEEN 0 AND 10", name="ck_diary_rash"),
        CheckConstraint("fatigue IS NULL OR fatigue BETWEEN 0 AND 10", name="ck_diary_fatigue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"),
                                            index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    weakness: Mapped[int | None] = mapped_column(Integer, default=None)
    rash: Mapped[int | None] = mapped_column(Integer, default=None)
    fatigue: Mapped[int | None] = mapped_column(Integer, default=None)
    swallowing_trouble: Mapped[bool] = mapped_column(Boolean, default=False)
    breathing_trouble: Mapped[bool] = mapped_column(Boolean, default=False)
    weakness_worsening_fast: Mapped[bool] = mapped_column(Boolean, default=False)
    new_calcinosis: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReminderLog(Base):
    """A reminder already e-mailed (its key: what and when), so a daily run does not repeat
    it."""

    __tablename__ = "reminder_log"
    __table_args__ = (Index("ux_reminder_log_user_key", "username", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

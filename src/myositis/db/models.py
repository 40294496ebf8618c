"""Tables. Pseudonymous clinical data and identifying fields live in separate tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
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


class LoginAttempt(Base):
    """Recent login attempts (epoch seconds); shared by all worker processes, pruned as read."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[float] = mapped_column(Float)

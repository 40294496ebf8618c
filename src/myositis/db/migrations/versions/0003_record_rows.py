"""The whole patient record as rows: treatments, lab results (long), antibody results, lung
measures, screening tests done, vaccinations, and flags with a lifecycle.

Data carried over: each visit's ``medications`` JSON becomes treatment rows (one per therapy and
start date, the latest visit's entry winning) and the visit's copy is emptied, so that a course
of treatment has one home; each positive or negative antibody in the patient profile becomes an
antibody-result row (undated, method unknown). Visit enzymes stay on the visit (they are the
visit's core set measure) and are shown in the lab trend beside the lab-result rows.

Revision ID: 0003
Revises: 0002
"""

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def _fk() -> sa.Column[Any]:
    return sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id", ondelete="CASCADE"),
                     nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "treatments",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("therapy", sa.String(64), nullable=False),
        sa.Column("dose_text", sa.String(120)),
        sa.Column("dose_value", sa.Float),
        sa.Column("dose_unit", sa.String(16)),
        sa.Column("route", sa.String(16)),
        sa.Column("start", sa.Date),
        sa.Column("stop", sa.Date),
        sa.Column("outcome", sa.String(16), nullable=False, server_default="unknown"),
        sa.Column("reason_stopped", sa.String(16)),
        sa.Column("response", sa.String(16)),
        sa.Column("cumulative_dose_g", sa.Float),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("dose_value >= 0", name="ck_treatment_dose"),
        sa.CheckConstraint("stop is null or start is null or stop >= start",
                           name="ck_treatment_dates"),
    )
    op.create_index("ix_treatments_patient_therapy", "treatments", ["patient_id", "therapy"])
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("analyte", sa.String(24), nullable=False),
        sa.Column("loinc", sa.String(16)),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(24), nullable=False),
        sa.Column("uln", sa.Float),
        sa.Column("date", sa.Date, nullable=False),
        sa.CheckConstraint("value >= 0", name="ck_lab_value"),
    )
    op.create_index("ix_lab_results_patient_analyte_date", "lab_results",
                    ["patient_id", "analyte", "date"])
    op.create_table(
        "antibody_results",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("antibody", sa.String(24), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("method", sa.String(24)),
        sa.Column("level", sa.String(16)),
        sa.Column("date", sa.Date),
    )
    op.create_index("ix_antibody_results_antibody", "antibody_results", ["antibody", "result"])
    op.create_table(
        "lung_measures",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("fvc_percent_predicted", sa.Float),
        sa.Column("dlco_percent_predicted", sa.Float),
        sa.Column("hrct_pattern", sa.String(16)),
        sa.Column("oxygen", sa.String(16)),
        sa.Column("course", sa.String(24)),
    )
    op.create_table(
        "screening_tests",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("test", sa.String(80), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("result", sa.String(16), nullable=False, server_default="normal"),
    )
    op.create_table(
        "vaccinations",
        sa.Column("id", sa.Integer, primary_key=True), _fk(),
        sa.Column("vaccine", sa.String(24), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="open"),
        sa.Column("raised_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.Column("acknowledged_by", sa.String(64)),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.String(64)),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolution", sa.String(400)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("state in ('open', 'acknowledged', 'resolved')",
                           name="ck_flag_state"),
    )
    op.create_index("ix_flags_patient_state", "flags", ["patient_id", "state"])
    op.create_index("ix_flags_code_state", "flags", ["code", "state"])
    _carry_over()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _carry_over() -> None:
    conn = op.get_bind()
    meta = sa.MetaData()
    visits = sa.Table("visits", meta, autoload_with=conn)
    patients = sa.Table("patients", meta, autoload_with=conn)
    treatments = sa.Table("treatments", meta, autoload_with=conn)
    antibodies = sa.Table("antibody_results", meta, autoload_with=conn)
    courses: dict[tuple[int, str, str | None], dict[str, Any]] = {}
    for row in conn.execute(sa.select(visits.c.id, visits.c.patient_id, visits.c.medications)
                            .order_by(visits.c.date, visits.c.id)):
        for med in _json(row.medications) or []:
            key = (row.patient_id, med["therapy"], med.get("start"))
            courses[key] = {"patient_id": row.patient_id, "therapy": med["therapy"],
                            "dose_text": med.get("dose"), "start": med.get("start"),
                            "stop": med.get("stop"), "outcome": med.get("outcome", "unknown")}
    for values in courses.values():
        for name in ("start", "stop"):
            if values[name]:
                values[name] = _date(values[name])
        conn.execute(sa.insert(treatments).values(**values))
    conn.execute(sa.update(visits).values(medications=[]))
    for patient in conn.execute(sa.select(patients.c.id, patients.c.profile)):
        profile = _json(patient.profile) or {}
        for name, entry in (profile.get("antibodies") or {}).items():
            status = (entry or {}).get("status")
            if status in ("positive", "negative"):
                conn.execute(sa.insert(antibodies).values(patient_id=patient.id, antibody=name,
                                                          result=status))


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def downgrade() -> None:
    for table in ("flags", "vaccinations", "screening_tests", "lung_measures",
                  "antibody_results", "lab_results", "treatments"):
        op.drop_table(table)

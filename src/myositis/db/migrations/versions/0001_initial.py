"""Initial schema: users, patients and identities, visits, plan snapshots, append-only audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.CheckConstraint("role in ('admin', 'clinician', 'researcher')", name="ck_users_role"),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("sex", sa.String(16), nullable=False, server_default="unknown"),
        sa.Column("age_at_onset", sa.Float, nullable=False),
        sa.Column("symptom_onset", sa.Date),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.CheckConstraint("age_at_onset >= 0 and age_at_onset <= 120", name="ck_age"),
    )
    op.create_table(
        "patient_identities",
        sa.Column("patient_id", sa.Integer,
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("full_name", sa.String(200)),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("record_number", sa.String(64)),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("date", sa.Date, nullable=False, index=True),
        sa.Column("physician_global", sa.Float),
        sa.Column("patient_global", sa.Float),
        sa.Column("extramuscular_global", sa.Float),
        sa.Column("mmt8", sa.Float),
        sa.Column("mmt_max", sa.Integer, nullable=False, server_default="80"),
        sa.Column("haq", sa.Float),
        sa.Column("cdasi_activity", sa.Float),
        sa.Column("cdasi_damage", sa.Float),
        sa.Column("glucocorticoid_mg_per_day", sa.Float),
        sa.Column("labs", sa.JSON, nullable=False),
        sa.Column("medications", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.CheckConstraint("physician_global between 0 and 10", name="ck_pga"),
        sa.CheckConstraint("patient_global between 0 and 10", name="ck_ptga"),
        sa.CheckConstraint("extramuscular_global between 0 and 10", name="ck_ema"),
        sa.CheckConstraint("mmt8 >= 0 and mmt8 <= mmt_max", name="ck_mmt8"),
        sa.CheckConstraint("haq between 0 and 3", name="ck_haq"),
    )
    op.create_table(
        "care_plan_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patients.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, index=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("audit_log", "care_plan_snapshots", "visits", "patient_identities",
                  "patients", "users"):
        op.drop_table(table)

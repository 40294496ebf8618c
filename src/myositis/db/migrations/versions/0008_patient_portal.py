"""Patient portal: a patient account is linked to its record, the clinic invites by a
single-use expiring code (stored hashed), and questionnaires a patient submits wait as
patient-reported values until a clinician accepts them into a visit.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("patient_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_users_patient", "patients", ["patient_id"], ["id"],
                                 ondelete="CASCADE")
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint(
            "ck_users_role", "role in ('admin', 'clinician', 'researcher', 'patient')")
        # A patient account always has its record and a staff account never has one.
        batch.create_check_constraint(
            "ck_users_patient_link", "(role = 'patient') = (patient_id IS NOT NULL)")
    op.create_table(
        "portal_invitations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer,
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "patient_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer,
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("haq_di", sa.Float, nullable=True),
        sa.Column("patient_global", sa.Float, nullable=True),
        sa.Column("pain", sa.Float, nullable=True),
        sa.Column("fatigue", sa.Float, nullable=True),
        sa.Column("concerns", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="submitted"),
        sa.Column("visit_id", sa.Integer,
                  sa.ForeignKey("visits.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reviewed_by", sa.String(64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("patient_reports")
    op.drop_table("portal_invitations")
    op.execute("DELETE FROM users WHERE role = 'patient'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_patient_link", type_="check")
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role",
                                      "role in ('admin', 'clinician', 'researcher')")
        batch.drop_constraint("fk_users_patient", type_="foreignkey")
        batch.drop_column("patient_id")

"""Symptom and flare diary of the patient portal.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "diary_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer,
                  sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("weakness", sa.Integer, nullable=True),
        sa.Column("rash", sa.Integer, nullable=True),
        sa.Column("fatigue", sa.Integer, nullable=True),
        sa.Column("swallowing_trouble", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("breathing_trouble", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("weakness_worsening_fast", sa.Boolean, nullable=False,
                  server_default=sa.false()),
        sa.Column("new_calcinosis", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("written_by", sa.String(64), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("weakness IS NULL OR weakness BETWEEN 0 AND 10",
                           name="ck_diary_weakness"),
        sa.CheckConstraint("rash IS NULL OR rash BETWEEN 0 AND 10", name="ck_diary_rash"),
        sa.CheckConstraint("fatigue IS NULL OR fatigue BETWEEN 0 AND 10",
                           name="ck_diary_fatigue"),
    )


def downgrade() -> None:
    op.drop_table("diary_entries")

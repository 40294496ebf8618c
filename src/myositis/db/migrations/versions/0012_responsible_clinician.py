"""The responsible clinician of a patient (a username), so the worklist can be filtered to
one clinician's patients.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("clinician", sa.String(64), nullable=True))
        batch.create_index("ix_patients_clinician", ["clinician"])


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_index("ix_patients_clinician")
        batch.drop_column("clinician")

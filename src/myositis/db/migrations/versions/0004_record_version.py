"""A per-patient record version, bumped by every write to the patient's record (visits, record
entries, the patient itself), so derived rows (patient list, worklist) can be cached by it
without reading the whole record to see whether it changed.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("record_version", sa.Integer, nullable=False,
                                   server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("record_version")

"""The severity of the adverse reaction that stopped a course: a mild one (nausea) allows a
re-challenge with mitigation, a severe one rules it out.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.add_column(sa.Column("reaction_severity", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.drop_column("reaction_severity")

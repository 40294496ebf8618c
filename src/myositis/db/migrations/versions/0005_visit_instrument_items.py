"""Item-level instruments of a visit (MMT-8 grades, HAQ-DI answers) kept beside their totals, so
a total can be checked against its items and corrected item by item.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("instrument_items", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("instrument_items")

"""How regularly a course is taken: partial or poor adherence means a flare or a poor response
is not yet a failure of the drug (specialist review Z11b).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.add_column(sa.Column("adherence", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("treatments") as batch:
        batch.drop_column("adherence")

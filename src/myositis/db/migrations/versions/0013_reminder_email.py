"""Portal reminders by e-mail: an optional address on an account and a log of reminders sent,
so that a daily run never sends the same reminder twice.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_reminder_log_user_key", "reminder_log", ["username", "key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_reminder_log_user_key", "reminder_log")
    op.drop_table("reminder_log")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")

"""Access log: who viewed, exported or printed which patient record, when and through which
channel (HIPAA 164.312(b) audit controls). Append-only, like the audit log.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("username", sa.String(64), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("patient_id", sa.Integer, index=True),
        sa.Column("path", sa.String(255), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER access_log_no_{verb.lower()} BEFORE {verb} ON access_log "
                "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
        op.execute("DROP FUNCTION IF EXISTS access_log_append_only()")
    op.drop_table("access_log")

"""Literature and trial surveillance: records keyed by PMID or NCT number, their tags to the
knowledge base, trial status history and pull checkpoints; full-text search with FTS5 on SQLite
and a tsvector column with a GIN index on PostgreSQL.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(20), nullable=False, unique=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("abstract", sa.Text, nullable=False, server_default=""),
        sa.Column("evidence_type", sa.String(24), nullable=False, index=True),
        sa.Column("record_date", sa.Date, index=True),
        sa.Column("status", sa.String(32)),
        sa.Column("retracted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "evidence_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer,
                  sa.ForeignKey("evidence_records.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(48), nullable=False),
        sa.Column("term", sa.String(80), nullable=False),
    )
    op.create_index("ix_evidence_tags_target", "evidence_tags", ["kind", "target"])
    op.create_table(
        "trial_status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer,
                  sa.ForeignKey("evidence_records.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("has_results", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_on", sa.Date),
    )
    op.create_table(
        "pull_checkpoints",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("state", sa.JSON, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE evidence_fts USING fts5(title, abstract, "
                   "content='evidence_records', content_rowid='id')")
    else:
        op.execute("ALTER TABLE evidence_records ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', coalesce(abstract, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_evidence_search ON evidence_records USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS evidence_fts")
    for table in ("pull_checkpoints", "trial_status_history", "evidence_tags",
                  "evidence_records"):
        op.drop_table(table)

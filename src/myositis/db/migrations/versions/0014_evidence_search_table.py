"""PostgreSQL full-text search moves from a generated column on ``evidence_records`` to a
narrow table ``evidence_search(id, search)`` with the GIN index.

Why: a search first selects the most recent matches and then ranks them. On the wide records
table (title, abstract and the whole parsed record, about 6 KB a row with its TOAST) selecting
the matches visited thousands of large heap pages or detoasted every vector it tested: p95
40-80 ms over 100,000 records. On the narrow table the GIN bitmap visits a few hundred small
pages and only the ranked pool is detoasted (about 20 ms; benchmarks/bench_evidence.py).
SQLite keeps its FTS5 table.

Revision ID: 0014
Revises: 0013
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

VECTOR = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
          "setweight(to_tsvector('english', coalesce(abstract, '')), 'B')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("CREATE TABLE evidence_search (id integer PRIMARY KEY REFERENCES "
               "evidence_records(id) ON DELETE CASCADE, search tsvector NOT NULL)")
    op.execute("INSERT INTO evidence_search (id, search) SELECT id, search FROM evidence_records")
    op.execute("CREATE INDEX ix_evidence_search_vector ON evidence_search USING gin (search)")
    op.execute("DROP INDEX IF EXISTS ix_evidence_search")
    op.execute("ALTER TABLE evidence_records DROP COLUMN search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(f"ALTER TABLE evidence_records ADD COLUMN search tsvector GENERATED ALWAYS AS "
               f"({VECTOR}) STORED")
    op.execute("CREATE INDEX ix_evidence_search ON evidence_records USING gin (search)")
    op.execute("DROP TABLE evidence_search")

"""Store, tag and search literature and trial records. Upserts are idempotent: a record whose
content is unchanged is skipped, so re-importing the same file changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from myositis.db import models
from myositis.domain.evidence import EvidenceRecord, evidence_type
from myositis.services.evidence import Tag, Tagger, record_date


@dataclass
class ImportCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def add(self, other: ImportCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped


RANK_POOL = 2000
SEARCH_VECTOR = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                 "setweight(to_tsvector('english', coalesce(abstract, '')), 'B')")


def _hash(record: EvidenceRecord) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


@dataclass
class PreparedBatch:
    """A batch with its column values and content hashes worked out, without touching the
    database, so that an import can prepare the next batch while the previous one is being
    written. Tags are found when a record is stored: an unchanged record needs none."""

    records: list[EvidenceRecord]
    values: dict[str, dict[str, Any]]


def prepare_batch(records: Iterable[EvidenceRecord]) -> PreparedBatch:
    """Deduplicate by key (the last copy wins) and compute each record's stored values and
    content hash."""
    batch = list({r.key: r for r in records}.values())
    values = {r.key: {
        "source": r.source, "title": r.title, "abstract": r.abstract,
        "evidence_type": evidence_type(r), "record_date": record_date(r),
        "status": r.trial.status if r.trial else None, "retracted": r.retracted,
        "content_hash": _hash(r), "data": r.model_dump(mode="json")} for r in batch}
    return PreparedBatch(batch, values)


class EvidenceRepository:
    def __init__(self, session: Session, tagger: Tagger) -> None:
        self.session = session
        self.tagger = tagger
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    # -- write ----------------------------------------------------------------------------
    def upsert(self, records: Iterable[EvidenceRecord]) -> ImportCounts:
        """One batch; the caller commits it as one transaction."""
        return self.apply(prepare_batch(records))

    def apply(self, prepared: PreparedBatch) -> ImportCounts:
        """Store a prepared batch. New records are inserted in bulk (with their tags and search
        entries); changed ones are updated one by one; unchanged ones are left alone."""
        counts = ImportCounts()
        batch = prepared.records
        if not batch:
            return counts
        existing = {row.key: row for row in self.session.scalars(
            select(models.EvidenceRow).where(models.EvidenceRow.key.in_([r.key for r in batch])))}
        fresh: list[tuple[EvidenceRecord, dict[str, Any]]] = []
        changed: list[tuple[EvidenceRecord, models.EvidenceRow, dict[str, Any]]] = []
        for record in batch:
            values = prepared.values[record.key]
            row = existing.get(record.key)
            if row is not None and row.content_hash == values["content_hash"]:
                counts.unchanged += 1
                continue
            if row is None:
                fresh.append((record, {"key": record.key, **values}))
            else:
                changed.append((record, row, values))
        ids: dict[str, int] = {}
        if fresh and not self.sqlite:
            ids = self._copy_records([values for _record, values in fresh])
            counts.new += len(fresh)
        elif fresh:
            result = self.session.execute(
                insert(models.EvidenceRow).returning(models.EvidenceRow.id,
                                                     models.EvidenceRow.key),
                [values for _record, values in fresh])
            ids = {key: id_ for id_, key in result}
            counts.new += len(fresh)
        for record, row, values in changed:
            if self.sqlite:
                self._fts_delete(row)
            for name, value in values.items():
                setattr(row, name, value)
            self.session.execute(delete(models.EvidenceTagRow).where(
                models.EvidenceTagRow.record_id == row.id))
            ids[record.key] = row.id
            counts.updated += 1
        self.session.flush()
        touched = [r for r, _v in fresh] + [r for r, _row, _v in changed]
        if self.sqlite and touched:
            self.session.execute(text(
                "INSERT INTO evidence_fts(rowid, title, abstract) VALUES (:id, :t, :a)"),
                [{"id": ids[r.key], "t": r.title, "a": r.abstract} for r in touched])
        elif touched:
            # the narrow search table (migration 0014), computed by the server from the stored
            # title and abstract
            self.session.execute(text(
                f"INSERT INTO evidence_search (id, search) SELECT id, {SEARCH_VECTOR} "
                "FROM evidence_records WHERE id = ANY(:ids) "
                "ON CONFLICT (id) DO UPDATE SET search = EXCLUDED.search"),
                {"ids": [ids[r.key] for r in touched]})
        tags = [{"record_id": ids[r.key], "kind": t.kind, "target": t.target, "term": t.term}
                for r in touched for t in self.tagger.tag(r)]
        if tags and not self.sqlite:
            self._copy(models.EvidenceTagRow.__tablename__, ("record_id", "kind", "target", "term"),
                       [tuple(t.values()) for t in tags])
        elif tags:
            self.session.execute(insert(models.EvidenceTagRow), tags)
        for record in touched:
            if record.trial is not None:
                self._status(ids[record.key], record)
        return counts

    _COLUMNS = ("id", "key", "source", "title", "abstract", "evidence_type", "record_date",
                "status", "retracted", "content_hash", "data")

    def _copy_records(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """PostgreSQL: new records go in by COPY with ids drawn from the table's sequence first.
        A multi-row INSERT of 500 records is a statement of several megabytes that the driver
        parses on the client each time; COPY halves the import (benchmarks/bench_evidence.py)."""
        ids = list(self.session.scalars(text(
            "SELECT nextval(pg_get_serial_sequence('evidence_records', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(rows)}))
        self._copy(models.EvidenceRow.__tablename__, self._COLUMNS, [
            (id_, *(json.dumps(row[c]) if c == "data" else row[c] for c in self._COLUMNS[1:]))
            for id_, row in zip(ids, rows, strict=True)])
        return {row["key"]: id_ for id_, row in zip(ids, rows, strict=True)}

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """COPY rows into ``table`` inside the session's transaction (PostgreSQL only)."""
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _status(self, record_id: int, record: EvidenceRecord) -> None:
        assert record.trial is not None
        last = self.session.scalars(select(models.TrialStatusRow).where(
            models.TrialStatusRow.record_id == record_id).order_by(
            models.TrialStatusRow.id.desc()).limit(1)).first()
        if last is None or (last.status, last.has_results) != (record.trial.status,
                                                               record.trial.has_results):
            self.session.add(models.TrialStatusRow(
                record_id=record_id, status=record.trial.status,
                has_results=record.trial.has_results, updated_on=record.trial.last_update))

    def analyze(self) -> None:
        """Refresh the planner's statistics after a large import (PostgreSQL)."""
        if not self.sqlite:
            self.session.execute(text("ANALYZE evidence_records"))
            self.session.execute(text("ANALYZE evidence_search"))
            self.session.execute(text("ANALYZE evidence_tags"))

    def _fts_delete(self, row: models.EvidenceRow) -> None:
        self.session.execute(text(
            "INSERT INTO evidence_fts(evidence_fts, rowid, title, abstract) "
            "VALUES ('delete', :id, :t, :a)"), {"id": row.id, "t": row.title, "a": row.abstract})

    def checkpoint(self, name: str) -> dict[str, Any] | None:
        row = self.session.get(models.PullCheckpoint, name)
        return dict(row.state) if row else None

    def save_checkpoint(self, name: str, state: dict[str, Any]) -> None:
        row = self.session.get(models.PullCheckpoint, name)
        if row is None:
            self.session.add(models.PullCheckpoint(name=name, state=state))
        else:
            row.state = state

    # -- read -----------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.session.scalar(select(func.count(models.EvidenceRow.id))) or 0)

    def _load(self, rows: Iterable[models.EvidenceRow]) -> list[tuple[EvidenceRecord, list[Tag]]]:
        rows = list(rows)
        tags: dict[int, list[Tag]] = {r.id: [] for r in rows}
        if rows:
            for t in self.session.scalars(select(models.EvidenceTagRow).where(
                    models.EvidenceTagRow.record_id.in_(list(tags)))):
                tags[t.record_id].append(Tag.model_validate(
                    {"kind": t.kind, "target": t.target, "term": t.term}))
        return [(EvidenceRecord.model_validate(r.data), tags[r.id]) for r in rows]

    def tagged(self, kind: str | None = None, target: str | None = None,
               since: dt.date | None = None) -> list[tuple[EvidenceRecord, list[Tag]]]:
        query = select(models.EvidenceRow)
        if kind and target:
            query = query.where(models.EvidenceRow.id.in_(select(
                models.EvidenceTagRow.record_id).where(models.EvidenceTagRow.kind == kind,
                                                       models.EvidenceTagRow.target == target)))
        if since:
            query = query.where(models.EvidenceRow.record_date > since)
        return self._load(self.session.scalars(query.order_by(models.EvidenceRow.id)))

    def open_trials(self) -> list[tuple[EvidenceRecord, list[Tag]]]:
        query = select(models.EvidenceRow).where(models.EvidenceRow.source == "ctgov",
                                                 models.EvidenceRow.status.in_((
                                                     "RECRUITING", "NOT_YET_RECRUITING",
                                                     "ENROLLING_BY_INVITATION")))
        return self._load(self.session.scalars(query))

    def status_history(self, key: str) -> list[models.TrialStatusRow]:
        row = self.session.scalar(select(models.EvidenceRow).where(models.EvidenceRow.key == key))
        if row is None:
            return []
        return list(self.session.scalars(select(models.TrialStatusRow).where(
            models.TrialStatusRow.record_id == row.id).order_by(models.TrialStatusRow.id)))

    def search(self, query: str, limit: int = 20, evidence_types: list[str] | None = None,
               since: dt.date | None = None, tag_kind: str | None = None,
               tag_target: str | None = None, exhaustive: bool = False
               ) -> list[tuple[EvidenceRecord, list[Tag], float]]:
        """Ranked full-text search (FTS5 bm25 on SQLite, ts_rank on PostgreSQL) with filters.

        Without filters, a query matching more than :data:`RANK_POOL` records ranks the
        :data:`RANK_POOL` most recently stored of them (``exhaustive`` ranks all): ranking every
        match of a word found in most records ("myositis" in a myositis corpus) costs 50-400 ms
        at 100,000 records, and for surveillance the recent records are the ones wanted."""
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        filters = []
        params: dict[str, Any] = {"limit": limit}
        if evidence_types:
            filters.append("r.evidence_type IN :types")
            params["types"] = tuple(evidence_types)
        if since:
            filters.append("r.record_date >= :since")
            params["since"] = since
        if tag_kind and tag_target:
            filters.append("r.id IN (SELECT record_id FROM evidence_tags WHERE kind = :kind "
                           "AND target = :target)")
            params.update(kind=tag_kind, target=tag_target)
        where = "".join(f" AND {f}" for f in filters)
        pooled = not filters and not exhaustive
        params["pool"] = RANK_POOL
        if self.sqlite and not filters:
            # Rank inside the full-text index alone: a join before the LIMIT costs three times
            # as much when a word occurs in most records.
            params["q"] = " ".join(f'"{w}"' for w in words)
            pool = (" AND rowid >= coalesce((SELECT min(rowid) FROM (SELECT rowid FROM "
                    "evidence_fts WHERE evidence_fts MATCH :q ORDER BY rowid DESC LIMIT :pool)),"
                    " 0)") if pooled else ""
            sql = ("SELECT rowid AS id, -bm25(evidence_fts, 2.0, 1.0) AS rank FROM evidence_fts "
                   f"WHERE evidence_fts MATCH :q{pool} ORDER BY bm25(evidence_fts, 2.0, 1.0) "
                   "LIMIT :limit")
        elif self.sqlite:
            params["q"] = " ".join(f'"{w}"' for w in words)
            sql = ("SELECT r.id, -bm25(evidence_fts, 2.0, 1.0) AS rank FROM evidence_fts "
                   "JOIN evidence_records r ON r.id = evidence_fts.rowid "
                   f"WHERE evidence_fts MATCH :q{where} ORDER BY rank DESC LIMIT :limit")
        elif pooled:
            # the matches come from the GIN bitmap alone (OFFSET 0 keeps the planner from
            # walking the primary key backwards and detoasting every vector it tests); only
            # the pool of the most recent matches is detoasted and ranked
            params["q"] = " & ".join(words)
            sql = ("SELECT id, ts_rank(search, to_tsquery('english', :q)) AS rank "
                   "FROM evidence_search WHERE id = ANY(ARRAY(SELECT id FROM (SELECT id FROM "
                   "evidence_search WHERE search @@ to_tsquery('english', :q) OFFSET 0) m "
                   "ORDER BY id DESC LIMIT :pool)) ORDER BY rank DESC LIMIT :limit")
        else:
            params["q"] = " & ".join(words)
            sql = ("SELECT r.id, ts_rank(s.search, to_tsquery('english', :q)) AS rank "
                   "FROM evidence_search s JOIN evidence_records r ON r.id = s.id "
                   "WHERE s.search @@ to_tsquery('english', :q)"
                   f"{where} ORDER BY rank DESC LIMIT :limit")
        statement = text(sql)
        if evidence_types:
            from sqlalchemy import bindparam

            statement = statement.bindparams(bindparam("types", expanding=True))
            params["types"] = list(evidence_types)
        ranked = [(row.id, float(row.rank)) for row in self.session.execute(statement, params)]
        rows = {r.id: r for r in self.session.scalars(select(models.EvidenceRow).where(
            models.EvidenceRow.id.in_([i for i, _ in ranked])))}
        loaded = dict(zip([i for i, _ in ranked], self._load(rows[i] for i, _ in ranked),
                          strict=True))
        return [(loaded[i][0], loaded[i][1], rank) for i, rank in ranked]

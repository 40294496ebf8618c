"""Consistent backup and restore as one JSON document (works for SQLite and PostgreSQL).

The export runs in one read transaction, so it is a consistent snapshot; the restore loads into
an empty, migrated database in one transaction and keeps primary keys and the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, insert, select, text

from myositis.db import models
from myositis.errors import ConflictError

TABLE_NAMES = ("patients", "users", "patient_identities", "visits", "care_plan_snapshots",
               "treatments", "lab_results", "antibody_results", "lung_measures",
               "screening_tests", "vaccinations", "flags", "portal_invitations",
               "patient_reports", "exercise_plans", "exercise_logs", "diary_entries", "reminder_log",
               "group_sessions", "audit_log",
               "access_log")
"""Every table that holds patient, account or clinic data (group sessions), parents before
children (a patient account references its record, so patients come before users)."""
NOT_BACKED_UP = frozenset({"evidence_records", "evidence_tags", "trial_status_history",
                           "pull_checkpoints", "login_attempts"})
"""Surveillance records are not patient data and can be pulled or imported again; login
attempts are a short-lived lockout counter."""
FORMAT = "myositis-backup-1"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def backup(engine: Engine, path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    document: dict[str, Any] = {"format": FORMAT, "tables": {}}
    with engine.connect() as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        for name in TABLE_NAMES:
            table = models.Base.metadata.tables[name]
            rows = [{k: _encode(v) for k, v in row._mapping.items()}
                    for row in conn.execute(select(table))]
            document["tables"][table.name] = rows
            counts[table.name] = len(rows)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(document), encoding="utf-8")
    tmp.replace(path)
    return counts


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if value is None:
            continue
        kind = column.type.python_type if hasattr(column.type, "python_type") else None
        try:
            if kind is dt.datetime:
                out[column.name] = dt.datetime.fromisoformat(value)
            elif kind is dt.date:
                out[column.name] = dt.date.fromisoformat(value)
        except NotImplementedError:
            pass
    return out


def restore(engine: Engine, path: Path) -> dict[str, int]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise ConflictError(f"{path}: not a {FORMAT} file")
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        tables = [models.Base.metadata.tables[name] for name in TABLE_NAMES]
        for table in tables:
            if conn.execute(select(table).limit(1)).first() is not None:
                raise ConflictError("restore needs an empty database; nothing was changed")
        for table in tables:
            rows = [_decode(table, r) for r in document["tables"].get(table.name, [])]
            if rows:
                conn.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if engine.dialect.name == "postgresql":
            for table in tables:
                if table.name == "patient_identities":
                    continue
                pk = table.primary_key.columns.values()[0].name
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk}'), "
                    f"COALESCE((SELECT MAX({pk}) FROM {table.name}), 0) + 1, false)"))
    return counts

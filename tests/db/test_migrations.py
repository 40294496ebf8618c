"""Migration 0003 carries an existing clinic over: visit medications become treatment rows (one
home for a course of treatment) and the profile's antibody panel becomes searchable rows.
SYNTHETIC data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import create_engine, text

from myositis.db.engine import alembic_config


def test_0003_carries_medications_and_antibodies_over(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0002")
    engine = create_engine(database_url)
    meds = [{"therapy": "methotrexate", "dose": "15 mg weekly", "start": "2024-01-10",
             "stop": None, "outcome": "ongoing"}]
    profile = {"classification": {"age_at_onset": 50},
               "antibodies": {"mda5": {"status": "positive"}, "jo1": {"status": "negative"}}}
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO patients (id, pseudonym, synthetic, sex, age_at_onset, profile, version)"
            " VALUES (1, 'SYN-MIG', true, 'female', 50, :profile, 1)"),
            {"profile": json.dumps(profile)})
        for day, medications in (("2024-01-10", meds), ("2024-04-10", meds)):
            conn.execute(text(
                "INSERT INTO visits (patient_id, date, mmt_max, labs, medications, version) "
                "VALUES (1, :date, 80, '{}', :meds, 1)"),
                {"date": day, "meds": json.dumps(medications)})
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT therapy, dose_text, start, outcome FROM treatments"
                                 )).all()
        assert [(r.therapy, r.dose_text, str(r.start), r.outcome) for r in rows] == [
            ("methotrexate", "15 mg weekly", "2024-01-10", "ongoing")]
        left = conn.execute(text("SELECT medications FROM visits")).scalars().all()
        assert all(json.loads(m) == [] if isinstance(m, str) else m == [] for m in left)
        antibodies = conn.execute(text(
            "SELECT antibody, result FROM antibody_results ORDER BY antibody")).all()
        assert [tuple(a) for a in antibodies] == [("jo1", "negative"), ("mda5", "positive")]
    engine.dispose()
    command.downgrade(config, "0002")  # and back: the new tables go, the old ones stay
    command.upgrade(config, "head")


def test_0014_moves_postgresql_search_to_its_own_table(database_url: str) -> None:
    """Records stored before 0014 stay searchable after it, and going back restores the column.
    On SQLite (FTS5) the migration changes nothing."""
    config = alembic_config(database_url)
    command.upgrade(config, "0013")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO evidence_records (id, key, source, title, abstract, evidence_type, "
            "retracted, content_hash, data) VALUES (1, 'PMID:1', 'pubmed', 'SYNTHETIC "
            "dermatomyositis trial', 'interferon', 'rct', false, 'x', '{}')"))
    command.upgrade(config, "head")
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        if postgres:
            found = conn.execute(text(
                "SELECT id FROM evidence_search WHERE search @@ to_tsquery('english', "
                "'dermatomyositis & interferon')")).scalars().all()
            assert found == [1]
    engine.dispose()
    command.downgrade(config, "0013")
    if postgres:
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM evidence_records WHERE search @@ to_tsquery('english', "
                "'interferon')")).scalar() == 1
        engine.dispose()
    command.upgrade(config, "head")

"""What the surveillance store says about the knowledge base: retracted sources (an error),
sources with an erratum or expression of concern (warnings), and entries that are review due."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from myositis.db.engine import make_engine, session_factory
from myositis.db.evidence_repository import EvidenceRepository
from myositis.domain.evidence import EvidenceRecord
from myositis.knowledge import KnowledgeBase
from myositis.literature.importer import tagger
from myositis.services.evidence import review_queue


@dataclass
class Watch:
    available: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review_due: list[str] = field(default_factory=list)


def watch(kb: KnowledgeBase, database_url: str) -> Watch:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and (not url.database
                                                or not Path(url.database).exists()):
        return Watch(available=False)
    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table("evidence_records"):
            return Watch(available=False)
        with session_factory(engine)() as session:
            repo = EvidenceRepository(session, tagger())
            if repo.count() == 0:
                return Watch(available=False)
            records = repo.tagged()
    finally:
        engine.dispose()
    by_key: dict[str, EvidenceRecord] = {r.key: r for r, _tags in records}
    result = Watch(available=True)
    for source in kb.sources.values():
        record = by_key.get(f"PMID:{source.pmid}") if source.pmid else None
        if record is None:
            continue
        if record.retracted:
            result.errors.append(f"sources.{source.key}: PMID {source.pmid} is a retracted "
                                 "publication")
        elif record.correction:
            result.warnings.append(f"sources.{source.key}: PMID {source.pmid} has an "
                                   f"{record.correction.replace('_', ' ')}")
    result.review_due = [f"{e.entry} ({len(e.items)} new since {e.last_reviewed})"
                         for e in review_queue(kb, records) if e.review_due]
    return result

"""Import files and pull from the services into the evidence store, batch by batch: each batch
is one transaction and a pull saves its checkpoint with the batch, so an interrupted run resumes
where it stopped without duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from myositis.db.evidence_repository import (
    EvidenceRepository,
    ImportCounts,
    PreparedBatch,
    prepare_batch,
)
from myositis.domain.evidence import EvidenceRecord
from myositis.knowledge.synonyms import load_synonyms
from myositis.literature.clients import ClinicalTrials, PubMed
from myositis.literature.formats import Parsed, Skipped, parse_ctgov_json, parse_file, parse_pubmed_xml
from myositis.services.evidence import Tagger

BATCH = 500
ANALYZE_AFTER = 1000  # records; then the query planner's statistics are refreshed
PUBMED_TERM = ("myositis[tiab] OR dermatomyositis[tiab] OR polymyositis[tiab] OR "
               "\"inflammatory myopathy\"[tiab] OR \"inflammatory myopathies\"[tiab] OR "
               "\"necrotizing myopathy\"[tiab] OR antisynthetase[tiab] OR myositis[mh]")
CTGOV_CONDITION = ("myositis OR dermatomyositis OR polymyositis OR inclusion body myositis OR "
                   "necrotizing myopathy OR antisynthetase syndrome")
Progress = Callable[[ImportCounts], None]


def tagger() -> Tagger:
    return Tagger(load_synonyms())


def _store(sessions: sessionmaker[Session], parsed: Iterable[Parsed],
           progress: Progress | None = None,
           after_batch: Callable[[EvidenceRepository], None] | None = None) -> ImportCounts:
    """Store batch by batch, each batch one transaction, in order. One writer thread stores a
    batch while this thread parses and prepares the next: on PostgreSQL the server's work
    (search vectors, index entries) then overlaps Python's, instead of following it. At most one
    batch is in flight, so a failure stops the import after the last committed batch."""
    total = ImportCounts()
    tag = tagger()
    batch: list[EvidenceRecord] = []
    pending: Future[ImportCounts] | None = None
    threaded = _threaded(sessions)

    def write(prepared: PreparedBatch) -> ImportCounts:
        with sessions() as session:
            repo = EvidenceRepository(session, tag)
            counts = repo.apply(prepared)
            if after_batch:
                after_batch(repo)
            session.commit()
        return counts

    def count(counts: ImportCounts) -> None:
        total.add(counts)
        if progress:
            progress(counts)

    def settle() -> None:
        nonlocal pending
        if pending is not None:
            done, pending = pending, None
            count(done.result())

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-writer") as writer:
        def flush() -> None:
            nonlocal pending
            prepared = prepare_batch(batch)
            batch.clear()
            settle()
            if threaded:
                pending = writer.submit(write, prepared)
            else:
                count(write(prepared))

        for item in parsed:
            if isinstance(item, Skipped):
                total.skipped.append(str(item))
                if progress:
                    progress(ImportCounts(skipped=[str(item)]))
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        if batch or after_batch:  # a page of skipped records still moves the checkpoint on
            flush()
        settle()
    return total


def _threaded(sessions: sessionmaker[Session]) -> bool:
    """An in-memory SQLite database is one connection per thread: write on this thread."""
    bind = sessions.kw.get("bind")
    url = getattr(bind, "url", None)
    return not (url is not None and url.get_backend_name() == "sqlite"
                and url.database in (None, "", ":memory:"))


def import_files(sessions: sessionmaker[Session], paths: list[Path],
                 progress: Progress | None = None) -> ImportCounts:
    def parsed() -> Iterator[Parsed]:
        for path in paths:
            yield from parse_file(path)

    counts = _store(sessions, parsed(), progress)
    if counts.new + counts.updated > ANALYZE_AFTER:
        with sessions() as session:
            EvidenceRepository(session, tagger()).analyze()
            session.commit()
    return counts


def _checkpoint_name(source: str, query: str, default: str) -> str:
    """A site's own query keeps its own checkpoint: a changed query starts from ``since``
    instead of resuming where the other query stopped."""
    if query == default:
        return source
    return f"{source}:{hashlib.sha256(query.encode()).hexdigest()[:12]}"


def pull_pubmed(sessions: sessionmaker[Session], client: PubMed, since: dt.date,
                until: dt.date, window_days: int = 30, progress: Progress | None = None,
                term: str | None = None) -> ImportCounts:
    """Incremental by entry date in windows; the checkpoint is the last window stored.
    ``term`` replaces the default myositis query (settings: ``MYOSITIS_PUBMED_QUERY``)."""
    term = term or PUBMED_TERM
    name = _checkpoint_name("pubmed", term, PUBMED_TERM)
    with sessions() as session:
        state = EvidenceRepository(session, tagger()).checkpoint(name) or {}
    start = max(since, dt.date.fromisoformat(state["done_until"]) + dt.timedelta(days=1)) \
        if state.get("done_until") else since
    total = ImportCounts()
    while start <= until:
        end = min(until, start + dt.timedelta(days=window_days - 1))
        ids = client.search(term, start, end)
        parsed: list[Parsed] = []
        for xml in client.fetch(ids):
            parsed.extend(parse_pubmed_xml(io.BytesIO(xml), f"efetch {start}..{end}"))
        done = end.isoformat()

        def mark(repo: EvidenceRepository, done: str = done) -> None:
            repo.save_checkpoint(name, {"done_until": done})

        total.add(_store(sessions, parsed, progress, after_batch=mark))
        start = end + dt.timedelta(days=1)
    return total


def pull_ctgov(sessions: sessionmaker[Session], client: ClinicalTrials, since: dt.date | None,
               progress: Progress | None = None, condition: str | None = None) -> ImportCounts:
    """Incremental by LastUpdatePostDate; the checkpoint keeps the page token of the next page
    (resume) and, once finished, the date to start from next time. ``condition`` replaces the
    default condition query (settings: ``MYOSITIS_CTGOV_CONDITION``)."""
    condition = condition or CTGOV_CONDITION
    name = _checkpoint_name("ctgov", condition, CTGOV_CONDITION)
    with sessions() as session:
        state = EvidenceRepository(session, tagger()).checkpoint(name) or {}
    since = dt.date.fromisoformat(state["since"]) if state.get("since") and since is None \
        else since
    started = dt.date.today().isoformat()
    total = ImportCounts()
    for data, _token in client.pages(condition, since, state.get("next_page")):
        following = data.get("nextPageToken")
        checkpoint: dict[str, Any] = ({"since": state.get("since"), "next_page": following}
                                      if following else {"since": started, "next_page": None})

        def mark_page(repo: EvidenceRepository, state: dict[str, Any] = checkpoint) -> None:
            repo.save_checkpoint(name, dict(state))

        total.add(_store(sessions, parse_ctgov_json(data, "ctgov page"), progress,
                         after_batch=mark_page))
    return total

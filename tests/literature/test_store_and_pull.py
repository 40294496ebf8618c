"""Store, search and pull, on SQLite and PostgreSQL; the pull runs end to end against a local
fake server in the services' real formats (paging, 429, a dropped connection, rate limits with
a fake clock, resume from the checkpoint). SYNTHETIC records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.orm import Session, sessionmaker
from werkzeug import Request, Response

from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.evidence_repository import EvidenceRepository, ImportCounts, PreparedBatch
from myositis.literature.clients import ClinicalTrials, PubMed, RateLimiter
from myositis.literature.importer import import_files, pull_ctgov, pull_pubmed, tagger

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    migrate(database_url)
    return session_factory(make_engine(database_url))


def test_import_is_idempotent_and_searchable(sessions: sessionmaker[Session]) -> None:
    files = [FIXTURES / "pubmed.xml", FIXTURES / "ctgov.json"]
    first = import_files(sessions, files)
    assert (first.new, first.updated, len(first.skipped)) == (6, 0, 2)
    again = import_files(sessions, files)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    with sessions() as session:
        repo = EvidenceRepository(session, tagger())
        assert repo.count() == 6
        hits = repo.search("dermatomyositis interferon")
        assert hits and hits[0][0].key in ("PMID:99000001", "NCT09990001")
        rcts = repo.search("dermatomyositis", evidence_types=["rct_phase3"])
        assert {h[0].key for h in rcts} == {"PMID:99000001", "NCT09990001"}
        ibm = repo.search("myositis", tag_kind="subgroup", tag_target="ibm")
        assert {h[0].key for h in ibm} == {"PMID:99000004", "NCT09990002"}
        assert repo.search("!!!") == []


def test_trial_status_history_is_kept(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    import_files(sessions, [FIXTURES / "ctgov.json"])
    data = json.loads((FIXTURES / "ctgov.json").read_text())
    study = data["studies"][0]
    study["protocolSection"]["statusModule"].update(
        overallStatus="COMPLETED", lastUpdatePostDateStruct={"date": "2026-11-30"})
    study["hasResults"] = True
    changed = tmp_path / "ctgov-later.json"
    changed.write_text(json.dumps({"studies": [study]}))
    counts = import_files(sessions, [changed])
    assert counts.updated == 1
    with sessions() as session:
        history = EvidenceRepository(session, tagger()).status_history("NCT09990001")
        assert [(h.status, h.has_results) for h in history] == [
            ("RECRUITING", False), ("COMPLETED", True)]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_never_exceeds_its_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        limiter.wait()
    gaps = [b - a for a, b in zip(limiter.calls, limiter.calls[1:], strict=False)]
    assert all(gap >= 1 / 3 - 1e-9 for gap in gaps)


def test_pull_pubmed_end_to_end(httpserver: HTTPServer, sessions: sessionmaker[Session]) -> None:
    xml = (FIXTURES / "pubmed.xml").read_bytes()
    calls = {"esearch": 0}

    def esearch(request: Request) -> Response:
        calls["esearch"] += 1
        if calls["esearch"] == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        assert request.args["datetype"] == "edat" and request.args["retmax"] == "9999"
        body = {"esearchresult": {"count": "3", "idlist": ["99000001", "99000002",
                                                            "99000004"]}}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/esearch.fcgi").respond_with_handler(esearch)
    httpserver.expect_request("/efetch.fcgi", method="POST").respond_with_data(
        xml, content_type="text/xml")
    clock = FakeClock()
    with httpx.Client() as client:
        pubmed = PubMed(client, RateLimiter(3, clock=clock, sleep=clock.sleep),
                        httpserver.url_for("/"), sleep=clock.sleep)
        counts = pull_pubmed(sessions, pubmed, dt.date(2026, 10, 1), dt.date(2026, 10, 20),
                             window_days=30)
    assert counts.new == 3 and len(counts.skipped) == 1
    assert 1.0 in clock.slept  # Retry-After honoured
    with sessions() as session:
        assert EvidenceRepository(session, tagger()).checkpoint("pubmed") == {
            "done_until": "2026-10-20"}
    # A second pull resumes after the checkpoint: nothing is fetched twice.
    before = calls["esearch"]
    with httpx.Client() as client:
        pubmed = PubMed(client, RateLimiter(3), httpserver.url_for("/"))
        again = pull_pubmed(sessions, pubmed, dt.date(2026, 10, 1), dt.date(2026, 10, 20))
    assert again.new == 0 and calls["esearch"] == before


def test_pull_ctgov_pages_drops_and_resumes(httpserver: HTTPServer,
                                            sessions: sessionmaker[Session]) -> None:
    studies = json.loads((FIXTURES / "ctgov.json").read_text())["studies"][:3]
    state = {"calls": 0, "dropped": False}

    def studies_page(request: Request) -> Response:
        state["calls"] += 1
        assert request.args["query.cond"] and request.args["format"] == "json"
        assert request.args["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-01-01,MAX]"
        token = request.args.get("pageToken")
        if token == "page2" and not state["dropped"]:
            state["dropped"] = True
            return Response("upstream error", status=503)
        page = {None: ([studies[0]], "page2"), "page2": ([studies[1]], "page3"),
                "page3": ([studies[2]], None)}[token]
        body = {"studies": page[0], **({"nextPageToken": page[1]} if page[1] else {})}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/studies").respond_with_handler(studies_page)
    clock = FakeClock()
    with httpx.Client() as client:
        trials = ClinicalTrials(client, RateLimiter(1, clock=clock, sleep=clock.sleep),
                                httpserver.url_for("/"), sleep=clock.sleep)
        counts = pull_ctgov(sessions, trials, dt.date(2026, 1, 1))
    assert counts.new == 3 and state["dropped"]
    gaps = [b - a for a, b in zip(trials.limiter.calls, trials.limiter.calls[1:], strict=False)]
    assert len(gaps) == 3 and all(gap >= 1.0 - 1e-9 for gap in gaps)  # retries wait their turn
    with sessions() as session:
        checkpoint = EvidenceRepository(session, tagger()).checkpoint("ctgov")
    assert checkpoint is not None and checkpoint["next_page"] is None


def test_interrupted_ctgov_pull_resumes_from_its_page(httpserver: HTTPServer,
                                                      sessions: sessionmaker[Session]) -> None:
    studies = json.loads((FIXTURES / "ctgov.json").read_text())["studies"][:2]
    seen: list[str | None] = []

    def page(request: Request) -> Response:
        token = request.args.get("pageToken")
        seen.append(token)
        if token is None:
            return Response(json.dumps({"studies": [studies[0]], "nextPageToken": "p2"}),
                            content_type="application/json")
        return Response(json.dumps({"studies": [studies[1]]}), content_type="application/json")

    httpserver.expect_request("/studies").respond_with_handler(page)
    with httpx.Client() as client:
        trials = ClinicalTrials(client, RateLimiter(100), httpserver.url_for("/"))
        pages = trials.pages("myositis", None)
        first, _ = next(pages)  # a run that stops after the first page ...
    with sessions() as session:
        repo = EvidenceRepository(session, tagger())
        repo.upsert([])
        repo.save_checkpoint("ctgov", {"since": None, "next_page": first["nextPageToken"]})
        session.commit()
    with httpx.Client() as client:
        trials = ClinicalTrials(client, RateLimiter(100), httpserver.url_for("/"))
        counts = pull_ctgov(sessions, trials, None)
    assert seen == [None, "p2"] and counts.new == 1  # ... resumes at page 2, not page 1


def test_broad_queries_rank_the_most_recent_pool(sessions: sessionmaker[Session],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import myositis.db.evidence_repository as store

    import_files(sessions, [FIXTURES / "pubmed.xml", FIXTURES / "ctgov.json"])
    monkeypatch.setattr(store, "RANK_POOL", 2)
    with sessions() as session:
        repo = EvidenceRepository(session, tagger())
        everything = repo.search("dermatomyositis", exhaustive=True)
        pooled = repo.search("dermatomyositis")
    assert len(everything) > 2 and len(pooled) == 2
    assert {h[0].key for h in pooled} == {"NCT09990001", "NCT09990003"}  # stored last


def _synthetic_pubmed(path: Path, n: int) -> None:
    """SYNTHETIC records; every third one mentions rituximab, so its tag must land on it."""
    articles = "".join(
        f"<PubmedArticle><MedlineCitation><PMID>{97_000_000 + i}</PMID><Article><Journal>"
        f"<Title>Synthetic</Title><JournalIssue><PubDate><Year>2025</Year></PubDate>"
        f"</JournalIssue></Journal><ArticleTitle>SYNTHETIC record {i}</ArticleTitle><Abstract>"
        f"<AbstractText>Myositis cohort {'treated with rituximab' if i % 3 == 0 else 'observed'}"
        f"</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
        for i in range(n))
    path.write_text(f'<?xml version="1.0" ?><PubmedArticleSet>{articles}</PubmedArticleSet>')


def test_many_batches_keep_each_tag_on_its_own_record(sessions: sessionmaker[Session],
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches are written on a writer thread (and by COPY on PostgreSQL) while the next one is
    prepared: every record is stored once and its tags point at it, not at a neighbour."""
    from myositis.literature import importer

    monkeypatch.setattr(importer, "BATCH", 40)
    xml = tmp_path / "many.xml"
    _synthetic_pubmed(xml, 250)
    seen: list[int] = []
    counts = import_files(sessions, [xml], progress=lambda c: seen.append(c.new))
    assert counts.new == 250 and sum(seen) == 250 and len(seen) == 7
    with sessions() as session:
        repo = EvidenceRepository(session, tagger())
        tagged = {r.key for r, _tags in repo.tagged("therapy", "rituximab")}
    assert tagged == {f"PMID:{97_000_000 + i}" for i in range(0, 250, 3)}
    assert import_files(sessions, [xml]).unchanged == 250


def test_a_failing_batch_keeps_the_batches_before_it(sessions: sessionmaker[Session],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from myositis.literature import importer

    monkeypatch.setattr(importer, "BATCH", 50)
    real_apply = EvidenceRepository.apply
    calls: list[int] = []

    def failing_apply(self: EvidenceRepository, prepared: PreparedBatch) -> ImportCounts:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full (simulated)")
        return real_apply(self, prepared)

    monkeypatch.setattr(EvidenceRepository, "apply", failing_apply)
    xml = tmp_path / "many.xml"
    _synthetic_pubmed(xml, 200)
    with pytest.raises(RuntimeError, match="disk full"):
        import_files(sessions, [xml])
    with sessions() as session:
        assert EvidenceRepository(session, tagger()).count() == 100


def test_in_memory_sqlite_is_written_on_the_importing_thread(tmp_path: Path) -> None:
    """An in-memory SQLite database is one connection per thread: a writer thread would see an
    empty database, so the import writes on its own thread there."""
    from myositis.literature.importer import _threaded

    assert not _threaded(session_factory(make_engine("sqlite://")))
    assert _threaded(session_factory(make_engine(f"sqlite:///{tmp_path / 'file.db'}")))


def test_a_sites_own_pubmed_query_is_sent_and_keeps_its_own_checkpoint(
        httpserver: HTTPServer, sessions: sessionmaker[Session]) -> None:
    terms: list[str] = []

    def esearch(request: Request) -> Response:
        terms.append(request.args["term"])
        body = {"esearchresult": {"count": "0", "idlist": []}}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/esearch.fcgi").respond_with_handler(esearch)
    own = "inclusion body myositis[tiab]"
    with httpx.Client() as client:
        pubmed = PubMed(client, RateLimiter(100), httpserver.url_for("/"))
        pull_pubmed(sessions, pubmed, dt.date(2026, 10, 1), dt.date(2026, 10, 20), term=own)
        # the default query has not run yet: its checkpoint is untouched and it starts at since
        pull_pubmed(sessions, pubmed, dt.date(2026, 10, 1), dt.date(2026, 10, 20))
    assert terms[0] == own and "dermatomyositis[tiab]" in terms[1] and len(terms) == 2
    with sessions() as session:
        repo = EvidenceRepository(session, tagger())
        assert repo.checkpoint("pubmed") == {"done_until": "2026-10-20"}
        from myositis.literature.importer import _checkpoint_name

        own_name = _checkpoint_name("pubmed", own, "default")
        assert own_name.startswith("pubmed:") and repo.checkpoint(own_name) == {
            "done_until": "2026-10-20"}


def test_settings_carry_the_sites_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    from myositis.settings import Settings

    monkeypatch.setenv("MYOSITIS_PUBMED_QUERY", "myositis[mh] AND 2026[dp]")
    monkeypatch.setenv("MYOSITIS_CTGOV_CONDITION", "dermatomyositis")
    settings = Settings()
    assert settings.pubmed_query == "myositis[mh] AND 2026[dp]"
    assert settings.ctgov_condition == "dermatomyositis"

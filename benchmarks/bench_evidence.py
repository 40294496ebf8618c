"""Evidence store benchmarks with SYNTHETIC records (run: python benchmarks/bench_evidence.py).

1. Import N PubMed records (default 100,000, BENCH_RECORDS) from EFetch-format XML into SQLite:
   total time, beside parsing the same XML without storing (the baseline, same run); the
   tagging cost per record is measured on its own.
2. Search: p50/p95 of 200 ranked full-text queries over the stored records, on SQLite and, when
   a server answers on 127.0.0.1:5432, on PostgreSQL (the import is repeated there).
Targets (issue 10): import under 60 s; search p95 under 50 ms. Options: --no-sqlite,
--no-postgres.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

N = int(os.environ.get("BENCH_RECORDS", "100000"))
WORDS = ("dermatomyositis", "polymyositis", "myositis", "necrotizing", "antisynthetase",
         "interstitial", "lung", "disease", "calcinosis", "rituximab", "methotrexate",
         "immunoglobulin", "tofacitinib", "brepocitinib", "interferon", "muscle", "weakness",
         "creatine", "kinase", "biopsy", "cohort", "randomised", "placebo", "trial", "outcome",
         "response", "remission", "flare", "cancer", "screening", "dysphagia", "skin", "rash",
         "children")
# Real abstracts draw on a large vocabulary: 3,000 invented words beside the domain terms, so a
# query matches a realistic share of the records rather than nearly all of them.
_rng = random.Random(11)
FILLER = ["".join(_rng.choice("bcdfghjklmnprstvz") + _rng.choice("aeiou")
                  for _ in range(_rng.randint(2, 4))) for _ in range(3000)]
TYPES = ("Journal Article", "Randomized Controlled Trial", "Case Reports", "Review",
         "Meta-Analysis", "Observational Study")


def synthetic_xml(path: Path, n: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" ?>\n<PubmedArticleSet>\n')
        for i in range(n):
            title = " ".join(rng.choice(WORDS if rng.random() < 0.3 else FILLER)
                             for _ in range(12)).capitalize()
            abstract = " ".join(rng.choice(WORDS if rng.random() < 0.15 else FILLER)
                                for _ in range(150))
            out.write(
                f"<PubmedArticle><MedlineCitation><PMID>{80_000_000 + i}</PMID><Article>"
                f"<Journal><Title>Synthetic Journal</Title><JournalIssue><PubDate><Year>"
                f"{2000 + i % 26}</Year><Month>{1 + i % 12}</Month></PubDate></JournalIssue>"
                f"</Journal><ArticleTitle>SYNTHETIC {title}</ArticleTitle><Abstract>"
                f"<AbstractText>{abstract}</AbstractText></Abstract><PublicationTypeList>"
                f"<PublicationType>{TYPES[i % len(TYPES)]}</PublicationType>"
                f"</PublicationTypeList></Article></MedlineCitation></PubmedArticle>\n")
        out.write("</PubmedArticleSet>\n")


def import_and_search(url: str, xml: Path, label: str, parse_s: float) -> None:
    from myositis.db.engine import make_engine, migrate, session_factory
    from myositis.db.evidence_repository import EvidenceRepository
    from myositis.literature.importer import import_files, tagger

    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    start = time.perf_counter()
    counts = import_files(sessions, [xml])
    seconds = time.perf_counter() - start
    print(f"{label}: imported {counts.new} records in {seconds:.1f} s "
          f"({counts.new / seconds:,.0f} records/s; {seconds / parse_s:.1f} x parsing alone); "
          "target < 60 s: "
          f"{'PASS' if seconds < 60 else 'FAIL'}")
    rng = random.Random(3)
    queries = [" ".join(rng.sample(WORDS, rng.choice((1, 2, 3)))) for _ in range(200)]
    for exhaustive in (False, True):
        times = []
        with sessions() as session:
            repo = EvidenceRepository(session, tagger())
            for q in queries:
                t = time.perf_counter()
                repo.search(q, limit=20, exhaustive=exhaustive)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        mode = ("every match ranked (exhaustive=True)" if exhaustive else
                "default: the 2,000 most recent matches ranked")
        print(f"{label}: search over {counts.new} records, {mode}: p50 "
              f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms; target p95 < 50 ms: "
              f"{'PASS' if p95 < 50 else 'FAIL'}")
    engine.dispose()


def main() -> None:
    from myositis.literature.formats import parse_pubmed_xml
    from myositis.literature.importer import tagger

    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "synthetic.xml"
        synthetic_xml(xml, N)
        start = time.perf_counter()
        parsed = list(parse_pubmed_xml(xml))
        parse_s = time.perf_counter() - start
        print(f"baseline: parse {len(parsed)} records without storing: {parse_s:.1f} s")
        tag = tagger()
        sample = parsed[:5000]
        start = time.perf_counter()
        for record in sample:
            tag.tag(record)  # type: ignore[arg-type]
        per = (time.perf_counter() - start) / len(sample) * 1e6
        print(f"tagging: {per:.0f} us per record ({tag.size} synonym terms)")
        if "--no-sqlite" not in sys.argv:
            import_and_search(f"sqlite:///{Path(tmp) / 'evidence.db'}", xml, "SQLite", parse_s)
        if "--no-postgres" not in sys.argv:
            try:
                import psycopg

                name = f"bench_evidence_{uuid.uuid4().hex[:8]}"
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                                     autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
            except Exception as exc:
                print(f"PostgreSQL: not measured ({exc})")
                return
            try:
                import_and_search(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", xml,
                                  "PostgreSQL", parse_s)
            finally:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                                     autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""`myositis evidence ...` (surveillance) and `myositis trials find` (trials for a patient)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from myositis.cli.io import fail, user_errors
from myositis.cli.render import console
from myositis.db.engine import make_engine, migrate, session_factory
from myositis.db.evidence_repository import EvidenceRepository, ImportCounts
from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.evidence import TrialMatch
from myositis.settings import Settings

evidence_app = typer.Typer(help="Literature and trial surveillance linked to the knowledge base.",
                           no_args_is_help=True)
trials_app = typer.Typer(help="Open trials for a patient.", no_args_is_help=True)


def _sessions() -> sessionmaker[Session]:
    url = Settings().resolved_database_url()
    migrate(url)
    return session_factory(make_engine(url))


def _report(counts: ImportCounts) -> None:
    console.print(f"new {counts.new}, updated {counts.updated}, unchanged {counts.unchanged}, "
                  f"skipped {len(counts.skipped)}")
    for reason in counts.skipped[:20]:
        console.print(f"  [yellow]skipped[/] {reason}")
    if len(counts.skipped) > 20:
        console.print(f"  ... and {len(counts.skipped) - 20} more")


def _progress_bar(progress: Progress, label: str) -> Callable[[ImportCounts], None]:
    task = progress.add_task(label, total=None)
    seen = ImportCounts()

    def advance(counts: ImportCounts) -> None:
        seen.add(counts)
        progress.update(task, advance=counts.new + counts.updated + counts.unchanged
                        + len(counts.skipped),
                        description=f"{label}: new {seen.new}, updated {seen.updated}, "
                                    f"unchanged {seen.unchanged}, skipped {len(seen.skipped)}")
    return advance


@evidence_app.command("import")
def import_command(files: Annotated[list[Path], typer.Argument(
        help="PubMed XML (EFetch or baseline) or ClinicalTrials.gov API v2 JSON")]) -> None:
    """Import files offline; re-importing the same file changes nothing."""
    from myositis.literature.importer import import_files

    missing = [(str(f), "no such file") for f in files if not f.exists()]
    if missing:
        fail(missing)
    with Progress(console=console, transient=True) as progress:
        counts = import_files(_sessions(), files, _progress_bar(progress, "importing"))
    _report(counts)


@evidence_app.command("pull")
def pull_command(
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: the checkpoint, "
                                                   "else 90 days ago)")] = None,
    source: Annotated[Literal["pubmed", "ctgov", "all"], typer.Option()] = "all",
) -> None:
    """Pull new and updated records from PubMed and ClinicalTrials.gov (incremental)."""
    import httpx

    from myositis.literature.clients import ClinicalTrials, PubMed, RateLimiter
    from myositis.literature.importer import pull_ctgov, pull_pubmed

    settings = Settings()
    with user_errors(title="Cannot pull"):
        start = dt.date.fromisoformat(since) if since else None
    sessions = _sessions()
    today = dt.date.today()
    with httpx.Client(timeout=60, headers={"user-agent": "myositis"}) as client, \
            Progress(console=console, transient=True) as progress, \
            user_errors(title="Cannot pull"):
        if source in ("pubmed", "all"):
            rate = 10 if settings.pubmed_api_key else 3
            pubmed = PubMed(client, RateLimiter(rate), settings.pubmed_url,
                            settings.pubmed_api_key, settings.pubmed_email)
            _report(pull_pubmed(sessions, pubmed, start or today - dt.timedelta(days=90), today,
                                progress=_progress_bar(progress, "PubMed"),
                                term=settings.pubmed_query))
        if source in ("ctgov", "all"):
            trials = ClinicalTrials(client, RateLimiter(1), settings.ctgov_url)
            _report(pull_ctgov(sessions, trials, start,
                               progress=_progress_bar(progress, "ClinicalTrials.gov"),
                               condition=settings.ctgov_condition))


@evidence_app.command("search")
def search_command(query: str, limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
                   therapy: Annotated[str | None, typer.Option()] = None) -> None:
    """Ranked full-text search over the stored records."""
    from myositis.literature.importer import tagger

    with _sessions()() as session:
        hits = EvidenceRepository(session, tagger()).search(
            query, limit, tag_kind="therapy" if therapy else None, tag_target=therapy)
    table = Table("record", "type", "date", "title", "tags")
    from myositis.domain.evidence import evidence_type
    from myositis.services.evidence import record_date

    for record, tags, _rank in hits:
        table.add_row(record.key, evidence_type(record).replace("_", " "),
                      str(record_date(record) or ""), record.title[:90],
                      ", ".join(f"{t.target} ({t.term})" for t in tags[:4]))
    console.print(table)


@evidence_app.command("digest")
def digest_command(
    entry: Annotated[str | None, typer.Argument(help="a knowledge-base therapy id")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: last_reviewed)")] = None,
    markdown: Annotated[Path | None, typer.Option(help="write Markdown here")] = None,
    html: Annotated[Path | None, typer.Option(help="write HTML here")] = None,
) -> None:
    """What is new for each knowledge-base entry since it was last reviewed."""
    from myositis.literature.digest import digest_html, digest_markdown
    from myositis.literature.importer import tagger
    from myositis.services.evidence import review_queue

    kb = load()
    if entry and entry not in kb.therapies:
        fail([("entry", f"no therapy {entry!r} in the knowledge base")])
    with user_errors():
        cutoff = dt.date.fromisoformat(since) if since else None
    with _sessions()() as session:
        queue = review_queue(kb, EvidenceRepository(session, tagger()).tagged(), cutoff, entry)
    text = digest_markdown(queue)
    if markdown:
        markdown.write_text(text, encoding="utf-8")
    if html:
        html.write_text(digest_html(queue), encoding="utf-8")
    if not markdown and not html:
        console.print(text, markup=False, highlight=False)
    due = [e.entry for e in queue if e.review_due]
    console.print(f"review due: {', '.join(due) if due else 'none'}")


def open_trials_for(record: PatientRecord, phenotypes: list[str] | None = None
                    ) -> list[TrialMatch]:
    """Open trials in the configured database that match the patient (``trials find`` and
    ``plan --trials``)."""
    from myositis.literature.importer import tagger
    from myositis.services.evidence import match_trials
    from myositis.services.trials import trial_patient

    with _sessions()() as session:
        trials = EvidenceRepository(session, tagger()).open_trials()
    return match_trials(trial_patient(record, Settings().clinic_country, phenotypes), trials)


@trials_app.command("find")
def find_command(patient: Annotated[str, typer.Argument(
        help="patient record file (JSON/YAML) or bundled scenario id")]) -> None:
    """Open trials that match the patient's subgroup, antibodies, age, sex and country."""
    from myositis.cli.plan import _load_profile as read_record

    matches = open_trials_for(read_record(patient))
    if not matches:
        console.print("No open trial in the store matches (run `myositis evidence pull` or "
                      "`evidence import` first).")
    for m in matches:
        console.print(f"[bold]{m.key}[/] {m.title}\n  {m.status.lower().replace('_', ' ')}; "
                      f"{', '.join(m.phases) or 'phase not given'}; {m.url}\n  why: "
                      + "; ".join(m.why))
    console.print("[italic yellow]Decision support: eligibility is decided by the trial team."
                  "[/]")

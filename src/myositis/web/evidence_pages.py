"""Evidence search, the curator's review queue and trials for a patient: pages and API routes
over the same store and services as `myositis evidence` and `myositis trials`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from myositis.db.evidence_repository import EvidenceRepository
from myositis.db.repository import Repository
from myositis.domain.evidence import LEVEL_OF_TYPE, evidence_type
from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.knowledge.synonyms import load_synonyms
from myositis.literature.importer import tagger
from myositis.services import clinic
from myositis.services.access import Principal
from myositis.services.evidence import (
    ReviewEntry,
    Tag,
    TrialMatch,
    match_trials,
    record_date,
    review_queue,
)
from myositis.services.trials import trial_patient
from myositis.web.deps import IsoDate, RecordId, authorized, repository, state
from myositis.web.pages import _with_user, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)
EVIDENCE_TYPES = sorted(LEVEL_OF_TYPE)


class EvidenceHit(BaseModel):
    key: str
    title: str
    url: str
    evidence_type: str
    level: str
    date: dt.date | None
    retracted: bool
    tags: list[Tag]
    rank: float


def _search(repo: Repository, q: str, evidence: str | None, since: dt.date | None,
            therapy: str | None, limit: int = 30, tag: str | None = None,
            exhaustive: bool = False) -> list[EvidenceHit]:
    """``tag`` filters by any tag as ``kind:target`` (``antibody:mda5``, ``subgroup:ibm``)."""
    store = EvidenceRepository(repo.session, tagger())
    kind, target = ("therapy", therapy) if therapy else (
        tuple(tag.split(":", 1)) if tag and ":" in tag else (None, None))
    hits = store.search(q, limit, [evidence] if evidence else None, since, kind, target,
                        exhaustive)
    return [EvidenceHit(key=r.key, title=r.title, url=r.url, evidence_type=evidence_type(r),
                        level=LEVEL_OF_TYPE[evidence_type(r)], date=record_date(r),
                        retracted=r.retracted, tags=tags, rank=rank)
            for r, tags, rank in hits]


def trials_for(repo: Repository, request: Request, patient_id: int) -> list[TrialMatch]:
    patient = repo.patient(patient_id)
    entries = repo.record_entries([patient_id])[patient_id]
    record = clinic.plan_input(patient, repo.visits(patient_id), dt.date.today(), entries)
    store = EvidenceRepository(repo.session, tagger())
    return match_trials(trial_patient(record, state(request).settings.clinic_country),
                        store.open_trials())


@router.get("/api/evidence/search", response_model=list[EvidenceHit], tags=["evidence"])
def api_search(q: Annotated[str, Query(min_length=1, max_length=200)],
               evidence_type_: Annotated[str | None, Query(alias="evidence_type")] = None,
               since: IsoDate | None = None, therapy: str | None = None,
               tag: Annotated[str | None, Query(
                   pattern=r"^(antibody|subgroup|complication|therapy):[a-z0-9_]+$",
                   description="kind:target, e.g. antibody:mda5 or subgroup:ibm")] = None,
               exhaustive: Annotated[bool, Query(
                   description="rank every match; by default an unfiltered query matching "
                               "more than 2,000 records ranks the 2,000 most recent")] = False,
               user: Principal = Depends(authorized("evidence:read")),
               repo: Repository = Depends(repository)) -> list[EvidenceHit]:
    """Ranked full-text search of literature and trial records, with filters."""
    return _search(repo, q, evidence_type_, since, therapy, tag=tag, exhaustive=exhaustive)


@router.get("/api/evidence/review", response_model=list[ReviewEntry], tags=["evidence"])
def api_review(since: IsoDate | None = None, entry: str | None = None,
               user: Principal = Depends(authorized("evidence:review")),
               repo: Repository = Depends(repository)) -> list[ReviewEntry]:
    """The curator's review queue: what is new per knowledge-base entry."""
    return review_queue(load(), EvidenceRepository(repo.session, tagger()).tagged(), since,
                        entry)


@router.get("/api/patients/{patient_id}/trials", response_model=list[TrialMatch],
            tags=["evidence"])
def api_trials(request: Request, patient_id: RecordId,
               user: Principal = Depends(authorized("plan:read")),
               repo: Repository = Depends(repository)) -> list[TrialMatch]:
    """Open trials matching the patient, each with why it matched."""
    return trials_for(repo, request, patient_id)


@pages.get("/evidence", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", evidence_type_: Annotated[
                    str | None, Query(alias="evidence_type")] = None,
                therapy: str | None = None, tag: str | None = None,
                user: Principal = Depends(authorized("evidence:read")),
                repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    hits = _search(repo, q, evidence_type_ or None, None, therapy or None,
                   tag=tag or None) if q.strip() else []
    kb = load()
    synonyms = load_synonyms()
    tags = [(f"antibody:{a}", f"anti-{a.upper()}") for a in synonyms.antibodies] + [
        (f"subgroup:{g}", g.upper()) for g in synonyms.subgroups] + [
        (f"complication:{c}", c.replace("_", " ")) for c in synonyms.complications]
    return render(request, "evidence.html", q=q, hits=hits, evidence_type=evidence_type_ or "",
                  therapy=therapy or "", types=EVIDENCE_TYPES, tags=tags, tag=tag or "",
                  therapies=sorted(kb.therapies.values(), key=lambda t: t.name),
                  total=EvidenceRepository(repo.session, tagger()).count())


@pages.get("/evidence/review", response_class=HTMLResponse)
def review_page(request: Request, user: Principal = Depends(authorized("evidence:review")),
                repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    queue = review_queue(load(), EvidenceRepository(repo.session, tagger()).tagged())
    return render(request, "evidence_review.html", queue=queue)


def open_trials_matching(repo: Repository, request: Request, record: PatientRecord,
                         phenotypes: list[str]) -> list[TrialMatch]:
    """The trial panel of the patient page, from the plan already built for the page."""
    store = EvidenceRepository(repo.session, tagger())
    return match_trials(trial_patient(record, state(request).settings.clinic_country,
                                      phenotypes), store.open_trials())

"""Link literature and trial records to the knowledge base, find what a curator must review,
and find open trials for a patient.

* :class:`Tagger` tags a record to therapies, antibodies, subgroups and complications through the
  synonym table, keeping the matched term so a curator can judge the tag.
* :func:`review_queue` lists, per knowledge-base therapy, what is new since its
  ``last_reviewed`` date: high-level evidence (RCTs, meta-analyses, systematic reviews) and
  registry changes (completed, terminated, results posted). High-level evidence makes the entry
  **review due**.
* :func:`match_trials` matches open trials to a patient by subgroup, antibodies, age, sex and
  country, says why, and drops trials the patient is clearly excluded from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from myositis.domain.evidence import HIGH_LEVEL, LEVEL_OF_TYPE, EvidenceRecord, evidence_type
from myositis.knowledge import KnowledgeBase
from myositis.knowledge.synonyms import Synonyms, TagKind

REGISTRY_CHANGES = frozenset({"COMPLETED", "TERMINATED", "WITHDRAWN", "SUSPENDED"})
GENERIC_MYOSITIS = re.compile(r"\b(myositis|inflammatory myopath(y|ies)|IIM)\b", re.IGNORECASE)


class Tag(BaseModel):
    kind: TagKind
    target: str
    term: str


TOKEN = re.compile(r"[\w-]+")


@dataclass
class Tagger:
    """Whole-word, case-insensitive matching (short capitalised terms match case-sensitively,
    so "CYC" or "ILD" do not match inside ordinary words). Each term is tested on its own, so
    "juvenile dermatomyositis" tags both JDM and DM. Terms are indexed by their first word: a
    record is split into words once and only the terms whose first word occurs are tested."""

    synonyms: Synonyms
    _by_first: dict[str, list[tuple[TagKind, str, str, re.Pattern[str]]]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        for kind, table in self.synonyms.by_kind().items():
            for target, terms in table.items():
                for term in terms:
                    sensitive = len(term) <= 4 and term.upper() == term
                    pattern = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])",
                                         0 if sensitive else re.IGNORECASE)
                    first = TOKEN.match(term.lower())
                    key = first.group(0) if first else term.lower()
                    self._by_first.setdefault(key, []).append((kind, target, term, pattern))

    @property
    def size(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def tag(self, record: EvidenceRecord) -> list[Tag]:
        parts = [record.title, record.abstract, " ".join(record.mesh)]
        if record.trial is not None:
            parts += [" ".join(record.trial.conditions), " ".join(record.trial.interventions)]
        text = "\n".join(parts)
        found: dict[tuple[str, str], Tag] = {}
        for word in set(TOKEN.findall(text.lower())):
            for kind, target, term, pattern in self._by_first.get(word, ()):
                if (kind, target) not in found and pattern.search(text):
                    found[(kind, target)] = Tag(kind=kind, target=target, term=term)
        return sorted(found.values(), key=lambda t: (t.kind, t.target))


def record_date(record: EvidenceRecord) -> dt.date | None:
    """When the record became known: the PubMed entry date, the registry's last update, or the
    publication date."""
    if record.trial is not None and record.trial.last_update:
        return record.trial.last_update
    return record.entry_date or record.published


class ReviewItem(BaseModel):
    key: str
    title: str
    url: str
    evidence_type: str
    level: str
    date: dt.date | None
    why: str
    matched: str


class ReviewEntry(BaseModel):
    entry: str
    name: str
    last_reviewed: dt.date
    review_due: bool
    items: list[ReviewItem] = Field(default_factory=list)


def review_queue(kb: KnowledgeBase, tagged: list[tuple[EvidenceRecord, list[Tag]]],
                 since: dt.date | None = None, entry: str | None = None) -> list[ReviewEntry]:
    """What is new for each therapy since it was last reviewed (or since ``since``)."""
    out = []
    for therapy in sorted(kb.therapies.values(), key=lambda t: t.id):
        if entry and therapy.id != entry:
            continue
        cutoff = since or therapy.last_reviewed
        items = []
        for record, tags in tagged:
            tag = next((t for t in tags if t.kind == "therapy" and t.target == therapy.id), None)
            when = record_date(record)
            if tag is None or when is None or when <= cutoff:
                continue
            kind = evidence_type(record)
            change = record.trial is not None and (
                record.trial.status in REGISTRY_CHANGES or record.trial.has_results)
            if kind not in HIGH_LEVEL and not change and not (
                    record.trial is not None and record.trial.open):
                continue
            if record.retracted:
                why = "retracted publication"
            elif kind in HIGH_LEVEL:
                why = f"new {kind.replace('_', ' ')}"
            elif record.trial is not None and record.trial.has_results:
                why = "registry: results posted"
            elif change:
                why = f"registry: {record.trial.status.lower()}" if record.trial else ""
            else:
                why = "new trial of this therapy"
            items.append(ReviewItem(key=record.key, title=record.title, url=record.url,
                                    evidence_type=kind, level=LEVEL_OF_TYPE[kind], date=when,
                                    why=why, matched=tag.term))
        order = {"high": 0, "moderate": 1, "low": 2, "very_low": 3}
        items.sort(key=lambda i: (order[i.level], -(i.date or dt.date.min).toordinal()))
        items = one_per_study(items, {r.key: r for r, _t in tagged})
        due = any(i.evidence_type in HIGH_LEVEL for i in items)
        if items or entry:
            out.append(ReviewEntry(entry=therapy.id, name=therapy.name,
                                   last_reviewed=therapy.last_reviewed, review_due=due,
                                   items=items))
    return out


WORD = re.compile(r"[a-z0-9]+")
NEAR_DUPLICATE = 0.85


def _words(title: str) -> set[str]:
    return set(WORD.findall(title.lower())) - {"a", "an", "the", "of", "in", "and", "with"}


def one_per_study(items: list[ReviewItem], records: dict[str, EvidenceRecord]
                  ) -> list[ReviewItem]:
    """One study counts once: a registry record cited by a publication (its NCT number in the
    abstract or databank list) and a title that nearly repeats another (a conference abstract
    and the later paper: word overlap of 85 % or more) are folded into one item, the
    best-ranked publication. ``items`` arrive best first."""
    order = sorted(items, key=lambda i: records[i.key].source != "pubmed"
                   if i.key in records else True)
    order = sorted(order, key=lambda i: {"high": 0, "moderate": 1, "low": 2,
                                         "very_low": 3}[i.level])
    groups: list[tuple[ReviewItem, list[str]]] = []
    for item in order:
        record = records.get(item.key)
        home = None
        for head, members in groups:
            for key in members:
                other = records.get(key)
                linked = (other is not None and item.key in other.linked_ncts) or (
                    record is not None and key in record.linked_ncts)
                a = _words(item.title)
                b = _words(other.title if other is not None else head.title)
                similar = bool(a and b) and len(a & b) / len(a | b) >= NEAR_DUPLICATE
                if linked or similar:
                    home = (head, members)
                    break
            if home:
                break
        if home is None:
            groups.append((item, [item.key]))
        else:
            home[1].append(item.key)
            home[0].why += f"; same study as {item.key}"
    return [head for head, _members in groups]


class TrialPatient(BaseModel):
    """What trial matching needs to know about a patient (from the record and the plan)."""

    subgroups: list[str]
    antibodies: list[str]
    age_years: float | None
    sex: str
    country: str | None = None


class TrialMatch(BaseModel):
    key: str
    title: str
    url: str
    status: str
    phases: list[str]
    sites: list[str]
    eligibility: str
    why: list[str]


def match_trials(patient: TrialPatient, trials: list[tuple[EvidenceRecord, list[Tag]]]
                 ) -> list[TrialMatch]:
    """Open trials whose conditions fit the patient; clear exclusions (age, sex, subgroup) are
    dropped, and every match says why it matched."""
    out = []
    for record, tags in trials:
        trial = record.trial
        if trial is None or not trial.open:
            continue
        subgroups = {t.target for t in tags if t.kind == "subgroup"}
        antibodies = {t.target for t in tags if t.kind == "antibody"}
        why = []
        shared = subgroups & set(patient.subgroups)
        generic = not subgroups and GENERIC_MYOSITIS.search(" ".join(trial.conditions))
        if shared:
            why.append("subgroup: " + ", ".join(sorted(shared)))
        elif generic and "ibm" not in patient.subgroups:
            why.append("myositis trial without a subgroup restriction in its conditions")
        else:
            continue
        if "ibm" in subgroups and "ibm" not in patient.subgroups:
            continue
        if antibodies:
            common = antibodies & set(patient.antibodies)
            if common:
                why.append("antibody: " + ", ".join(f"anti-{a.upper()}" for a in sorted(common)))
        age = patient.age_years
        if age is not None and ((trial.min_age_years is not None and age < trial.min_age_years)
                                or (trial.max_age_years is not None
                                    and age > trial.max_age_years)):
            continue
        if age is None and (trial.min_age_years is not None
                            or trial.max_age_years is not None):
            why.append("age not recorded: check the trial's age limits")
        elif age is not None:
            why.append(f"age {age:.0f} within {trial.min_age_years or 0:g}-"
                       + (f"{trial.max_age_years:g}" if trial.max_age_years is not None
                          else "any"))
        if trial.sex != "all" and patient.sex in ("female", "male") and trial.sex != patient.sex:
            continue
        if trial.sex != "all" and patient.sex not in ("female", "male"):
            why.append(f"trial enrols {trial.sex} participants only; sex not recorded")
        if patient.country:
            if trial.countries and patient.country not in trial.countries:
                continue
            why.append(f"site in {patient.country}" if trial.countries
                       else "sites not listed: check with the sponsor")
        out.append(TrialMatch(key=record.key, title=record.title, url=record.url,
                              status=trial.status, phases=trial.phases,
                              sites=[s for s in trial.sites
                                     if not patient.country or s.endswith(patient.country)][:5],
                              eligibility=trial.eligibility[:1500], why=why))
    return out

"""Parsing the real formats (hand-built SYNTHETIC records), tagging to the knowledge base,
evidence types, the review queue and trial matching."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from myositis.domain.evidence import EvidenceRecord, evidence_type
from myositis.knowledge import load
from myositis.knowledge.synonyms import load_synonyms
from myositis.literature.formats import Skipped, parse_file
from myositis.services.evidence import Tagger, TrialPatient, match_trials, review_queue

FIXTURES = Path(__file__).parent / "fixtures"


def parsed(name: str) -> tuple[list[EvidenceRecord], list[Skipped]]:
    items = list(parse_file(FIXTURES / name))
    return ([i for i in items if isinstance(i, EvidenceRecord)],
            [i for i in items if isinstance(i, Skipped)])


def test_pubmed_xml_fields_links_retraction_and_skips() -> None:
    records, skipped = parsed("pubmed.xml")
    assert [r.key for r in records] == ["PMID:99000001", "PMID:99000002", "PMID:99000004"]
    first, retracted, meta = records
    assert first.linked_ncts == ["NCT09990001"] and first.entry_date == dt.date(2026, 10, 3)
    assert first.published == dt.date(2026, 10, 2) and "randomised" in first.abstract
    assert evidence_type(first) == "rct_phase3"
    assert retracted.retracted and evidence_type(retracted) == "case_report"
    assert retracted.published == dt.date(2025, 1, 1)  # MedlineDate "2025 Spring"
    assert meta.correction == "erratum" and evidence_type(meta) == "meta_analysis"
    assert len(skipped) == 1 and skipped[0].field == "PMID"
    assert "pubmed.xml" in str(skipped[0])


def test_ctgov_json_fields_ages_and_skips() -> None:
    records, skipped = parsed("ctgov.json")
    assert [r.key for r in records] == ["NCT09990001", "NCT09990002", "NCT09990003"]
    dm, ibm, jdm = records
    assert dm.trial is not None and dm.trial.open and dm.trial.min_age_years == 18
    assert dm.trial.countries == ["United Kingdom", "United States"]
    assert "PF-06823859" in dm.trial.interventions
    assert evidence_type(dm) == "rct_phase3" and dm.published == dt.date(2025, 3, 1)
    assert ibm.trial is not None and ibm.trial.max_age_years is None
    assert jdm.trial is not None and jdm.trial.has_results and not jdm.trial.open
    assert len(skipped) == 1 and "nctId" in skipped[0].field


def test_tags_show_the_matched_term() -> None:
    tagger = Tagger(load_synonyms())
    records, _ = parsed("pubmed.xml")
    tags = {(t.kind, t.target): t.term for t in tagger.tag(records[0])}
    assert tags[("therapy", "dazukibart")] == "PF-06823859"
    assert ("antibody", "mda5") in tags and ("antibody", "tif1g") in tags
    assert ("subgroup", "dm") in tags
    ibm = {(t.kind, t.target) for t in tagger.tag(records[2])}
    assert ("therapy", "ivig") in ibm and ("subgroup", "ibm") in ibm
    # Short capitalised terms are case-sensitive: "ild" inside a word or lowercase is no tag.
    plain = EvidenceRecord(source="pubmed", key="PMID:1", title="A mild child case")
    assert not tagger.tag(plain)


def test_review_queue_marks_new_high_level_evidence_due() -> None:
    kb = load()
    tagger = Tagger(load_synonyms())
    records = parsed("pubmed.xml")[0] + parsed("ctgov.json")[0]
    tagged = [(r, tagger.tag(r)) for r in records]
    queue = {e.entry: e for e in review_queue(kb, tagged, since=dt.date(2025, 1, 1))}
    assert queue["dazukibart"].review_due
    assert queue["dazukibart"].items[0].level == "high"
    assert any(i.why == "registry: results posted" for i in queue["ivig"].items)
    assert queue["ivig"].review_due  # the IBM meta-analysis
    later = review_queue(kb, tagged, since=dt.date(2026, 12, 1))
    assert not any(e.review_due for e in later)


def test_trial_matching_by_subgroup_age_sex_and_country() -> None:
    tagger = Tagger(load_synonyms())
    trials = [(r, tagger.tag(r)) for r in parsed("ctgov.json")[0]]
    dm = TrialPatient(subgroups=["dm"], antibodies=["tif1g"], age_years=52, sex="female",
                      country="United Kingdom")
    found = match_trials(dm, trials)
    assert [m.key for m in found] == ["NCT09990001"]
    assert any("subgroup: dm" in w for w in found[0].why)
    assert found[0].sites == ["Synthetic University Hospital, Leeds, United Kingdom"]
    ibm = TrialPatient(subgroups=["ibm"], antibodies=[], age_years=68, sex="male",
                       country="France")
    assert [m.key for m in match_trials(ibm, trials)] == ["NCT09990002"]
    too_old = TrialPatient(subgroups=["dm"], antibodies=[], age_years=85, sex="male")
    assert match_trials(too_old, trials) == []
    elsewhere = dm.model_copy(update={"country": "Japan"})
    assert match_trials(elsewhere, trials) == []


def test_one_study_counts_once() -> None:
    kb = load()
    tagger = Tagger(load_synonyms())
    records = parsed("pubmed.xml")[0] + parsed("ctgov.json")[0]
    abstract = EvidenceRecord(  # a conference abstract of the same trial, earlier, lower level
        source="pubmed", key="PMID:99000005", entry_date=dt.date(2026, 6, 1),
        title="A randomised phase 3 trial of PF-06823859 in adult dermatomyositis",
        publication_types=["Randomized Controlled Trial"])
    tagged = [(r, tagger.tag(r)) for r in [*records, abstract]]
    entry = next(e for e in review_queue(kb, tagged, since=dt.date(2025, 1, 1))
                 if e.entry == "dazukibart")
    assert [i.key for i in entry.items] == ["PMID:99000001"]
    assert "same study as NCT09990001" in entry.items[0].why
    assert "same study as PMID:99000005" in entry.items[0].why


def test_unknown_age_is_not_read_as_eligible() -> None:
    tagger = Tagger(load_synonyms())
    trials = [(r, tagger.tag(r)) for r in parsed("ctgov.json")[0]]
    unknown = TrialPatient(subgroups=["dm"], antibodies=[], age_years=None, sex="unknown")
    found = match_trials(unknown, trials)
    assert [m.key for m in found] == ["NCT09990001"]
    assert "age not recorded: check the trial's age limits" in found[0].why

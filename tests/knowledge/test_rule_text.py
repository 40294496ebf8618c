"""Rules in plain words for clinical review."""

from __future__ import annotations

from myositis.knowledge import load
from myositis.knowledge.rule_text import describe, names, review_document
from myositis.knowledge.rules import Predicate


def _p(data: dict[str, object]) -> Predicate:
    return Predicate.model_validate(data)


def test_a_condition_reads_as_a_sentence() -> None:
    when = _p({"all": [{"fact": "pregnant", "is": True},
                       {"any": [{"fact": "egfr", "lt": 30}, {"fact": "egfr", "unknown": True}]},
                       {"not": {"fact": "current_therapies", "contains": "rituximab"}}]})
    assert describe(when) == ("pregnant is yes and (either egfr below 30 or egfr is not "
                              "recorded) and not (current therapies include rituximab)")


def test_a_therapy_attribute_and_a_list_read_plainly() -> None:
    assert describe(_p({"therapy": "pregnancy", "in": ["contraindicated", "no_data"]})) == (
        "the therapy's pregnancy is one of contraindicated, no data")
    assert describe(_p({"fact": "ck_x_uln", "ge": 50})) == "ck x uln at least 50"


def test_a_drug_named_in_the_condition_is_found() -> None:
    when = _p({"all": [{"fact": "current_therapies", "contains": "azathioprine"},
                       {"fact": "other_medicines", "contains_any": ["allopurinol"]}]})
    assert names(when, "azathioprine") and names(when, "allopurinol")
    assert not names(when, "methotrexate")


def test_the_review_document_holds_every_rule_and_rewording_without_python() -> None:
    kb = load()
    text = review_document(kb.rules.rules, kb.wording_swaps, "2026-12-07")
    assert text.count("\n### `") == len(kb.rules.rules)
    assert "## Rewordings for the patient" in text and "## Glossary of facts" in text
    assert "Curation notes** (never printed in a plan)" in text
    assert "Predicate(" not in text and "None" not in text.split("## Glossary")[0].replace(
        "None of", "")

"""The reviewed rewordings (``wording.yaml``): validated as data, and every one can fire."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from myositis.errors import KnowledgeBaseError
from myositis.knowledge import check, load
from myositis.knowledge.loader import _data_dir
from myositis.knowledge.wording import WordingSwap
from myositis.services.careplan.rules import _swap_for_patient


def _swap(**changes: Any) -> WordingSwap:
    entry = {"fact": "pregnant", "value": True, "general": "a general clause",
             "specific": "the clause for this patient"}
    return WordingSwap.model_validate({**entry, **changes})


def test_the_bundled_table_loads_in_order_with_its_provenance() -> None:
    swaps = load().wording_swaps
    assert len(swaps) > 150
    # order is part of the data: the capacity wording is last, so it also rewords the clause
    # the active-cancer dysphagia entry writes
    assert swaps[-1].facts == ("lacks_capacity",)
    assert swaps[0].notes and sum(bool(s.notes) for s in swaps) > len(swaps) // 2


@pytest.mark.parametrize(("changes", "message"), [
    ({"fact": "no_such_fact"}, "unknown fact 'no_such_fact'"),
    ({"fact": "sex", "value": True}, "cannot match the enum fact 'sex'"),
    ({"value": "yes"}, "cannot match the bool fact 'pregnant'"),
    ({"fact": "other_medicines", "value": False}, "cannot match the set fact"),
    ({"fact": "age_years", "value": "old"}, "cannot match the number fact"),
    ({"specific": "a general clause"}, "same as the general"),
    ({"general": "eGFR {fact:egfr} or less"}, "cannot hold a {fact:...} slot"),
])
def test_an_entry_that_could_never_fire_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _swap(**changes)


def test_a_yaml_boolean_word_is_not_taken_for_a_value() -> None:
    with pytest.raises(ValidationError):
        _swap(fact="treatment_ceiling", value=1)


def test_lists_of_facts_and_values_match_any() -> None:
    swap = _swap(fact=["pregnant", "breastfeeding"], value=[True])
    text = "before a general clause."
    assert "for this patient" in _swap_for_patient(text, {"breastfeeding": True}, [swap])
    assert _swap_for_patient(text, {"breastfeeding": False}, [swap]) == text
    drugs = _swap(fact="other_medicines", value=["warfarin", "doac"])
    assert "for this patient" in _swap_for_patient(
        text, {"other_medicines": frozenset({"doac"})}, [drugs])


def test_null_matches_only_a_fact_not_recorded() -> None:
    swap = _swap(fact="free_t4", value=None)
    text = "a general clause"
    assert _swap_for_patient(text, {}, [swap]) == "the clause for this patient"
    assert _swap_for_patient(text, {"free_t4": 14.0}, [swap]) == text


def test_a_rewording_that_matches_no_rule_text_fails_the_check(tmp_path: Path) -> None:
    """A stray quote once kept the ACE-inhibitor wording of the very-high-CK line from ever
    applying; the check now names such an entry."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(_data_dir(), kb_dir)
    path = kb_dir / "wording.yaml"
    data = yaml.safe_load(path.read_text())
    data["swaps"][3]["general"] = "stop statins and avoid NSAIDs.'"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with pytest.raises(KnowledgeBaseError, match=r"wording\.swaps\.3: .* never applies"):
        check(kb_dir)

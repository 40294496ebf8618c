"""Knowledge-base validation: the bundled base passes; broken copies fail with a named problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from myositis.errors import KnowledgeBaseError, NotFoundError
from myositis.knowledge import check, load
from myositis.knowledge.loader import _data_dir

REQUIRED_THERAPIES = {
    "glucocorticoids_oral", "methylprednisolone_iv_pulse", "methotrexate", "azathioprine",
    "mycophenolate", "tacrolimus", "ciclosporin", "cyclophosphamide", "hydroxychloroquine", "ivig",
    "scig", "rituximab", "abatacept", "tocilizumab", "tofacitinib", "baricitinib", "ruxolitinib",
    "upadacitinib", "brepocitinib", "anifrolumab", "dazukibart", "lenabasum", "efgartigimod",
    "plasma_exchange", "repository_corticotropin", "apremilast", "dapsone", "naltrexone",
    "leflunomide", "chlorambucil", "nintedanib", "hsct", "cd19_car_t", "topical_corticosteroids",
    "topical_calcineurin_inhibitors", "photoprotection", "phototherapy", "exercise_rehabilitation",
    "sodium_thiosulfate", "bisphosphonates", "diltiazem", "colchicine", "calcinosis_surgery",
}


def test_bundled_base_is_valid_and_complete() -> None:
    kb = check()
    assert set(kb.therapies) >= REQUIRED_THERAPIES
    assert len(kb.autoantibodies) == 20


def test_every_claim_has_a_known_source() -> None:
    kb = load()
    for therapy in kb.therapies.values():
        assert therapy.source_keys() <= set(kb.sources)
        for use in therapy.uses:
            assert use.sources


def test_missed_endpoints_are_recorded_as_such() -> None:
    kb = load()
    trials = {t.name: t for th in kb.therapies.values() for t in th.trials}
    rim = next(t for name, t in trials.items() if "RIM" in name)
    assert rim.met_primary_endpoint is False
    proderm = next(t for name, t in trials.items() if "ProDERM" in name)
    assert proderm.met_primary_endpoint is True
    lenabasum = kb.therapy("lenabasum")
    assert any(t.met_primary_endpoint is False for t in lenabasum.trials)


def test_investigational_agents_are_marked() -> None:
    kb = load()
    for therapy_id in ("dazukibart", "lenabasum", "efgartigimod", "cd19_car_t"):
        assert kb.therapy(therapy_id).investigational, therapy_id


def test_brepocitinib_approved_with_its_source() -> None:
    brepocitinib = load().therapy("brepocitinib")
    assert not brepocitinib.investigational
    assert "2026-08-27" in brepocitinib.regulatory_status
    assert "fda2026_nda220106_lisraya" in brepocitinib.regulatory_sources


def test_identifiers_well_formed() -> None:
    for source in load().sources.values():
        if source.doi:
            assert re.match(r"^10\.\d{4,9}/\S+$", source.doi)
        if source.nct:
            assert re.match(r"^NCT\d{8}$", source.nct)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(_data_dir(), target)
    return target


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_dangling_source_is_reported(tmp_path: Path) -> None:
    kb_dir = _copy(tmp_path)
    _edit(kb_dir / "therapies.yaml",
          lambda d: d["therapies"][0]["uses"][0]["sources"].append("no_such_source"))
    with pytest.raises(KnowledgeBaseError, match="unknown source 'no_such_source'"):
        check(kb_dir)


def test_unsourced_use_is_rejected(tmp_path: Path) -> None:
    kb_dir = _copy(tmp_path)
    _edit(kb_dir / "therapies.yaml", lambda d: d["therapies"][0]["uses"][0].update(sources=[]))
    with pytest.raises(KnowledgeBaseError, match=r"uses\.0\.sources"):
        check(kb_dir)


def test_bad_doi_and_vocabulary_rejected(tmp_path: Path) -> None:
    kb_dir = _copy(tmp_path)
    _edit(kb_dir / "sources.yaml", lambda d: d["sources"][0].update(doi="not-a-doi"))
    with pytest.raises(KnowledgeBaseError, match="doi"):
        check(kb_dir)
    kb_dir = _copy(tmp_path / "second")
    _edit(kb_dir / "therapies.yaml",
          lambda d: d["therapies"][0]["uses"][0].update(line="first_line"))
    with pytest.raises(KnowledgeBaseError, match="line"):
        check(kb_dir)


def test_unused_source_and_unknown_group_reported(tmp_path: Path) -> None:
    kb_dir = _copy(tmp_path)
    _edit(kb_dir / "sources.yaml", lambda d: d["sources"].append(
        {"key": "orphan_2026", "citation": "An uncited source entry.", "kind": "other",
         "confirmed": False}))
    _edit(kb_dir / "guidance.yaml",
          lambda d: d["drug_safety"][0]["applies_to"].append("no_such_group"))
    with pytest.raises(KnowledgeBaseError) as info:
        check(kb_dir)
    assert "orphan_2026: never cited" in str(info.value)
    assert "no_such_group" in str(info.value)


def test_unverified_regulatory_status_must_be_marked(tmp_path: Path) -> None:
    kb_dir = _copy(tmp_path)
    _edit(kb_dir / "therapies.yaml",
          lambda d: d["therapies"][0].update(regulatory_sources=[], regulatory_status="Approved"))
    with pytest.raises(KnowledgeBaseError, match="Unverified"):
        check(kb_dir)


def test_find_and_not_found() -> None:
    kb = load()
    assert kb.find("ivig").model_dump()["id"] == "ivig"
    assert kb.find("mda5").model_dump()["id"] == "mda5"
    assert kb.find("hbv_screening").model_dump()["id"] == "hbv_screening"
    assert kb.find("aggarwal2022_proderm").model_dump()["key"] == "aggarwal2022_proderm"
    with pytest.raises(NotFoundError):
        kb.find("nothing_here")


def test_uses_with_negative_trials_are_not_recommended() -> None:
    kb = load()
    for therapy_id in ("abatacept", "tocilizumab", "plasma_exchange", "lenabasum"):
        uses = kb.therapy(therapy_id).uses
        assert uses and not any(u.recommended for u in uses), therapy_id
        assert all(u.rationale.startswith("Randomised trial negative") for u in uses)
    assert not any(u.recommended for u in kb.therapy("anifrolumab").uses)


def test_a_key_repeated_in_one_entry_is_rejected(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys silently: a second ``covered_by`` once replaced
    the first in a reviewed rule. The loader names the duplicate instead."""
    kb_dir = _copy(tmp_path)
    rules = kb_dir / "rules.yaml"
    text = rules.read_text()
    first = re.search(r"^  covered_by: \[[^\]]*\]\n", text, flags=re.MULTILINE)
    assert first is not None
    rules.write_text(text[:first.end()] + first.group(0) + text[first.end():])
    with pytest.raises(KnowledgeBaseError, match="duplicate key 'covered_by'"):
        check(kb_dir)

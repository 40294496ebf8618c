"""Patient education pages: every subgroup has one, the medicines most used have one, and the
loader refuses a page about an unknown target, a second page on one target, or a curator's
remark in text a patient reads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from myositis.domain.record_sections import Subgroup
from myositis.errors import KnowledgeBaseError
from myositis.knowledge import check, load
from myositis.knowledge.loader import _data_dir

COMMON_MEDICINES = ("glucocorticoids_oral", "methotrexate", "azathioprine", "mycophenolate",
                    "tacrolimus", "ivig", "hydroxychloroquine", "rituximab")
HIGH_STAKES_ANTIBODIES = ("mda5", "tif1g", "hmgcr", "jo1")


def test_every_subgroup_medicine_and_antibody_has_a_page() -> None:
    """The portal issue asks for a page for each subgroup, each antibody and each treatment in
    the knowledge base; a page may cover a class (the JAK inhibitors) through applies_to."""
    kb = load()
    assert set(COMMON_MEDICINES) <= set(kb.therapies)
    assert set(HIGH_STAKES_ANTIBODIES) <= set(kb.autoantibodies)
    for target in (*get_args(Subgroup), *kb.therapies, *kb.autoantibodies):
        page = kb.education_for(target)
        assert page is not None, target
        assert page.sources and all(key in kb.sources for key in page.sources)
    assert kb.education_for("no_such_thing") is None


def test_pages_give_no_doses() -> None:
    """Doses are the clinic's to set; a dose in a patient page goes stale and misleads."""
    dose = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|g/kg|mg/kg|micrograms?)\b", re.IGNORECASE)
    for page in load().education.values():
        text = " ".join([page.summary, *(s.text for s in page.sections), *page.watch_for])
        assert not dose.search(text), page.id


def _broken(tmp_path: Path, change: Any) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(_data_dir(), target)
    path = target / "education.yaml"
    data = yaml.safe_load(path.read_text())
    change(data["pages"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


def test_unknown_target_and_second_page_are_refused(tmp_path: Path) -> None:
    def change(pages: list[dict[str, Any]]) -> None:
        pages[0]["applies_to"].append("no_such_drug")
        pages[1]["applies_to"].append("imnm")

    with pytest.raises(KnowledgeBaseError) as raised:
        check(_broken(tmp_path, change))
    assert "unknown subgroup, antibody or therapy 'no_such_drug'" in str(raised.value)
    assert "'imnm' has more than one page" in str(raised.value)


def test_curation_remark_in_patient_text_is_refused(tmp_path: Path) -> None:
    def change(pages: list[dict[str, Any]]) -> None:
        pages[0]["watch_for"].append("Dose not confirmed in this session")

    with pytest.raises(KnowledgeBaseError, match=r"education\.dm\.watch_for\[\d+\]: curation"):
        check(_broken(tmp_path, change))

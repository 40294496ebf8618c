"""Everything a patient reads in the portal (education pages and exercise programmes) stays at
or below US school grade 8 by the Flesch-Kincaid formula, as the portal issue requires."""

from __future__ import annotations

import pytest
import textstat

from myositis.knowledge import load

MAX_GRADE = 8.0


def _education() -> dict[str, str]:
    return {p.id: " ".join([p.summary, *(s.text for s in p.sections), *p.watch_for])
            for p in load().education.values()}


def _exercise() -> dict[str, str]:
    return {p.id: " ".join([p.summary, p.effort, *(e.how for e in p.exercises), *p.progression,
                            *(f"{s}." for s in p.stop_signs)])
            for p in load().exercise.values()}


@pytest.mark.parametrize("texts", [_education, _exercise], ids=["education", "exercise"])
def test_patient_text_is_grade_8_or_below(texts: object) -> None:
    pages = texts()  # type: ignore[operator]
    assert pages
    grades = {page: textstat.flesch_kincaid_grade(text) for page, text in pages.items()}
    assert {p: g for p, g in grades.items() if g > MAX_GRADE} == {}


def test_the_formula_can_fail() -> None:
    hard = ("Immunosuppressive pharmacotherapy necessitates comprehensive haematological "
            "surveillance, particularly hepatotoxicity evaluation, throughout administration.")
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def test_every_programme_is_sourced_and_has_stop_signs() -> None:
    kb = load()
    phases = {p.phase for p in kb.exercise.values()}
    assert phases == {"active", "stable", "after_flare"}
    for programme in kb.exercise.values():
        assert programme.sources and all(k in kb.sources for k in programme.sources)
        assert any("swallow" in s.lower() or "breath" in s.lower() for s in programme.stop_signs)

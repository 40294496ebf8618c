"""IMACS 2004 preliminary definition of improvement: the reference's worked examples."""

from __future__ import annotations

from typing import Any

from myositis.domain.instruments.imacs_doi_2004 import definition_of_improvement
from myositis.domain.instruments.response_2016 import CoreSetInput

BASE = {"physician_global": 5.0, "patient_global": 4.0, "mmt8": 50, "haq": 1.0,
        "enzymes": {"ck": {"value": 1000, "uln": 200}}, "extramuscular_global": 4.0}


def run(**follow: Any) -> tuple[str | None, CoreSetInput]:
    doc = {**BASE, **follow}
    result = definition_of_improvement(CoreSetInput(**BASE), CoreSetInput(**doc))
    return result.category, CoreSetInput(**doc)


def test_three_improved_one_worse_is_met() -> None:
    # PGA -30 %, patient -25 %, MMT +10 %, HAQ -20 %, enzyme +40 % (worse), extramuscular same
    cat, _ = run(physician_global=3.5, patient_global=3.0, mmt8=55, haq=0.8,
                 enzymes={"ck": {"value": 1400, "uln": 200}})
    assert cat == "improved"


def test_mmt_worse_by_25_percent_blocks() -> None:
    cat, _ = run(physician_global=3.5, patient_global=3.0, mmt8=37.5, haq=0.8,
                 enzymes={"ck": {"value": 1400, "uln": 200}})
    assert cat == "not_improved"


def test_three_worse_blocks() -> None:
    cat, _ = run(physician_global=3.0, patient_global=3.0, mmt8=60, haq=1.25,
                 enzymes={"ck": {"value": 1250, "uln": 200}}, extramuscular_global=5.0)
    # improved: PGA, patient, MMT (+20 %); worse: HAQ, enzyme, extramuscular (all +25 %)
    assert cat == "not_improved"


def test_two_improved_is_not_met() -> None:
    cat, _ = run(physician_global=3.0, patient_global=3.0)
    assert cat == "not_improved"


def test_exact_20_percent_counts_as_improved() -> None:
    cat, _ = run(physician_global=4.0, patient_global=3.2, haq=0.8)
    assert cat == "improved"


def test_just_below_20_percent_does_not_count() -> None:
    cat, _ = run(physician_global=4.0, patient_global=3.2, haq=0.81)
    assert cat == "not_improved"

"""The vectorised TIS and 2004 DOI equal the scalar calculators on 100,000 random SYNTHETIC visit pairs,
band edges included (issue 11, section 2)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
from pydantic import ValidationError

from myositis.analytics import score_visits
from myositis.analytics.response import ENZYMES
from myositis.domain.criteria.imacs_worsening import Measures, compare
from myositis.domain.instruments.imacs_doi_2004 import definition_of_improvement
from myositis.domain.instruments.response_2016 import CoreSetInput, total_improvement_score
from myositis.errors import MyositisError

PAIRS = 100_000
ULNS = {"ck": 200.0, "aldolase": 8.0, "ldh": 250.0, "ast": 40.0, "alt": 45.0}
EDGES = (2, 5, 10, 15, 20, 25, 30, 40)


def _vas(rng: random.Random) -> float:
    return round(rng.randint(0, 100) / 10, 1)


def _visit(rng: random.Random, juvenile: bool, mmt_max: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "physician_global": _vas(rng), "patient_global": _vas(rng),
        "extramuscular_global": _vas(rng), "mmt8": None, "cmas": None, "haq": None,
        "chaq": None, "mmt_max": mmt_max}
    if juvenile and rng.random() < 0.5:
        row["cmas"] = float(rng.randint(0, 52))
    else:
        row["mmt8"] = float(rng.randint(0, mmt_max))
    row["chaq" if juvenile else "haq"] = rng.randint(0, 24) / 8  # HAQ steps of 0.125
    for enzyme in ENZYMES:
        present = enzyme == "ck" or rng.random() < 0.4
        row[enzyme] = float(rng.randint(0, 40) * 20) if present else None
        row[f"{enzyme}_uln"] = ULNS[enzyme] if present else None
    return row


def _follow(rng: random.Random, base: dict[str, Any]) -> dict[str, Any]:
    row = _visit(rng, base["cmas"] is not None or base["chaq"] is not None, base["mmt_max"])
    row["cmas"], row["mmt8"] = (row["cmas"], None) if base["cmas"] is not None else (
        None, row["mmt8"] if row["mmt8"] is not None else float(rng.randint(0, base["mmt_max"])))
    if base["cmas"] is not None and row["cmas"] is None:
        row["cmas"] = float(rng.randint(0, 52))
    row["haq"], row["chaq"] = (None, row["chaq"] or row["haq"] or 0.0) \
        if base["chaq"] is not None else (row["haq"] or row["chaq"] or 0.0, None)
    for enzyme in ENZYMES:  # mostly the same enzymes measured at both visits
        if base[enzyme] is not None and rng.random() < 0.97:
            row[enzyme] = row[enzyme] if row[enzyme] is not None else float(rng.randint(0, 40) * 20)
            row[f"{enzyme}_uln"] = ULNS[enzyme]
    if rng.random() < 0.3:  # land exactly on a band edge of the enzyme change
        ck = rng.randint(1, 40) * 20.0
        row["ck"] = ck * (1 - rng.choice(EDGES) / 100)
        base["ck"] = ck
    if rng.random() < 0.03:  # an incomplete follow-up visit
        row["patient_global"] = None
    return row


def _core(row: dict[str, Any]) -> CoreSetInput:
    enzymes = {e: {"value": row[e], "uln": row[f"{e}_uln"]} for e in ENZYMES
               if row[e] is not None and row[f"{e}_uln"] is not None}
    return CoreSetInput(physician_global=row["physician_global"],
                        patient_global=row["patient_global"],
                        extramuscular_global=row["extramuscular_global"], mmt8=row["mmt8"],
                        mmt_max=row["mmt_max"], cmas=row["cmas"], haq=row["haq"],
                        chaq=row["chaq"], enzymes=enzymes)


def _measures(row: dict[str, Any]) -> Measures:
    ratios = [row[e] / row[f"{e}_uln"] for e in ENZYMES
              if row[e] is not None and row[f"{e}_uln"] is not None]
    return Measures(physician_global=row["physician_global"],
                    patient_global=row["patient_global"],
                    extramuscular_global=row["extramuscular_global"],
                    mmt=row["mmt8"] if row["mmt8"] is not None else row["cmas"],
                    haq=row["haq"] if row["haq"] is not None else row["chaq"],
                    enzyme_x_uln=max(ratios) if ratios else None)


def test_vectorised_tis_equals_the_scalar_calculator() -> None:
    rng = random.Random(20261203)
    rows: list[dict[str, Any]] = []
    expected: list[tuple[float | None, str | None, str | None]] = []
    worse: list[bool | None] = []
    for index in range(PAIRS):
        juvenile = rng.random() < 0.3
        base = _visit(rng, juvenile, rng.choice((80, 150)))
        follow = _follow(rng, base)
        population = "juvenile" if juvenile else "adult"
        try:
            result = total_improvement_score(_core(base), _core(follow), population)
            tis: tuple[float | None, str | None] = (result.total_improvement_score,
                                                    result.category)
        except (MyositisError, ValidationError):
            tis = (None, None)
        try:
            doi: str | None = definition_of_improvement(_core(base), _core(follow)).category
        except (MyositisError, ValidationError):
            doi = None
        expected.append((*tis, doi))
        worse.append(compare(_measures(base), _measures(follow)).met
                     if tis[0] is not None else None)
        for when, row in ((dt.date(2025, 1, 1), base), (dt.date(2025, 7, 1), follow)):
            rows.append({"patient_id": f"SYN-{index}", "visit_date": when,
                         "population": population, **row})
    scored = score_visits(pl.DataFrame(rows, infer_schema_length=None))
    follow_ups = scored.filter(pl.col("visit_date") == dt.date(2025, 7, 1))
    got = list(zip(follow_ups["tis_vs_baseline"].to_list(),
                   follow_ups["response_vs_baseline"].to_list(),
                   follow_ups["doi_vs_baseline"].to_list(), strict=True))
    mismatches = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g]
    assert not mismatches, mismatches[:5]
    assert sum(1 for e in expected if e[0] is not None) > PAIRS * 0.9
    assert 0.1 < sum(1 for e in expected if e[2] == "improved") / PAIRS < 0.9
    got_worse = follow_ups["worsening_vs_previous"].to_list()
    worse_mismatches = [(i, e, g) for i, (e, g) in enumerate(zip(worse, got_worse, strict=True))
                        if e is not None and e != g]
    assert not worse_mismatches, worse_mismatches[:5]
    assert 0.1 < sum(1 for w in worse if w) / PAIRS < 0.9

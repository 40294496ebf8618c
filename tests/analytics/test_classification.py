"""The vectorised 2017 EULAR/ACR criteria equal the scalar calculator on 100,000 random
SYNTHETIC records; the table reader is strict about booleans."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from myositis.analytics.classification import (
    BIOPSY,
    BOOLEAN_COLUMNS,
    CLINICAL,
    classify_table,
    read_criteria,
)
from myositis.domain.instruments.eular_acr_2017 import (
    BiopsyInput,
    EularAcrInput,
    SkinInput,
    WeaknessInput,
    classify,
)
from myositis.errors import InputError

RECORDS = 100_000


def _record(rng: random.Random) -> dict[str, Any]:
    row: dict[str, Any] = {"patient_id": "", "age_at_onset": float(rng.choice(
        [rng.randint(0, 90), 17, 18, 39, 40, 17.9, 39.5]))}
    for name in (*CLINICAL, "finger_flexor_weakness"):
        row[name] = rng.random() < 0.35
    row["biopsy_done"] = rng.random() < 0.5
    for name in BIOPSY:
        row[name] = row["biopsy_done"] and rng.random() < 0.35
    row["improved_with_treatment"] = rng.choice([True, False, None])
    return row


def _scalar(row: dict[str, Any]) -> tuple[float, str, str, str | None]:
    data = EularAcrInput(
        age_at_onset=row["age_at_onset"],
        weakness=WeaknessInput(**{n: row[n] for n in WeaknessInput.model_fields}),
        skin=SkinInput(**{n: row[n] for n in SkinInput.model_fields}),
        dysphagia_or_esophageal_dysmotility=row["dysphagia_or_esophageal_dysmotility"],
        anti_jo1=row["anti_jo1"], elevated_muscle_enzymes=row["elevated_muscle_enzymes"],
        biopsy=BiopsyInput(**{n: row[n] for n in BIOPSY}) if row["biopsy_done"] else None,
        finger_flexor_weakness=row["finger_flexor_weakness"],
        improved_with_treatment=row["improved_with_treatment"])
    result = classify(data)
    return (result.score, str(result.category), str(result.probability_category),
            result.subgroup)


def test_vectorised_criteria_equal_the_scalar_calculator() -> None:
    rng = random.Random(20261204)
    rows = [_record(rng) for _ in range(RECORDS)]
    for i, row in enumerate(rows):
        row["patient_id"] = f"SYN-{i}"
    out = classify_table(pl.DataFrame(rows, infer_schema_length=None))
    got = list(zip(out["score"].round(1).to_list(), out["category"].to_list(),
                   out["probability_category"].to_list(), out["subgroup"].to_list(),
                   strict=True))
    mismatches = [(i, e, g) for i, (e, g) in enumerate(
        zip([_scalar(r) for r in rows], got, strict=True)) if e != g]
    assert not mismatches, mismatches[:5]
    assert {g[1] for g in got} == {"not_iim", "possible", "probable", "definite",
                                   "biopsy_required"}
    assert {g[3] for g in got} == {None, "DM", "ADM", "PM", "IBM", "JDM", "juvenile_non_dm"}


def _csv(tmp_path: Path, overrides: dict[str, str]) -> Path:
    row = {"patient_id": "SYN-1", "age_at_onset": "52", **dict.fromkeys(BOOLEAN_COLUMNS, "false"),
           "improved_with_treatment": ""}
    row.update(overrides)
    path = tmp_path / "criteria.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")
    return path


def test_a_boolean_is_a_word_not_a_number(tmp_path: Path) -> None:
    path = _csv(tmp_path, {"anti_jo1": "1", "heliotrope_rash": "yes", "age_at_onset": "130"})
    with pytest.raises(InputError) as error:
        read_criteria(path)
    assert dict(error.value.problems) == {"row 1.anti_jo1": "true or false",
                                          "row 1.heliotrope_rash": "true or false",
                                          "row 1.age_at_onset": "0-120"}


def test_a_strict_table_is_classified(tmp_path: Path) -> None:
    path = _csv(tmp_path, {"heliotrope_rash": "TRUE", "gottron_sign": "true",
                           "proximal_upper": "true", "elevated_muscle_enzymes": "true"})
    row = classify_table(read_criteria(path)).row(0, named=True)
    assert row["score"] == pytest.approx(10.5) and row["category"] == "definite"
    assert row["subgroup"] == "DM"

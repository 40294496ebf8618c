"""The 2017 EULAR/ACR classification criteria over a whole registry table, vectorised.

One source of truth: the weights (Table 1, in tenths), the score cut-offs, the logistic
constants and the subclassification tree's rules are read from
:mod:`myositis.domain.instruments.eular_acr_2017`, the module the scalar calculator uses. A
parity test (``tests/analytics/test_classification.py``) runs 100,000 random SYNTHETIC records
through both and requires the same score, category, probability category and subgroup.

The table has one row per patient: ``patient_id``, ``age_at_onset`` (years), the twelve clinical
items and ``finger_flexor_weakness`` as ``true``/``false``, ``biopsy_done`` (``true`` when the
biopsy columns are to be used), the four biopsy items, and ``improved_with_treatment``
(``true``/``false``/empty, read only by the IBM branch). A boolean is a word, not a number: a
``1`` or ``yes`` is refused and named with its row, as the scalar input refuses it.

Written with Narwhals, so the same expressions run on polars (default) or Spark.
"""

from __future__ import annotations

import functools
import operator
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from myositis.analytics.registry_io import read_raw
from myositis.domain.instruments.eular_acr_2017 import (
    BIOPSY_ITEMS,
    CUTOFFS,
    LOGISTIC_CONSTANT,
    WEIGHTS,
    BiopsyInput,
    SkinInput,
    WeaknessInput,
)
from myositis.errors import InputError

SKIN = tuple(SkinInput.model_fields)
WEAKNESS = tuple(WeaknessInput.model_fields)
CLINICAL = (*WEAKNESS, *SKIN, "dysphagia_or_esophageal_dysmotility", "anti_jo1",
            "elevated_muscle_enzymes")
BIOPSY = tuple(BiopsyInput.model_fields)
BOOLEAN_COLUMNS = (*CLINICAL, "finger_flexor_weakness", "biopsy_done", *BIOPSY)
COLUMNS = ("patient_id", "age_at_onset", *BOOLEAN_COLUMNS, "improved_with_treatment")
assert set(BIOPSY) == BIOPSY_ITEMS  # the scalar module's biopsy items, in its model's order


def _any(names: tuple[str, ...]) -> nw.Expr:
    return functools.reduce(operator.or_, [nw.col(n) for n in names])


def _score_tenths(with_biopsy: bool) -> nw.Expr:
    age = nw.col("age_at_onset")
    column = 2 if with_biopsy else 1
    present: list[tuple[str, nw.Expr]] = [
        ("age_18_to_40", (age >= 18) & (age < 40)), ("age_40_plus", age >= 40),
        *[(n, nw.col(n)) for n in CLINICAL]]
    if with_biopsy:
        present += [(n, nw.col(n)) for n in BIOPSY]
    return functools.reduce(operator.add, [
        nw.when(expr).then(nw.lit(WEIGHTS[name][column])).otherwise(nw.lit(0))
        for name, expr in present])


def _category(tenths: nw.Expr, with_biopsy: bool) -> nw.Expr:
    possible, probable, definite = CUTOFFS[with_biopsy]
    return (nw.when(tenths >= definite).then(nw.lit("definite"))
            .otherwise(nw.when(tenths >= probable).then(nw.lit("probable"))
                       .otherwise(nw.when(tenths >= possible).then(nw.lit("possible"))
                                  .otherwise(nw.lit("not_iim")))))


def _probability(score: nw.Expr, constant: nw.Expr) -> nw.Expr:
    return 1.0 / (1.0 + (constant - score).exp())


def classify_table(native: Any) -> Any:
    """Score, probability, category (score cut-offs), probability category and subgroup of every
    row; eager or lazy frames of any Narwhals back end, returned as the same kind."""
    frame = nw.from_native(native)
    biopsy = nw.col("biopsy_done")
    tenths = nw.when(biopsy).then(_score_tenths(True)).otherwise(_score_tenths(False))
    frame = frame.with_columns(tenths.alias("_tenths"))
    score = nw.col("_tenths") / 10
    constant = nw.when(biopsy).then(nw.lit(LOGISTIC_CONSTANT[True])).otherwise(
        nw.lit(LOGISTIC_CONSTANT[False]))
    p = _probability(score, constant)
    skin = _any(SKIN)
    category = nw.when(~skin & ~biopsy).then(nw.lit("biopsy_required")).otherwise(
        nw.when(biopsy).then(_category(nw.col("_tenths"), True))
        .otherwise(_category(nw.col("_tenths"), False)))
    p_category = (nw.when(p >= 0.90).then(nw.lit("definite"))
                  .otherwise(nw.when(p >= 0.55).then(nw.lit("probable"))
                             .otherwise(nw.when(p >= 0.50).then(nw.lit("possible"))
                                        .otherwise(nw.lit("not_iim")))))
    ibm = (biopsy & nw.col("rimmed_vacuoles")) | (
        nw.col("finger_flexor_weakness") & (nw.col("improved_with_treatment") == False))  # noqa: E712
    ibm = ibm.fill_null(False)
    tree = (nw.when(nw.col("age_at_onset") < 18).then(
        nw.when(skin).then(nw.lit("JDM")).otherwise(nw.lit("juvenile_non_dm")))
        .otherwise(nw.when(skin).then(
            nw.when(_any(WEAKNESS)).then(nw.lit("DM")).otherwise(nw.lit("ADM")))
            .otherwise(nw.when(ibm).then(nw.lit("IBM")).otherwise(nw.lit("PM")))))
    frame = frame.with_columns(score.alias("score"), p.alias("probability"),
                               category.alias("category"),
                               p_category.alias("probability_category"))
    frame = frame.with_columns(
        nw.when(nw.col("category").is_in(["probable", "definite"])).then(tree)
        .otherwise(nw.lit(None, dtype=nw.String)).alias("subgroup")).drop("_tenths")
    return nw.to_native(frame)


def read_criteria(path: Path) -> pl.DataFrame:
    """The criteria table with strict types; every bad column or value named at once."""
    raw = read_raw(path, COLUMNS)
    problems: list[tuple[str, str]] = []
    words = {"true": True, "false": False}

    def boolean(column: str, nullable: bool) -> pl.Expr:
        if raw[column].dtype == pl.Boolean:
            return pl.col(column)
        return pl.col(column).cast(pl.String).str.to_lowercase().replace_strict(
            words, default=None, return_dtype=pl.Boolean)

    typed = raw.select(
        pl.col("patient_id").cast(pl.String),
        pl.col("age_at_onset").cast(pl.String).cast(pl.Float64, strict=False)
        if raw["age_at_onset"].dtype == pl.String
        else pl.col("age_at_onset").cast(pl.Float64, strict=False),
        *[boolean(c, False) for c in BOOLEAN_COLUMNS],
        boolean("improved_with_treatment", True))
    for column in COLUMNS[1:]:
        bad = (raw[column].is_not_null() & typed[column].is_null()).arg_true().to_list()
        kind = "a number of years" if column == "age_at_onset" else "true or false"
        problems += [(f"row {i + 1}.{column}", kind) for i in bad[:20]]
    for column in ("patient_id", "age_at_onset", *BOOLEAN_COLUMNS):
        empty = raw[column].is_null().arg_true().to_list()
        problems += [(f"row {i + 1}.{column}", "required") for i in empty[:20]]
    out_of_range = ((typed["age_at_onset"] < 0) | (typed["age_at_onset"] > 120)).fill_null(
        False).arg_true().to_list()
    problems += [(f"row {i + 1}.age_at_onset", "0-120") for i in out_of_range[:20]]
    if problems:
        raise InputError(problems)
    return typed


__all__ = ["COLUMNS", "classify_table", "read_criteria"]

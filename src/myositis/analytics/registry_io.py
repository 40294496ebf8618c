"""Reading a registry visits table (CSV or Parquet) with its schema checked first.

A wrong schema is refused as a whole, naming every missing or mistyped column (the CLI exits 2);
bad values are reported per row (row, field, reason) and those rows are left out of scoring,
while the good rows are scored. Nothing is written until everything has been read and scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from myositis.analytics.response import ENZYMES
from myositis.errors import InputError

NUMERIC_RANGES: dict[str, tuple[float, float]] = {
    "physician_global": (0, 10), "patient_global": (0, 10), "extramuscular_global": (0, 10),
    "mmt8": (0, 150), "cmas": (0, 52), "haq": (0, 3), "chaq": (0, 3),
    **{e: (0, 1_000_000) for e in ENZYMES}, **{f"{e}_uln": (0.000001, 100_000) for e in ENZYMES},
}
POPULATIONS = ["adult", "juvenile"]
SCHEMA: dict[str, pl.DataType] = {
    "patient_id": pl.String(), "visit_date": pl.Date(), "population": pl.String(),
    "mmt_max": pl.Int64(), **{c: pl.Float64() for c in NUMERIC_RANGES},
}


@dataclass
class RowProblem:
    row: int
    field: str
    reason: str


@dataclass
class Loaded:
    frame: pl.DataFrame
    problems: list[RowProblem] = field(default_factory=list)


def read_raw(path: Path, columns: Iterable[str], name: str = "input") -> pl.DataFrame:
    """A registry table as read (CSV columns as text, so that each reader checks the types
    itself), refused as a whole when it is missing or lacks a column, every one named."""
    if not path.exists():
        raise InputError([(name, f"no such file: {path}")])
    raw = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(
        path, infer_schema_length=0)
    prefix = "" if name == "input" else f"{name}."
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise InputError([(f"{prefix}{c}", "missing column") for c in missing])
    return raw


def read_visits(path: Path) -> Loaded:
    """The visits table with the documented schema; bad rows reported and dropped."""
    return check_visits(read_raw(path, SCHEMA))


def check_visits(raw: pl.DataFrame, first_row: int = 1) -> Loaded:
    """Typed and range-checked visits of ``raw`` (rows numbered from ``first_row``, so that a
    batch of a streamed file reports the file's own row numbers); bad rows reported and
    dropped, a column wrong in every row refused as mistyped."""
    def cast(column: str, dtype: pl.DataType) -> pl.Expr:
        if raw[column].dtype == pl.String and dtype == pl.Date():
            return pl.col(column).str.to_date("%Y-%m-%d", strict=False)
        return pl.col(column).cast(dtype, strict=False)

    indexed = raw.with_row_index("_row", offset=first_row)
    typed = indexed.select("_row", *[cast(c, t).alias(c) for c, t in SCHEMA.items()])
    unreadable = indexed.select("_row", *[
        (pl.col(c).is_not_null() & cast(c, t).is_null()).alias(c) for c, t in SCHEMA.items()])
    problems: list[RowProblem] = []
    mistyped = []
    for column, dtype in SCHEMA.items():
        bad = unreadable.filter(pl.col(column))["_row"].to_list()
        given = raw[column].is_not_null().sum()
        if bad and len(bad) == given:
            mistyped.append((column, f"not a {dtype} in any row"))
        problems += [RowProblem(r, column, f"not a {dtype}") for r in bad]
    if mistyped:
        raise InputError(mistyped)
    for column, (low, high) in NUMERIC_RANGES.items():
        out = typed.filter((pl.col(column) < low) | (pl.col(column) > high))["_row"].to_list()
        problems += [RowProblem(r, column, f"outside {low:g}-{high:g}") for r in out]
    pop = typed.filter(~pl.col("population").is_in(POPULATIONS))["_row"].to_list()
    problems += [RowProblem(r, "population", "adult or juvenile") for r in pop]
    mmt = typed.filter(pl.col("mmt_max").is_not_null() & ~pl.col("mmt_max").is_in([80, 150])
                       )["_row"].to_list()
    problems += [RowProblem(r, "mmt_max", "80 or 150") for r in mmt]
    for column in ("patient_id", "visit_date"):
        null = typed.filter(pl.col(column).is_null())["_row"].to_list()
        problems += [RowProblem(r, column, "required") for r in null]
    bad_rows = {p.row for p in problems}
    good = typed.filter(~pl.col("_row").is_in(list(bad_rows))).drop("_row")
    return Loaded(frame=good, problems=sorted(problems, key=lambda p: (p.row, p.field)))


__all__ = ["NUMERIC_RANGES", "POPULATIONS", "SCHEMA", "Loaded", "RowProblem", "check_visits",
           "read_raw", "read_visits"]

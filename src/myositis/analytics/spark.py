"""Registry scoring on Apache Spark, for registries that outgrow one machine.

The scoring itself is the embedded engine's compiled pass, run on each partition of patients
(:func:`score_partitions`); this module also opens a Spark session from the settings,
reads the visits table with Spark, applies the same schema and range checks as
:mod:`myositis.analytics.registry_io` (the ranges are shared data), and writes the scores with
Spark. PySpark is imported lazily, so the embedded engine never needs Java.

Where Spark runs is a setting, not code: ``MYOSITIS_SPARK_REMOTE`` (a Spark Connect URL such as
``sc://spark.example.org:15002``) or ``MYOSITIS_SPARK_MASTER`` (``local[2]`` by default; a
cluster's master URL, or left to ``spark-submit``, which passes its own).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw

from myositis.analytics.registry_io import NUMERIC_RANGES, POPULATIONS, SCHEMA
from myositis.errors import ConfigurationError, InputError
from myositis.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

TYPES = {"String": nw.String(), "Date": nw.Date(), "Int64": nw.Int64(), "Float64": nw.Float64()}


def spark_session(settings: Settings) -> SparkSession:
    """A Spark session where the settings say: Spark Connect, a master URL, or local[2]."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:  # pragma: no cover - pyspark is a dependency of the project
        raise ConfigurationError("the Spark engine needs pyspark (pip install pyspark)") from error
    builder: Any = SparkSession.builder.appName("myositis-registry")
    if settings.spark_remote:
        builder = builder.remote(settings.spark_remote)
    else:
        if settings.spark_master.startswith("local"):
            # the Python workers that score each partition run this interpreter, which has
            # myositis, polars and numba (a cluster's workers need them installed too)
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (builder.master(settings.spark_master)
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", str(settings.spark_partitions)))
    # A value that cannot be cast becomes null and is reported, as in the embedded engine,
    # instead of failing the whole job (Spark 4 fails by default). Constraint propagation is
    # off because the optimiser's inferred constraints grow exponentially over the score's
    # many derived columns: with it on, 2,000 visits exhausted the driver's memory.
    # Arrow batches of 200,000 rows rather than 10,000: each partition is scored whole, and
    # fewer, larger batches cost less to pass to the Python workers.
    builder = builder.config("spark.sql.ansi.enabled", "false").config(
        "spark.sql.constraintPropagation.enabled", "false").config(
        "spark.sql.execution.arrow.maxRecordsPerBatch", "200000")
    session: SparkSession = builder.getOrCreate()
    return session


@dataclass
class SparkLoaded:
    frame: DataFrame
    rows_left_out: int
    examples: list[dict[str, Any]]


def read_visits_spark(spark: SparkSession, path: str) -> SparkLoaded:
    """The visits table read and checked by Spark. A missing or mistyped column stops the run,
    naming every one; a row with a bad value is left out and counted, with up to 20 examples
    (patient, date and the bad fields: a distributed file has no stable row number)."""
    if path.endswith(".csv"):
        raw = spark.read.option("header", True).option("inferSchema", False).csv(path)
    else:
        raw = spark.read.parquet(path)
    missing = [c for c in SCHEMA if c not in raw.columns]
    if missing:
        raise InputError([(c, "missing column") for c in missing])
    frame = nw.from_native(raw)
    # the raw text is kept beside each typed column, to tell "unreadable" from "empty"
    typed = frame.select(*[nw.col(c).alias(f"_raw_{c}") for c in SCHEMA]).with_columns(
        *[nw.col(f"_raw_{c}").cast(TYPES[str(t)]).alias(c) for c, t in SCHEMA.items()])
    checks: dict[str, nw.Expr] = {}
    for column in SCHEMA:
        checks[column] = (~nw.col(f"_raw_{column}").is_null() & nw.col(column).is_null())
    for column, (low, high) in NUMERIC_RANGES.items():
        checks[column] = checks[column] | (nw.col(column) < low) | (nw.col(column) > high)
    checks["population"] = checks["population"] | ~nw.col("population").is_in(POPULATIONS)
    checks["mmt_max"] = checks["mmt_max"] | (
        ~nw.col("mmt_max").is_null() & ~nw.col("mmt_max").is_in([80, 150]))
    for column in ("patient_id", "visit_date"):
        checks[column] = checks[column] | nw.col(column).is_null()
    flagged = typed.with_columns(*[e.fill_null(False).alias(f"_bad_{c}")
                                   for c, e in checks.items()])
    bad = nw.any_horizontal(*[nw.col(f"_bad_{c}") for c in checks], ignore_nulls=True)
    given = {c: (~nw.col(f"_raw_{c}").is_null()).cast(nw.Int64).sum().alias(f"given_{c}")
             for c in SCHEMA}
    unread = {c: (~nw.col(f"_raw_{c}").is_null() & nw.col(c).is_null()).cast(nw.Int64).sum()
              .alias(f"unread_{c}") for c in SCHEMA}
    counts = flagged.select(*given.values(), *unread.values(),
                            bad.cast(nw.Int64).sum().alias("bad_rows")).collect(
        backend="polars").to_native().row(0, named=True)
    mistyped = [(c, f"not a {SCHEMA[c]} in any row") for c in SCHEMA
                if counts[f"given_{c}"] and counts[f"given_{c}"] == counts[f"unread_{c}"]]
    if mistyped:
        raise InputError(mistyped)
    examples = [
        {"patient_id": row["patient_id"], "visit_date": row["visit_date"],
         "fields": [c for c in checks if row[f"_bad_{c}"]]}
        for row in flagged.filter(bad).head(20).collect(backend="polars").to_native()
        .iter_rows(named=True)]
    good = flagged.filter(~bad).select(*SCHEMA)
    return SparkLoaded(frame=nw.to_native(good), rows_left_out=int(counts["bad_rows"] or 0),
                       examples=examples)


def _arrow_schema() -> Any:
    """The Arrow schema of a scored partition: the visits columns, then the results."""
    import pyarrow as pa

    from myositis.analytics.response import RESULTS

    types = {"String": pa.string(), "Date": pa.date32(), "Int64": pa.int64(),
             "Float64": pa.float64(), "Boolean": pa.bool_()}
    return pa.schema([(c, types[str(t)]) for c, t in {**SCHEMA, **RESULTS}.items()])


def score_partitions(frame: DataFrame, partitions: int) -> DataFrame:
    """Scores a Spark visits table with the compiled pass: the rows are shuffled so that each
    patient's visits are in one partition, and each partition is scored whole, in a Python
    worker, by :func:`myositis.analytics.response.score_eager` (Arrow in and out). The same
    code as on one machine, at the same speed per core; the Narwhals expression path
    (:func:`myositis.analytics.response.score_expressions`) gives the same results and a test
    holds the two together."""
    schema = _arrow_schema()
    spark_schema = _spark_schema()

    def score(batches: Iterator[Any]) -> Iterator[Any]:
        import polars as pl
        import pyarrow as pa

        from myositis.analytics.response import score_eager

        received = list(batches)
        if not received:  # an empty partition
            return
        table = pa.Table.from_batches(received)
        native = pl.from_arrow(table)
        assert isinstance(native, pl.DataFrame)
        scored = score_eager(native.select(list(SCHEMA)))
        yield from scored.to_arrow().cast(schema).to_batches()

    from pyspark.sql import functions

    typed = frame.select(*[functions.col(c).cast(spark_schema[c].dataType) for c in SCHEMA])
    return typed.repartition(partitions, "patient_id").mapInArrow(score, spark_schema)


def _spark_schema() -> Any:
    """The Spark schema of a scored partition (the Arrow schema's twin)."""
    from pyspark.sql.types import (
        BooleanType,
        DateType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    from myositis.analytics.response import RESULTS

    types = {"String": StringType(), "Date": DateType(), "Int64": LongType(),
             "Float64": DoubleType(), "Boolean": BooleanType()}
    return StructType([StructField(c, types[str(t)], True)
                       for c, t in {**SCHEMA, **RESULTS}.items()])


def score_with_spark(settings: Settings, path: str, out: str) -> tuple[int, SparkLoaded]:
    """Reads, checks and scores ``path`` on Spark and writes Parquet to ``out`` (a directory,
    as Spark writes it). Returns the number of visits written and what was left out."""
    spark = spark_session(settings)
    loaded = read_visits_spark(spark, path)
    scored = score_partitions(loaded.frame, settings.spark_partitions)
    local = "://" not in out
    target = out + ".partial" if local else out
    scored.write.mode("overwrite").parquet(target)
    written = spark.read.parquet(target).count()
    if local:  # nothing is left half-written under the name asked for
        destination = Path(out)
        if destination.is_dir():
            shutil.rmtree(destination)
        elif destination.exists():
            destination.unlink()
        Path(target).replace(destination)
    return int(written), loaded


__all__ = ["SparkLoaded", "read_visits_spark", "score_partitions", "score_with_spark",
           "spark_session"]

"""The same registry scoring on PySpark in local[2] mode gives the embedded engine's results
(issue 11, section 3), on SYNTHETIC visits only."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from myositis.analytics import score_visits
from myositis.cli import app
from myositis.settings import Settings

from .test_registry_cli import HEADER, ROWS
from .test_response_parity import _follow, _visit

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="Spark needs Java 17 (CI installs it)")
RESULTS = ["baseline_date", "tis_vs_baseline", "response_vs_baseline", "tis_vs_previous",
           "response_vs_previous"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from myositis.analytics.spark import spark_session

    session = spark_session(Settings(spark_master="local[2]", spark_partitions=2))
    yield session
    session.stop()


def _registry(patients: int) -> pl.DataFrame:
    """Three to four visits a patient, including incomplete ones and band edges."""
    rng = random.Random(11)
    rows: list[dict[str, Any]] = []
    for index in range(patients):
        juvenile = rng.random() < 0.3
        visit = _visit(rng, juvenile, rng.choice((80, 150)))
        for month in range(rng.choice((3, 4))):
            rows.append({"patient_id": f"SYN-{index}", "visit_date": dt.date(2025, 1 + 3 * month, 1),
                         "population": "juvenile" if juvenile else "adult", **visit})
            visit = _follow(rng, dict(visit))
    rng.shuffle(rows)  # input order must not matter
    return pl.DataFrame(rows, infer_schema_length=None)


def test_spark_scores_equal_the_embedded_engine(spark: Any, tmp_path: Path) -> None:
    frame = _registry(600)
    frame.write_parquet(tmp_path / "visits.parquet")
    expected = score_visits(frame).sort("patient_id", "visit_date")
    native = spark.read.parquet(str(tmp_path / "visits.parquet"))
    got = pl.from_arrow(score_visits(native).toArrow())
    assert isinstance(got, pl.DataFrame)
    got = got.sort("patient_id", "visit_date")
    assert got.height == expected.height
    assert expected["tis_vs_previous"].drop_nulls().len() > 1000
    for column in RESULTS:
        assert got[column].to_list() == expected[column].to_list(), column


def test_the_compiled_pass_on_spark_partitions_equals_the_embedded_engine(
        spark: Any, tmp_path: Path) -> None:
    from myositis.analytics.spark import score_partitions

    frame = _registry(600)
    frame.write_parquet(tmp_path / "visits.parquet")
    expected = score_visits(frame).sort("patient_id", "visit_date")
    native = spark.read.parquet(str(tmp_path / "visits.parquet"))
    got = pl.from_arrow(score_partitions(native, 3).toArrow())
    assert isinstance(got, pl.DataFrame)
    got = got.sort("patient_id", "visit_date")
    assert got.height == expected.height
    for column in [*RESULTS, "doi_vs_baseline", "doi_vs_previous", "worsening_vs_previous"]:
        assert got[column].to_list() == expected[column].to_list(), column


def test_cli_scores_on_spark_and_leaves_bad_rows_out(spark: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "visits.csv"
    source.write_text("\n".join([HEADER, *ROWS]) + "\n")
    out = tmp_path / "scores.parquet"
    result = CliRunner().invoke(app, ["registry", "score", str(source), "--out", str(out),
                                      "--engine", "spark"])
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(out / "*.parquet").sort("visit_date")
    assert scored["tis_vs_baseline"].to_list() == [None, 92.5, 85.0]
    assert scored["response_vs_previous"].to_list() == [None, "major", "none"]
    assert "2 rows left out" in result.output
    assert "patient SYN-2, visit 2024-01-01: physician_global" in result.output
    assert not (tmp_path / "scores.parquet.partial").exists()


def test_cli_on_spark_refuses_a_wrong_schema_naming_every_column(spark: Any,
                                                                 tmp_path: Path) -> None:
    source = tmp_path / "visits.csv"
    source.write_text("patient_id,visit_date\nSYN-1,2024-01-01\n")
    out = tmp_path / "scores.parquet"
    result = CliRunner().invoke(app, ["registry", "score", str(source), "--out", str(out),
                                      "--engine", "spark"])
    assert result.exit_code == 2
    for column in ("physician_global", "mmt_max", "ck_uln", "population"):
        assert column in result.output
    assert not out.exists()


def test_unknown_engine_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["registry", "score", "x.csv", "--out",
                                      str(tmp_path / "o.parquet"), "--engine", "dask"])
    assert result.exit_code == 2
    assert "polars or spark" in result.output

"""Streaming a sorted visits Parquet file in batches gives the in-memory scores, refuses unsorted
input without writing anything, and reports bad rows by the file's row numbers (issue 11,
section 7). SYNTHETIC visits only."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from myositis.analytics.registry_io import SCHEMA
from myositis.analytics.response import RESULTS, score_eager
from myositis.analytics.streaming import score_parquet_stream
from myositis.cli import app
from myositis.errors import InputError

from .test_response_kernel import _registry


def _sorted_registry(tmp_path: Path) -> tuple[pl.DataFrame, Path]:
    frame = _registry(400, 21).sort("patient_id", "visit_date", maintain_order=True).select(
        [pl.col(c).cast(t) for c, t in SCHEMA.items()])
    source = tmp_path / "visits.parquet"
    frame.write_parquet(source, row_group_size=64)
    return frame, source


@pytest.mark.parametrize("batch_rows", [37, 250, 100_000])
def test_streamed_scores_equal_the_in_memory_scores(tmp_path: Path, batch_rows: int) -> None:
    """Batches that cut through a patient's visits, and one batch for the whole table."""
    frame, source = _sorted_registry(tmp_path)
    dest = tmp_path / "scores.parquet"
    seen: list[int] = []
    result = score_parquet_stream(source, dest, batch_rows,
                                  progress=lambda done, total: seen.append(done))
    assert result.visits == result.scored == frame.height
    assert seen[-1] == frame.height
    streamed, expected = pl.read_parquet(dest), score_eager(frame)
    assert streamed["patient_id"].to_list() == expected["patient_id"].to_list()
    for column in RESULTS:
        assert streamed[column].to_list() == expected[column].to_list(), column
    assert [p.name for p in tmp_path.iterdir()] != [] and not any(
        p.name.startswith("scores.parquet.") for p in tmp_path.iterdir())


def test_unsorted_input_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    frame, _ = _sorted_registry(tmp_path)
    source = tmp_path / "shuffled.parquet"
    frame.sample(fraction=1.0, shuffle=True, seed=2).write_parquet(source)
    dest = tmp_path / "scores.parquet"
    with pytest.raises(InputError, match="sorted by patient_id"):
        score_parquet_stream(source, dest, 100)
    assert not dest.exists()
    assert not any(p.name.startswith("scores.parquet.") for p in tmp_path.iterdir())


def test_a_patient_out_of_order_across_batches_is_refused(tmp_path: Path) -> None:
    """Each batch sorted, the table not: the last patient comes first again."""
    frame, _ = _sorted_registry(tmp_path)
    source = tmp_path / "two.parquet"
    pl.concat([frame.tail(100), frame.head(frame.height - 100)]).write_parquet(source)
    with pytest.raises(InputError, match="sorted by patient_id"):
        score_parquet_stream(source, tmp_path / "scores.parquet", 100)


def test_bad_rows_are_reported_by_file_row_and_left_out(tmp_path: Path) -> None:
    frame, _ = _sorted_registry(tmp_path)
    broken = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 300).then(12.0).otherwise(pl.col("physician_global"))
        .alias("physician_global"))
    source = tmp_path / "broken.parquet"
    broken.write_parquet(source)
    result = score_parquet_stream(source, tmp_path / "scores.parquet", 128)
    assert [(p.row, p.field) for p in result.problems] == [(301, "physician_global")]
    assert result.scored == frame.height - 1


def test_the_cli_streams_parquet_and_refuses_csv(tmp_path: Path) -> None:
    frame, source = _sorted_registry(tmp_path)
    dest = tmp_path / "scores.parquet"
    runner = CliRunner()
    done = runner.invoke(app, ["registry", "score", str(source), "--out", str(dest), "--stream",
                               "--batch-rows", "10000"])
    assert done.exit_code == 0, done.output
    assert pl.read_parquet(dest).height == frame.height
    refused = runner.invoke(app, ["registry", "score", str(tmp_path / "visits.csv"), "--out",
                                  str(dest), "--stream"])
    assert refused.exit_code == 2
    assert "Parquet" in refused.output

"""The compiled pass (eager polars input) gives the Narwhals expression path's results, whatever
the row order, and reads the published tables rather than copies of them (issue 11, sections 2
and 7). SYNTHETIC visits only."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from myositis.analytics import score_visits
from myositis.analytics.response import RESULTS, score_eager, score_expressions
from myositis.analytics.response_kernel import MEASURE_ORDER, block_bounds, tables
from myositis.domain.instruments.response_2016 import POINTS, THRESHOLDS

from .test_response_parity import _follow, _visit


def _registry(patients: int, seed: int, same_dates: bool = True) -> pl.DataFrame:
    """One to five visits a patient, incomplete ones and (unless ``same_dates`` is false) two
    visits on one date included."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for index in range(patients):
        juvenile = rng.random() < 0.3
        visit = _visit(rng, juvenile, rng.choice((80, 150)))
        day = dt.date(2024, 1, 1)
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.1:  # incomplete
                visit = dict(visit, physician_global=None)
            rows.append({"patient_id": f"SYN-{index:05d}", "visit_date": day,
                         "population": "juvenile" if juvenile else "adult", **visit})
            if rng.random() > 0.1 or not same_dates:  # else the next visit is on the same date
                day += dt.timedelta(days=rng.randint(30, 200))
            visit = _follow(rng, dict(visit))
    return pl.DataFrame(rows, infer_schema_length=None)


@pytest.mark.parametrize("shuffle", [False, True])
def test_the_compiled_pass_equals_the_expression_path(shuffle: bool) -> None:
    frame = _registry(2000, 5)
    if shuffle:
        frame = frame.sample(fraction=1.0, shuffle=True, seed=3)
    compiled = score_eager(frame)
    expressions = score_expressions(frame)
    assert compiled.schema == expressions.schema
    assert compiled.columns[:len(frame.columns)] == frame.columns
    for column in RESULTS:
        assert compiled[column].to_list() == expressions[column].to_list(), column
    assert compiled["tis_vs_previous"].drop_nulls().len() > 2000
    assert compiled["worsening_vs_previous"].sum() > 0


def test_score_visits_takes_the_compiled_pass_for_eager_polars_and_keeps_input_order() -> None:
    frame = _registry(300, 9, same_dates=False).sample(fraction=1.0, shuffle=True, seed=1)
    scored = score_visits(frame)
    assert scored["patient_id"].to_list() == frame["patient_id"].to_list()
    assert scored.equals(score_eager(frame))
    # a lazy engine returns rows in its own order
    lazy = score_visits(frame.lazy()).collect().sort("patient_id", "visit_date")
    scored = scored.sort("patient_id", "visit_date")
    for column in RESULTS:
        assert lazy[column].to_list() == scored[column].to_list(), column


def test_an_empty_registry_gets_the_result_columns() -> None:
    empty = _registry(3, 1).clear()
    assert set(RESULTS) <= set(score_eager(empty).columns)


def test_a_null_patient_id_or_date_is_refused() -> None:
    frame = _registry(5, 2)
    broken = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(None)
                                .otherwise(pl.col("patient_id")).alias("patient_id"))
    with pytest.raises(ValueError, match="must not be null"):
        score_eager(broken)


def test_the_kernel_reads_the_published_tables() -> None:
    """One source of truth: the arrays the kernel is given are the scalar module's table."""
    edges, points, thresholds, _ = tables()
    for row, measure in enumerate(MEASURE_ORDER):
        published_edges, published_points = POINTS[measure]  # type: ignore[index]
        assert list(edges[row][:len(published_edges)]) == [float(e) for e in published_edges]
        assert list(points[row][:len(published_points)]) == [float(p) for p in published_points]
    assert list(thresholds[0]) == [float(t) for t in THRESHOLDS["adult"]]
    assert list(thresholds[1]) == [float(t) for t in THRESHOLDS["juvenile"]]


def test_blocks_cut_only_where_a_patient_starts() -> None:
    import numpy as np

    starts = np.array([True, False, False, True, False, True, True, False, False, False])
    bounds = block_bounds(starts, 4)
    assert bounds[0] == 0 and bounds[-1] == len(starts)
    assert all(starts[b] for b in bounds[:-1])

"""Scoring a visits table larger than memory, batch by batch, from Parquet to Parquet.

Why a separate path: a registry of a hundred million visits does not fit in memory as one
frame. The visits are read in slices of whole row groups, checked and scored with the compiled
pass (:func:`myositis.analytics.response.score_eager`), and each scored batch is written to its
own part file; the parts are then joined into the output by polars' streaming sink. Peak memory
is set by the batch size, not by the table.

Streaming needs the table sorted by patient and date, as registry exports are, because a
patient's baseline may lie many batches back: the patient whose visits reach the end of a batch
is carried into the next one (so every patient is scored whole), and the first and last patient
of each batch are compared with the batch before. Unsorted input is refused with the reason;
`registry score` without ``--stream`` sorts in memory. As with every registry output, nothing is
written partially: the output appears only when every batch is scored.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from myositis.analytics.registry_io import SCHEMA, RowProblem, check_visits
from myositis.analytics.response import score_eager
from myositis.errors import InputError

BATCH_ROWS = 2_000_000
UNSORTED = ("patient_id", "streaming needs the table sorted by patient_id and then visit_date "
            "(sort it, or score it without --stream, which sorts in memory)")


@dataclass
class Streamed:
    """What a streamed scoring did: visits read and scored, and the rows left out."""

    visits: int = 0
    scored: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _sorted(frame: pl.DataFrame) -> bool:
    """Sorted by patient, and by date within each patient."""
    if frame.height < 2:
        return True
    same = pl.col("patient_id") == pl.col("patient_id").shift(1)
    return bool(frame.select(
        ((pl.col("patient_id") > pl.col("patient_id").shift(1))
         | (same & (pl.col("visit_date") >= pl.col("visit_date").shift(1)))).slice(1).all()
    ).item())


def score_parquet_stream(source: Path, dest: Path, batch_rows: int = BATCH_ROWS,
                         progress: Callable[[int, int], None] | None = None) -> Streamed:
    """Scores the visits Parquet file ``source`` into the Parquet file ``dest`` in batches of
    about ``batch_rows`` visits; ``progress(done, total)`` is called after each batch."""
    if not source.exists():
        raise InputError([("input", f"no such file: {source}")])
    scan = pl.scan_parquet(source)
    missing = [c for c in SCHEMA if c not in scan.collect_schema().names()]
    if missing:
        raise InputError([(c, "missing column") for c in missing])
    total = int(scan.select(pl.len()).collect().item())
    result = Streamed(visits=total)
    parts = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=dest.parent))
    try:
        carried = pl.DataFrame(schema=SCHEMA)
        last: tuple[str, dt.date] | None = None  # (patient, date) ending the previous batch
        for index, offset in enumerate(range(0, total, batch_rows)):
            raw = scan.slice(offset, batch_rows).select(list(SCHEMA)).collect()
            loaded = check_visits(raw, first_row=offset + 1)
            result.problems += loaded.problems
            batch = loaded.frame
            if batch.height:
                first = (batch["patient_id"][0], batch["visit_date"][0])
                if not _sorted(batch) or (last is not None and first < last):
                    raise InputError([UNSORTED])
                last = (batch["patient_id"][-1], batch["visit_date"][-1])
            frame = pl.concat([carried, batch]) if carried.height else batch
            if offset + batch_rows < total and frame.height:
                # the patient at the end of the batch may go on in the next one
                tail = frame["patient_id"][-1]
                carried = frame.filter(pl.col("patient_id") == tail)
                frame = frame.filter(pl.col("patient_id") != tail)
            else:
                carried = carried.clear()
            if frame.height:
                score_eager(frame).write_parquet(parts / f"part-{index:06d}.parquet")
                result.scored += frame.height
            if progress is not None:
                progress(min(offset + batch_rows, total), total)
        if result.scored:
            pl.scan_parquet(parts / "part-*.parquet").sink_parquet(parts / "all.parquet")
        else:
            score_eager(pl.DataFrame(schema=SCHEMA)).write_parquet(parts / "all.parquet")
        (parts / "all.parquet").replace(dest)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    result.problems.sort(key=lambda p: (p.row, p.field))
    return result


__all__ = ["BATCH_ROWS", "Streamed", "score_parquet_stream"]

"""The 2016 ACR/EULAR total improvement score of every visit, vectorised.

One source of truth: the point bands, edges and thresholds are read from
:mod:`myositis.domain.instruments.response_2016`, the module the scalar calculator uses, so a
correction to the published table is made once. The definitions are the scalar module's: percent
change of each bounded measure as a share of its scale's range (VAS / 10 cm, MMT-8 / its maximum,
CMAS / 52, HAQ or CHAQ / 3) and the relative change of the most abnormal baseline enzyme (highest
multiple of its ULN; ties in the order CK, aldolase, LDH, AST, ALT), improvement positive.

The scalar code is exact (rationals); here each percent change is rounded to 9 decimals before
the band edges are applied, which gives the same band for inputs with the precision registries
record (a float error is ~1e-13; a true value near an edge differs from it by far more than
1e-9 for values below a million with a few decimals). The parity test in
``tests/analytics/test_response_parity.py`` runs 100,000 random records, band edges included,
through both and requires identical categories and scores.

The 2004 IMACS definition of improvement is computed alongside, with the thresholds of
:mod:`myositis.domain.instruments.imacs_doi_2004` and its relative percent change (the same
parity test compares it with the scalar ``definition_of_improvement``).

A visit's baseline is the patient's first visit with a complete core set; "previous" is the
preceding complete visit. Incomplete visits get no score (null), as in the scalar series.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import polars as pl

from myositis.domain.criteria.imacs_worsening import CSM_COUNT, CSM_PCT, MMT_PCT, VAS_CM
from myositis.domain.instruments.imacs_doi_2004 import (
    IMPROVED_AT,
    MAX_WORSE,
    MIN_IMPROVED,
    WORSE_AT,
)
from myositis.domain.instruments.response_2016 import POINTS, THRESHOLDS, Measure
from myositis.domain.labs import Enzyme

ENZYMES = tuple(e.value for e in Enzyme)  # tie order of the scalar most_abnormal()
VISIT_COLUMNS: dict[str, str] = {
    "patient_id": "string", "visit_date": "date", "population": "adult | juvenile",
    "physician_global": "VAS cm 0-10", "patient_global": "VAS cm 0-10",
    "extramuscular_global": "VAS cm 0-10", "mmt8": "0-80 or 0-150", "mmt_max": "80 or 150",
    "cmas": "0-52", "haq": "0-3", "chaq": "0-3",
    **{c: "U/L" for e in ENZYMES for c in (e, f"{e}_uln")},
}
DECIMALS = 9
MEASURE_COLUMNS = {  # points measure -> percent-change column
    "physician_global": "pct_physician_global", "patient_global": "pct_patient_global",
    "extramuscular": "pct_extramuscular", "muscle_strength": "pct_muscle_strength",
    "physical_function": "pct_physical_function", "muscle_enzyme": "pct_muscle_enzyme",
}


def _points(measure: Measure, pct: nw.Expr) -> nw.Expr:
    """Band lookup of one measure from the shared table (inclusive upper edges)."""
    edges, points = POINTS[measure]
    expr = nw.lit(float(points[-1]))
    for edge, value in reversed(list(zip(edges, points, strict=False))):
        expr = nw.when(pct <= edge).then(nw.lit(float(value))).otherwise(expr)
    return nw.when(pct.is_null()).then(nw.lit(None, dtype=nw.Float64)).otherwise(expr)


def _complete() -> nw.Expr:
    has_strength = ~nw.col("mmt8").is_null() | ~nw.col("cmas").is_null()
    has_function = ~nw.col("haq").is_null() | ~nw.col("chaq").is_null()
    has_enzyme = nw.any_horizontal(*[~nw.col(e).is_null() & ~nw.col(f"{e}_uln").is_null()
                                     for e in ENZYMES], ignore_nulls=True)
    return (~nw.col("physician_global").is_null() & ~nw.col("patient_global").is_null()
            & ~nw.col("extramuscular_global").is_null() & has_strength & has_function
            & has_enzyme)


def _most_abnormal(frame: nw.LazyFrame[Any], prefix: str) -> nw.LazyFrame[Any]:
    """Adds ``_enzyme``: the reference visit's enzyme with the highest multiple of its ULN; the
    earlier enzyme in the scalar order wins a tie (the first equal to the maximum)."""
    ratios = [(nw.col(f"{prefix}{e}") / nw.col(f"{prefix}{e}_uln")).round(DECIMALS).alias(f"_r_{e}")
              for e in ENZYMES]
    frame = frame.with_columns(*ratios)
    frame = frame.with_columns(nw.max_horizontal(*[f"_r_{e}" for e in ENZYMES]).alias("_r_max"))
    name: nw.Expr = nw.lit(None, dtype=nw.String)
    for enzyme in reversed(ENZYMES):
        name = nw.when(nw.col(f"_r_{enzyme}") == nw.col("_r_max")).then(
            nw.lit(enzyme)).otherwise(name)
    return frame.with_columns(name.alias("_enzyme")).drop(
        *[f"_r_{e}" for e in ENZYMES], "_r_max")


def _relative(base: nw.Expr, follow: nw.Expr, higher_is_better: bool) -> nw.Expr:
    """Percent change relative to the reference, improvement positive, as the scalar DOI forms
    it: from a zero reference, unchanged is 0 and any change is +-100."""
    delta = follow - base if higher_is_better else base - follow
    from_zero = nw.when(delta == 0).then(nw.lit(0.0)).otherwise(
        nw.when(delta > 0).then(nw.lit(100.0)).otherwise(nw.lit(-100.0)))
    return nw.when(base == 0).then(from_zero).otherwise(delta / base * 100).round(DECIMALS)


def _doi(b: Callable[[str], nw.Expr], f: Callable[[str], nw.Expr], base_enzyme: nw.Expr,
         follow_enzyme: nw.Expr) -> nw.Expr:
    """The 2004 IMACS definition of improvement against the reference visit, with the scalar
    module's thresholds: at least 3 of 6 measures improved by >= 20 %, at most 2 worse by
    >= 25 %, and muscle strength not among the worse. As in the scalar code, CMAS (and CHAQ)
    is the measure when it is given at both visits, else MMT-8 (HAQ)."""
    def both(name: str) -> nw.Expr:
        return ~b(name).is_null() & ~f(name).is_null()

    strength = nw.when(both("cmas")).then(_relative(b("cmas"), f("cmas"), True)).otherwise(
        nw.when(both("mmt8")).then(_relative(b("mmt8"), f("mmt8"), True)))
    function = nw.when(both("chaq")).then(_relative(b("chaq"), f("chaq"), False)).otherwise(
        nw.when(both("haq")).then(_relative(b("haq"), f("haq"), False)))
    changes = [_relative(b(n), f(n), False) for n in
               ("physician_global", "patient_global", "extramuscular_global")]
    changes += [strength, function, _relative(base_enzyme, follow_enzyme, False)]
    improved = functools.reduce(operator.add, [
        nw.when(c >= float(IMPROVED_AT)).then(nw.lit(1)).otherwise(nw.lit(0)) for c in changes])
    worse = functools.reduce(operator.add, [
        nw.when(c <= -float(WORSE_AT)).then(nw.lit(1)).otherwise(nw.lit(0)) for c in changes])
    met = ((improved >= MIN_IMPROVED) & (worse <= MAX_WORSE)
           & ~(strength <= -float(WORSE_AT)))
    known = functools.reduce(operator.and_, [~c.is_null() for c in changes])
    return nw.when(known).then(
        nw.when(met).then(nw.lit("improved")).otherwise(nw.lit("not_improved"))).otherwise(
        nw.lit(None, dtype=nw.String))


def _worse_pct(before: nw.Expr, after: nw.Expr, higher_is_better: bool) -> nw.Expr:
    """Worsening in percent of the earlier value, as the scalar IMACS 2005 code forms it (in
    floating point, the same operations in the same order)."""
    delta = before - after if higher_is_better else after - before
    from_zero = nw.when(delta == 0).then(nw.lit(0.0)).otherwise(
        nw.when(delta > 0).then(nw.lit(100.0)).otherwise(nw.lit(-100.0)))
    return nw.when(before == 0).then(from_zero).otherwise(delta / before * 100)


def _max_ratio(col: Callable[[str], nw.Expr]) -> nw.Expr:
    """The most abnormal enzyme of a visit as a multiple of its ULN (all enzymes, as
    published)."""
    return nw.max_horizontal(*[col(e) / col(f"{e}_uln") for e in ENZYMES])


def _worsening(b: Callable[[str], nw.Expr], f: Callable[[str], nw.Expr]) -> nw.Expr:
    """The IMACS 2005 worsening definition against the reference visit, with the scalar
    module's thresholds (clause A: physician global +2 cm and MMT 20 % worse; B: extramuscular
    global +2 cm; C: 3 of 6 measures 30 % worse). MMT-8 is read before CMAS and HAQ before
    CHAQ at each visit, as the state module does."""
    def mmt(col: Callable[[str], nw.Expr]) -> nw.Expr:
        return nw.when(~col("mmt8").is_null()).then(col("mmt8")).otherwise(col("cmas"))

    def haq(col: Callable[[str], nw.Expr]) -> nw.Expr:
        return nw.when(~col("haq").is_null()).then(col("haq")).otherwise(col("chaq"))

    pga = f("physician_global") - b("physician_global")
    mmt_pct = _worse_pct(mmt(b), mmt(f), True)
    a = (pga >= VAS_CM) & (mmt_pct >= MMT_PCT)
    clause_b = f("extramuscular_global") - b("extramuscular_global") >= VAS_CM
    worse = [_worse_pct(b(n), f(n), False) for n in
             ("physician_global", "patient_global", "extramuscular_global")]
    worse += [mmt_pct, _worse_pct(haq(b), haq(f), False),
              _worse_pct(_max_ratio(b), _max_ratio(f), False)]
    count = functools.reduce(operator.add, [
        nw.when(w >= CSM_PCT).then(nw.lit(1)).otherwise(nw.lit(0)) for w in worse])
    return (a | clause_b | (count >= CSM_COUNT)).fill_null(False)


def _pair_scores(frame: nw.LazyFrame[Any], prefix: str, suffix: str) -> nw.LazyFrame[Any]:
    """TIS of each row against the reference columns named ``{prefix}{column}``."""
    def b(column: str) -> nw.Expr:
        """The reference visit's value (baseline or previous)."""
        return nw.col(f"{prefix}{column}")

    def f(column: str) -> nw.Expr:
        return nw.col(column)

    frame = _most_abnormal(frame, prefix)
    base_enzyme = nw.lit(None, dtype=nw.Float64)
    follow_enzyme = nw.lit(None, dtype=nw.Float64)
    for name in ENZYMES:
        base_enzyme = nw.when(nw.col("_enzyme") == name).then(b(name)).otherwise(base_enzyme)
        follow_enzyme = nw.when(nw.col("_enzyme") == name).then(f(name)).otherwise(follow_enzyme)
    strength = (
        nw.when(~b("mmt8").is_null() & ~f("mmt8").is_null()
                & (b("mmt_max") == f("mmt_max")))
        .then((f("mmt8") - b("mmt8")) / f("mmt_max") * 100)
        .otherwise(nw.when(~b("cmas").is_null() & ~f("cmas").is_null()
                           & b("mmt8").is_null() & f("mmt8").is_null())
                   .then((f("cmas") - b("cmas")) / 52 * 100)))
    function = (
        nw.when(~b("haq").is_null() & ~f("haq").is_null())
        .then((b("haq") - f("haq")) / 3 * 100)
        .otherwise(nw.when(~b("chaq").is_null() & ~f("chaq").is_null()
                           & b("haq").is_null() & f("haq").is_null())
                   .then((b("chaq") - f("chaq")) / 3 * 100)))
    enzyme_pct = nw.when(base_enzyme == 0).then(nw.lit(0.0)).otherwise(
        (base_enzyme - follow_enzyme) / base_enzyme * 100)
    pct = {
        "pct_physician_global": (b("physician_global") - f("physician_global")) * 10,
        "pct_patient_global": (b("patient_global") - f("patient_global")) * 10,
        "pct_extramuscular": (b("extramuscular_global") - f("extramuscular_global")) * 10,
        "pct_muscle_strength": strength,
        "pct_physical_function": function,
        "pct_muscle_enzyme": enzyme_pct,
    }
    frame = frame.with_columns(*[expr.round(DECIMALS).alias(name) for name, expr in pct.items()],
                               _doi(b, f, base_enzyme, follow_enzyme).alias(f"doi_{suffix}"),
                               _worsening(b, f).alias(f"worsening_{suffix}"))
    points = [_points(measure, nw.col(column)).alias(f"pts_{measure}")  # type: ignore[arg-type]
              for measure, column in MEASURE_COLUMNS.items()]
    frame = frame.with_columns(*points)
    # "+" keeps a missing measure missing (sum_horizontal would count it as 0)
    total = functools.reduce(operator.add, [nw.col(f"pts_{m}") for m in MEASURE_COLUMNS])
    frame = frame.with_columns(total.alias(f"tis_{suffix}"))
    category = nw.lit("none")
    for level, index in (("minimal", 0), ("moderate", 1), ("major", 2)):
        threshold = nw.when(nw.col("population") == "juvenile").then(
            nw.lit(THRESHOLDS["juvenile"][index])).otherwise(nw.lit(THRESHOLDS["adult"][index]))
        category = nw.when(nw.col(f"tis_{suffix}") >= threshold).then(nw.lit(level)).otherwise(
            category)
    frame = frame.with_columns(
        nw.when(nw.col(f"tis_{suffix}").is_null()).then(nw.lit(None, dtype=nw.String))
        .otherwise(category).alias(f"response_{suffix}"))
    helpers = ["_enzyme", *pct, *[f"pts_{m}" for m in MEASURE_COLUMNS]]
    return frame.drop(helpers)


RESULTS = {"baseline_date": pl.Date, "tis_vs_baseline": pl.Float64,
           "response_vs_baseline": pl.String, "doi_vs_baseline": pl.String,
           "tis_vs_previous": pl.Float64, "response_vs_previous": pl.String,
           "doi_vs_previous": pl.String, "worsening_vs_previous": pl.Boolean}
_VALUES = ["physician_global", "patient_global", "extramuscular_global", "mmt8", "mmt_max",
           "cmas", "haq", "chaq"]


def _visit_order(frame: pl.DataFrame, starts: np.ndarray[Any, Any]
                 ) -> tuple[np.ndarray[Any, Any] | None, np.ndarray[Any, Any]]:
    """Row order patient by patient, by date (input order breaking ties; None when the rows
    are already in it), and where each patient starts in it. ``starts``: where the patient id
    changes in input order. Input already sorted by patient and date, as registry exports
    usually are, is checked in one pass and not sorted again."""
    ids = frame["patient_id"]
    if ids.is_sorted():
        days = frame["visit_date"].to_physical().to_numpy()
        if bool(np.all((days[1:] >= days[:-1]) | starts[1:])):
            return None, starts
    order = frame.select(pl.arg_sort_by(["patient_id", "visit_date"], maintain_order=True)
                         ).to_series().to_numpy().astype(np.int64)
    ids = ids.gather(order)
    return order, (ids != ids.shift(1)).fill_null(True).to_numpy()


def _float(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A column as Float64 with NaN for null; nulls are filled in polars, at a fraction of
    the cost of to_numpy's own null handling (an all-null CMAS or CHAQ column is common)."""
    expr = pl.col(column) if frame.schema[column] == pl.Float64 else \
        pl.col(column).cast(pl.Float64)
    return expr.fill_null(math.nan) if frame[column].null_count() else expr


def _kernel_inputs(frame: pl.DataFrame, columns: list[str]
                   ) -> tuple[dict[str, np.ndarray[Any, Any]], np.ndarray[Any, Any],
                              np.ndarray[Any, Any]]:
    """The kernel's float columns (NaN for null), whether each visit is juvenile, and where
    the patient id changes, in input order, from one select, so that polars prepares the
    columns in parallel. A float column without nulls is a view of polars' buffer."""
    prepared = frame.select(
        *[_float(frame, c) for c in columns],
        (pl.col("population") == "juvenile").fill_null(False).alias("_juvenile"),
        (pl.col("patient_id") != pl.col("patient_id").shift(1)).fill_null(True)
        .alias("_starts"))
    floats = {c: prepared[c].to_numpy() for c in columns}
    return floats, prepared["_juvenile"].to_numpy(), prepared["_starts"].to_numpy()


def _arrays(floats: dict[str, np.ndarray[Any, Any]], columns: list[str],
            order: np.ndarray[Any, Any] | None) -> tuple[np.ndarray[Any, Any], ...]:
    """Float columns in visit order: input already in that order is not copied; otherwise
    each column is taken in order once, so that the kernel reads memory in sequence. All
    read-only, so that the kernel sees one array type."""
    arrays = []
    for column in columns:
        array = floats[column] if order is None else np.take(floats[column], order)
        array.flags.writeable = False
        arrays.append(array)
    return tuple(arrays)


def score_eager(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`score_visits` on a polars frame in one compiled pass
    (:mod:`myositis.analytics.response_kernel`): sorted by patient and date where the input is
    not, every visit scored against the patient's baseline and previous complete visit, the
    results in the input's order. Null patient ids or dates are refused, as no visit order is
    defined for them."""
    # numba is imported on first use, so that commands that never score a registry start fast
    from myositis.analytics import response_kernel

    if frame.height == 0:
        return frame.with_columns(*[pl.lit(None, dtype=t).alias(c) for c, t in RESULTS.items()])
    nulls = frame.select(pl.col("patient_id").null_count() + pl.col("visit_date").null_count()
                         ).item()
    if nulls:
        raise ValueError("patient_id and visit_date must not be null")
    uln_columns = [f"{e}_uln" for e in ENZYMES]
    floats, juvenile, starts = _kernel_inputs(frame, [*_VALUES, *ENZYMES, *uln_columns])
    taken, starts = _visit_order(frame, starts)
    values = _arrays(floats, _VALUES, taken)
    enzymes = _arrays(floats, list(ENZYMES), taken)
    ulns = _arrays(floats, uln_columns, taken)
    if taken is not None:
        juvenile = juvenile[taken]
    order = np.arange(frame.height, dtype=np.int64) if taken is None else taken
    out_f = np.empty((2, frame.height))
    out_i = np.empty((5, frame.height), dtype=np.uint8)  # codes 0-4: a quarter of the writes
    days = frame["visit_date"].to_physical().to_numpy()
    if taken is not None:
        days = days[taken]
    days.flags.writeable = False  # one array type for the kernel, as in _arrays
    baseline_days = np.empty(frame.height, dtype=np.int32)
    bounds = response_kernel.block_bounds(starts, 64)
    response_kernel.score_runs(bounds, order, starts, values, enzymes, ulns, juvenile,
                               *response_kernel.kernel_tables(), out_f, out_i, days,
                               baseline_days)
    # Dates and flags straight from NumPy with a null mask (no gather in polars); the
    # categories by lookup tables whose last entry is null (the kernel's null code), in one
    # select so that polars runs the lookups in parallel
    no_baseline = baseline_days == response_kernel.NO_DAY
    categories = pl.lit(pl.Series([*response_kernel.CATEGORIES, None], dtype=pl.String))
    doi = pl.lit(pl.Series([*response_kernel.DOI, None], dtype=pl.String))
    codes = pl.DataFrame({f"c{j}": out_i[j] for j in range(4)})
    results = codes.select(
        pl.lit(pl.Series(np.ma.masked_array(baseline_days, no_baseline)).cast(pl.Date))
        .alias("baseline_date"),
        pl.lit(pl.Series(out_f[0], nan_to_null=True)).alias("tis_vs_baseline"),
        categories.gather(pl.col("c0")).alias("response_vs_baseline"),
        doi.gather(pl.col("c2")).alias("doi_vs_baseline"),
        pl.lit(pl.Series(out_f[1], nan_to_null=True)).alias("tis_vs_previous"),
        categories.gather(pl.col("c1")).alias("response_vs_previous"),
        doi.gather(pl.col("c3")).alias("doi_vs_previous"),
        pl.lit(pl.Series(np.ma.masked_array(out_i[4] == 1, out_i[4] == response_kernel.NULL_FLAG)))
        .alias("worsening_vs_previous"))
    return pl.concat([frame, results], how="horizontal")


def score_visits(native: Any) -> Any:
    """Per-visit TIS and response category against the patient's baseline and against the
    previous complete visit. Takes a native frame of any Narwhals back end, eager (polars) or
    lazy (polars, DuckDB, PySpark), and returns the same kind: an eager frame in its input
    order, or a lazy frame to be collected or written by its engine. Adds ``baseline_date``
    (of complete visits), ``tis_vs_baseline``, ``response_vs_baseline``, ``tis_vs_previous``
    and ``response_vs_previous``, and the 2004 IMACS definition of improvement
    (``doi_vs_baseline``, ``doi_vs_previous``: ``improved`` or ``not_improved``).

    An eager polars frame goes through the compiled pass (:func:`score_eager`); a lazy frame
    of any engine through the Narwhals expressions (:func:`score_expressions`: one window
    partitioned by patient numbers each patient's complete visits, and the previous visit and
    the baseline are hash joins on (patient, number)). Tests hold the two to the same results.
    Visits of one patient on the same date are taken in input order (eager input) or in an
    order the engine chooses (lazy input)."""
    frame = nw.from_native(native)
    missing = [c for c in VISIT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    if isinstance(native, pl.DataFrame):  # one machine: the compiled pass
        return score_eager(native)
    return score_expressions(native)


def score_expressions(native: Any) -> Any:
    """:func:`score_visits` written once over Narwhals expressions, for every engine (the
    lazy engines use it; eager polars input uses the compiled pass, with the same results)."""
    frame = nw.from_native(native)
    eager = isinstance(frame, nw.DataFrame)
    if isinstance(frame, nw.DataFrame):  # input order is kept, and breaks ties of date
        lazy = frame.with_row_index("_row").lazy()
        order = ["visit_date", "_row"]
    else:
        lazy, order = frame, ["visit_date"]
    reference = [c for c in VISIT_COLUMNS if c not in ("patient_id", "visit_date", "population")]
    # Ordered windows per patient number every visit (``_n``, the row's key) and every
    # complete visit (``_seq``); the previous visit and the baseline are then hash joins on
    # (patient, number), which polars and Spark both do well, with no global row number.
    lazy = lazy.with_columns(_complete().alias("_complete")).with_columns(
        nw.col("_complete").cast(nw.Int64).cum_sum().over("patient_id", order_by=order)
        .alias("_seq"),
        nw.col("_complete").cum_count().over("patient_id", order_by=order).alias("_n"))
    complete = lazy.filter(nw.col("_complete"))
    prior = complete.select("patient_id", (nw.col("_seq") + 1).alias("_seq"),
                            *[nw.col(c).alias(f"p_{c}") for c in reference])
    baseline = complete.filter(nw.col("_seq") == 1).select(
        "patient_id", nw.col("visit_date").alias("baseline_date"),
        *[nw.col(c).alias(f"b_{c}") for c in reference])
    complete = (complete.join(prior, on=["patient_id", "_seq"], how="left")
                .join(baseline, on="patient_id", how="left"))
    complete = _pair_scores(complete, "b_", "vs_baseline")
    complete = _pair_scores(complete, "p_", "vs_previous")
    complete = complete.with_columns(*[  # the baseline visit is not scored against itself
        nw.when(nw.col("_seq") == 1).then(nw.lit(None, dtype=dtype)).otherwise(nw.col(c))
        .alias(c)
        for c, dtype in (("tis_vs_baseline", nw.Float64), ("response_vs_baseline", nw.String),
                         ("doi_vs_baseline", nw.String))])
    # the first complete visit has no previous one: no worsening against it
    complete = complete.with_columns(
        nw.when(nw.col("_seq") == 1).then(nw.lit(None, dtype=nw.Boolean))
        .otherwise(nw.col("worsening_vs_previous")).alias("worsening_vs_previous"))
    results = ["baseline_date", "tis_vs_baseline", "response_vs_baseline", "doi_vs_baseline",
               "tis_vs_previous", "response_vs_previous", "doi_vs_previous",
               "worsening_vs_previous"]
    out = lazy.join(complete.select("patient_id", "_n", *results), on=["patient_id", "_n"],
                    how="left").drop("_complete", "_seq", "_n")
    if eager:
        out = out.sort("_row").drop("_row")
    return nw.to_native(out.collect() if eager else out)


__all__ = ["RESULTS", "VISIT_COLUMNS", "score_eager", "score_expressions", "score_visits"]

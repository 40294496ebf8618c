"""`myositis registry score`: per-visit scores of a whole registry table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from jinja2 import Environment, PackageLoader, Template, select_autoescape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from myositis.analytics import score_visits
from myositis.analytics.cohort import HORIZONS, MIN_CELL, WINDOW_DAYS, cohort_report, read_patients
from myositis.analytics.registry_io import read_visits
from myositis.analytics.time_to_response import KM_HORIZONS, time_to_response
from myositis.cli.io import user_errors
from myositis.cli.render import console

if TYPE_CHECKING:
    import polars as pl

MinCell = Annotated[int, typer.Option("--min-cell", min=2, max=100,
                                      help="smallest count shown")]
"""Every registry output suppresses counts under this number (one option, one range)."""

registry_app = typer.Typer(help="Registry analytics over whole tables (research use).",
                           no_args_is_help=True)


def _spinner() -> Progress:
    """A transient spinner for a long step, as every registry command shows one."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=console, transient=True)


def _report_template(name: str) -> Template:
    """A template of the report package (cohort and prediction pages)."""
    env = Environment(loader=PackageLoader("myositis.reports", "templates"),
                      autoescape=select_autoescape())
    return env.get_template(name)


@registry_app.command("score")
def score_command(
    path: Annotated[Path, typer.Argument(help="visits table, CSV or Parquet (see README)")],
    out: Annotated[Path, typer.Option("--out", help="scores to write, .parquet or .csv")],
    engine: Annotated[str, typer.Option(
        "--engine", help="polars (this machine) or spark (MYOSITIS_SPARK_MASTER or "
        "MYOSITIS_SPARK_REMOTE; writes a Parquet directory)")] = "polars",
    stream: Annotated[bool, typer.Option(
        "--stream", help="Parquet in and out, in batches, for a table larger than memory; "
        "needs it sorted by patient_id and visit_date")] = False,
    batch_rows: Annotated[int, typer.Option(
        "--batch-rows", min=10_000, max=100_000_000,
        help="visits a batch with --stream")] = 2_000_000,
) -> None:
    """TIS and response category of every visit against baseline and the previous visit."""
    if engine not in ("polars", "spark"):
        console.print(f"[red]Cannot score:[/] --engine: polars or spark, not {engine!r}")
        raise typer.Exit(2)
    if engine == "spark":
        _score_on_spark(path, out)
        return
    if stream:
        _score_streaming(path, out, batch_rows)
        return
    with user_errors(title="Cannot score"):
        with _spinner() as progress:
            task = progress.add_task("reading and checking", total=None)
            loaded = read_visits(path)
            progress.update(task, description=f"scoring {loaded.frame.height:,} visits")
            scored = score_visits(loaded.frame)
        tmp = out.with_name(out.name + ".partial")  # nothing is written partially
        if out.suffix == ".csv":
            scored.write_csv(tmp)
        else:
            scored.write_parquet(tmp)
        tmp.replace(out)
    console.print(f"{scored.height:,} visits scored into {out}; "
                  f"{len({p.row for p in loaded.problems})} rows left out")
    _print_problems([f"[yellow]{path.name}[/] row {p.row}, {p.field}: {p.reason}"
                     for p in loaded.problems])


def _score_streaming(path: Path, out: Path, batch_rows: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn

    from myositis.analytics.streaming import score_parquet_stream

    if path.suffix != ".parquet" or out.suffix != ".parquet":
        console.print("[red]Cannot score:[/] --stream reads and writes Parquet (.parquet)")
        raise typer.Exit(2)
    with user_errors(title="Cannot score"), Progress(
            TextColumn("scoring visits"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("scoring", total=None)
        result = score_parquet_stream(
            path, out, batch_rows,
            progress=lambda done, total: progress.update(task, completed=done, total=total))
    console.print(f"{result.scored:,} visits scored into {out}; "
                  f"{len({p.row for p in result.problems})} rows left out")
    _print_problems([f"[yellow]{path.name}[/] row {p.row}, {p.field}: {p.reason}"
                     for p in result.problems])


def _print_problems(lines: list[str], shown: int = 20) -> None:
    """The first bad values, one a line, and how many more there are."""
    for line in lines[:shown]:
        console.print(f"  {line}")
    if len(lines) > shown:
        console.print(f"  ... and {len(lines) - shown} more")


def _score_on_spark(path: Path, out: Path) -> None:
    from myositis.analytics.spark import score_with_spark
    from myositis.settings import get_settings

    with user_errors(title="Cannot score"), _spinner() as progress:
        progress.add_task("reading, checking and scoring on Spark", total=None)
        written, loaded = score_with_spark(get_settings(), str(path), str(out))
    console.print(f"{written:,} visits scored into {out} (Parquet, written by Spark); "
                  f"{loaded.rows_left_out:,} rows left out")
    for example in loaded.examples:
        console.print(f"  [yellow]{path.name}[/] patient {example['patient_id']}, visit "
                      f"{example['visit_date']}: {', '.join(example['fields'])}")


@registry_app.command("classify")
def classify_command(
    path: Annotated[Path, typer.Argument(help="criteria table, CSV or Parquet (see README)")],
    out: Annotated[Path, typer.Option("--out", help="classified table, .parquet or .csv")],
) -> None:
    """2017 EULAR/ACR score, probability, category and subgroup of every patient."""
    from myositis.analytics.classification import classify_table, read_criteria

    with user_errors(title="Cannot classify"):
        with _spinner() as progress:
            progress.add_task("reading, checking and classifying", total=None)
            classified = classify_table(read_criteria(path))
        tmp = out.with_name(out.name + ".partial")
        if out.suffix == ".csv":
            classified.write_csv(tmp)
        else:
            classified.write_parquet(tmp)
        tmp.replace(out)
    console.print(f"{classified.height:,} patients classified into {out}")


@registry_app.command("report")
def report_command(
    path: Annotated[Path, typer.Argument(help="visits table, CSV or Parquet (see README)")],
    patients: Annotated[Path, typer.Option("--patients", help="patients table (patient_id, "
                                           "sex, subgroup, antibodies, age_at_onset)")],
    out: Annotated[Path, typer.Option("--out", help="report to write: .html, .csv or .json")],
    min_cell: MinCell = MIN_CELL,
    treatments: Annotated[Path | None, typer.Option(
        "--treatments", help="treatments table (patient_id, therapy, start, stop, dose_mg_day):"
        " adds glucocorticoid exposure to the JSON and HTML reports")] = None,
) -> None:
    """Cohort summary by sex, subgroup, age band and antibody with response at 6 and 12
    months, and glucocorticoid exposure when a treatments table is given; every count under
    --min-cell is suppressed, and no suppressed cell can be recovered from a total."""
    import json

    import polars as pl
    with user_errors(title="Cannot report"):
        with _spinner() as progress:
            task = progress.add_task("reading and scoring", total=None)
            loaded = read_visits(path)
            scored = score_visits(loaded.frame)
            progress.update(task, description="summarising with small-cell suppression")
            people = read_patients(str(patients))
            report = cohort_report(scored, people, min_cell=min_cell)
            progress.update(task, description="time to response (Kaplan-Meier)")
            km = time_to_response(scored, people, min_cell=min_cell)
            gc_records = _glucocorticoid_records(treatments, loaded.frame, people, min_cell)
            from myositis.analytics.flares import flare_rates
            flare_records = [r.record() for r in flare_rates(scored, people, min_cell)]
        records = report.records()
        km_records = [{"group": r.group, "median_months": r.median_months,
                       **{f"responded_by_{h}m": r.responded.get(h) for h in KM_HORIZONS},
                       **{f"ci_{h}m": list(ci) if (ci := r.ci.get(h)) else None
                          for h in KM_HORIZONS}} for r in km]
        tmp = out.with_name(out.name + ".partial")
        if out.suffix == ".csv":
            pl.DataFrame(records).write_csv(tmp)
        elif out.suffix == ".json":
            tmp.write_text(json.dumps({"min_cell": min_cell,
                                       "total_patients": report.total_patients,
                                       "rows": records,
                                       "time_to_response": km_records,
                                       "glucocorticoids": gc_records,
                                       "flare_rates": flare_records}, indent=2))
        else:
            dimensions: dict[str, list[dict[str, object]]] = {}
            for record in records:
                dimensions.setdefault(str(record["dimension"]), []).append(record)
            tmp.write_text(_report_template("cohort.html").render(
                report=report, groups=list(dimensions.items()), horizons=HORIZONS,
                window=WINDOW_DAYS, km=km_records, km_horizons=KM_HORIZONS, gc=gc_records,
                flares=flare_records))
        tmp.replace(out)
    console.print(f"cohort report of {report.total_patients or f'<{min_cell}'} patients "
                  f"written to {out} (counts under {min_cell} suppressed)")


def _glucocorticoid_records(path: Path | None, visits: pl.DataFrame, people: pl.DataFrame,
                            min_cell: int) -> list[dict[str, object]] | None:
    if path is None:
        return None
    from myositis.analytics.glucocorticoids import glucocorticoid_summary, read_treatments
    from myositis.knowledge import load

    rows = glucocorticoid_summary(visits, read_treatments(path, set(load().therapies)), people,
                                  min_cell)
    return [r.record() for r in rows]


@registry_app.command("predict")
def predict_command(
    path: Annotated[Path, typer.Argument(help="visits table, CSV or Parquet (see README)")],
    patients: Annotated[Path, typer.Option("--patients", help="patients table (patient_id, "
                                           "sex, subgroup, antibodies, age_at_onset; optional "
                                           "ild, first_treatment, site)")],
    out: Annotated[Path, typer.Option("--out", help="validation and model card: .json or "
                                      ".html")],
    min_cell: MinCell = MIN_CELL,
    permutations: Annotated[int, typer.Option("--permutations", min=10, max=10_000,
                                              help="shuffled-outcome refits for the "
                                              "permutation test")] = 200,
) -> None:
    """Response at 6 months from baseline features (research use only): regularised logistic
    regression and gradient boosting, validated out of fold (grouped by site or patient), with
    the AUC's 95 % interval, a permutation test, calibration and a model card."""
    import json

    from myositis.analytics.prediction import validate

    with user_errors(title="Cannot validate"):
        with _spinner() as progress:
            task = progress.add_task("reading and scoring", total=None)
            loaded = read_visits(path)
            scored = score_visits(loaded.frame)
            people = read_patients(str(patients))
            progress.update(task, description=f"cross-validating two models and {permutations} "
                                              "permutations")
            result = validate(scored, people, min_cell=min_cell, permutations=permutations)
        tmp = out.with_name(out.name + ".partial")
        if out.suffix == ".json":
            tmp.write_text(json.dumps(result.records(), indent=2))
        else:
            tmp.write_text(_report_template("prediction.html").render(v=result))
        tmp.replace(out)
    console.print(f"{result.patients} patients; AUC logistic {result.auc['logistic_l1']:.3f} "
                  f"(95 % CI {result.auc_ci['logistic_l1'][0]:.3f}-"
                  f"{result.auc_ci['logistic_l1'][1]:.3f}), gradient boosting "
                  f"{result.auc['gradient_boosting']:.3f}; permutation p "
                  f"{result.permutation_p:g}; written to {out} (research use only)")


def _write_tables(out_dir: Path, tables: dict[str, pl.DataFrame]) -> None:
    """Each table as CSV under a temporary name, then all renamed: no partial import is left."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    for name, frame in tables.items():
        final = out_dir / f"{name}.csv"
        tmp = final.with_name(final.name + ".partial")
        frame.write_csv(tmp)
        staged.append((tmp, final))
    for tmp, final in staged:
        tmp.replace(final)


@registry_app.command("import-redcap")
def import_redcap_command(
    dictionary: Annotated[Path, typer.Argument(help="the project's data dictionary (CSV)")],
    records: Annotated[Path, typer.Argument(help="records export, raw codes (CSV)")],
    mapping: Annotated[Path, typer.Option("--mapping", help="YAML mapping of REDCap fields to "
                                          "registry columns (docs/examples/redcap)")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="directory for visits.csv and "
                                          "patients.csv")],
) -> None:
    """A REDCap project as the registry's visits and patients tables, through a mapping that is
    checked against the data dictionary first (every problem named at once)."""
    from myositis.analytics.redcap import import_redcap

    with user_errors(title="Cannot import"):
        with _spinner() as progress:
            progress.add_task("checking the mapping and reading the records", total=None)
            result = import_redcap(dictionary, records, mapping)
        tables = {"visits": result.visits}
        if result.patients.width:
            tables["patients"] = result.patients
        _write_tables(out_dir, tables)
    left_out = len({(p.record, p.instance) for p in result.problems})
    console.print(f"{result.visits.height:,} visits of {result.visits['patient_id'].n_unique():,}"
                  f" records written to {out_dir}; {left_out} visits left out")
    _print_problems([f"[yellow]record {p.record}[/], instance {p.instance}, {p.field}: "
                     f"{p.reason}" for p in result.problems])


@registry_app.command("import-omop")
def import_omop_command(
    cdm: Annotated[Path, typer.Argument(help="directory of OMOP CDM 5.4 tables (CSV or "
                                        "Parquet): person, observation_period, "
                                        "condition_occurrence, drug_exposure, measurement, "
                                        "concept, concept_ancestor")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="directory for patients.csv, "
                                          "visits.csv and treatments.csv")],
    min_cell: MinCell = MIN_CELL,
) -> None:
    """Adult dermatomyositis found by the OHDSI Myositis Network Study phenotype (ATLAS
    1787425), with its muscle enzymes by LOINC and its immunosuppressants, as registry tables."""
    from myositis.analytics.omop import import_omop, phenotype

    with user_errors(title="Cannot import"):
        with _spinner() as progress:
            progress.add_task("finding the cohort", total=None)
            result = import_omop(cdm)
        _write_tables(out_dir, {"patients": result.patients, "visits": result.visits,
                                "treatments": result.treatments})
    console.print(f"Phenotype: {phenotype()['cohort']['name']} (ATLAS "
                  f"{phenotype()['cohort']['atlas_id']}); case-finding, not validated diagnoses")
    for step, count in result.attrition:
        shown = f"{count:,}" if count >= min_cell or count == 0 else f"<{min_cell}"
        console.print(f"  {step}: {shown}")
    for deviation in result.deviations:
        console.print(f"  [yellow]not as defined:[/] {deviation}")
    if result.unit_problems:
        console.print(f"  [yellow]{result.unit_problems:,} enzyme results left out:[/] unit "
                      "not U/L or katal")
    console.print(f"written to {out_dir}: patients.csv, visits.csv, treatments.csv")

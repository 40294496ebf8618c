"""`myositis registry score`: per-visit scores of a whole registry table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from myositis.analytics import score_visits
from myositis.analytics.registry_io import read_visits
from myositis.cli.io import user_errors
from myositis.cli.render import console

registry_app = typer.Typer(help="Registry analytics over whole tables (research use).",
                           no_args_is_help=True)


@registry_app.command("score")
def score_command(
    path: Annotated[Path, typer.Argument(help="visits table, CSV or Parquet (see README)")],
    out: Annotated[Path, typer.Option("--out", help="scores to write, .parquet or .csv")],
) -> None:
    """TIS and response category of every visit against baseline and the previous visit."""
    with user_errors(title="Cannot score"):
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
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
    for problem in loaded.problems[:20]:
        console.print(f"  [yellow]{path.name}[/] row {problem.row}, {problem.field}: "
                      f"{problem.reason}")
    if len(loaded.problems) > 20:
        console.print(f"  ... and {len(loaded.problems) - 20} more")

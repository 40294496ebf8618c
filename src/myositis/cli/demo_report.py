"""Terminal report of the synthetic demo cases."""

from __future__ import annotations

from rich.panel import Panel
from rich.table import Table

from myositis.cli.render import DISCLAIMER, console
from myositis.services.demo import CaseReport


def print_demo(reports: list[CaseReport]) -> None:
    console.print(
        Panel.fit(
            "[bold]myositis demo[/]: bundled [bold red]SYNTHETIC[/] patients, scored with the "
            "published instruments.\n" + DISCLAIMER,
            border_style="yellow",
        )
    )
    for report in reports:
        c = report.classification
        table = Table(title=f"{report.id}  {report.label}", title_justify="left", show_header=True)
        table.add_column("Instrument")
        table.add_column("Result")
        table.add_column("Detail")
        table.add_row(
            "EULAR/ACR 2017",
            f"{c.category}" + (f" - {c.subgroup}" if c.subgroup else ""),
            f"score {c.score:g} ({'with' if c.biopsy_used else 'without'} biopsy), "
            f"P={c.probability:.1%}",
        )
        if report.response is not None:
            r = report.response
            table.add_row(
                f"ACR/EULAR 2016 response ({r.population})",
                f"TIS {r.total_improvement_score:g} - {r.category}",
                ", ".join(f"{k} {m.percent_change:+.1f}%:{m.points:g}"
                          for k, m in r.measures.items()),
            )
        if report.improvement_2004 is not None:
            table.add_row("IMACS 2004 DOI", report.improvement_2004.category or "", "")
        for name, result in report.instruments.items():
            total = "-" if result.total is None else f"{result.total:.4g}/{result.maximum:g}"
            table.add_row(name, result.category or total, "; ".join(result.notes))
        console.print(table)
    console.print(f"[italic yellow]{DISCLAIMER}[/]")

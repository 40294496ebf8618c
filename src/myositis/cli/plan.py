"""`myositis plan`: the personalised, cited care plan in the terminal, Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from myositis.cli.io import fail, read_object, user_errors, validate_each
from myositis.cli.render import console, print_json
from myositis.reports import to_html, to_markdown
from myositis.reports.careplan import LINE_TITLES
from myositis.services.careplan import CarePlan, CarePlanInput, build_care_plan
from myositis.services.scenarios import load_scenarios

URGENCY_STYLE = {"urgent": "bold white on red", "soon": "black on yellow", "routine": "cyan"}


def _load_profile(patient: str) -> CarePlanInput:
    if not Path(patient).exists() and patient != "-":
        scenarios = {s.id: s for s in load_scenarios()}
        if patient in scenarios:
            return scenarios[patient]
        fail([("PATIENT", f"no such file, and not a bundled scenario id "
                          f"({', '.join(scenarios)})")])
    return validate_each(CarePlanInput, [("", read_object(patient))])[0]


def print_plan(plan: CarePlan) -> None:
    c = plan.classification
    console.print(Panel.fit(
        f"[bold]{plan.patient_id}[/] {plan.label}\n[italic yellow]{plan.disclaimer}[/]",
        title="Care plan", border_style="yellow"))
    console.print(f"[bold]EULAR/ACR 2017[/]: {c.category}"
                  + (f", subgroup {c.subgroup}" if c.subgroup else "")
                  + f" (score {c.score:g}, P={c.probability:.1%}); phenotypes: "
                  + ", ".join(plan.phenotypes))
    for flag in plan.flags:
        console.print(f"[{URGENCY_STYLE[flag.urgency]}] {flag.urgency.upper()} [/] "
                      f"{flag.code}: {flag.text} [dim]{', '.join(flag.citations)}[/]")
    if plan.workup:
        console.print("[bold]Work-up still missing[/]")
        for w in plan.workup:
            console.print(f"  [{URGENCY_STYLE[w.urgency]}] {w.urgency} [/] {w.title}: {w.reason}")
    cs = plan.cancer_screening
    console.print(f"[bold]Cancer screening (IMACS 2023)[/]: risk {cs.risk}"
                  + ("" if cs.applicable else " (not applicable)")
                  + f"; {len(cs.tests_due)} tests due")
    for note in cs.notes:
        console.print(f"  [dim]- {note}[/]")
    table = Table(title="Treatment options", title_justify="left", show_lines=False)
    for col in ("Line", "Therapy", "Evidence", "Why", "Cautions"):
        table.add_column(col)
    for o in plan.options:
        table.add_row(
            LINE_TITLES[o.line], o.name + (" (investigational)" if o.investigational else ""),
            o.evidence_level, o.rationale[:160],
            "; ".join(f"{x.condition} ({x.severity})" for x in o.cautions),
        )
    console.print(table)
    for held in plan.withheld:
        console.print(f"[red]Withheld[/] {held.name}: {held.reason[:200]}")
    for rejected in plan.not_recommended:
        console.print(f"[magenta]Not recommended[/] {rejected.name}: {rejected.reason[:200]}")
    console.print(f"[dim]{len(plan.sources)} sources cited; use --markdown/--html for the full, "
                  "printable plan with every citation.[/]")


def plan_command(
    patient: Annotated[str, typer.Argument(help="profile JSON/YAML, or a bundled scenario id "
                                                "such as SYN-PLAN-03")],
    output: Annotated[str, typer.Option("--format", "-f",
                                        help="table, json, markdown or html")] = "table",
    json_path: Annotated[Path | None, typer.Option("--json", help="also write JSON here")] = None,
    markdown_path: Annotated[Path | None, typer.Option("--markdown", help="write Markdown")] = None,
    html_path: Annotated[Path | None, typer.Option("--html", help="write printable HTML")] = None,
) -> None:
    """Personalised care plan: flags, work-up, cancer screening, cited options, monitoring."""
    if output not in ("table", "json", "markdown", "html"):
        fail([("--format", "must be table, json, markdown or html")])
    profile = _load_profile(patient)
    with user_errors():
        plan = build_care_plan(profile)
    if json_path:
        json_path.write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(to_markdown(plan), encoding="utf-8")
    if html_path:
        html_path.write_text(to_html(plan), encoding="utf-8")
    if output == "json":
        print_json(plan)
    elif output == "markdown":
        print(to_markdown(plan))
    elif output == "html":
        print(to_html(plan))
    else:
        print_plan(plan)


def scenarios_command() -> None:
    """List the bundled SYNTHETIC care-plan scenarios."""
    for s in load_scenarios():
        console.print(f"[bold]{s.id}[/]  {s.label}")

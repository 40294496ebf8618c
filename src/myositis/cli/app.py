"""The `myositis` command: demo, classify, response, score, schema (and later kb, plan, serve)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from myositis.cli import render
from myositis.cli.evidence import evidence_app, trials_app
from myositis.cli.i18n import i18n_app
from myositis.cli.io import fail, guarded, read_object, user_errors, validate_each
from myositis.cli.kb import kb_app
from myositis.cli.plan import plan_command, scenarios_command
from myositis.cli.registry import registry_app
from myositis.cli.reminders import reminders_app
from myositis.cli.serve import backup_command, restore_command, serve_command, users_app
from myositis.domain.instruments import eular_acr_2017, imacs_doi_2004, registry, response_2016

app = typer.Typer(
    name="myositis",
    help="Decision support for the idiopathic inflammatory myopathies. Supports clinicians; "
    "does not prescribe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class PopulationOption(StrEnum):
    adult = "adult"
    juvenile = "juvenile"


FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]


@app.command()
def classify(
    patient: Annotated[str, typer.Argument(help="JSON/YAML file of criteria variables, or -")],
    output: FormatOpt = OutputFormat.table,
) -> None:
    """2017 EULAR/ACR classification: score, probability, category and subgroup."""
    data = read_object(patient)
    result = guarded(lambda: eular_acr_2017.classify(eular_acr_2017.EularAcrInput(**data)))
    if output is OutputFormat.json:
        render.print_json(result)
        return
    render.print_result(
        result,
        {
            "Biopsy column used": "yes" if result.biopsy_used else "no",
            "Probability": f"{result.probability:.1%}",
            "Subgroup": result.subgroup or "not classified",
        },
    )


@app.command()
def response(
    baseline: Annotated[str, typer.Argument(help="core set measures at baseline (JSON/YAML)")],
    followup: Annotated[str, typer.Argument(help="core set measures at follow-up (JSON/YAML)")],
    population: Annotated[
        PopulationOption, typer.Option(help="adult (20/40/60) or juvenile (30/45/70) thresholds")
    ] = PopulationOption.adult,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """2016 ACR/EULAR Total Improvement Score, plus the 2004 IMACS definition of improvement."""
    base_doc, follow_doc = read_object(baseline), read_object(followup)
    base, follow = validate_each(
        response_2016.CoreSetInput, [("baseline.", base_doc), ("followup.", follow_doc)]
    )
    with user_errors():
        result = response_2016.total_improvement_score(base, follow, population.value)
        doi = imacs_doi_2004.definition_of_improvement(base, follow)
    if output is OutputFormat.json:
        payload = result.model_dump(mode="json")
        payload["imacs_doi_2004"] = doi.model_dump(mode="json")
        print(json.dumps(payload, indent=2))
        return
    render.print_result(result, {"TIS": f"{result.total_improvement_score:g}"})
    render.console.print(f"[bold]IMACS 2004 definition of improvement[/]: {doi.category}")
    for note in doi.notes:
        render.console.print(f"[dim]- {note}[/]")


@app.command()
def score(
    instrument: Annotated[str, typer.Argument(help="instrument name (see `myositis instruments`)")],
    file: Annotated[str, typer.Argument(help="JSON/YAML input, or -")],
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Score any instrument from a JSON/YAML file."""
    with user_errors():
        registry.get(instrument)
    data = read_object(file)
    result = guarded(lambda: registry.score(instrument, data))
    if output is OutputFormat.json:
        render.print_json(result)
    else:
        render.print_result(result)


@app.command()
def instruments() -> None:
    """List the instruments `score` and `schema` accept."""
    for name, inst in registry.INSTRUMENTS.items():
        render.console.print(f"[bold]{name}[/]: {inst.title}")
    render.console.print("[bold]core_set[/]: core set measures file for `myositis response`")


@app.command()
def schema(name: Annotated[str, typer.Argument(help="instrument name or core_set")]) -> None:
    """Print the JSON Schema of an input document."""
    model = registry.SCHEMAS.get(name)
    if model is None:
        fail([("name", f"unknown schema {name!r}; choose one of: {', '.join(registry.SCHEMAS)}")])
    print(json.dumps(model.model_json_schema(), indent=2))


@app.command()
def demo(output: FormatOpt = OutputFormat.table) -> None:
    """Score the bundled SYNTHETIC patients and print a report."""
    from myositis.cli.demo_report import print_demo
    from myositis.services.demo import score_demo_cases

    reports = score_demo_cases()
    if output is OutputFormat.json:
        render.print_json([r.model_dump(mode="json") for r in reports])
        return
    print_demo(reports)


app.add_typer(kb_app, name="kb")
app.command("plan")(plan_command)
app.command("scenarios")(scenarios_command)
app.command("serve")(serve_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(users_app, name="users")
app.add_typer(evidence_app, name="evidence")
app.add_typer(trials_app, name="trials")
app.add_typer(registry_app, name="registry")
app.add_typer(reminders_app, name="reminders")
app.add_typer(i18n_app, name="i18n")


def main() -> None:
    app()

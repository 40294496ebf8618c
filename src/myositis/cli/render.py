"""Rich rendering of instrument results; JSON output goes through pydantic unchanged."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from myositis.domain.results import InstrumentResult

DISCLAIMER = (
    "Decision support for clinicians; it does not prescribe. Check every result against its "
    "source before acting on it."
)

console = Console()


def print_json(data: BaseModel | dict[str, Any] | list[Any]) -> None:
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    print(json.dumps(payload, indent=2, ensure_ascii=False))


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def result_table(result: InstrumentResult, title: str | None = None) -> Table:
    table = Table(title=title or result.instrument, show_lines=False, title_justify="left")
    table.add_column("Item")
    # Instruments whose items are the grades themselves record no separate value: no column of
    # "None" (or "-") then, and an unrecorded value in a mixed table shows as "-".
    with_values = any(item.value is not None for item in result.items)
    if with_values:
        table.add_column("Value", justify="right")
    table.add_column("Points", justify="right")
    for item in result.items:
        value = item.value
        shown = "-" if value is None else "yes" if value is True else "no" if value is False \
            else str(value)
        row = [item.label, shown] if with_values else [item.label]
        table.add_row(*row, _fmt(item.points))
    return table


def print_result(result: InstrumentResult, extra: dict[str, Any] | None = None) -> None:
    console.print(result_table(result))
    total = "-" if result.total is None else f"{result.total:.4g}"
    line = f"[bold]Total[/]: {total} (range {result.minimum:g}-{result.maximum:g})"
    if result.category:
        line += f"   [bold]Category[/]: {result.category}"
    console.print(line)
    for key, value in (extra or {}).items():
        console.print(f"[bold]{key}[/]: {value}")
    for note in result.notes:
        console.print(f"[dim]- {note}[/]")
    for citation in result.citations:
        console.print(f"[cyan]Source[/]: {citation.short()}")
    console.print(f"[italic yellow]{DISCLAIMER}[/]")

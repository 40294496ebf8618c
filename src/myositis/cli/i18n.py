"""`myositis i18n`: keep the portal's gettext catalogues in step with its pages."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from myositis.cli.render import console
from myositis.web import i18n

LANGUAGE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")
i18n_app = typer.Typer(help="Translation catalogues of the patient portal.",
                       no_args_is_help=True)


@i18n_app.command("update")
def update_command(
    add: Annotated[list[str] | None, typer.Option(
        "--add", help="start a catalogue for this language (e.g. fr, pt_BR)")] = None,
) -> None:
    """Re-extract every patient-facing message (portal templates, marked service strings,
    education, exercise and support data, the HAQ-DI) into messages.pot and update every
    catalogue; English is filled in, other languages keep their translations."""
    for locale in add or []:
        if not LANGUAGE.fullmatch(locale):
            console.print(f"[red]--add {locale!r}[/]: a language code such as fr or pt_BR")
            raise typer.Exit(2)
    counts = i18n.update(add or [])
    for locale, count in counts.items():
        console.print(f"{locale}: {count} messages")
    console.print(f"written under {i18n.LOCALE_DIR}")


@i18n_app.command("check")
def check_command() -> None:
    """Exit 1 when a catalogue is out of date with the pages (run `myositis i18n update`)."""
    found = i18n.problems()
    for line in found:
        console.print(f"[red]{line}[/]")
    if found:
        console.print("run `myositis i18n update`, then translate what is new")
        raise typer.Exit(1)
    console.print(f"catalogues current: {', '.join(i18n.available())}")

"""`myositis kb check | list | rules | show`: validate and browse the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from myositis.cli.io import fail, user_errors
from myositis.cli.render import console
from myositis.knowledge import KnowledgeBase, load
from myositis.knowledge import check as check_kb
from myositis.knowledge.rules import FACTS

kb_app = typer.Typer(help="Validate and browse the curated knowledge base.", no_args_is_help=True)

KINDS = ("therapies", "autoantibodies", "guidance", "sources")


@kb_app.command("check")
def check_command() -> None:
    """Validate schema, sources, references and identifiers of the whole knowledge base."""
    with user_errors(title="Knowledge base has problems"):
        kb = check_kb()
    unconfirmed = [s.key for s in kb.sources.values() if not s.confirmed]
    unverified = [t.id for t in kb.therapies.values()
                  if t.regulatory_status.startswith("Unverified:")]
    console.print(
        f"[green]knowledge base OK[/]: {len(kb.therapies)} therapies, "
        f"{len(kb.autoantibodies)} autoantibodies, {len(kb.sources)} sources, "
        f"{len(kb.guidance.drug_safety) + len(kb.guidance.ild_assessment) + len(kb.guidance.care)}"
        " guidance items"
    )
    console.print(f"sources whose identifiers were not confirmed: {len(unconfirmed)}")
    console.print(f"therapies with an unverified regulatory status: {', '.join(unverified)}")
    _surveillance(kb)


def _surveillance(kb: KnowledgeBase) -> None:
    """Retractions are errors; errata and review-due entries are warnings (they never fail)."""
    from myositis.literature.kb_watch import watch
    from myositis.settings import Settings

    with user_errors(title="Knowledge base has problems"):
        from myositis.knowledge.synonyms import load_synonyms

        load_synonyms()
        result = watch(kb, Settings().resolved_database_url())
    if not result.available:
        console.print("surveillance: no evidence records stored (`myositis evidence pull` or "
                      "`evidence import`): retractions and review-due entries not checked")
        return
    for warning in result.warnings:
        console.print(f"[yellow]warning[/] {warning}")
    if result.review_due:
        console.print("[yellow]review due[/] (new high-level evidence since last_reviewed; "
                      "`myositis evidence digest`): " + "; ".join(result.review_due))
    else:
        console.print("surveillance: no knowledge-base entry is review due")
    if result.errors:
        fail([("retraction", e) for e in result.errors], title="Knowledge base cites a "
                                                              "retracted publication")


@kb_app.command("list")
def list_command(
    kind: Annotated[str, typer.Argument(help=f"one of {', '.join(KINDS)}")] = "therapies",
) -> None:
    """List entries of one kind."""
    kb = load()
    table = Table(title=kind, title_justify="left")
    if kind == "therapies":
        for col in ("id", "name", "category", "lines", "investigational"):
            table.add_column(col)
        for t in kb.therapies.values():
            lines = sorted({u.line for u in t.uses if u.recommended})
            table.add_row(t.id, t.name, t.category, ", ".join(lines),
                          "yes" if t.investigational else "")
    elif kind == "autoantibodies":
        for col in ("id", "name", "kind", "risks"):
            table.add_column(col)
        for a in kb.autoantibodies.values():
            table.add_row(a.id, a.name, a.kind,
                          ", ".join(f"{r.code} ({r.level})" for r in a.risks))
    elif kind == "guidance":
        table.add_column("id")
        table.add_column("title")
        table.add_row("cancer_screening", "IMACS 2023 cancer screening guideline")
        for item in (*kb.guidance.drug_safety, *kb.guidance.ild_assessment, *kb.guidance.care):
            table.add_row(item.id, item.title)
    elif kind == "sources":
        for col in ("key", "kind", "identifiers", "confirmed"):
            table.add_column(col)
        for s in kb.sources.values():
            table.add_row(s.key, s.kind, s.identifiers(), "yes" if s.confirmed else "no")
    else:
        fail([("kind", f"must be one of {', '.join(KINDS)}")])
    console.print(table)


@kb_app.command("rules")
def rules_command(
    therapy: Annotated[str | None, typer.Option(
        help="only rules that affect this therapy id (directly, through a group, or by testing "
             "whether it is taken)")] = None,
    fact: Annotated[str | None, typer.Option(help="only rules whose condition reads this fact")]
    = None,
    markdown: Annotated[Path | None, typer.Option(
        help="write every matching rule and the rewordings, in plain words, to this file")]
    = None,
) -> None:
    """The safety rules in plain words: condition, affected therapies, action and sources."""
    from myositis.knowledge.rule_text import describe, names, review_document

    kb = load()
    problems = []
    if therapy is not None and therapy not in kb.therapies:
        problems.append(("--therapy", f"unknown therapy {therapy!r}"))
    if fact is not None and fact not in FACTS:
        problems.append(("--fact", f"unknown fact {fact!r}"))
    if problems:
        fail(problems)
    rules = [r for r in kb.rules.rules
             if (therapy is None or any(therapy in kb.group_members(t) for t in r.applies_to)
                 or names(r.when, therapy))
             and (fact is None or fact in r.when.facts())]
    if markdown is not None:
        version = max(t.last_reviewed for t in kb.therapies.values()).isoformat()
        swaps = [s for s in kb.wording_swaps if fact is None or fact in s.facts]
        markdown.write_text(review_document(rules, swaps, version), encoding="utf-8")
        console.print(f"{len(rules)} rules and {len(swaps)} rewordings written to {markdown}")
        return
    table = Table(title=f"{len(rules)} rules", title_justify="left", show_lines=True)
    table.add_column("id", overflow="fold")
    for col in ("when", "applies to", "action"):
        table.add_column(col)
    for rule in rules:
        table.add_row(rule.id, describe(rule.when), ", ".join(rule.applies_to) or "patient",
                      f"{rule.action} ({rule.severity})")
    console.print(table)


@kb_app.command("show")
def show_command(entry_id: Annotated[str, typer.Argument(help="entry id or source key")]) -> None:
    """Show one entry in full, with the citations it relies on."""
    kb = load()
    with user_errors():
        entry = kb.find(entry_id)
    data = entry.model_dump(mode="json", exclude_none=True, by_alias=True)
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    keys = sorted({key for key in _keys(data) if key in kb.sources})
    if keys:
        print("# sources")
        for key in keys:
            s = kb.sources[key]
            mark = "" if s.confirmed else " [identifiers not confirmed]"
            print(f"- {key}: {s.citation} {s.identifiers()}{mark}")


def _keys(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("sources", "regulatory_sources") and isinstance(v, list):
                found.extend(str(x) for x in v)
            elif k == "source" and isinstance(v, str):
                found.append(v)
            else:
                found.extend(_keys(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_keys(v))
    return found

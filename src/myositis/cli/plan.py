"""`myositis plan`: the personalised, cited care plan in the terminal, Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.panel import Panel
from rich.table import Table

from myositis.cli.io import fail, read_object, user_errors
from myositis.cli.render import console, print_json
from myositis.domain.validation import problems as field_problems
from myositis.knowledge import load
from myositis.reports import to_html, to_markdown
from myositis.reports.careplan import LINE_TITLES, options_by_approach, withheld_groups
from myositis.services.careplan import CarePlan, CarePlanInput, build_care_plan
from myositis.services.careplan.model import Action
from myositis.services.careplan.patient_text import brief, caution_label
from myositis.services.careplan.therapy_ids import therapy_id_problems
from myositis.services.scenarios import load_scenarios

URGENCY_STYLE = {"urgent": "bold white on red", "soon": "black on yellow", "routine": "cyan"}



CONTEXT_NOTES = ("Breastfeeding:", "Kidney function low:", "On dialysis:", "Pregnant:",
                 "Mammography under", "Aged ", "Goals of care", "Recorded as male",
                 "Known active cancer", "Then yearly:")
"""Screening notes that change which tests suit this patient: shown beside the tests in the
terminal, not only in the full plan (re-score of specialist review Z38c P6)."""


def screening_tests(tests: list[str]) -> str:
    """The IMACS tests due, grouped by tier ('basic: Complete blood count' ...) so a terminal
    reader sees which tests, in one line."""
    tiers: dict[str, list[str]] = {}
    for test in tests:
        tier, _, name = test.partition(": ")
        tiers.setdefault(tier if name else "", []).append(name or tier)
    return "; ".join((f"{tier}: " if tier else "") + ", ".join(names)
                     for tier, names in tiers.items())

def _load_profile(patient: str) -> CarePlanInput:
    if not Path(patient).exists() and patient != "-":
        scenarios = {s.id: s for s in load_scenarios()}
        if patient in scenarios:
            return scenarios[patient]
        fail([("PATIENT", f"no such file, and not a bundled scenario id "
                          f"({', '.join(scenarios)})")])
    document = read_object(patient)
    problems: list[tuple[str, str]] = []
    try:
        record = CarePlanInput.model_validate(document)
    except ValidationError as exc:
        problems = field_problems(CarePlanInput, exc)
    for section in ("treatments", "planned_treatments"):
        courses = document.get(section)
        if isinstance(courses, list):
            ids = [t.get("therapy") if isinstance(t, dict) else None for t in courses]
            problems += therapy_id_problems([i if isinstance(i, str) else None for i in ids],
                                            load(), section)
    if problems:
        fail(sorted(set(problems), key=problems.index))
    return record


OTHER_CRITERIA = {"imnm": "ENMC 224 (2018)", "asys": "the antisynthetase definition",
                  "ibm": "ENMC 2011"}
"""The criteria a subgroup rests on when the 2017 EULAR/ACR score says 'not IIM'."""


def print_plan(plan: CarePlan) -> None:
    """The summary in the terminal: do now, state, regimen, unknowns; then withheld options and
    a compact option table. The full cited detail is in --markdown/--html/--json."""
    c = plan.classification
    console.print(Panel.fit(
        f"[bold]{plan.patient_id}[/] {plan.label}\n[italic yellow]{plan.disclaimer}[/]",
        title="Care plan", border_style="yellow"))
    followed = plan.diagnosis.followed if plan.diagnosis else ", ".join(plan.phenotypes)
    console.print(f"[bold]Diagnosis followed[/]: {followed}"
                  + (" [bold red](provisional)[/]" if plan.diagnosis and
                     plan.diagnosis.provisional else "")
                  + f"; EULAR/ACR 2017 {(c.category or 'not scored').replace('_', ' ')}"
                  + (f" ({c.subgroup})" if c.subgroup else "") + f", score {c.score:g}"
                  + (" on the items recorded" if c.category in ("not_iim", "possible",
                                                                  "biopsy_required") else ""))
    # the 2017 criteria under-classify these subgroups (specialist review Z52c P2: proven IMNM
    # headed 'EULAR/ACR 2017 not_iim'), as the Markdown plan says
    other = OTHER_CRITERIA.get(followed)
    if c.category == "not_iim" and other:
        console.print(f"  [dim]- The 2017 criteria include few such patients and under-classify "
                      f"this subgroup; the diagnosis followed rests on {other}.[/]")
    if plan.diagnosis:
        for line in plan.diagnosis.explanation:
            console.print(f"  [dim]- {line}[/]")
    # urgent and soon lines lead; routine ones follow the regimen under their own heading, so
    # that the first screen is what must happen first (reviewers read 12-18 mixed lines as
    # unranked), as the Markdown plan does
    pressing = [a for a in plan.printed_do_now() if a.urgency != "routine"]
    routine = [a for a in plan.printed_do_now() if a.urgency == "routine"]
    console.print("[bold]Do now[/]")
    for action in pressing:
        console.print(f"  [{URGENCY_STYLE[action.urgency]}] {action.urgency.upper()} [/] "
                      f"{action.text} [dim]{_source_tag(action)}[/]")
    if not pressing:
        console.print("  nothing urgent" + (" (routine items below)" if routine else ""))
    if plan.state:
        graded = [f"{d.domain} {d.state.replace('_', ' ')}"
                  + (" (to confirm by repeat measures)" if d.to_confirm else "")
                  for d in plan.state.domains
                  if d.state != "not_involved"]
        # nothing graded (a working diagnosis that is not myositis) is said, not left blank
        console.print("[bold]State[/]: " + ("; ".join(graded) or "no myositis domain graded"))
        for r in plan.state.responses:
            value = f"{r.value:.1f} " if r.value is not None else ""
            console.print(f"  [dim]{r.measure}: {value}{r.category or ''} ({r.compared})[/]")
    for g in plan.regimens:
        console.print(f"[bold]{g.domain.capitalize()}[/] ({g.state.replace('_', ' ')}"
                      + (", provisional" if g.provisional else "") + "): first choice "
                      + (" + ".join(g.first_choice) or "none available")
                      + (f"; alternatives {', '.join(g.alternatives[:4])}" if g.alternatives
                         else "") + f"\n  [dim]{g.decision_point}[/]")
    first_doses = [d for d in plan.doses if d.first_choice]
    if first_doses:
        # the worked doses of what the approach starts belong on the first screen too
        # (specialist review Z48a: hydroxychloroquine first choice with its 5 mg/kg ceiling only
        # in the Markdown plan)
        console.print("[bold]Doses worked out for this patient[/] (from the curated ranges; "
                      "check before prescribing)")
        for d in first_doses:
            console.print(f"  - {d.name}: {d.text}")
    if routine:
        console.print("[bold]Also due (routine, this visit or the next)[/]")
        for action in routine:
            console.print(f"  - {action.text} [dim]{_source_tag(action)}[/]")
    if plan.monitoring:
        # the schedule belongs on the first screen too (specialist reviews Z34c and Z34d: the
        # monitoring of the drugs taken now only in the Markdown plan)
        console.print("[bold]Monitoring (next due)[/]")
        for item in plan.monitoring:
            console.print(f"  - {item.therapy}: {item.next_due} - {brief(item.text, 200)}")
    if plan.unknowns:
        console.print(f"[bold yellow]Not recorded, and it matters[/]: {', '.join(plan.unknowns)}")
    if plan.workup:
        console.print("[bold]Work-up still missing[/]: "
                      + "; ".join(f"{w.title} ({w.urgency})" for w in plan.workup))
    cs = plan.cancer_screening
    # the tests are named, not only counted (specialist review Z37d: 'the terminal plan shows
    # only how many cancer tests are due')
    console.print("[bold]Cancer screening (IMACS 2023)[/]: "
                  + (f"risk {cs.risk}; "
                     + (f"{len(cs.tests_due)} tests due - {screening_tests(cs.tests_due)}."
                        if cs.tests_due else "no tests due.")
                     + "".join(f" {note}" for note in cs.notes if note.startswith(
                         CONTEXT_NOTES))
                     # the record's own region flag (specialist review Z39b P6: nasoendoscopy
                     # only in the full plan for a southern Chinese man)
                     + "".join(f" {extra}" for extra in cs.additional
                               if "nasoendoscopy" in extra)
                     if cs.applicable else "not applicable here - " + (
                         cs.notes[0] if cs.notes else "see the full plan")))
    # drugs withheld for the same reason are named together, and a long reason is shortened at
    # a clause, never mid-word (specialist reviews Z30a-d: five identical JAK lines cut off)
    for group in withheld_groups(plan):
        console.print(f"[red]Withheld[/] {group['label']}: {brief(str(group['reason']))}")
    for rejected in plan.not_recommended:
        console.print(f"[magenta]Not recommended[/] {rejected.name}: {brief(rejected.reason)}")
    table = Table(title="Options", title_justify="left", show_lines=False)
    # Words wrap at spaces and nothing is cut: codes are shown as words, and a word wider than
    # its column folds onto the next line instead of ending in an ellipsis.
    table.add_column("Line", min_width=max(len(t) for t in LINE_TITLES.values()) // 2 + 1,
                     overflow="fold")
    for col in ("Therapy", "Evidence", "Cautions"):
        table.add_column(col, overflow="fold")
    shown, others = options_by_approach(plan)
    # a refractory-line agent this plan uses first says so (specialist review Z42b: first-choice
    # IVIG for anti-SRP dysphagia filed under 'Refractory disease')
    first_here = {o.name for o in shown for r in plan.regimens for e in r.first_choice
                  if e.removeprefix("add ").startswith(o.name)}
    for o in shown:
        table.add_row(
            # a drug tried before says how it went, one taken now says so (specialist reviews
            # Z32l, Z32m, Z32o: failed methotrexate and azathioprine read as fresh options)
            # said as the choice, not as a claim that the disease is refractory (specialist
            # review Z65d: 'Refractory disease (first choice here)' for new-onset patients)
            "First choice here (also a refractory-disease agent)"
            if o.line == "refractory" and o.name in first_here else LINE_TITLES[o.line],
            o.name + (" (investigational)" if o.investigational else "")
            + (" - taken now" if o.taken_now else f" - before: {o.previously_text}" if o.previously
               else ""),
            o.evidence_level.replace("_", " "),
            "; ".join(dict.fromkeys(caution_label(x.text, condition=x.condition)
                                   for x in o.cautions)))
    console.print(table)
    if others:
        # named, not tabled: the approach does not use them now (their evidence and cautions are
        # in the full plan)
        console.print("[bold]Other options, not in the approach now[/] (evidence and cautions "
                      "with --markdown): " + ", ".join(dict.fromkeys(
                          o.name + (" (investigational)" if o.investigational else "")
                          + (f" - before: {o.previously_text}" if o.previously else "")
                          for o in others)))
    console.print(f"[dim]{len(plan.sources)} sources cited; use --markdown/--html for the full, "
                  "printable plan with every citation.[/]")


def _source_tag(action: Action) -> str:
    """The rule behind a line; a rule that fired because a result is missing says so, so that
    'hbsag_positive' is not read beside 'HBV status not recorded' (specialist reviews Z30c P4
    and Z31h P5)."""
    if action.covers:
        # a bundled line is named by its bundle (rules.yaml), which lists the rules it prints
        return action.code
    if action.code.endswith("_not_recorded"):
        return f"{action.kb_entry} (result not recorded)"
    return action.kb_entry


def plan_command(
    patient: Annotated[str, typer.Argument(help="profile JSON/YAML, or a bundled scenario id "
                                                "such as SYN-PLAN-03")],
    output: Annotated[str, typer.Option("--format", "-f",
                                        help="table, json, markdown or html")] = "table",
    json_path: Annotated[Path | None, typer.Option("--json", help="also write JSON here")] = None,
    markdown_path: Annotated[Path | None, typer.Option("--markdown", help="write Markdown")] = None,
    html_path: Annotated[Path | None, typer.Option("--html", help="write printable HTML")] = None,
    trials: Annotated[bool, typer.Option(
        "--trials", help="add open trials that may fit, from the evidence store of the "
                         "configured database (Markdown and HTML)")] = False,
) -> None:
    """Personalised care plan: flags, work-up, cancer screening, cited options, monitoring."""
    if output not in ("table", "json", "markdown", "html"):
        fail([("--format", "must be table, json, markdown or html")])
    profile = _load_profile(patient)
    with user_errors():
        plan = build_care_plan(profile)
    matches = None
    if trials:
        from myositis.cli.evidence import open_trials_for

        with user_errors(title="Cannot read the evidence store"):
            matches = open_trials_for(profile, plan.phenotypes)
    if json_path:
        json_path.write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(to_markdown(plan, matches), encoding="utf-8")
    if html_path:
        html_path.write_text(to_html(plan, trials=matches), encoding="utf-8")
    if output == "json":
        print_json(plan)
    elif output == "markdown":
        print(to_markdown(plan, matches))
    elif output == "html":
        print(to_html(plan, trials=matches))
    else:
        print_plan(plan)


def scenarios_command() -> None:
    """List the bundled SYNTHETIC care-plan scenarios."""
    for s in load_scenarios():
        console.print(f"[bold]{s.id}[/]  {s.label}")

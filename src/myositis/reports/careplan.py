"""Care plan as Markdown and as self-contained HTML, both from one Jinja2 environment."""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, select_autoescape

from myositis.services.careplan.model import Action, CarePlan, Option
from myositis.services.careplan.regimen_lines import lead_clause
from myositis.services.evidence import TrialMatch

LINE_TITLES = {
    "initial": "Initial treatment", "steroid_sparing": "Steroid-sparing",
    "complication": "Complication-specific", "refractory": "Refractory disease",
    "adjunct": "Adjunctive and non-drug",
}

_env = Environment(
    loader=PackageLoader("myositis.reports", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
)


# Non-drug care items and the option each one already covers.
NON_DRUG_OPTIONS = {"exercise_by_phase": "exercise_rehabilitation",
                    "photoprotection_education": "photoprotection"}


def _named_in_regimen(plan: CarePlan) -> set[str]:
    """Option names that the recommended approach mentions (first choice or alternative)."""
    entries = [e for g in plan.regimens for e in (*g.first_choice, *g.alternatives)]
    return {o.name for o in plan.options if any(o.name in entry for entry in entries)}


# Rescue treatments that a Do-now line may start before the regimen below names them, with
# the words such a line uses for them. Listing one of these as 'not in the recommended
# approach' under a Do-now line that gives it reads as a contradiction (specialist review
# Z22b P8), so it gets its full entry instead.
RESCUE_WORDS = {"methylprednisolone_iv_pulse": ("iv methylprednisolone", "methylprednisolone pulse"),
                "ivig": ("ivig",), "plasma_exchange": ("plasma exchange",)}
_NEGATED = ("no ", "without ", "not ", "avoid ", "defer ", "instead of ")


def _named_in_do_now(plan: CarePlan) -> set[str]:
    """Rescue options an urgent or soon Do-now line gives (not one it rules out)."""
    named = set()
    texts = [a.text.lower() for a in plan.do_now if a.urgency in ("urgent", "soon")]
    for option in plan.options:
        for text in texts:
            for word in RESCUE_WORDS.get(option.therapy, ()):
                at = text.find(word)
                if at >= 0 and not text[max(0, at - 12):at].endswith(_NEGATED):
                    named.add(option.name)
    return named


def options_by_approach(plan: CarePlan) -> tuple[list[Option], list[Option]]:
    """The options the recommended approach (or an urgent Do-now line) names, taken now or
    labelled, and the others: the terminal table lists the first in full and names the others
    on one line, so that an option the approach does not use (CAR-T for a dying patient, a JAK
    inhibitor in a regimen without it) is not read as advised (specialist reviews Z33a P7,
    Z34b P1). Without a regimen every option is in the first list."""
    if not plan.regimens:
        return list(plan.options), []
    named = _named_in_regimen(plan) | _named_in_do_now(plan)
    # adjunctive and non-drug care (exercise, topical treatment) stays in the table
    shown = [o for o in plan.options
             if o.name in named or o.labels or o.taken_now or o.line == "adjunct"
             or o.therapy in NON_DRUG_OPTIONS.values()]
    return shown, [o for o in plan.options if o not in shown]


def withheld_groups(plan: CarePlan) -> list[dict[str, object]]:
    """Withheld drugs that share their first reason, said once with every drug named and each
    drug's further reasons after it (specialist reviews Z23a and Z23d: the same 'active
    infection' paragraph printed for eight drugs)."""
    groups: list[dict[str, object]] = []
    by_key: dict[str, dict[str, object]] = {}
    for w in sorted(plan.withheld, key=lambda w: len(w.rule_ids)):
        key = w.rule_ids[0] if w.rule_ids else w.reason
        group = by_key.get(key)
        common = group["reason"] if group else None
        if group is None or not isinstance(common, str) or not (
                w.reason == common or w.reason.startswith(common + "; ")):
            group = {"reason": w.reason, "members": [], "citations": []}
            groups.append(group)
            by_key.setdefault(key, group)
            common = w.reason
        members, cites = group["members"], group["citations"]
        assert isinstance(members, list) and isinstance(cites, list)
        members.append({"name": w.name, "therapy": w.therapy,
                        "more": w.reason[len(common):].removeprefix("; ")})
        cites.extend(c for c in w.citations if c not in cites)
    order = {w.therapy: i for i, w in enumerate(plan.withheld)}
    for group in groups:
        members = group["members"]
        assert isinstance(members, list)
        members.sort(key=lambda m: order[m["therapy"]])
        names = [m["name"] for m in members]
        group["label"] = names[0] if len(names) == 1 else \
            ", ".join(names[:-1]) + " and " + names[-1]
        group["more"] = [m for m in members if m["more"]]
    def first(group: dict[str, object]) -> int:
        members = group["members"]
        assert isinstance(members, list)
        return min(order[m["therapy"]] for m in members)
    return sorted(groups, key=first)


def _context(plan: CarePlan) -> dict[str, object]:
    """Options grouped by line; a therapy offered on two lines prints its monitoring once.

    Only options the recommended approach names get their full entry (rationale, checks,
    monitoring); the others are listed on one line per line of treatment with their evidence,
    cautions and sources, so that the full plan stays short enough to read (issue 8, section 7)
    while nothing offered disappears. Without a regimen (a diagnostic plan that may not wait)
    every option is printed in full."""
    lines: dict[str, list[object]] = {}
    brief: dict[str, list[object]] = {}
    first_line: dict[str, str] = {}
    named = _named_in_regimen(plan) | _named_in_do_now(plan)
    covered = {NON_DRUG_OPTIONS[item.id] for item in plan.non_drug
               if item.id in NON_DRUG_OPTIONS}
    for option in plan.options:
        if plan.regimens and option.name not in named and not option.labels:
            if option.therapy not in covered:  # said once, under non-drug care
                brief.setdefault(option.line, []).append(option)
            continue
        lines.setdefault(option.line, []).append(option)
        first_line.setdefault(option.therapy, option.line)
    for line in brief:
        lines.setdefault(line, [])
    # A rule caution that applies to several options is printed once, with the drugs it
    # concerns (clinical-safety principle 12: nothing repeated).
    # Keyed by condition and text: two drugs' label cautions for the same condition say
    # different things (specialist review E: IVIG's thrombosis boxed warning printed "for
    # Intravenous immunoglobulin, Exercise and rehabilitation").
    by_rule: dict[tuple[str, str], list[str]] = {}
    for option in plan.options:
        for caution in option.cautions:
            names = by_rule.setdefault((caution.condition, caution.text), [])
            if option.name not in names:
                names.append(option.name)
    shared = {key: names for key, names in by_rule.items() if len(names) > 1}
    shared_cautions = []
    for key, names in shared.items():
        caution = next(c for o in plan.options for c in o.cautions
                       if (c.condition, c.text) == key)
        shared_cautions.append({"caution": caution, "therapies": names})
    lines = {line: lines[line] for line in LINE_TITLES if line in lines}
    options = {o.therapy for o in plan.options}
    non_drug_option = {i: t for i, t in NON_DRUG_OPTIONS.items() if t in options}
    return {"plan": plan, "lines": lines, "brief": brief, "line_titles": LINE_TITLES,
            "withheld_groups": withheld_groups(plan),
            "non_drug_option": non_drug_option,
            "first_line": first_line, "in_do_now": {a.code for a in plan.do_now},
            "shared_cautions": shared_cautions,
            "shared_rules": {condition + "\x1f" + text for condition, text in shared}}


_AUTHOR = re.compile(r"^([A-Z][\w'\-]+(?: [A-Z][\w'\-]+)*?) [A-Z]{1,3}(?:,|\.| et al)")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_JOURNAL_YEAR = re.compile(r"\b((?:19|20)\d{2})(?:;|:|\.\s*$)")


def publication_year(text: str) -> str | None:
    """The year as a journal reference gives it ("Neuromuscul Disord. 2024;37:36-51"); a
    title may name an earlier year ("revision of the ENMC 2013 criteria"), so the first year
    in the text is only the fallback (specialist review V printed the 2024 ENMC paper as
    2013)."""
    journal = _JOURNAL_YEAR.search(text)
    if journal:
        return journal.group(1)
    year = _YEAR.search(text)
    return year.group(0) if year else None


def short_citation(text: str, words: int = 6) -> str:
    """"First author et al. year" for an author-led citation, otherwise the opening words and
    the year: with the DOI/PMID beside it enough to find the source, while the JSON and
    `myositis kb show` keep the full text."""
    year = publication_year(text)
    when = f" {year}" if year else ""
    author = _AUTHOR.match(text)
    if author:
        return f"{author.group(1)} et al.{when}"
    parts = text.split()
    opening = text if len(parts) <= words else " ".join(parts[:words]) + " ..."
    return opening + (when if year and year not in opening else "")


def source_line(key: str, citation: str, identifiers: str) -> str:
    """One line of the sources list: the first identifier (DOI, else PMID, PMCID or NCT), and
    the short citation only when the key does not already name the first author and year."""
    short = short_citation(citation)
    author = _AUTHOR.match(citation)
    year = publication_year(citation)
    surname = re.sub(r"[^a-z]", "", author.group(1).lower()) if author else ""
    named = bool(surname) and key.startswith(surname) and year is not None and year in key
    ident = identifiers.split(", ")[0] if identifiers else ""
    return " ".join(part for part in ("" if named else short, ident) if part)


def sentences(text: str, count: int = 2) -> str:
    """The first sentences of a long guidance statement; the full text stays in the JSON and
    in `myositis kb show`."""
    parts: list[str] = []
    for piece in re.split(r"(?<=[.;])\s+(?=[A-Z(])", text):
        # "incl. JAK", "e.g. pregnancy": an abbreviation does not end a sentence
        if parts and parts[-1].endswith(_ABBREVIATIONS):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return text if len(parts) <= count else " ".join(parts[:count]) + " ..."


_ABBREVIATIONS = ("incl.", "e.g.", "i.e.", "vs.", "approx.", "et al.")


def panels(tests: list[str]) -> list[tuple[str, list[str]]]:
    """``"basic: CBC"`` items grouped by panel, in order."""
    grouped: dict[str, list[str]] = {}
    for test in tests:
        panel, _, item = test.partition(": ")
        grouped.setdefault(panel, []).append(item)
    return list(grouped.items())


def routine_labels(actions: list[Action]) -> list[tuple[str, list[str]]]:
    """The routine actions as short labels with their codes (each stays in full under Routine
    items); a bundled line (four vaccines) is labelled by its heading."""
    out: list[tuple[str, list[str]]] = []
    for action in actions:
        if action.covers:
            out.append((action.text.split(": ")[0], list(action.covers)))
        else:
            out.append((action.text.split(": ")[0], [action.kb_entry]))
    return out


_env.filters["short"] = short_citation
_env.globals["source_line"] = source_line
_env.filters["sentences"] = sentences
_env.filters["panels"] = panels
_env.filters["routine_labels"] = routine_labels
_env.filters["lead_clause"] = lead_clause


def word_count(text: str) -> int:
    return len(text.split())


def _cited(text: str, plan: CarePlan) -> set[str]:
    """The source keys the printed text cites: the sources list names only these (the plan's
    JSON keeps every source of every option)."""
    body = text.split("### Sources")[0]
    return {key for key in plan.sources if re.search(rf"(?<![\w]){re.escape(key)}(?![\w])",
                                                      body)}


def to_markdown(plan: CarePlan, trials: list[TrialMatch] | None = None) -> str:
    """``trials``: open trials from the evidence store that may fit (a section is printed
    only when the caller looked them up; the plan itself does not read the database)."""
    template = _env.get_template("careplan.md.j2")
    first = template.render(**_context(plan), cited=None, trials=trials)
    return template.render(**_context(plan), cited=_cited(first, plan), trials=trials)


def to_html(plan: CarePlan, note: str | None = None,
            trials: list[TrialMatch] | None = None) -> str:
    """Printable page; ``note`` heads it (for example, that it is a saved snapshot)."""
    return _env.get_template("careplan.html").render(**_context(plan), note=note,
                                                     trials=trials)

"""Safety rules in plain words, for clinicians who review them without reading YAML or Python.

``describe`` turns a rule's condition into a sentence ("pregnant is yes, and eGFR below 30, and
either ... or ..."); ``review_document`` writes every rule and every rewording as Markdown, the
document `myositis kb rules --markdown` prints for a clinical review of the rule set.
"""

from __future__ import annotations

from collections.abc import Iterable

from myositis.knowledge.rules import FACTS, Predicate, Rule
from myositis.knowledge.wording import WordingSwap

ACTION_WORDS = {"withhold": "withhold", "caution": "caution", "do_now": "do now",
                "monitor": "monitor", "label": "label"}


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not recorded"
    return str(value).replace("_", " ")


def _subject(p: Predicate) -> str:
    if p.fact is not None:
        return p.fact.replace("_", " ")
    return f"the therapy's {str(p.therapy).replace('_', ' ')}"


def describe(p: Predicate) -> str:
    """The condition in words; combinations are bracketed so that the reading is unambiguous."""
    if p.all is not None:
        return " and ".join(_bracketed(sub) for sub in p.all)
    if p.any is not None:
        return "either " + " or ".join(_bracketed(sub) for sub in p.any)
    if p.not_ is not None:
        return f"not ({describe(p.not_)})"
    subject = _subject(p)
    tests = []
    if p.unknown is not None:
        tests.append(f"{subject} {'is not recorded' if p.unknown else 'is recorded'}")
    if p.is_ is not None:
        tests.append(f"{subject} is {_value(p.is_)}")
    if p.in_ is not None:
        tests.append(f"{subject} is one of {', '.join(_value(v) for v in p.in_)}")
    if p.ge is not None:
        tests.append(f"{subject} at least {p.ge:g}")
    if p.lt is not None:
        tests.append(f"{subject} below {p.lt:g}")
    if p.contains is not None:
        tests.append(f"{subject} include {_value(p.contains)}")
    if p.contains_any is not None:
        tests.append(f"{subject} include any of {', '.join(_value(v) for v in p.contains_any)}")
    return " and ".join(tests)


def names(p: Predicate, value: str) -> bool:
    """Whether the condition tests for this value anywhere ('current therapies include
    azathioprine'): a rule about a drug taken now names it there, not in ``applies_to``."""
    if value in (p.contains, p.is_) or value in (p.contains_any or []) or value in (p.in_ or []):
        return True
    return any(names(sub, value) for sub in (*(p.all or []), *(p.any or []),
                                             *([p.not_] if p.not_ else [])))


def _bracketed(p: Predicate) -> str:
    text = describe(p)
    return f"({text})" if p.all is not None or p.any is not None else text


def rule_section(rule: Rule) -> str:
    """One rule as a Markdown section."""
    lines = [f"### `{rule.id}`: {rule.title}", "",
             f"- **When:** {describe(rule.when)}",
             f"- **Applies to:** {', '.join(rule.applies_to) or 'the patient'}",
             f"- **Action:** {ACTION_WORDS[rule.action]}, {rule.severity}",
             f"- **Says:** {rule.text}"]
    if rule.if_unknown is not None:
        lines.append(f"- **If a fact is not recorded:** {ACTION_WORDS[rule.if_unknown.action]}: "
                     f"{rule.if_unknown.text}")
    if rule.covered_by:
        lines.append(f"- **Not printed when these fire:** {', '.join(rule.covered_by)}")
    if rule.starts:
        lines.append(f"- **Starts:** {', '.join(rule.starts)}")
    lines += [f"- **Evidence:** {rule.evidence_level.replace('_', ' ')}; sources: "
              f"{', '.join(rule.sources)}; last reviewed {rule.last_reviewed.isoformat()}"]
    if rule.notes:
        lines.append(f"- **Curation notes** (never printed in a plan): {rule.notes}")
    return "\n".join(lines)


def wording_row(index: int, swap: WordingSwap) -> str:
    facts = " or ".join(f.replace("_", " ") for f in swap.facts)
    values = " or ".join(_value(v) for v in swap.values)
    cells = [str(index), f"{facts} is {values}", swap.general, swap.specific or "",
             swap.notes]
    return "| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |"


def review_document(rules: Iterable[Rule], swaps: Iterable[WordingSwap],
                    version: str) -> str:
    """Every rule and every rewording as one Markdown document for clinical review."""
    rules = list(rules)
    out = [f"# Safety rules for clinical review (knowledge base of {version})", "",
           "Each rule is applied to the whole patient record in three-valued logic: a fact "
           "that is not recorded is unknown, never 'no', and a rule fires only when its "
           "condition is true (its 'if not recorded' branch fires when the condition is "
           f"unknown). {len(rules)} rules; the facts are defined in the glossary at the end.",
           ""]
    out += [rule_section(r) + "\n" for r in rules]
    out += ["## Rewordings for the patient", "",
            "Applied in order to the text of every rule that fires.", "",
            "| # | When | General wording | Wording for this patient | Why |",
            "|---|---|---|---|---|"]
    out += [wording_row(i, s) for i, s in enumerate(swaps)]
    out += ["", "## Glossary of facts", ""]
    out += [f"- **{name.replace('_', ' ')}** ({kind}): {text}"
            for name, (kind, text) in sorted(FACTS.items())]
    return "\n".join(out) + "\n"

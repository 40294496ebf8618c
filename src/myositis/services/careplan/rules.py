"""A small interpreter for the safety rules in ``rules.yaml``.

Predicates are evaluated in three-valued (Kleene) logic: True, False or None (unknown). ``all``
is False if any part is False, else None if any part is unknown; ``any`` is True if any part is
True, else None if any is unknown; ``not`` keeps unknown unknown. A rule fires when its condition
is True; when it is unknown and the rule has an ``if_unknown`` branch, that branch fires instead
(for example "HBV status not recorded: test before starting"). So a missing result can add a
caution or a test, and never removes one that a negative result would also leave in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from myositis.knowledge import KnowledgeBase, load
from myositis.knowledge.rules import Predicate, Rule
from myositis.knowledge.schema import Therapy
from myositis.knowledge.wording import WordingSwap
from myositis.services.careplan.fact_types import Fact, Facts
from myositis.services.careplan.wording_swaps import (
    HIV_HBV_ANTIVIRAL,
    PREGNANCY_CLAUSES,
    PREGNANCY_SWAPS,
)

Truth = bool | None


@dataclass(frozen=True)
class Firing:
    """One rule that applies to this patient (and, for therapy rules, to one therapy)."""

    rule: Rule
    therapy: str | None
    action: str
    text: str
    unknown: bool


def _therapy_value(therapy: Therapy, attribute: str, current: frozenset[str],
                   severe: frozenset[str] = frozenset()) -> Fact:
    if attribute == "current":
        return therapy.id in current
    if attribute == "severe_reaction":
        return therapy.id in severe
    if attribute == "category":
        return therapy.category
    reproduction = therapy.reproduction
    if reproduction is None:
        return "no_data"
    value: str = getattr(reproduction, attribute)
    return value


def evaluate(p: Predicate, facts: Facts, therapy: Therapy | None = None) -> Truth:
    if p.all is not None:
        parts = [evaluate(x, facts, therapy) for x in p.all]
        return False if False in parts else (None if None in parts else True)
    if p.any is not None:
        parts = [evaluate(x, facts, therapy) for x in p.any]
        return True if True in parts else (None if None in parts else False)
    if p.not_ is not None:
        inner = evaluate(p.not_, facts, therapy)
        return None if inner is None else not inner
    if p.therapy is not None:
        if therapy is None:
            return None
        current = facts.get("current_therapies") or frozenset()
        severe = facts.get("severe_reaction_therapies") or frozenset()
        value = _therapy_value(therapy, p.therapy, current if isinstance(current, frozenset)
                               else frozenset(),
                               severe if isinstance(severe, frozenset) else frozenset())
    else:
        value = facts.get(p.fact or "")
    if p.unknown is not None:
        return (value is None) == p.unknown
    if value is None:
        return None
    checks: list[bool] = []
    if p.is_ is not None:
        checks.append(value == p.is_)
    if p.in_ is not None:
        checks.append(value in p.in_)
    if p.lt is not None:
        checks.append(isinstance(value, int | float) and not isinstance(value, bool)
                      and value < p.lt)
    if p.ge is not None:
        checks.append(isinstance(value, int | float) and not isinstance(value, bool)
                      and value >= p.ge)
    if p.contains is not None:
        checks.append(isinstance(value, frozenset) and p.contains in value)
    if p.contains_any is not None:
        checks.append(isinstance(value, frozenset) and bool(value & set(p.contains_any)))
    return all(checks)


_FACT_SLOT = re.compile(r"\{fact:([a-z0-9_]+)\}")
_UNKNOWN_ASIDE = re.compile(r" \((?:[A-Za-z0-9-]{1,12} )?\{fact:([a-z0-9_]+)\}[^()]*\)")
"""An aside built on one fact ('(HbA1c {fact:hba1c_mmol_mol} mmol/mol on record)'), dropped when
the fact is not recorded (specialist review Z40a P6: 'HbA1c unknown mmol/mol')."""


def _readable(value: Fact) -> str:
    if isinstance(value, frozenset):
        return ", ".join(sorted(v.replace("_", " ") for v in value)) or "none"
    if isinstance(value, float):
        # three significant figures, but never in exponent form (review L: '1e+03 mg/day')
        return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return "unknown" if value is None else str(value).replace("_", " ")


DURATION_FACTS = frozenset({"hcq_years"})
"""Facts in years that a message prints as a duration: "6 months", "5.8 years" (review U:
"Hydroxychloroquine for 0.542 years")."""


def _duration(value: Fact) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return _readable(value)
    if value < 1:
        months = max(1, round(value * 12))
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{value:.1f} years"


def _holds(held: Fact, value: bool | str | None) -> bool:
    """A swap's value matches: the same boolean or None (not recorded), the same word, or a
    word contained in a set-valued fact."""
    return held is value or (isinstance(value, str) and held == value) or (
        isinstance(held, frozenset | set) and value in held)


def _swap_for_patient(text: str, facts: Facts,
                      swaps: Sequence[WordingSwap] | None = None) -> str:
    """Apply the reviewed rewordings of ``wording.yaml`` in order (the bundled knowledge base's
    when ``swaps`` is not given)."""
    for swap in load().wording_swaps if swaps is None else swaps:
        if swap.general in text and any(_holds(facts.get(f), v)
                                        for f in swap.facts for v in swap.values):
            text = text.replace(swap.general, swap.specific)
    return text


_EGFR_SLOT = re.compile(r"\b(an )?eGFR (of )?\{fact:egfr\}")


def _kidney_figure_named(text: str, facts: Facts) -> str:
    """The dosing figure from 75 on is the Cockcroft-Gault clearance where it is lower than the
    eGFR: it is printed under its own name beside the reported eGFR (specialist reviews Z40,
    Z41a, Z41b, Z41c: a clearance of 20.8 called 'eGFR' beside a reported eGFR of 24); on
    dialysis neither figure doses a drug."""
    if "{fact:egfr}" not in text:
        return text
    egfr, stage = facts.get("egfr"), facts.get("egfr_stage")
    if facts.get("dialysis") is True and isinstance(egfr, int | float):
        return text.replace("{fact:egfr}", f"{egfr:g} (on dialysis, so doses follow the dialysis "
                                           "schedule, not this figure)")
    if isinstance(egfr, int | float) and isinstance(stage, int | float) and egfr < stage - 0.05:
        text = _EGFR_SLOT.sub(lambda m: ("a " if m.group(1) else "") + "creatinine clearance "
                              f"{m.group(2) or ''}{egfr:g} mL/min "
                              f"(Cockcroft-Gault, below the reported eGFR of {stage:g})", text)
        return text.replace("{fact:egfr}", f"{egfr:g} (Cockcroft-Gault clearance; eGFR "
                                           f"{stage:g})")
    return text


def _fill(text: str, therapy: Therapy | None, facts: Facts,
          swaps: Sequence[WordingSwap] | None = None) -> str:
    """Fill ``{fact:name}`` with the patient's value (so a message names what triggered it)
    and, for therapy rules, ``{washout}`` and ``{paternal_washout}``."""
    # a parenthesis built around a fact that is not recorded is dropped, not printed as
    # 'unknown' (specialist review Z23a: 'Neutrophils 1.4 on a marrow-toxic drug (unknown %
    # down within 3 months)')
    text = _UNKNOWN_ASIDE.sub(
        lambda m: "" if facts.get(m.group(1)) is None else m.group(0), text)
    text = _kidney_figure_named(text, facts)
    text = _FACT_SLOT.sub(lambda m: _duration(facts.get(m.group(1)))
                          if m.group(1) in DURATION_FACTS else _readable(facts.get(m.group(1))),
                          text)
    if facts.get("childbearing_potential") is False and any(
            f"; {lead}" in text for lead in PREGNANCY_CLAUSES):
        # a pregnancy clause has no place in a man's or a child's plan (specialist review V:
        # bone-protection advice on pregnancy for men aged 68 and 74; review Z10b: 'in a girl
        # who could be pregnant' for a boy of two)
        parts = [p for p in text.split("; ")
                 if not p.lower().startswith(PREGNANCY_CLAUSES)]
        text = "; ".join(parts).rstrip(".") + "."
    # organ clauses ('for ovaries', 'for testes') follow the sex recorded; a patient recorded
    # as male who can become pregnant keeps both (review Z27d P2: sperm banking for a trans man)
    drop = ("for ovaries",) if facts.get("sex") == "male" \
        and facts.get("childbearing_potential") is False else \
        ("for testes",) if facts.get("sex") == "female" else ()
    if drop and any(f"; {lead}" in text for lead in drop):
        text = "; ".join(p for p in text.split("; ")
                         if not p.lower().startswith(drop)).rstrip(".") + "."
    if facts.get("hiv") is True:
        # with HIV, the HBV antiviral is tenofovir inside a fully suppressive HIV regimen: either
        # drug alone selects HIV resistance (specialist review Z38a P5: 'entecavir or tenofovir'
        # for a man with a detectable viral load on an HIV regimen without tenofovir); it comes
        # before the pregnancy wording, which names tenofovir alone
        text = text.replace("entecavir or tenofovir", HIV_HBV_ANTIVIRAL)
        text = text.replace(f"{HIV_HBV_ANTIVIRAL} (not lamivudine)", HIV_HBV_ANTIVIRAL)
        # the antiretroviral regimen is lifelong, not stopped 12 months after rituximab (re-score
        # of specialist review Z38a P5)
        text = text.replace("continued at least 12 months after the last rituximab dose",
                            "kept for life as part of the HIV treatment")
    if facts.get("pregnant") is True or (facts.get("planning_conception") is True
                                         and facts.get("childbearing_potential") is True):
        # the HBV antiviral of pregnancy (specialist review Z30a P7: 'entecavir or tenofovir'
        # for a woman at 22 weeks; EASL 2017)
        for general, in_pregnancy in PREGNANCY_SWAPS:
            text = text.replace(general, in_pregnancy)
    text = _swap_for_patient(text, facts, swaps)
    if therapy is None:
        return text
    reproduction = therapy.reproduction
    washout = (reproduction.washout if reproduction and reproduction.washout
               else "before conception; interval to agree with the specialist team")
    paternal = (reproduction.paternal_washout if reproduction and reproduction.paternal_washout
                else "before conception")
    return text.replace("{washout}", washout).replace("{paternal_washout}", paternal)


def fire(rule: Rule, facts: Facts, therapy: Therapy | None = None,
         swaps: Sequence[WordingSwap] | None = None) -> Firing | None:
    truth = evaluate(rule.when, facts, therapy)
    tid = therapy.id if therapy else None
    if truth is True:
        return Firing(rule, tid, rule.action, _fill(rule.text, therapy, facts, swaps), unknown=False)
    if truth is None and rule.if_unknown is not None:
        text = _fill(rule.if_unknown.text, therapy, facts, swaps)
        return Firing(rule, tid, rule.if_unknown.action, text, unknown=True)
    return None


_RULES_BY_THERAPY: dict[int, tuple[KnowledgeBase, dict[str, list[Rule]]]] = {}


def _rules_for(kb: KnowledgeBase, therapy_id: str) -> list[Rule]:
    """The therapy-scoped rules naming this therapy (directly or through a group), in rule
    order; indexed once per knowledge base, since every plan asks for every therapy."""
    cached = _RULES_BY_THERAPY.get(id(kb))
    if cached is None or cached[0] is not kb:
        index: dict[str, list[Rule]] = {}
        for rule in kb.rules.rules:
            for member in sorted({m for target in rule.applies_to
                                  for m in kb.group_members(target)}):
                index.setdefault(member, []).append(rule)
        cached = _RULES_BY_THERAPY[id(kb)] = (kb, index)
    return cached[1].get(therapy_id, [])


def therapy_firings(kb: KnowledgeBase, facts: Facts, therapy: Therapy) -> list[Firing]:
    """Every therapy-scoped rule that applies to this therapy for this patient."""
    return [f for rule in _rules_for(kb, therapy.id)
            if (f := fire(rule, facts, therapy, kb.wording_swaps)) is not None]


def patient_firings(kb: KnowledgeBase, facts: Facts) -> list[Firing]:
    """Patient-scoped rules (no affected therapies) that fire."""
    return [f for rule in kb.rules.rules if not rule.applies_to
            if (f := fire(rule, facts, swaps=kb.wording_swaps)) is not None]


def current_therapy_firings(kb: KnowledgeBase, facts: Facts) -> list[Firing]:
    """Therapy rules that fire for a therapy the patient takes now: ``do_now`` rules, and any
    withhold or high-severity caution (an interaction, a TPMT result, low IgG before the next
    rituximab cycle), which for a drug already taken needs action now. Firings keep their own
    action and text; :func:`as_action` turns one into a do-now line."""
    current = facts.get("current_therapies")
    if not isinstance(current, frozenset):
        return []
    out = []
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None:
            continue
        out += [f for f in therapy_firings(kb, facts, therapy)
                if f.action == "do_now" or (not f.unknown and (f.action == "withhold" or (
                    f.action == "caution" and f.rule.severity in ("urgent", "high"))))]
    return out


def as_action(firing: Firing, kb: KnowledgeBase) -> Firing:
    """A firing for a drug taken now, as a do-now line naming the drug."""
    if firing.action == "do_now" or firing.therapy is None:
        return firing
    name = kb.therapies[firing.therapy].name
    return Firing(firing.rule, firing.therapy, "do_now", f"Taken now ({name}): {firing.text}",
                  unknown=False)

"""Treatment options by line for one patient, with cautions, checks and monitoring.

Selection is deterministic: a knowledge-base use matches when it shares a phenotype with the
patient and either names no complication or names one the patient has. Refractory-line uses
appear only for refractory disease (or a refractory complication). An absolute contraindication
(or a guidance entry telling to stop the drug before conception) moves the option to `withheld`;
relative ones stay as cautions on the option.
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER, Therapy, Use
from myositis.services.careplan.model import (
    CarePlanInput,
    Caution,
    Check,
    Option,
    Withheld,
)

LINE_ORDER = {"initial": 0, "steroid_sparing": 1, "complication": 2, "refractory": 3,
              "adjunct": 4}
PREGNANCY_STOP = "pregnancy_stop_before_conception"
NON_PHARMACOLOGICAL = {"non_drug", "procedure", "topical"}


def _use_matches(use: Use, phenotype_list: list[str], complications: set[str],
                 refractory: bool) -> bool:
    if not set(use.phenotypes) & set(phenotype_list):
        return False
    if use.complications:
        return bool(set(use.complications) & complications)
    if use.line == "refractory" and use.recommended:
        return refractory
    return True


def _merge(options: list[Option]) -> list[Option]:
    """One option per therapy and line, combining the matching uses' reasons and sources."""
    merged: dict[tuple[str, str], Option] = {}
    for option in options:
        key = (option.therapy, option.line)
        if key not in merged:
            merged[key] = option
            continue
        first = merged[key]
        best = max(first.evidence_level, option.evidence_level, key=EVIDENCE_ORDER.__getitem__)
        merged[key] = first.model_copy(update={
            "rationale": f"{first.rationale} / {option.rationale}",
            "complications": sorted(set(first.complications) | set(option.complications)),
            "citations": list(dict.fromkeys([*first.citations, *option.citations])),
            "evidence_level": best,
        })
    return list(merged.values())


def _cautions(therapy: Therapy, conditions: set[str]) -> list[Caution]:
    return [
        Caution(condition=c.condition, severity=c.severity, text=c.text,
                citations=list(c.sources))
        for c in therapy.contraindications if c.condition in conditions
    ]


def _guidance_checks(therapy: Therapy, kb: KnowledgeBase) -> list[Check]:
    checks = []
    for item in kb.guidance.drug_safety:
        if item.id.startswith("pregnancy"):
            continue
        targets = {m for target in item.applies_to for m in kb.group_members(target)}
        if therapy.id in targets:
            checks.append(Check(text=f"{item.title}: {item.statement}", kb_entry=item.id,
                                citations=list(item.sources)))
    return checks


def _pregnancy_withheld(therapy: Therapy, kb: KnowledgeBase, conditions: set[str]) -> str | None:
    if not conditions & {"pregnancy", "planning_pregnancy"}:
        return None
    for item in kb.guidance.drug_safety:
        if item.id == PREGNANCY_STOP:
            targets = {m for t in item.applies_to for m in kb.group_members(t)}
            if therapy.id in targets:
                return item.id
    return None


def select_options(
    profile: CarePlanInput,
    kb: KnowledgeBase,
    phenotype_list: list[str],
    complications: set[str],
    refractory: bool,
) -> tuple[list[Option], list[Withheld], list[Withheld]]:
    conditions = profile.comorbidities.active()
    history = {m.therapy: m.outcome for m in profile.treatments}
    options: list[Option] = []
    withheld: dict[str, Withheld] = {}
    not_recommended: dict[str, Withheld] = {}
    for therapy in kb.therapies.values():
        matches = [u for u in therapy.uses
                   if _use_matches(u, phenotype_list, complications, refractory)]
        for use in (u for u in matches if not u.recommended):
            not_recommended.setdefault(therapy.id, Withheld(
                therapy=therapy.id, name=therapy.name, reason=use.rationale,
                citations=list(use.sources), kb_entry=therapy.id))
        matches = [u for u in matches if u.recommended]
        if not matches or therapy.id in not_recommended:
            continue
        absolute = [c for c in therapy.contraindications
                    if c.condition in conditions and c.severity == "absolute"]
        stop_item = _pregnancy_withheld(therapy, kb, conditions)
        if absolute or stop_item:
            reason = "; ".join(f"{c.condition}: {c.text}" for c in absolute)
            cites = [k for c in absolute for k in c.sources]
            if stop_item:
                item = next(i for i in kb.guidance.drug_safety if i.id == stop_item)
                reason = (reason + "; " if reason else "") + f"{item.title}: {item.statement}"
                cites += list(item.sources)
            withheld[therapy.id] = Withheld(therapy=therapy.id, name=therapy.name,
                                            reason=reason, citations=list(dict.fromkeys(cites)),
                                            kb_entry=stop_item or therapy.id)
            continue
        cautions = _cautions(therapy, conditions)
        checks = [Check(text=c.text, kb_entry=therapy.id, citations=list(c.sources))
                  for c in therapy.pretreatment_checks]
        if therapy.category not in NON_PHARMACOLOGICAL:
            checks += _guidance_checks(therapy, kb)
        monitoring = [Check(text=m.text, kb_entry=therapy.id, citations=list(m.sources))
                      for m in therapy.monitoring]
        for use in matches:
            rationale = use.rationale
            if therapy.investigational:
                rationale = "Investigational: " + rationale
            options.append(Option(
                therapy=therapy.id, name=therapy.name, line=use.line,
                complications=sorted(set(use.complications) & complications),
                evidence_level=use.evidence_level, investigational=therapy.investigational,
                rationale=rationale, citations=list(use.sources), cautions=cautions,
                before_starting=checks, monitoring=monitoring,
                previously=history.get(therapy.id), kb_entry=therapy.id,
            ))
    options = _merge(options)
    options.sort(key=lambda o: (LINE_ORDER[o.line], o.investigational,
                                o.previously in ("ineffective", "not_tolerated"),
                                -EVIDENCE_ORDER[o.evidence_level], o.therapy))
    return options, list(withheld.values()), list(not_recommended.values())

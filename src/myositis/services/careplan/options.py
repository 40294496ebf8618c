"""Treatment options for the patient's state, with the safety rules applied to each.

Selection: a knowledge-base use matches when it shares a phenotype with the patient, its line is
open in the current muscle state (:data:`LINES_BY_STATE`), and it names no complication or one
the patient has; a refractory use without a complication needs an inadequate response in muscle.
Then every safety rule in ``rules.yaml`` and every curated contraindication is evaluated against
the patient for each candidate: withhold moves it to ``withheld`` with the rule's reason, caution
and label stay on the option, do_now goes to the top of the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from myositis.knowledge import KnowledgeBase
from myositis.knowledge.schema import EVIDENCE_ORDER, Therapy, Use
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.model import Caution, Check, Option, Withheld
from myositis.services.careplan.rules import Firing, therapy_firings

LINE_ORDER = {"initial": 0, "steroid_sparing": 1, "complication": 2, "refractory": 3,
              "adjunct": 4}
LINES_BY_STATE: dict[str, set[str]] = {
    "new_onset": {"initial", "steroid_sparing", "complication", "adjunct"},
    "flare": {"initial", "steroid_sparing", "complication", "adjunct"},
    "active": {"initial", "steroid_sparing", "complication", "adjunct"},
    "stable": {"complication", "adjunct"},
    "inadequate_response": {"steroid_sparing", "refractory", "complication", "adjunct"},
    "remission": {"complication", "adjunct"},
    "not_involved": {"complication", "adjunct"},
    "unknown": {"initial", "steroid_sparing", "complication", "adjunct"},
}
# Legacy contraindication condition -> (fact, value that means "present"). Conditions that a
# rule in rules.yaml covers are left to the rule, so a caution is not printed twice.
CONDITION_FACTS: dict[str, tuple[str, object]] = {
    "active_infection": ("active_infection", True),
    "active_malignancy": ("active_cancer", True),
    "thrombosis_history": ("thrombosis_history", True),
    "renal_impairment": ("renal_impairment", True),
    "hepatic_impairment": ("hepatic_impairment", True),
    "heart_failure": ("heart_failure", True),
    "cardiovascular_risk": ("cardiovascular_risk", True),
}
IMMUNOSUPPRESSIVE_IN_IBM_REASON = (
    "Inclusion body myositis: immunosuppressive and immunomodulatory treatment has not been "
    "shown to help (randomised trials negative); not offered.")


@dataclass
class Selection:
    options: list[Option] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    not_recommended: list[Withheld] = field(default_factory=list)
    do_now: list[Firing] = field(default_factory=list)


# Organ complications are treated by organ: a complication-specific use for a related subgroup
# applies (JDM takes the adult DM organ evidence, overlap myositis the PM/ASyS evidence); the
# option then says so.
RELATED = {"jdm": {"dm", "adm"}, "overlap": {"pm", "asys", "dm"}}

NOT_ABOUT_TAKEN = {"low_dose_warfarin_calcinosis": (
    "warfarin", "This is about low-dose warfarin as a calcinosis treatment only; it does not "
                "concern the warfarin taken now for a clot or an arrhythmia.")}
"""A 'not recommended' entry that shares its drug with a medicine the patient takes for another
reason, and the sentence that keeps it from reading as 'stop it' (specialist review Z23c P7)."""
ORGAN_COMPLICATIONS = {"ild", "rp_ild", "progressive_fibrosing_ild", "dysphagia", "cardiac",
                       "calcinosis"}


def borrowed(use: Use, phenotypes: list[str]) -> bool:
    """True when the use applies only through a related subgroup's organ evidence."""
    if set(use.phenotypes) & set(phenotypes):
        return False
    related = {r for p in phenotypes for r in RELATED.get(p, set())}
    return bool(set(use.phenotypes) & related and set(use.complications) & ORGAN_COMPLICATIONS)


def use_matches(use: Use, phenotypes: list[str], complications: set[str],
                 muscle_state: str) -> bool:
    if not set(use.phenotypes) & set(phenotypes) and not borrowed(use, phenotypes):
        return False
    if use.complications:
        return bool(set(use.complications) & complications)
    if not use.recommended and "ibm" in phenotypes:
        return True  # IBM: every use with evidence against is shown, whatever the line
    if use.line == "refractory":
        # severe JDM (ulceration, gut vasculopathy...) escalates at once: IVIG and
        # cyclophosphamide are offered without waiting for an inadequate response (SHARE 2017)
        return muscle_state == "inadequate_response" or (
            muscle_state == "flare" and "flare_after_failures" in complications) or (
            bool({"severe_jdm", "jdm_flare_on_treatment", "jdm_second_line"} & complications)
            and "jdm" in use.phenotypes)
    return use.line in LINES_BY_STATE.get(muscle_state, set())


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
            "general_use": first.general_use or option.general_use,
        })
    return list(merged.values())


def legacy_contraindications(therapy: Therapy, facts: Facts) -> tuple[list[Caution], list[str]]:
    cautions: list[Caution] = []
    absolute: list[str] = []
    for c in therapy.contraindications:
        mapping = CONDITION_FACTS.get(c.condition)
        if mapping is None or facts.get(mapping[0]) != mapping[1]:
            continue
        if c.severity == "absolute":
            absolute.append(c.condition)
        cautions.append(Caution(condition=c.condition, severity=c.severity,
                                text=for_this_patient(c.text, facts) or c.text,
                                citations=list(c.sources)))
    return cautions, absolute


KIDNEY_FAILURE_EGFR = 15
FERTILITY_AGE_LIMIT = 55
"""From this age a curated check's fertility clause is left out (a project threshold)."""
HYDRATION = re.compile(r"[,;]?\s*(?:ensure |and )?hydrat(?:e|ion)(?: before infusion)?(?=[,.;]|$)")
FEMALE_ONLY = ("females of reproductive potential", "pregnancy test", "women of childbearing")


def kidney_failure(facts: Facts) -> bool:
    """On dialysis, or an eGFR (reported or estimated from creatinine) below 15."""
    egfr = facts.get("egfr")
    return facts.get("dialysis") is True or (
        isinstance(egfr, float | int) and egfr < KIDNEY_FAILURE_EGFR)


def for_this_patient(text: str, facts: Facts) -> str:
    """A curated check without the clauses that cannot apply: a pregnancy test for a man or a
    young child (specialist review R: "Females of reproductive potential: pregnancy test" in a
    man's plan). Clauses are the text's "; " parts; unknown sex keeps everything."""
    if kidney_failure(facts) or facts.get("heart_failure") is True:
        # no pre-hydration on dialysis, in kidney failure (review R: "hydrate" beside
        # "no pre-hydration") or with heart failure (review Z10d: EF 35 % and oedema after
        # IVIG told to hydrate); the kidney-failure and heart-failure rules say what to do
        text = HYDRATION.sub("", text).strip()
    age = facts.get("age_years")
    if isinstance(age, int | float) and age >= FERTILITY_AGE_LIMIT and "fertility" in text:
        # no fertility preservation for a man of 78 (specialist review V)
        parts = [p for p in text.split("; ") if "fertility" not in p.lower()]
        text = "; ".join(parts).strip()
        if text and not text.endswith("."):
            text += "."
    if facts.get("childbearing_potential") is not False:
        return text
    if text.lower().startswith("in pregnancy"):
        return ""
    kept = [part for part in text.split("; ")
            if not any(word in part.lower() for word in FEMALE_ONLY)]
    return "; ".join(kept).strip()


def select_options(kb: KnowledgeBase, facts: Facts, phenotypes: list[str],
                   complications: set[str], muscle_state: str, history: dict[str, str],
                   provisional: bool = False) -> Selection:
    out = Selection()
    immunosuppressive = set(kb.group_members("immunosuppressive")) | set(
        kb.group_members("immunoglobulin_group"))
    candidates: list[Option] = []
    for therapy in kb.therapies.values():
        # at a flare, an agent that brought remission before is offered again whatever its
        # line (specialist review X: IVIG with a complete response left out of a flare)
        worked = muscle_state == "flare" and history.get(therapy.id) in (
            "effective", "effective_with_reaction")
        matches = [u for u in therapy.uses
                   if use_matches(u, phenotypes, complications, muscle_state)
                   or (worked and u.recommended and not u.complications
                       and use_matches(u, phenotypes, complications, "inadequate_response"))]
        recommended = [u for u in matches if u.recommended]
        if "ibm" in phenotypes and therapy.id in immunosuppressive and recommended:
            out.not_recommended.append(Withheld(
                therapy=therapy.id, name=therapy.name, reason=IMMUNOSUPPRESSIVE_IN_IBM_REASON,
                citations=list(kb.therapies["immunosuppression_in_ibm"].uses[0].sources),
                kb_entry="immunosuppression_in_ibm"))
            continue
        if not recommended:
            rejected = [u for u in matches if not u.recommended]
            if rejected:
                reason = rejected[0].rationale
                medicine, aside = NOT_ABOUT_TAKEN.get(therapy.id, ("", ""))
                taken = facts.get("other_medicines")
                if medicine and isinstance(taken, frozenset) and medicine in taken:
                    reason = f"{reason.rstrip()} {aside}"
                out.not_recommended.append(Withheld(
                    therapy=therapy.id, name=therapy.name, reason=reason,
                    citations=list(dict.fromkeys(k for u in rejected for k in u.sources)),
                    kb_entry=therapy.id))
            continue
        firings = therapy_firings(kb, facts, therapy)
        out.do_now += [f for f in firings if f.action == "do_now"]
        # a reason that says when to start ("once the infection is treated") comes after the
        # reasons that say not now, so it never reads as permission (review E: rituximab 'start
        # it once the infection is treated' before 'IgG below 5 g/L: not now')
        held = sorted((f for f in firings if f.action == "withhold"),
                      key=lambda f: " once " in f" {f.text.lower()} ")
        legacy_cautions, absolute = legacy_contraindications(therapy, facts)
        if held or absolute:
            reason = "; ".join([f.text for f in held] + [
                c.text for c in legacy_cautions if c.condition in absolute])
            # a dose limit of this patient's organ function is said too: it weighs on any
            # later choice of the drug (specialist review Z44b P2: methotrexate withheld for
            # co-trimoxazole alone, the eGFR of 38 unsaid)
            limits = [f.text.rstrip(". ") for f in firings if f.action == "caution"
                      and f.rule.dose_adjustment and not f.unknown and f.text not in reason]
            if limits:
                reason = f"{reason.rstrip()} Also: {'; '.join(limits)}."
            cites = [k for f in held for k in f.rule.sources] + [
                k for c in legacy_cautions if c.condition in absolute for k in c.citations]
            out.withheld.append(Withheld(
                therapy=therapy.id, name=therapy.name, reason=reason,
                citations=list(dict.fromkeys(cites)),
                kb_entry=held[0].rule.id if held else therapy.id,
                rule_ids=[f.rule.id for f in held]))
            continue
        cautions = [Caution(condition=f.rule.id,
                            severity="check first" if f.unknown else f.rule.severity,
                            text=f.text, citations=list(f.rule.sources))
                    for f in firings if f.action in ("caution", "monitor")] + legacy_cautions
        if history.get(therapy.id) == "not_tolerated":
            # the record's own history, shown wherever the option is (specialist review S:
            # hydroxychloroquine listed without a word after a drug eruption)
            cautions.insert(0, Caution(
                condition="previously_not_tolerated", severity="high",
                text="Stopped before because it was not tolerated: re-offer only after weighing "
                     "that reaction with the patient (a drug eruption or another serious "
                     "reaction is a reason not to rechallenge)",
                citations=list(therapy.regulatory_sources)
                or list(dict.fromkeys(k for u in recommended for k in u.sources))))
        elif history.get(therapy.id) == "effective_with_reaction":
            cautions.insert(0, Caution(
                condition="previously_effective_with_reaction", severity="low",
                text="Worked before and was stopped for a reaction that was not severe: re-offer "
                     "with mitigation - the course split over 3-5 days at a slower rate, another "
                     "product, premedication for headache, or subcutaneous immunoglobulin (with "
                     "fluid overload or on dialysis, smaller volumes timed with the sessions)",
                citations=list(therapy.regulatory_sources)
                or list(dict.fromkeys(k for u in recommended for k in u.sources))))
        elif history.get(therapy.id) in ("mild_intolerance", "stopped_by_patient"):
            # it did not fail: a re-challenge is an option, with what made it stop addressed
            cautions.insert(0, Caution(
                condition=f"previously_{history[therapy.id]}", severity="low",
                text=("Stopped before for a mild reaction: a re-challenge with mitigation is "
                      "reasonable (for methotrexate: folic or folinic acid, the subcutaneous "
                      "route, evening dosing, an antiemetic)"
                      if history[therapy.id] == "mild_intolerance" else
                      "Stopped before by the patient's own decision (it did not fail): ask why, "
                      "and restart with its monitoring if the reason is resolved"),
                citations=list(therapy.regulatory_sources)
                or list(dict.fromkeys(k for u in recommended for k in u.sources))))
        # a general label gives way to a specific one on the same drug (the rule names it in
        # `covered_by`): 'Compatible with breastfeeding (ACR 2020, BSR 2023)' is not said of a
        # drug those guidelines do not cover, beside the line that is sourced for it
        fired_here = {f.rule.id for f in firings}
        labels = [f.text for f in firings if f.action == "label"
                  and not fired_here & set(f.rule.covered_by)]
        checks = [Check(text=text, kb_entry=therapy.id, citations=list(c.sources))
                  for c in therapy.pretreatment_checks
                  if (text := for_this_patient(c.text, facts))]
        monitoring = [Check(text=text, kb_entry=therapy.id, citations=list(m.sources))
                      for m in therapy.monitoring if (text := for_this_patient(m.text, facts))]
        for use in recommended:
            rationale = ("Investigational: " if therapy.investigational else "") + use.rationale
            if borrowed(use, phenotypes):
                rationale = (f"Evidence from {', '.join(use.phenotypes)} for this organ "
                             f"complication: {rationale}")
            candidates.append(Option(
                therapy=therapy.id, name=therapy.name, line=use.line,
                complications=sorted(set(use.complications) & complications),
                evidence_level=use.evidence_level, investigational=therapy.investigational,
                rationale=rationale, citations=list(use.sources), cautions=cautions,
                before_starting=checks, monitoring=monitoring,
                previously=history.get(therapy.id), labels=labels,
                general_use=not use.complications,
                rule_ids=[f.rule.id for f in firings], provisional=provisional,
                kb_entry=therapy.id,
            ))
    options = _merge(candidates)
    options.sort(key=lambda o: (LINE_ORDER[o.line], o.investigational,
                                o.previously in ("ineffective", "not_tolerated"),
                                -EVIDENCE_ORDER[o.evidence_level], o.therapy))
    out.options = options
    return out

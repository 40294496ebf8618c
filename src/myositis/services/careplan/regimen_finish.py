"""The steps that finish the approach once each domain has its regimen: one drug class across
domains, the checkpoint-inhibitor regimen, and the muscle decision point for the state."""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Option, Regimen
from myositis.services.careplan.regimen_lines import (
    CLASSES,
    DECISION,
    JDM_DECISION,
    JDM_LONG_STANDING,
    JDM_REMISSION,
    SEVERE_JDM,
)

DOMAIN_ORDER = {"lung": 0, "muscle": 1, "skin": 2}


def one_regimen_across_domains(regimens: list[Regimen], options: list[Option],
                                kb: KnowledgeBase) -> list[Regimen]:
    names = {o.name: o.therapy for o in options}
    lung = next((r for r in regimens if r.domain == "lung"), None)
    if lung is not None and len([e for e in lung.first_choice if e in names]) >= 3:
        # an intensive lung regimen (RP-ILD) already immunosuppresses the muscle: no extra
        # steroid-sparing agent or second glucocorticoid for the muscle on top of it
        immunosuppressive = set(kb.group_members("immunosuppressive"))
        regimens = [r.model_copy(update={"first_choice": [
            e for e in r.first_choice
            if names.get(e.removeprefix("add ").split(" (caution")[0]) not in immunosuppressive
        ] + ["immunosuppression as in the lung regimen"], "alternatives": []})
            if r.domain == "muscle" else r for r in regimens]
    chosen: dict[str, tuple[str, str]] = {}  # class or therapy -> (name, domain)
    out: dict[int, Regimen] = {}
    for index, regimen in sorted(enumerate(regimens),
                                 key=lambda p: DOMAIN_ORDER.get(p[1].domain, 3)):
        first: list[str] = []
        for entry in regimen.first_choice:
            bare = entry.removeprefix("add ").split(" (caution")[0]
            therapy = names.get(bare)
            key = CLASSES.get(therapy or "", therapy or "")
            if therapy and key in chosen and chosen[key][1] != regimen.domain:
                name, domain = chosen[key]
                first.append(f"{name} (also covers {regimen.domain}; chosen for {domain})"
                             if name == bare else
                             f"no second {key}: {name} is chosen for {domain}")
                continue
            if therapy:
                chosen.setdefault(key, (bare, regimen.domain))
            first.append(entry)
        out[index] = regimen.model_copy(update={"first_choice": first})
    return [out[i] for i in range(len(regimens))]


REMISSION_OFF_GC = ("Remission with no steroid dose to taper: no induction; once it has held "
                    "for about a year, a slow taper of one steroid-sparing drug at a time can be "
                    "discussed, with a written flare plan and the core set (strength, CK, "
                    "skin) every 6-8 weeks during the taper and after the stop; stop one drug "
                    "at a time.")


REMISSION_WITH_ILD = ("Muscle in remission with ILD: the lung decides - any reduction of a drug "
                      "that also treats the lung is agreed with the ILD team, in steps, rarely to "
                      "zero (antisynthetase and anti-MDA5 ILD relapse often); FVC and DLCO before "
                      "each step and 3 months after; a relative fall of 10 % in FVC or 15 % in "
                      "DLCO, or new symptoms, returns to the previous dose.")
ICI_DECISION = ("Checkpoint-inhibitor myositis (ASCO 2021): grade 2, prednisone 0.5-1 mg/kg/day; "
                "grade 3-4, myocarditis or myasthenic (bulbar, ptosis, breathing) features: IV "
                "methylprednisolone 1 g/day for 3-5 days with IVIG or plasma exchange, in hospital "
                "with troponin and CK daily; stop the checkpoint inhibitor permanently with "
                "myocarditis or grade 3-4 disease; taper over at least 4-6 weeks once improving; "
                "conventional steroid-sparing agents are not first-line.")


def ici_regimen(muscle: Regimen, options: list[Option], complications: set[str],
                 provisional: bool) -> Regimen:
    """The muscle regimen for myositis caused by a checkpoint inhibitor: glucocorticoids (IV
    pulses when severe) with IVIG or plasma exchange, never a conventional steroid-sparing
    agent first (specialist review S: azathioprine proposed with metastatic cancer)."""
    by_id = {o.therapy: o for o in options}
    severe = "severe_ici" in complications
    lead = ["methylprednisolone_iv_pulse", "glucocorticoids_oral"] if severe \
        else ["glucocorticoids_oral"]
    rescue = ["ivig", "plasma_exchange"]
    first = [by_id[t].name for t in lead if t in by_id] + (
        [by_id[t].name for t in rescue[:1] if t in by_id] if severe else [])
    alternatives = [by_id[t].name for t in rescue if t in by_id
                    and by_id[t].name not in first]
    return Regimen(domain="muscle", state=muscle.state,
                   first_choice=first or ["glucocorticoids with oncology (none offered here: "
                                          "see the withheld list)"],
                   alternatives=alternatives, decision_point=ICI_DECISION,
                   provisional=provisional)


def muscle_decision(state: str, jdm: bool, phenotypes: list[str], complications: set[str],
              gc_now: float | None = None, ivig_available: bool = True,
              pregnant: bool = False, months_since_onset: float = 0,
              conventional_available: bool = True) -> str:
    """The decision point for the muscle state; in remission off glucocorticoids it says how
    a steroid-sparing drug is withdrawn (specialist review R: a patient in long remission asking
    to stop was told to wait for 'sustained remission'). The withdrawal steps are common
    practice; no myositis guideline fixes them."""
    if jdm and state in ("new_onset", "active", "flare"):
        target = JDM_LONG_STANDING if state == "active" and months_since_onset >= 24 \
            else JDM_DECISION
        return (SEVERE_JDM if "severe_jdm" in complications else "") + target
    if jdm and state == "remission":
        return JDM_REMISSION
    if "imnm" in phenotypes and state in ("new_onset", "active", "flare"):
        # with the conventional agents withheld too, the sentence names no option that is
        # not there (specialist review Z72a P4: 'a conventional agent' when all three were
        # withheld for a low count and an eGFR of 17)
        hmgcr = ("anti-HMGCR, IVIG early and statins stopped" if ivig_available else
                 "anti-HMGCR, statins stopped; IVIG and the conventional agents are withheld "
                 "for this patient (see Withheld), so glucocorticoids now, and rituximab or "
                 "another agent decided with the specialist team" if not conventional_available
                 else
                 "anti-HMGCR, statins stopped; IVIG is withheld for this patient, so "
                 "glucocorticoids with a conventional agent, and rituximab when that is not "
                 "enough")
        if pregnant:
            # rituximab in pregnancy depletes the newborn's B cells (specialist review Z17d P3:
            # 'rituximab next' at 20 weeks' gestation)
            return ("IMNM in pregnancy: glucocorticoids with IVIG (compatible with pregnancy "
                    "and effective in IMNM) or a pregnancy-compatible agent (azathioprine, or "
                    "tacrolimus with levels); "
                    "reassess strength and CK every 4-8 weeks with the obstetric team; "
                    "rituximab only for organ- or life-threatening disease without an "
                    "alternative (the newborn's B cells may be depleted: no live vaccines to "
                    "the baby for 6 months), with swallowing and breathing-muscle checks at "
                    "each step.")
        return (f"IMNM (ENMC 224 as summarised): {hmgcr}; anti-SRP, rituximab early; "
                "reassess strength and CK every 4-8 weeks; not improving by 6 months: "
                "escalate - rituximab next (after IVIG and a conventional agent in anti-HMGCR "
                "disease), with swallowing and breathing-muscle checks at each step.")
    if state == "remission" and "ild" in complications:
        # specialist review X: stable antisynthetase ILD on mycophenolate invited to taper
        # 'one steroid-sparing drug at a time' as if the drug treated the muscle alone
        return ("Taper glucocorticoids to stop first. " if gc_now else "") + REMISSION_WITH_ILD
    if state == "remission" and gc_now == 0:
        return REMISSION_OFF_GC
    return DECISION.get(state, "")


def _head(entry: str) -> str:
    """The agent an approach entry names: 'add X (note)' and 'Continue X' both give 'x'."""
    text = entry.removeprefix("add ").removeprefix("Continue and optimise ")
    return text.removeprefix("Continue ").split(" (")[0].split(":")[0].strip().lower()


def without_repeats(regimens: list[Regimen]) -> list[Regimen]:
    """One mention per agent in a regimen: a plain 'add X' gives way to the qualified 'add X for
    ...' beside it, and an alternative already in the first choice is dropped (specialist review
    Z10b: 'add IVIG + add IVIG for a significant flare', and ciclosporin as both first choice and
    alternative)."""
    out = []
    for r in regimens:
        heads = [_head(e) for e in r.first_choice]
        first = [e for e, h in zip(r.first_choice, heads, strict=True)
                 if not (e.startswith("add ") and e.removeprefix("add ").lower() == h
                         and any(o != e and o.lower().startswith(f"add {h} ")
                                 for o in r.first_choice))]
        # a bare name said twice ('+ Intravenous immunoglobulin + add Intravenous
        # immunoglobulin', specialist review Z38d P5) keeps its first mention
        seen: set[str] = set()
        kept = []
        for e in first:
            head = _head(e)
            if head in seen and e.removeprefix("add ").lower() == head:
                continue
            seen.add(head)
            kept.append(e)
        first = kept
        named = {_head(e) for e in first}
        alternatives = [a for a in r.alternatives if _head(a) not in named]
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out

"""The treatment-changes lines: drugs taken now that the plan withholds, and what replaces them.

A drug held for a result is a pause, a drug recorded as ineffective is reviewed, and a stopped
steroid-sparing agent is replaced only from this patient's offered options (or, for pregnancy,
from the curated pregnancy-compatible agents), so the changes never name what the detail withholds.
"""

from __future__ import annotations

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Option
from myositis.services.careplan.regimen_lines import (
    CLASSES,
    REPRODUCTIVE_REASONS,
    names_of,
    ranked,
    usable,
)
from myositis.services.state import DiseaseState

__all__ = ["LOW_COUNT_REASONS", "change_verb", "stop_lines"]

LOW_COUNT_REASONS = ("Neutrophils below", "White cells below", "Low white count", "ALT ")
MILD_WHITE_COUNT_HOLD = "White cells below 3.5 x10^9/L ("
"""How the hold for a white-cell fall with the neutrophils kept begins (rule
``myelotoxic_drug_taken_low_white_count``)."""
"""How the laboratory holds begin (a low count, a liver-pattern ALT): a pause, not a failure."""



PREGNANCY_SWITCH_ORDER = ("azathioprine", "tacrolimus")
"""The pregnancy-compatible steroid-sparing agents named first when a teratogen is switched."""

LIVER_REASONS = ("liver", "alt ", "hepat")
"""Words of a hold reason that make it a liver reason."""


def change_verb(reason: str) -> str:
    """How a drug taken now that the plan withholds is changed: 'Review' one recorded as
    ineffective, 'Hold' one paused for a result or an infection - a pause, not the end of a drug
    that works (re-score of specialist review Z34b P5: 'Stop baricitinib' for an infected
    calcinosis ulcer) - and 'Stop' otherwise."""
    if reason.startswith("recorded as ineffective but"):
        return "Review"
    # a pulse or course deferred (specialist review Z71b P1: 'Stop cyclophosphamide' for the next
    # pulse deferred during CMV viraemia) is held too
    if " hold " in f" {reason.lower()} " or "infection" in reason.lower() \
            or "deferred" in reason.lower() or "viraemia" in reason.lower():
        return "Hold"
    return "Stop"


def stop_lines(state: DiseaseState, options: list[Option], held: dict[str, str],
               current: frozenset[str], kb: KnowledgeBase, complications: set[str],
               thiopurine: str | None, pregnant: bool, planning_conception: bool,
               unstartable: frozenset[str] = frozenset()) -> list[str]:
    """One line per drug taken now that a rule holds or stops, then what replaces a stopped
    steroid-sparing agent; empty when nothing taken is withheld. ``unstartable`` holds the
    agents a withholding rule would hold for this patient (a low count, an infection): the
    curated pregnancy replacements are named only outside it (specialist review Z64c P3,
    dangerous: 'switch to azathioprine ... now' in septic shock with neutrophils of 1.1)."""
    muscle = state.of("muscle")
    ild = "ild" in complications
    # a rule that holds a drug for now says 'hold', not 'stop' (review U: "Stop IVIG: ...
    # hold the next course")
    # a drug recorded as ineffective but still taken is reviewed, not stopped outright: it may
    # stay as background treatment beside the next agent (specialist review Z11c: 'Stop
    # mycophenolate' as the first action in antisynthetase ILD after rituximab had failed)
    stop = [f"{change_verb(held[t])} {kb.therapies[t].name}: {held[t]}" for t in sorted(current)
            if t in held and t in kb.therapies]
    if stop:
        # name what replaces a stopped steroid-sparing agent, from the offered options that
        # carry a compatible label (pregnancy, breastfeeding, paternal) or none at all
        stopped = {t for t in current if t in held}
        sparing_stopped = any(kb.therapies[t].category == "conventional_immunosuppressant"
                              for t in stopped if t in kb.therapies)
        kept_classes = {CLASSES[t] for t in current if t in CLASSES and t not in held}
        replacing = [o for o in usable(options) if o.therapy not in current
                     and o.therapy not in held
                     and CLASSES.get(o.therapy) not in kept_classes
                     and kb.therapies[o.therapy].category in ("conventional_immunosuppressant",
                                                              "immunoglobulin", "antimalarial")]
        # a drug stopped for pregnancy or conception is replaced by a labelled-compatible one
        compatible = [o for o in replacing if o.labels] or replacing
        reproductive = any(word in held[t].lower() for t in stopped
                           for word in REPRODUCTIVE_REASONS)
        # an antimalarial replaces no steroid-sparing agent for muscle or lung
        compatible = [o for o in compatible
                      if kb.therapies[o.therapy].category != "antimalarial"
                      and not (ild and o.therapy == "methotrexate")]  # review U: fibrotic ILD
        # a replacement with a high caution for this patient (ciclosporin at a clearance of 21
        # with heart failure) is not named when one without exists, and never alone (specialist
        # review Z12a)
        safe = [o for o in compatible
                if not any(c.severity in ("high", "absolute") for c in o.cautions)]
        # an agent that failed or was not tolerated before comes after one not yet tried
        # (specialist review Z27c P4: tacrolimus, stopped for tremor, as the pregnancy switch)
        # in pregnancy azathioprine, then tacrolimus, lead the switch (specialist review Z49b P8:
        # 'switch to ciclosporin' first at 7 weeks, with its blood pressure and kidney effects
        # clouding the pre-eclampsia checks)
        # held for the liver, the least liver-toxic agent leads (specialist review Z66a P6:
        # 'switch to azathioprine' first for a drinker with ALT 3.6 x ULN, beside the rule's own
        # 'an agent with less liver toxicity (mycophenolate)')
        liver = any(word in held[t].lower() for t in stopped for word in LIVER_REASONS)
        names = names_of(sorted(ranked(safe, ild), key=lambda o: (
            o.previously is not None,
            PREGNANCY_SWITCH_ORDER.index(o.therapy) if reproductive
            and o.therapy in PREGNANCY_SWITCH_ORDER else len(PREGNANCY_SWITCH_ORDER),
            liver and o.therapy != "mycophenolate"))[:2]) \
            if safe else []
        if reproductive and not any(o.therapy in PREGNANCY_SWITCH_ORDER for o in safe):
            # the options of this state hold neither (a skin flare offers ciclosporin): the
            # curated first choices of pregnancy are named instead
            names = [kb.therapies[t].name for t in PREGNANCY_SWITCH_ORDER
                     if t in kb.therapies and t not in current and t not in held
                     and t not in unstartable and CLASSES.get(t) not in kept_classes]
        if not names and compatible and not reproductive:
            names = ["a steroid-sparing agent chosen with the team (each option carries a "
                     "caution for this patient: see the detail)"]
        if not names and reproductive:
            # nothing new is offered in this state (remission, say): name the curated
            # pregnancy-compatible steroid-sparing agents from the knowledge base
            names = [t.name for t in kb.therapies.values()
                     if t.category == "conventional_immunosuppressant" and t.reproduction
                     and t.reproduction.pregnancy == "compatible" and t.id not in current
                     and t.id not in held and t.id not in unstartable
                     and CLASSES.get(t.id) not in kept_classes][:2]
        aza = kb.therapies["azathioprine"].name if "azathioprine" in kb.therapies else None
        if thiopurine == "deficient":
            names = [n for n in names if n != aza]
        elif thiopurine == "intermediate":
            # the genotype travels with the name (review A: a TPMT-intermediate woman told to
            # switch to azathioprine with no word of the dose)
            names = [f"{n} (TPMT or NUDT15 intermediate: start at 30-80 % of the target dose)"
                     if n == aza else n for n in names]
        if ild and (state.of("lung") in ("new_onset", "flare", "inadequate_response")
                    or "rp_ild" in complications):
            # the lung regimen below chooses the agents for an active lung; naming another
            # here contradicted it (specialist review X: 'switch to mycophenolate' beside a
            # tacrolimus and cyclophosphamide lung regimen)
            names = ["the agents of the lung regimen below"] if names else names
        pneumonitis = any("pneumonitis" in held[t].lower() for t in stopped)
        count_only = bool(stopped) and all(held[t].startswith(LOW_COUNT_REASONS)
                                           for t in stopped)
        compatible_kept = (pregnant or planning_conception) and all(
            (r := kb.therapies[t].reproduction) is not None and r.pregnancy == "compatible"
            for t in stopped if t in kb.therapies)
        if sparing_stopped and count_only and compatible_kept:
            # the pregnancy-compatible maintenance is held for a low count, not stopped: a
            # flare in pregnancy is the greater risk (specialist review Z17b P8: 'stop
            # azathioprine without a replacement' before IVF at white cells 3.4)
            stop = [line.replace("Stop ", "Hold ", 1) for line in stop]
            stop.append("repeat the blood count with a differential (every 1-3 days while it is "
                        "low); once it recovers and the cause is known, restart at a reduced dose "
                        "with the specialist team - the pregnancy-compatible maintenance is kept "
                        "through conception and pregnancy")
        elif sparing_stopped and count_only:
            # a hold for a laboratory result is a pause, not the end of the drug (specialist
            # review Z18c P3: 'in sustained remission, stop without a replacement' for a boy
            # four months into treatment whose ALT had risen)
            stop = [line.replace("Stop ", "Hold ", 1) for line in stop]
            # the pace and the restart are the specialist team's (re-scores of specialist review
            # Z18: 'repeat within 2 weeks' at neutrophils 0.1 and platelets 22)
            # a mild white-cell fall with the neutrophils kept is rechecked within a week, not
            # every 1-3 days (re-score of specialist review Z57d P5)
            mild = all(held[t].startswith(MILD_WHITE_COUNT_HOLD) for t in stopped)
            # only the tests that are abnormal (specialist review Z69d P4: 'a low blood count
            # every 1-3 days' beside normal counts, for a liver hold)
            liver_only = all(held[t].startswith("ALT ") for t in stopped)
            stop.append(("repeat the blood count with a differential within a week"
                         if mild else "repeat the liver tests within 2 weeks" if liver_only
                         else "repeat the tests (a low blood count every 1-3 days, "
                         "liver tests within 2 weeks)")
                        + "; once they recover and the cause is known, the specialist team "
                        "decides on a restart at a reduced dose or a replacement; the "
                        "glucocorticoid stays at its dose, no taper meanwhile")
        elif sparing_stopped and names and pneumonitis:
            # no new immunosuppressant before infection is excluded (specialist review V)
            stop.append("once infection and drug pneumonitis are excluded and the lung is "
                        "confirmed as myositis ILD, switch to " + " or ".join(names))
        # remission, not merely a stable visit: a steroid-dependent course is not 'sustained
        # remission' (specialist review Z19b P6: a 17-year-old's only steroid-sparing agent
        # stopped without a replacement)
        elif sparing_stopped and muscle == "remission" and not reproductive \
                and (not ild or state.of("lung") in ("stable", "remission")):
            # in remission the stop may need no replacement, and IVIG is no maintenance swap
            # (specialist review P: IVIG first to replace methotrexate in sustained remission);
            # a stable lung is watched, not replaced by reflex (specialist review Z17a P8: 'switch
            # to a steroid-sparing agent' for a frail 84-year-old in remission for years)
            replacements = [n for n in names if n != kb.therapies["ivig"].name]
            stop.append("in sustained remission, stop without a replacement and watch for a "
                        "flare (core set and CK at 6-8 weeks" + (
                            "; FVC and DLCO at 3 months, decided with the ILD team" if ild
                            else "") + ")" + (
                            "; if a replacement is needed, " + " or ".join(replacements)
                            if replacements else ""))
        elif sparing_stopped and names:
            # in pregnancy the maintenance is switched, never simply stopped: a flare (a lupus
            # nephritis flare in an overlap) is the greater risk (specialist review Z48b P5)
            stop.append("switch to " + " or ".join(names) + (
                " (or, in sustained remission, consider stopping without a replacement)"
                if muscle in ("remission", "stable") and not ild
                and not pregnant and not planning_conception else
                " (in pregnancy switched now, not stopped without a replacement)"
                if pregnant else ""))
        elif sparing_stopped and reproductive and unstartable & set(PREGNANCY_SWITCH_ORDER):
            # the pregnancy-compatible agents are held for now (a low count, an infection): the
            # switch waits for that, it is not made into it (specialist review Z64c P3)
            held_now = " or ".join(kb.therapies[t].name for t in PREGNANCY_SWITCH_ORDER
                                   if t in unstartable and t in kb.therapies)
            stop.append(f"a pregnancy-compatible replacement ({held_now}) only once the finding "
                        "that rules it out now (a low count, an infection: see Do now) has "
                        "resolved, chosen with the specialist and obstetric teams; the "
                        "glucocorticoid stays at its dose, no taper meanwhile")
        elif sparing_stopped:
            # stopped for toxicity: a replacement is chosen once the cause is known, and none
            # is named from outside this patient's offered options
            # the glucocorticoid is the only maintenance left: no taper meanwhile (specialist
            # review Z47c P6: 'taper glucocorticoids' beside methotrexate stopped for toxicity in
            # antisynthetase ILD)
            stop.append("whether and with what to replace it: decide with the specialist team "
                        "once the cause is known; the glucocorticoid stays at its dose, no taper "
                        "meanwhile")
    return stop

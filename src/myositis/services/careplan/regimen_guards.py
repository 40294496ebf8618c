"""Guards applied to the assembled approach: every drug taken now named, pulses in progress
completed, escalation held while the diagnosis is re-examined, and dose lines for drugs the plan
stops left out.

They run after the per-domain regimens are built, because each reads the approach as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.illness_guards import DURING_FEVER, DURING_INFECTION
from myositis.services.careplan.model import Action, CarePlan, Regimen
from myositis.services.careplan.regimen_lines import restate_kept, starts_new_agent
from myositis.services.careplan.regimens import KEPT
from myositis.services.muscle_trend import steroid_myopathy_possible, strength_fell

DEFERRED = "once the diagnosis is confirmed: "
AFTER_VARICELLA = ("after the chickenpox incubation period (day 21 after the contact, day 28 if "
                   "immunoglobulin was given), or at once if an organ is threatened, with "
                   "antiviral cover: ")
"""Escalations that wait for a chickenpox incubation period to end."""

INCUBATION_TEXT = {
    "chickenpox": {
        "hold": ("Chickenpox or shingles contact in the last 3 weeks, not known to be immune: no "
                 "rise in glucocorticoid and no new immunosuppressant during the incubation "
                 "period unless an organ is threatened (post-exposure prophylaxis: see Do now)"),
        "after": AFTER_VARICELLA,
        "threat": ("chickenpox incubation: the escalation for the threatened organ goes ahead "
                   "with the antiviral prophylaxis continued, IVIG beside it and "
                   "infection-specialist advice"),
        "decision": ("Reassess once the incubation period ends (any rash before then: IV "
                     "aciclovir at once); then escalate as the disease requires.")},
    "measles": {
        "hold": ("Measles contact in the last 3 weeks, immunity not confirmed: no high-dose "
                 "glucocorticoid and no new immunosuppressant until measles IgG shows immunity "
                 "or the incubation period ends, unless an organ is threatened (post-exposure "
                 "immunoglobulin: see Do now)"),
        "after": ("once measles IgG shows immunity or the incubation period has ended (day 21 "
                  "after the contact, day 28 if immunoglobulin was given), or at once if an organ "
                  "is threatened: "),
        "threat": ("measles incubation: the escalation for the threatened organ goes ahead with "
                   "post-exposure immunoglobulin and infection-specialist advice"),
        "decision": ("Reassess once immunity is shown or the incubation period ends (fever, "
                     "rash or cough before then: isolate and test for measles at once); then "
                     "start or escalate as the disease requires.")},
}
"""The wording of an incubation hold per infection (measles: specialist review Z24d P7, a
6-year-old given prednisolone and methotrexate 4 days after a measles contact)."""


HELD_TODAY = {"tacrolimus_toxicity": "tacrolimus"}
"""Do-now rules that hold a drug today; the approach then says 'hold', never 'continue'."""

HOLD_WORDS = re.compile(
    r"(?<!whether to )(?<!decide )\b(?:hold|withhold)\s+(?:the\s+)?(antimetabolites|methotrexate|"
    r"mycophenolate|azathioprine|leflunomide|rituximab|hydroxychloroquine|tacrolimus|ciclosporin)"
    r"|no (methotrexate) dose",
    re.IGNORECASE)
ANTIMETABOLITES = ("azathioprine", "mycophenolate", "methotrexate")


def held_by_urgent_lines(actions: list[Action], current: frozenset[str],
                         not_by_mouth: frozenset[str] = frozenset()) -> set[str]:
    """Drugs taken now that an urgent do-now line holds in words ('hold antimetabolites and
    rituximab meanwhile', 'no methotrexate dose'): the approach must not 'continue' them
    (specialist review Z5c: 'Continue Mycophenolate' during a hypoxaemic Pneumocystis
    pneumonia whose own line said to hold antimetabolites). A hold 'by mouth' does not hold a
    drug given another way (``not_by_mouth``; specialist review Z21c P1: subcutaneous
    methotrexate held for a gut vasculopathy whose line held it by mouth only)."""
    held: set[str] = set()
    for action in actions:
        if action.urgency != "urgent":
            continue
        for match in HOLD_WORDS.finditer(action.text):
            word = (match.group(1) or match.group(2)).lower()
            words = set(ANTIMETABOLITES) if word == "antimetabolites" else {word}
            if action.text[match.end():].startswith(" by mouth"):
                words -= not_by_mouth
            held |= words
    return held & current


def without_keep_lines_for_held(actions: list[Action], held_names: dict[str, str],
                                 keep_rules: set[str]) -> list[Action]:
    """An urgent line holds a drug today: the 'keep it' lines of the same drug go (specialist
    review Z14d P7: 'withhold tacrolimus today' beside 'a calcineurin inhibitor that is
    working: keep it' at a trough of 14.5 with a kidney injury). ``held_names`` maps therapy id
    to name; ``keep_rules`` are the ids of rules whose advice for a drug taken is to continue."""
    out = []
    for a in actions:
        prefixes = tuple(f"Taken now ({name})" for name in held_names.values())
        if a.code in keep_rules and (a.text.startswith(prefixes)
                                     or set(a.therapies) & set(held_names)):
            continue
        out.append(a)
    return out


def glucocorticoid_myopathy_first(regimens: list[Regimen],
                                  record: PatientRecord) -> list[Regimen]:
    """Weaker with normal muscle enzymes on 15 mg/day or more of prednisolone for 6 weeks:
    glucocorticoid myopathy is as likely as refractory disease, so the muscle regimen assesses
    before it escalates (specialist review Z6a: rituximab first for an anti-Jo-1 patient weaker
    after prednisolone went from 20 to 40 mg, CK falling, HbA1c rising). The escalation waits
    among the alternatives for an MRI that shows active myositis."""
    visits = record.visits
    if len(visits) < 2:
        return regimens
    # weaker against the previous visit, or by more than 2 MMT-8 points against the best of
    # the two before it (a slow slide on a raised dose)
    earlier = [v.core_set.mmt8 for v in visits[-3:-1] if v.core_set.mmt8 is not None]
    latest = visits[-1].core_set.mmt8
    sliding = bool(earlier) and latest is not None and latest < max(earlier) - 2
    if not (strength_fell(visits[-2], visits[-1]) or sliding):
        return regimens
    why = steroid_myopathy_possible(record, visits[-2], visits[-1])
    if why is None:
        return regimens
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle" or regimen.state not in ("inadequate_response", "active") \
                or any(e.startswith("Before any new agent") for e in regimen.first_choice):
            # the regimen already images before it escalates (specialist review V)
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if not e.startswith(("Continue", "Taper",
                                                                    "Hold", "Stop"))]
        kept = [e for e in regimen.first_choice if e not in new]
        out.append(regimen.model_copy(update={
            "first_choice": ["Glucocorticoid myopathy first (" + why.split(":")[0] + "): no "
                             "escalation now - a muscle MRI (oedema points to active myositis, "
                             "none to steroid myopathy), potassium, thyroid and vitamin D, and a "
                             "supervised glucocorticoid taper if the MRI is quiet", *kept],
            "alternatives": ["if the MRI shows active myositis: " + " + ".join(new),
                             *regimen.alternatives] if new else regimen.alternatives}))
    return out


TAPER_UNDER_COVER = ("tapered under the cover of the steroid-sparing agent, to 15 mg/day or "
                     "less in a scleroderma overlap - glucocorticoid damage and renal-crisis "
                     "risk outweigh holding the dose")


def taper_despite_active_lung(regimens: list[Regimen]) -> list[Regimen]:
    """Glucocorticoid damage (fractures, growth) or a scleroderma overlap (renal crisis)
    outranks 'no taper while the lung is active' (specialist review Z6c: a 13-year-old with two
    vertebral fractures, growth arrest and scleroderma-overlap ILD)."""
    return [r.model_copy(update={"first_choice": [
        e.replace("(taken now; no taper while the lung is active)",
                  f"(taken now; {TAPER_UNDER_COVER})")
        .replace("(no taper for the muscle's sake while the lung is active)",
                 f"({TAPER_UNDER_COVER})")
        for e in r.first_choice]}) for r in regimens]


SSC_CEILING = ("at 15 mg/day or less (scleroderma overlap: higher doses bring on a renal crisis); "
               "escalate with the steroid-sparing agent or IVIG, not the glucocorticoid dose")


def ssc_glucocorticoid_ceiling(regimens: list[Regimen], gc_name: str) -> list[Regimen]:
    """A glucocorticoid started in a scleroderma overlap is capped at 15 mg/day in the approach
    itself (specialist review Z8a: the new-onset regimen named the induction dose)."""
    return [r.model_copy(update={"first_choice": [
        f"{gc_name} {SSC_CEILING}" if e == gc_name else e for e in r.first_choice]})
        for r in regimens]


def hold_in_approach(regimens: list[Regimen], names: list[str]) -> list[Regimen]:
    """'Continue X' becomes 'Hold X (see Do now)' for each name."""
    def line(entry: str) -> str:
        for name in names:
            if entry.startswith((f"Continue {name}", f"Continue and optimise {name}",
                                 f"Optimise {name}")):
                return f"Hold {name} while the urgent problem is treated (see Do now)"
        return entry
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        line(e) for e in r.first_choice))}) for r in regimens]


ESCALATION_DO_NOW = frozenset({"jdm_target_missed_first_line", "jdm_target_missed_on_second_line",
                               "jdm_target_missed_pregnant"})
"""Do-now lines that push a new agent: left out while the diagnosis is re-examined."""


NOT_CLASSIFIED_WHY = ("the 2017 EULAR/ACR criteria do not classify this as myositis, and a "
                      "dystrophy or metabolic myopathy does not respond to immunosuppression")


SERONEGATIVE_IMNM_WHY = ("an antibody-negative necrotising myopathy that has not responded is a "
                         "muscular dystrophy (dysferlin, FKRP, sarcoglycans, the DMD gene in a "
                         "boy) until shown otherwise, and a dystrophy does not respond to "
                         "immunosuppression")


BLAND_BIOPSY_WHY = ("every myositis antibody is negative and the biopsy shows no inflammation, "
                    "MHC-I upregulation or necrosis: a mimic (a dystrophy, late-onset Pompe "
                    "disease) until shown otherwise, and these do not respond to "
                    "immunosuppression")


SKIN_CATEGORIES = {"antimalarial", "topical"}


def pulses_in_progress(regimens: list[Regimen], current: frozenset[str],
                       kb: KnowledgeBase, swallow_unsafe: bool = False,
                       child_weight_kg: float | None = None, child: bool = False
                       ) -> list[Regimen]:
    """IV methylprednisolone pulses already running are completed, and the oral dose that
    follows them is named, rather than proposed as a new start (specialist review V: day 3 of
    pulses in anti-MDA5 RP-ILD, with no oral dose after them). A child's dose is the paediatric
    one, worked out from the weight (review Z5b: 'usually 40-60 mg/day' for a 6-year-old of
    19.5 kg; SHARE 2017: prednisolone 1-2 mg/kg/day, maximum 60 mg)."""
    pulse = kb.therapies.get("methylprednisolone_iv_pulse")
    if pulse is None or "methylprednisolone_iv_pulse" not in current:
        return regimens
    if child:
        oral = ("prednisolone 1-2 mg/kg/day, maximum 60 mg"
                + (f" ({min(60.0, child_weight_kg):.0f}-{min(60.0, 2 * child_weight_kg):.0f} "
                   f"mg/day at {child_weight_kg:g} kg)" if child_weight_kg else
                   " (record the weight to work it out)"))
    else:
        oral = "prednisolone 0.5-1 mg/kg/day (usually 40-60 mg/day)"
    then = (f"Complete the {pulse.name} (taken now), then "
            + (f"{oral} by feeding tube, or the IV methylprednisolone equivalent, while "
               "swallowing is unsafe" if swallow_unsafe else
               f"oral {oral} as the regimen requires"))
    out = []
    for regimen in regimens:
        # 'continue' a 3-day course is to complete it and name the oral dose after it
        # (specialist review I: "Continue and optimise pulses" with no oral glucocorticoid)
        first = [then if pulse.name in entry and not entry.startswith(("Stop", "Hold", "Review"))
                 else entry for entry in regimen.first_choice]
        first = list(dict.fromkeys(first))
        out.append(regimen.model_copy(update={"first_choice": first}))
    return out


PULSE_REVIEW_DAYS = 28


def pulses_just_given(regimens: list[Regimen], record: PatientRecord, kb: KnowledgeBase,
                      organ_threatening: bool) -> list[Regimen]:
    """IV methylprednisolone pulses finished within the last 4 weeks are not proposed again
    as if none had been given (specialist review X: a second course straight after the first,
    in a patient not yet classified). Their effect is judged over 2-4 weeks; with an organ
    threatened a repeat stays on the list, with the date of the last course beside it."""
    pulse = kb.therapies.get("methylprednisolone_iv_pulse")
    today = record.on()
    given = [t.stop or t.start for t in record.treatments
             if t.therapy == "methylprednisolone_iv_pulse" and (t.stop or t.start) is not None]
    recent = [d for d in given if d is not None and 0 <= (today - d).days <= PULSE_REVIEW_DAYS]
    if pulse is None or not recent:
        return regimens
    last = max(recent)
    waiting = (f"{pulse.name} were given (last {last.isoformat()}): judge their effect over "
               "2-4 weeks before another course")
    out = []
    for regimen in regimens:
        first = []
        for entry in regimen.first_choice:
            proposes = pulse.name in entry and not entry.startswith(
                ("Stop", "Hold", "Review", "Complete"))
            if not proposes:
                first.append(entry)
            elif organ_threatening:
                first.append(f"{entry} (a course ended on {last.isoformat()}: repeat only if "
                             "the organ is still failing, with the specialist team)")
            else:
                first.append(waiting)
        out.append(regimen.model_copy(update={"first_choice": list(dict.fromkeys(first))}))
    return out


AFTER_PULSES = "then daily from the day after the last pulse"


def daily_glucocorticoid_after_pulses(regimens: list[Regimen], kb: KnowledgeBase,
                                      current: Collection[str], withheld: Collection[str],
                                      child: bool) -> list[Regimen]:
    """IV methylprednisolone pulses are followed by a daily glucocorticoid: a regimen that
    proposes pulses (or records a course just given) while no oral glucocorticoid is taken or
    proposed names it (specialist review Z20a P3: anti-MDA5 JDM with rapidly progressive ILD,
    three pulses given, oral glucocorticoids under 'not in the recommended approach')."""
    pulse = kb.therapies.get("methylprednisolone_iv_pulse")
    oral = kb.therapies.get("glucocorticoids_oral")
    if pulse is None or oral is None or oral.id in current or oral.id in withheld:
        return regimens
    if any(oral.name in e for r in regimens for e in r.first_choice):
        return regimens
    dose = "1-2 mg/kg/day, at most 60 mg/day (SHARE 2017)" if child else "about 1 mg/kg/day"
    step = f"{AFTER_PULSES}: {oral.name}, {dose}, IV while swallowing is unsafe"
    out = []
    for regimen in regimens:
        first = [f"{e} {step}" if pulse.name in e and AFTER_PULSES not in e
                 and not e.startswith(("Stop", "Hold", "Review")) else e
                 for e in regimen.first_choice]
        out.append(regimen.model_copy(update={"first_choice": first}))
        if first != regimen.first_choice:  # once, in the first regimen that gives pulses
            step = "(then the daily glucocorticoid above)"
    return out


CHANGES = "treatment changes"
REPLACEMENT_CATEGORIES = ("conventional_immunosuppressant", "biologic", "jak_inhibitor")


def replacement_as_in_the_regimens(regimens: list[Regimen], kb: KnowledgeBase,
                                   current: Collection[str]) -> list[Regimen]:
    """The replacement named under 'treatment changes' is the steroid-sparing agent that the
    organ regimens start, not another one (specialist review Z20d P4: 'Stop mycophenolate +
    switch to tacrolimus' at 9 weeks of pregnancy, while the muscle and lung regimens each
    added azathioprine)."""
    changes = next((r for r in regimens if r.domain == CHANGES), None)
    if changes is None:
        return regimens
    candidates = [t.name for t in kb.therapies.values()
                  if t.category in REPLACEMENT_CATEGORIES and t.id not in current]
    started = list(dict.fromkeys(
        name for r in regimens if r.domain != CHANGES for e in r.first_choice
        for name in candidates
        if e.removeprefix("add ").startswith(name) and "(taken now" not in e))
    if not started:
        return regimens
    first = [f"switch to {' or '.join(started)} (as in the regimens below)"
             if e.startswith("switch to ") and not any(n in e for n in started) else e
             for e in changes.first_choice]
    return [r.model_copy(update={"first_choice": first}) if r is changes else r
            for r in regimens]


PREGNANCY_SKIN = ("in pregnancy only for severe or ulcerating skin disease, with the obstetric "
                  "team (azathioprine or IVIG first)")


def no_new_systemic_agent_for_skin_in_pregnancy(regimens: list[Regimen], kb: KnowledgeBase,
                                                current: Collection[str]) -> list[Regimen]:
    """In pregnancy, skin disease that is not ulcerating gets hydroxychloroquine, topical
    treatment and sun protection, not a new systemic immunosuppressant as first choice
    (specialist review Z20a P6: ciclosporin for a CDASI of 10 at 7 weeks, in a pregnancy the
    plan itself flagged for pre-eclampsia)."""
    # IVIG too: for mild skin disease in pregnancy it is no first step either (it joined the
    # JDM refractory-skin options with review Z27a P6)
    names = [t.name for t in kb.therapies.values()
             if t.category in (*REPLACEMENT_CATEGORIES, "immunoglobulin")
             and t.id not in current]
    out = []
    for regimen in regimens:
        if regimen.domain != "skin":
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice
               if any(e.removeprefix("add ").startswith(n) for n in names)
               and "(taken now" not in e]
        if not new:
            out.append(regimen)
            continue
        # a systemic agent among the alternatives carries the same limit (the switch of a
        # stopped teratogen then names none of them: re-score of review Z20a P6)
        alternatives = [a.split(" (")[0] + f" ({PREGNANCY_SKIN})"
                        if any(a.startswith(n) for n in names) and PREGNANCY_SKIN not in a
                        else a for a in regimen.alternatives]
        out.append(regimen.model_copy(update={
            "first_choice": [e for e in regimen.first_choice if e not in new]
            or ["Photoprotection and topical treatment"],
            "alternatives": [*[e.removeprefix("add ").split(" (")[0] + f" ({PREGNANCY_SKIN})"
                               for e in new], *alternatives]}))
    return out


KEEPING = ("Continue", "Photoprotection", "Topical")
LIMITED = re.compile(r"\bonly (?:for|if|once|when|after|in|with)\b")


def skin_escalation_named(regimens: list[Regimen]) -> list[Regimen]:
    """Skin that is not responding is not left with 'continue' alone: the first of its
    alternatives becomes the step to add (specialist review Z21b P7: refractory amyopathic DM on
    hydroxychloroquine and topicals told to continue all three, mycophenolate and IVIG only
    among the alternatives)."""
    out = []
    for r in regimens:
        if r.domain == "skin" and r.state in ("inadequate_response", "flare") and r.alternatives \
                and r.first_choice and all(e.startswith(KEEPING) for e in r.first_choice):
            step = r.alternatives[0]
            # never one the plan has limited (pregnancy, 'only for', a trial)
            if not LIMITED.search(step) and "trial" not in step.lower() \
                    and PREGNANCY_SKIN not in step:
                r = r.model_copy(update={"first_choice": [*r.first_choice, "add " + step],
                                         "alternatives": r.alternatives[1:]})
        out.append(r)
    return out


RAISE_TO_INDUCTION = re.compile(r"\(now ([\d.]+) mg/day = [\d.]+ mg/kg: below the induction "
                                r"range[^)]*\)")


def diagnosis_before_escalation(regimens: list[Regimen],
                                why: str = NOT_CLASSIFIED_WHY) -> list[Regimen]:
    """A 'polymyositis' that the 2017 criteria do not classify as myositis (or only with a
    biopsy not yet done) and that does not
    respond: no new agent until the diagnosis is re-examined; the escalation waits among the
    alternatives (specialist review K: rituximab first, HSCT and cyclophosphamide offered, for
    a 16-year-old with calf weakness and CK 45 x ULN, most likely a dystrophy)."""
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle":
            out.append(regimen)
            continue
        kept = [e for e in regimen.first_choice if e.startswith(KEPT) or "(taken now" in e]
        new = [e for e in regimen.first_choice if e not in kept]
        # no 'partner of the new agent' while no new agent is started (re-score of review K)
        # nor a 'raise to the induction range' inside it (specialist review Z13a: 'continue,
        # without raising ... raise to 0.5-1 mg/kg/day' after 60 mg/day had not helped)
        kept = [RAISE_TO_INDUCTION.sub(r"(now \1 mg/day)", e) for e in kept]
        kept = [e.replace("Continue and optimise ", "Continue, without raising, ", 1)
                .replace("keep it only as the partner of the new agent, or stop it",
                          "whether to stop it is part of the diagnostic review")
                # a glucocorticoid that never helped is withdrawn, not 'tapered as the
                # response allows' (specialist review O: five years without a response)
                .replace("tapering as the response allows",
                         "tapering towards withdrawal (no adequate response; adrenal precautions "
                         "after long use)") for e in kept]
        lead = ("Re-examine the diagnosis before any new agent: " + why
                + " - biopsy review with dystrophy and metabolic "
                "stains, muscle MRI of the thighs and calves (the pattern points to the gene: "
                "posterior calf involvement to dysferlin), genetic testing (the DMD gene and a "
                "limb-girdle panel), the Pompe enzyme, an echocardiogram, no heavy eccentric "
                "exercise, and no suxamethonium or volatile anaesthetics until a dystrophy is "
                "excluded")
        deferred = [*new, *regimen.alternatives][:4]
        out.append(regimen.model_copy(update={
            "first_choice": [lead, *kept],
            "alternatives": [DEFERRED + " or ".join(deferred)] if deferred else [],
            "decision_point": "The diagnostic review (biopsy review with dystrophy and metabolic "
                              "stains, genetic testing, the Pompe enzyme) decides whether "
                              "immunosuppression continues at all."}))
    return out


def first_choice_therapies(plan: CarePlan) -> set[str]:
    """Therapy ids a regimen names as its first choice (pulses bring the oral glucocorticoid
    that follows them)."""
    named = {o.therapy for g in plan.regimens for e in g.first_choice for o in plan.options
             if o.name in e}
    if "methylprednisolone_iv_pulse" in named:
        named.add("glucocorticoids_oral")
    return named


def regimen_therapies(plan: CarePlan, current: frozenset[str]) -> list[str]:
    """Therapy ids the recommended approach starts, in the order it names them: never one
    taken now (an induction range printed beside "continue" reads as a dose to go back to);
    IV methylprednisolone pulses bring the oral glucocorticoid that follows them."""
    # an escalation deferred until the diagnosis is confirmed gets no dose yet (re-score of
    # review K: a rituximab dose worked out beside 're-examine the diagnosis first')
    entries = [e for g in plan.regimens for e in (*g.first_choice, *g.alternatives)
               if not e.startswith(KEPT)
               and not e.startswith((DEFERRED, AFTER_VARICELLA, DURING_INFECTION, DURING_FEVER))]
    named = []
    for e in entries:
        matched = [o for o in plan.options if o.name in e and o.therapy not in current]
        # the longest name wins: 'Intravenous immunoglobulin for calcinosis' is not also
        # 'Intravenous immunoglobulin' (specialist review Z10b: a failed IVIG dosed again)
        named += [o.therapy for o in matched
                  if not any(o.name != m.name and o.name in m.name for m in matched)]
    if "methylprednisolone_iv_pulse" in named and "glucocorticoids_oral" not in current:
        named.insert(named.index("methylprednisolone_iv_pulse") + 1, "glucocorticoids_oral")
    return list(dict.fromkeys(named))


ANTI_REJECTION = frozenset({"tacrolimus", "ciclosporin", "mycophenolate", "azathioprine",
                            "sirolimus", "glucocorticoids_oral"})
"""Drugs a solid-organ transplant recipient takes for the graft: kept and changed only with the
transplant team, whatever the myositis plan says of them."""

def name_every_current_drug(regimens: list[Regimen], current: frozenset[str],
                            kb: KnowledgeBase, stopping: frozenset[str] | set[str] = frozenset(),
                            not_working: frozenset[str] | set[str] = frozenset(),
                            stop_for: dict[str, str] | None = None,
                            graft: frozenset[str] | set[str] = frozenset()) -> list[Regimen]:
    """Every knowledge-base drug taken now appears in the approach, so none disappears
    silently (specialist review Q: methotrexate taken with IVIG was neither continued nor
    stopped; review R: hydroxychloroquine in skin remission). A drug not yet named is added as
    'Continue' to the skin regimen for skin drugs, else to the first regimen."""
    if not regimens:
        return regimens
    said = " ".join(e for r in regimens for e in (*r.first_choice, *r.alternatives,
                                                  r.decision_point)).lower()
    said_in_full = said
    # the topical agent names the systemic one in brackets: that is not the systemic drug
    # said (specialist review Q: tacrolimus taken now left out of the approach)
    for topical in ("topical_calcineurin_inhibitors", "topical_corticosteroids"):
        if topical in kb.therapies:
            said = said.replace(kb.therapies[topical].name.lower(), "")
    lung_active = any(r.domain == "lung" and r.state in ("new_onset", "active", "flare",
                                                         "inadequate_response")
                      for r in regimens)
    out = list(regimens)
    for therapy_id in sorted(current):
        therapy = kb.therapies.get(therapy_id)
        if therapy is None or therapy.category in ("non_drug", "procedure") \
                or therapy.name.lower() in said \
                or (therapy.category == "topical" and therapy.name.lower() in said_in_full):
            # a topical agent already named is not added a second time (review Z4b)
            continue
        if therapy.category == "glucocorticoid" and ("taper glucocorticoids" in said
                                                      or "continue glucocorticoids" in said
                                                      or "then oral prednisolone" in said):
            continue  # the regimen already says what to do with it (specialist review V)
        skin_drug = therapy.category in SKIN_CATEGORIES
        index = next((i for i, r in enumerate(out) if r.domain == "skin"), 0) if skin_drug else 0
        target = out[index]
        if therapy_id in (stop_for or {}):
            # stopped by a do-now rule about the patient (kidney function and a bisphosphonate
            # taken for osteoporosis; review W: "its prescriber decides" beside "no
            # bisphosphonate now")
            line = f"Stop {therapy.name} (taken now): {(stop_for or {})[therapy_id]}"
        elif therapy_id in graft and therapy_id in stopping:
            # an anti-rejection drug withheld for a reason of this patient's (pregnancy, an
            # interaction): switched with the transplant team, never simply stopped
            line = (f"Change {therapy.name} only with the transplant team (taken now as an "
                    "anti-rejection drug; see the withheld list)")
        elif therapy_id in graft:
            # an anti-rejection drug is kept for the graft even where it is no myositis
            # treatment (specialist review Z27d P4: 'Stop Tacrolimus' and 'Stop Mycophenolate'
            # for IBM in a kidney-transplant recipient, H842)
            line = (f"Keep {therapy.name} as the transplant team sets it (taken now as an "
                    "anti-rejection drug: not stopped or raised for the myositis)")
        elif therapy_id in stopping:
            # withheld or not recommended for this patient (glucocorticoids in IBM): never
            # "continue" (re-score of review Q)
            line = (f"Taper {therapy.name} to stop (taken now; see the withheld list)"
                    if therapy.category == "glucocorticoid"
                    else f"Stop {therapy.name} (taken now; see the withheld list)")
        elif therapy_id == "methylprednisolone_iv_pulse" and lung_active:
            # pulses are a course, not a maintenance dose (specialist review Z26c P2: 'continue
            # IV methylprednisolone pulses ... no taper' with no oral dose to follow)
            line = (f"Complete the {therapy.name} (taken now; usually 3 days), then oral "
                    "prednisolone at the dose the lung regimen sets (no taper while the lung is "
                    "active)")
        elif therapy.category == "glucocorticoid" and lung_active:
            # no taper while the lung is active (review D: 'lowest effective dose, tapering'
            # beside a failing RP-ILD regimen)
            line = (f"Continue {therapy.name} at the dose the lung regimen sets (taken now; no "
                    "taper while the lung is active)")
        elif therapy.category == "glucocorticoid":
            line = (f"Continue {therapy.name} at the lowest effective dose, tapering as the "
                    "response allows (taken now)")
        elif therapy.category == "calcinosis_agent" and not any(
                r.domain == "calcinosis" for r in out):
            # taken for another reason (colchicine for gout): not a myositis treatment to
            # continue in the muscle regimen (specialist review Z)
            line = (f"{therapy.name} is taken now for another reason: not a myositis "
                    "treatment; its prescriber decides")
        elif therapy_id in not_working and lung_active and therapy.category in (
                "conventional_immunosuppressant", "biologic"):
            # the lung is being treated: a backbone drug is not dropped on its own (specialist
            # review Z7d: 'keep tacrolimus only as the partner of the new agent, or stop it' in
            # anti-MDA5 RP-ILD, with IVIG the only new agent)
            line = (f"Continue {therapy.name} (taken now, without an adequate response so "
                    "far) as part of the combination while the lung is treated; a change is "
                    "decided with the ILD team, not a stop on its own")
        elif therapy_id in not_working:
            # taken for 12 weeks or more without an adequate response (the state says so):
            # 'continue' with no reason reads as an oversight (specialist review U)
            line = (f"{therapy.name} (taken now, without an adequate response): keep it only "
                    "as the partner of the new agent, or stop it")
        else:
            line = f"Continue {therapy.name} (taken now)"
        out[index] = target.model_copy(update={"first_choice": [*target.first_choice, line]})
        said += " " + therapy.name.lower()
    return out


def without_moot_dose_lines(actions: list[Action], kb: KnowledgeBase,
                            stopped: set[str]) -> list[Action]:
    """Leave out the dose adjustments of drugs this plan stops (rules marked
    ``dose_adjustment``): 'lower methotrexate to 12.5 mg/week and recheck in 4 weeks' beside
    'stop methotrexate' reads as 'keep it' (specialist review O: IBM with eGFR 31 and falling
    and white cells 3.4)."""
    rules = {r.id: r for r in kb.rules.rules}

    def moot(action: Action) -> bool:
        rule = rules.get(action.kb_entry or "")
        return (rule is not None and rule.dose_adjustment and bool(action.therapies)
                and set(action.therapies) <= stopped)
    return [a for a in actions if not moot(a)]


VARICELLA_DOMAINS = frozenset({"muscle", "skin", "lung"})


RESCUE_WORDS = ("methylprednisolone", "immunoglobulin", "ivig", "cyclophosphamide",
                "glucocorticoid iv", "plasma exchange", "prednisolone")
"""Words of an approach entry that make it a rescue for a threatened organ: it goes ahead
during an incubation period, where a slow new agent waits."""


def varicella_incubation(regimens: list[Regimen], organ_threatening: bool,
                         ivig: str | None, harmless: frozenset[str] = frozenset(),
                         agents: frozenset[str] = frozenset(),
                         infection: str = "chickenpox") -> list[Regimen]:
    """A seronegative (or untested) patient within 3 weeks of a chickenpox or shingles contact:
    no glucocorticoid rise and no new immunosuppressant until the incubation period ends,
    unless an organ is threatened; IVIG, which also gives passive protection, bridges if
    escalation cannot wait (specialist review U: pulses, a glucocorticoid rise and
    mycophenolate or ciclosporin for two children with a household contact). ``ivig`` is the
    IVIG option's name when the plan may offer it; ``harmless`` the names of options that
    suppress no immunity (antimalarials, topicals, non-drug measures), which stay; ``agents``
    the names of the immunosuppressive options, whose new starts wait."""
    out = []
    bridged = False
    for regimen in regimens:
        if regimen.domain not in VARICELLA_DOMAINS:
            out.append(regimen)
            continue
        def escalates(entry: str) -> bool:
            if entry.startswith(KEPT) or "(taken now" in entry \
                    or any(name in entry for name in harmless):
                return False
            # a modest glucocorticoid rise is a rise too (re-score of specialist review Z28c P4:
            # 'no rise in glucocorticoid' beside 'a modest, short rise of prednisolone')
            return entry.startswith(("add ", "raise ", "for a mild flare a modest")) \
                or any(n in entry for n in agents)

        kept = [e.replace("Continue and optimise ", "Continue ", 1)
                for e in regimen.first_choice if not escalates(e)]
        new = [e for e in regimen.first_choice if escalates(e)]
        if not new:
            out.append(regimen)
            continue
        words = INCUBATION_TEXT[infection]
        if organ_threatening:
            # the rescue for the threatened organ goes ahead; a slow new agent (rituximab, an
            # antimetabolite) helps no organ this month and waits for the incubation to end
            # (specialist review Z27c P3: rituximab first for a seronegative child 3 days
            # after a chickenpox contact, H848)
            slow = [e for e in new if not any(w in e.lower() for w in RESCUE_WORDS)]
            out.append(regimen.model_copy(update={
                "first_choice": [e for e in regimen.first_choice if e not in slow]
                + [words["threat"]],
                "alternatives": ([re.sub(r",? or at once if an organ is threatened,?", "",
                                         words["after"]) + " + ".join(
                    e.removeprefix("add ").split(" (caution")[0] for e in slow)]
                    if slow else []) + list(regimen.alternatives)}))
            continue
        hold = words["hold"]
        bridge = [f"{ivig} if escalation cannot wait (it also gives passive protection)"] \
            if ivig and not bridged and not any(ivig in e for e in kept) else []
        bridged = bridged or bool(bridge)
        deferred = [e.removeprefix("add ") for e in new if not (ivig and ivig in e)]
        out.append(regimen.model_copy(update={
            "first_choice": [hold, *kept, *bridge],
            "alternatives": [words["after"] + " + ".join(deferred)] if deferred else [],
            "decision_point": words["decision"]}))
    return out


def no_dose_rise(regimens: list[Regimen], reasons: dict[str, str],
                 lower: frozenset[str] = frozenset()) -> list[Regimen]:
    """'Continue and optimise X' or 'Optimise X (raise ...)' becomes 'Continue X (reason)' for
    a drug whose dose must not rise now: above its ceiling for this patient's kidney function,
    or with its monitoring bloods overdue (specialist review U: 'raise methotrexate towards
    20-25 mg/week' with bloods 6.5 months old; 'continue and optimise methotrexate' beside 'above
    the 12.5 mg/week ceiling' at eGFR 36). ``reasons`` maps drug names to the reason; for the
    names in ``lower`` (a dose to bring down) a plain 'Continue X' gets the reason too."""
    def line(entry: str) -> str:
        for name, reason in reasons.items():
            if entry.startswith((f"Continue and optimise {name}", f"Optimise {name}")):
                return f"Continue {name} ({reason})"
            if name in lower and entry.startswith(f"Continue {name}") and reason not in entry:
                return f"{entry} - {reason}"
        return entry
    return [r.model_copy(update={"first_choice": [line(e) for e in r.first_choice]})
            for r in regimens]


END_OF_LIFE = ("Near the end of life (see Goals of care): keep what helps now and start nothing "
               "whose benefit takes months")


def within_goals_of_care(regimens: list[Regimen], slow: frozenset[str]) -> list[Regimen]:
    """Near the end of life, no new agent whose benefit takes months and no IV pulses: what
    helps now (IVIG, the glucocorticoid dose that controls symptoms, skin care) stays
    (specialist review V: azathioprine and IV pulses added for a woman with weeks to live from
    ovarian cancer whose swallowing depended on IVIG). ``slow`` holds the names of such
    agents, IV pulses included."""
    out = []
    for regimen in regimens:
        if regimen.domain not in VARICELLA_DOMAINS:
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if starts_new_agent(e, slow)]
        # the glucocorticoid is kept at the dose that controls symptoms, not tapered to a target
        kept = [restate_kept(e, ": the lowest dose that controls symptoms")
                for e in regimen.first_choice if e not in new]
        if not new and kept == regimen.first_choice:
            out.append(regimen)
            continue
        deferred = [e.removeprefix("add ") for e in new]
        out.append(regimen.model_copy(update={
            "first_choice": [END_OF_LIFE, *kept] if new else kept,
            "alternatives": ["only if the patient chooses more active treatment: "
                             + " or ".join(deferred)] if deferred else regimen.alternatives}))
    return out


REFRACTORY_NAMED = "the refractory options (IVIG, rituximab)"


def decision_without_first_choice(regimens: list[Regimen]) -> list[Regimen]:
    """A decision point does not keep for later what the first choice already gives
    (specialist review Z7c: IVIG first for anti-TIF1-gamma DM, then 'after two agents fail, the
    refractory options (IVIG, rituximab)')."""
    out = []
    for r in regimens:
        if REFRACTORY_NAMED in r.decision_point:
            given = " ".join(r.first_choice).lower()
            left = [name for name, word in (("IVIG", "immunoglobulin"),
                                            ("rituximab", "rituximab")) if word not in given]
            later = (f"the refractory options ({', '.join(left)})" if left
                     else "a specialist myositis centre's options")
            r = r.model_copy(update={"decision_point": r.decision_point.replace(
                REFRACTORY_NAMED, later)})
        out.append(r)
    return out


AFTER_DRUG_TOXICITY = "once hydroxychloroquine toxicity is excluded: "


def drug_toxicity_first(regimens: list[Regimen]) -> list[Regimen]:
    """A toxic myopathy from a drug taken now is excluded before the muscle is escalated: new
    agents wait among the alternatives and nothing is raised (specialist review Z8a:
    mycophenolate added and prednisolone 'optimised' beside a possible hydroxychloroquine
    myopathy)."""
    out = []
    for r in regimens:
        if r.domain != "muscle":
            out.append(r)
            continue
        kept = [e.replace("Continue and optimise ", "Continue, without raising, ", 1)
                for e in r.first_choice if e.startswith(KEPT) or e.startswith("Hold ")]
        new = [e.removeprefix("add ") for e in r.first_choice
               if not (e.startswith(KEPT) or e.startswith("Hold "))]
        out.append(r.model_copy(update={
            "first_choice": kept or ["No new agent for the muscle until the drug toxicity is "
                                     "excluded (see Do now)"],
            "alternatives": ([AFTER_DRUG_TOXICITY + " or ".join(new)] if new else [])
            + r.alternatives}))
    return out


ANTIMETABOLITE_IDS = ("mycophenolate", "azathioprine", "methotrexate")


def cyclophosphamide_in_place(regimens: list[Regimen], cyc_name: str,
                              antimetabolite_names: list[str], risks: list[str]) -> list[Regimen]:
    """A lung that progresses slowly on an antimetabolite: cyclophosphamide replaces it rather
    than joining it, and with infection risks it waits for an immunology and infection review
    behind nintedanib (specialist review Z8d: IV cyclophosphamide added to mycophenolate for a
    slowly progressive fibrotic antisynthetase ILD in a man with HIV, IgG 5.1 and lymphocytes
    0.7)."""
    lung = next((r for r in regimens if r.domain == "lung" and r.state == "inadequate_response"
                 and any(e.startswith(cyc_name) for e in r.first_choice)), None)
    if lung is None:
        return regimens
    taken = antimetabolite_names
    line = cyc_name + (f" in place of {' and '.join(taken)} (stopped when it starts, not added "
                       "to it)" if taken else "")
    out = []
    for r in regimens:
        first, alternatives = list(r.first_choice), list(r.alternatives)
        if r is lung and risks:
            first = [e for e in first if not e.startswith(cyc_name)]
            alternatives = [f"{line}, after an immunology and infection review ("
                            + ", ".join(risks) + ")", *alternatives]
            if not any(e.startswith(("add Nintedanib", "Nintedanib")) for e in first):
                first.insert(0, "ILD multidisciplinary review before more immunosuppression")
        elif r is lung:
            first = [line if e.startswith(cyc_name) else e for e in first]
        if not risks:
            # replaced, so not also continued anywhere in the approach
            first = [e for e in first if not any(e.startswith(f"Continue {n}") for n in taken)]
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out


def one_new_agent_for_the_joints(regimens: list[Regimen]) -> list[Regimen]:
    """The joints get no second new immunosuppressant when another domain already starts one:
    that agent treats the joints too, and the joint agent waits for them to stay active on it
    (specialist review Z8d: 'add azathioprine' for the lung and 'add tacrolimus' for the joints
    before a conception)."""
    joints = next((r for r in regimens if r.domain == "joints"), None)
    if joints is None:
        return regimens
    # an organ regimen's agent first, then the replacement named in the treatment changes
    ordered = sorted((r for r in regimens if r.domain != "joints"),
                     key=lambda r: r.domain == "treatment changes")
    started = [e.removeprefix("add ").removeprefix("switch to ").split(" (")[0]
               for r in ordered for e in r.first_choice if e.startswith(("add ", "switch to "))]
    own = [e for e in joints.first_choice if e.startswith("add ")]
    if not started or not own:
        return regimens
    agent = started[0]
    waiting = [e.removeprefix("add ") for e in own]
    out = []
    for r in regimens:
        if r is joints:
            r = r.model_copy(update={
                "first_choice": [e for e in r.first_choice if e not in own]
                + [f"{agent}, started for the other domain, treats the joints too"],
                "alternatives": ["if the joints stay active on it: " + " or ".join(waiting),
                                 *r.alternatives]})
        out.append(r)
    return out


def kidney_safe_rp_ild(regimens: list[Regimen], tacrolimus: str, rituximab: str) -> list[Regimen]:
    """Rapidly progressive ILD with an eGFR below 30: tacrolimus (nephrotoxic, levels hard to
    hold) gives way to rituximab where it is offered (specialist review Z9b: pulses, tacrolimus
    and cyclophosphamide on mycophenolate for a frail woman with CKD 4)."""
    out = []
    for r in regimens:
        uses_tac = any(e.startswith(tacrolimus) for e in r.first_choice)
        rtx = next((a for a in r.alternatives if a.startswith(rituximab)), None)
        if r.domain == "lung" and uses_tac and rtx is not None:
            r = r.model_copy(update={
                "first_choice": [rtx if e.startswith(tacrolimus) else e for e in r.first_choice],
                "alternatives": [a for a in r.alternatives if a != rtx]
                + [f"{tacrolimus} (eGFR below 30: nephrotoxic; only with the kidney team and "
                   "close trough levels)"]})
        out.append(r)
    return out


def within_a_limited_ceiling(regimens: list[Regimen], cyc_name: str, ivig_name: str,
                             why: str) -> list[Regimen]:
    """Rapidly progressive ILD in a frail patient or under a limited ceiling of treatment: the
    marrow-toxic cyclophosphamide waits among the alternatives and IVIG, which adds no
    immunosuppression, takes its place (specialist review Z9b: a frail woman of 74 with CKD 4,
    lymphocytes 0.6 and a no-ICU ceiling given four immunosuppressants)."""
    out = []
    for r in regimens:
        cyc = next((e for e in r.first_choice if e.startswith(cyc_name)), None)
        if r.domain == "lung" and cyc is not None:
            ivig = next((a for a in r.alternatives if a.startswith(ivig_name)), None)
            first = [e for e in r.first_choice if e != cyc] + ([ivig] if ivig else [])
            r = r.model_copy(update={
                "first_choice": first,
                "alternatives": [a for a in r.alternatives if a != ivig]
                + [f"{cyc} - weighed against {why} with the patient and family"]})
        out.append(r)
    return out


WITHDRAWAL_STEP = ("a slow taper of {name} can start now (remission has held a year or more off "
                   "glucocorticoids): in steps over 6-12 months, one drug at a time, with a "
                   "written flare plan (a relapse returns to the last effective dose), the core "
                   "set every 6-8 weeks during the taper and after the stop, and a bone density "
                   "scan and cardiovascular risk review after the glucocorticoid years")


def withdrawal_in_long_remission(regimens: list[Regimen]) -> list[Regimen]:
    """Remission held a year or more off glucocorticoids: withdrawal of the steroid-sparing drug
    is the first choice, not a later discussion (specialist review Z9a: a patient inactive for a
    year and off prednisolone for 18 months who wanted to stop mycophenolate was told to
    continue it)."""
    out = []
    for r in regimens:
        if r.domain == "muscle" and r.state == "remission":
            continuing = [e for e in r.first_choice if e.startswith("Continue ")]
            if len(continuing) >= 1:
                name = continuing[0].removeprefix("Continue ").split(" (")[0]
                r = r.model_copy(update={"first_choice": [
                    WITHDRAWAL_STEP.format(name=name) if e == continuing[0] else e
                    for e in r.first_choice]})
        out.append(r)
    return out


PLATEAU_DAYS = 300
"""About a year of unchanged strength and CK before a plateau is read as possible damage."""
PLATEAU_MMT_POINTS = 2
PLATEAU_CK_SPREAD = 0.3


def muscle_plateau(record: PatientRecord) -> str | None:
    """Strength (MMT-8) and CK unchanged for about a year on treatment: the words that say so,
    or None. Unchanged means MMT-8 within 2 points and every CK within 30 % of their mean (project
    thresholds)."""
    today = record.on()
    visits = [v for v in record.visits if v.core_set.mmt8 is not None
              and (today - v.date).days <= 2 * 365]
    cks = [r for r in record.lab_results if r.analyte == "ck" and (today - r.date).days <= 2 * 365]
    if len(visits) < 2 or len(cks) < 2:
        return None
    if (visits[-1].date - visits[0].date).days < PLATEAU_DAYS \
            or (max(r.date for r in cks) - min(r.date for r in cks)).days < PLATEAU_DAYS:
        return None
    grades = [float(v.core_set.mmt8) for v in visits if v.core_set.mmt8 is not None]
    values = [float(r.value) for r in cks]
    mean = sum(values) / len(values)
    if max(grades) - min(grades) > PLATEAU_MMT_POINTS \
            or any(abs(v - mean) > PLATEAU_CK_SPREAD * mean for v in values):
        return None
    top = visits[-1].core_set.mmt_max

    def span(low: float, high: float) -> str:
        return f"{low:g}" if low == high else f"{low:g}-{high:g}"
    return (f"MMT-8 {span(min(grades), max(grades))}/{top:g} and CK "
            f"{span(min(values), max(values))} U/L unchanged from {visits[0].date} to "
            f"{visits[-1].date}")


def plateau_before_escalation(regimens: list[Regimen], record: PatientRecord) -> list[Regimen]:
    """A year of unchanged strength and CK on treatment may be damage (fatty replacement, fixed
    weakness) rather than activity: the muscle regimen images before it escalates (specialist
    review Z17a P3: a steady CK of 900 and MMT-8 66/80 for a year read as refractory, with
    referral and escalation). The escalation waits among the alternatives for an MRI that shows
    active myositis."""
    plateau = muscle_plateau(record)
    if plateau is None:
        return regimens
    out = []
    for regimen in regimens:
        if regimen.domain != "muscle" or regimen.state != "inadequate_response" \
                or any(e.startswith(("Before any new agent", "Glucocorticoid myopathy first"))
                       for e in regimen.first_choice):
            out.append(regimen)
            continue
        new = [e for e in regimen.first_choice if not e.startswith((
            "Continue", "Taper", "Hold", "Stop", "Review", "no "))]
        kept = [e for e in regimen.first_choice if e not in new]
        out.append(regimen.model_copy(update={
            "first_choice": [f"A plateau, not yet a failure ({plateau}): a muscle MRI (STIR "
                             "oedema for activity, T1 fatty replacement for damage) before any "
                             "escalation; fixed weakness is rehabilitated, not escalated",
                             *kept],
            "alternatives": ["if the MRI shows active myositis: " + " + ".join(new),
                             *regimen.alternatives] if new else regimen.alternatives}))
    return out


def taken_now_is_no_alternative(regimens: list[Regimen],
                                taken: frozenset[str]) -> list[Regimen]:
    """A drug taken now listed plainly among a regimen's alternatives is continued in its
    first choice instead (specialist review Z29d P4: cyclophosphamide given for anti-MDA5
    RP-ILD listed as an alternative in the lung regimen while the muscle regimen said 'at the
    dose the lung regimen sets'). Qualified alternatives ('only if ...', 'after ...') stay."""
    # a drug another line holds, stops or changes now is not continued here (review T2 P3)
    taken = frozenset(n for n in taken if not any(
        e.startswith((f"Hold {n}", f"Stop {n}", f"Taper {n}", f"Change {n}", f"Review {n}"))
        for r in regimens for e in r.first_choice))
    out = []
    for r in regimens:
        moved = [a for a in r.alternatives if any(a.startswith(n) for n in taken)]
        if not moved or r.domain == "treatment changes":
            out.append(r)
            continue
        cont = [f"Continue {a.split(' - ')[0]} (taken now)" for a in moved
                if not any(a.split(' - ')[0] in e for e in r.first_choice)]
        out.append(r.model_copy(update={
            "first_choice": [*r.first_choice, *cont],
            "alternatives": [a for a in r.alternatives if a not in moved]}))
    return out


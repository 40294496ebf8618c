"""Guards on the assembled approach for drugs taken now: every one named (continued, held or
stopped, a transplant recipient's anti-rejection drugs kept), held by an urgent line, no dose
rise while a problem is open, and no dose line for a drug the plan stops.

They run after the per-domain regimens are built, because each reads the approach as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.illness_guards import DURING_FEVER, DURING_INFECTION
from myositis.services.careplan.model import Action, CarePlan, Regimen
from myositis.services.careplan.regimen_circumstances import AFTER_VARICELLA
from myositis.services.careplan.regimen_escalation import DEFERRED
from myositis.services.careplan.regimen_lines import reword_kept
from myositis.services.careplan.regimens import KEPT

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


def hold_in_approach(regimens: list[Regimen], names: list[str]) -> list[Regimen]:
    """'Continue X' becomes 'Hold X (see Do now)' for each name; so does a bare 'X' that a
    regimen lists as one of its agents while X is taken and held today (specialist review Z42b
    P1: tacrolimus withheld today for a trough of 19.5 and a kidney injury, yet named in the
    first choice of the RP-ILD regimen)."""
    held = {name: f"Hold {name} while the urgent problem is treated (see Do now)"
            for name in names}
    regimens = reword_kept(regimens, held)

    def bare(entry: str) -> str:
        head = entry.removeprefix("add ")
        for name, replacement in held.items():
            if head == name or head.startswith(name + " ("):
                return replacement
        return entry
    return [r.model_copy(update={"first_choice": list(dict.fromkeys(
        bare(e) for e in r.first_choice))}) for r in regimens]


SKIN_CATEGORIES = {"antimalarial", "topical"}


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


def graft_drugs(record: PatientRecord, current: frozenset[str] | set[str]) -> set[str]:
    """The anti-rejection drugs of a transplant recipient: those of ANTI_REJECTION taken now,
    except a glucocorticoid course started in the last 6 months at 20 mg/day or more - an
    induction for the myositis, not a graft's maintenance dose, which follows the myositis plan
    (specialist review Z35a P7: prednisolone 40 mg started for presumed myositis 6 weeks
    earlier kept 'as the transplant team sets it' in IBM)."""
    if not record.comorbidities.solid_organ_transplant:
        return set()
    today = record.on()
    induction = any(
        t.therapy == "glucocorticoids_oral" and t.start is not None
        and 0 <= (today - t.start).days <= 183 and t.dose_value is not None
        and t.dose_unit == "mg/day" and float(t.dose_value) >= 20
        for t in record.treatments)
    return {t for t in ANTI_REJECTION & set(current)
            if not (t == "glucocorticoids_oral" and induction)}


GRAFT_HELD_TODAY = ("Changed today with the transplant team by an urgent line (reduced, not "
                    "simply stopped - see Do now)")
"""The options table's status of an anti-rejection drug that an urgent line changes."""

GRAFT_CHANGE = ("Change {name} only with the transplant team today (an anti-rejection drug: "
                "held, reduced or converted by them, one anti-rejection change at a time)")
_STOPPING_VERBS = ("Hold ", "Stop ", "Taper ")


def graft_changes_with_the_transplant_team(regimens: list[Regimen], names: Collection[str]
                                           ) -> list[Regimen]:
    """A line that holds, stops or tapers an anti-rejection drug becomes a change made with the
    transplant team, keeping its reason: holding two at once (tacrolimus for a high trough and
    azathioprine for a low count) leaves a lung graft unprotected (specialist review Z35a P3,
    P8: both anti-rejection drugs stopped the same day)."""
    def reword(entry: str) -> str:
        for name in names:
            if entry == f"Continue and optimise {name}" and "glucocorticoid" not in name:
                # 'optimise' raises the dose: an anti-rejection dose is the transplant team's
                # (a glucocorticoid is raised for the myositis, as the dose lines say)
                return f"Keep {name} as the transplant team sets it (an anti-rejection drug)"
            for verb in _STOPPING_VERBS:
                if entry.startswith(verb + name):
                    rest = entry[len(verb + name):].lstrip(" :;")
                    return GRAFT_CHANGE.format(name=name) + (f" - {rest}" if rest else "")
        return entry
    return [r.model_copy(update={"first_choice": [reword(e) for e in r.first_choice]})
            for r in regimens]


ANTIMETABOLITES = ("Azathioprine", "Mycophenolate", "Methotrexate")
IVIG_ON_GRAFT = ("add {name} (the first agent added to the anti-rejection drugs: it adds no "
                 "immunosuppression, and a second antimetabolite on top of the graft's is not "
                 "given)")


def ivig_first_on_graft_drugs(regimens: list[Regimen], graft: Collection[str],
                              ivig: str | None) -> list[Regimen]:
    """Myositis that is active on a transplant recipient's anti-rejection drugs: IVIG is the
    first agent added (it suppresses nothing more), and a second antimetabolite is not added
    on top of the graft's azathioprine or mycophenolate (specialist review Z35a P1: anti-HMGCR
    myopathy on tacrolimus and mycophenolate, IVIG not first line and azathioprine offered)."""
    if not graft or ivig is None:
        return regimens
    graft_has_antimetabolite = any(g.startswith(ANTIMETABOLITES) for g in graft)
    out = []
    for r in regimens:
        if r.domain != "muscle" or r.state not in ("new_onset", "active", "flare",
                                                   "inadequate_response") \
                or any(ivig in e for e in r.first_choice):
            out.append(r)
            continue
        first = [e for e in r.first_choice if not (
            graft_has_antimetabolite and e.removeprefix("add ").startswith(ANTIMETABOLITES)
            and not any(e.removeprefix("add ").startswith(g) for g in graft)
            and not e.startswith(("Continue", "Keep", GRAFT_CHANGE[:6])))]
        alternatives = [a for a in r.alternatives if not (
            graft_has_antimetabolite and a.startswith(ANTIMETABOLITES)
            and not any(a.startswith(g) for g in graft))]
        if not any(e.removeprefix("add ").startswith(ivig) for e in first):
            first = [*first, IVIG_ON_GRAFT.format(name=ivig)]
        alternatives = [a for a in alternatives if not a.startswith(ivig)]
        out.append(r.model_copy(update={"first_choice": first, "alternatives": alternatives}))
    return out


GRAFT_LUNG = ("Transplanted lung: no myositis lung treatment is started or changed for it - the "
              "lung transplant team assesses the graft (rejection, chronic lung allograft "
              "dysfunction, infection) and treats it (see Do now)")
GRAFT_LUNG_DECISION = ("Decide again with the transplant team's findings: a change they attribute "
                       "to myositis lung disease (in a native lung after a single-lung "
                       "transplant, say) is treated with them.")


def graft_lung_regimen(regimens: list[Regimen]) -> list[Regimen]:
    """A lung transplant recipient's lung regimen keeps what is taken and adds nothing: a
    falling graft function is rejection or infection until the transplant team says otherwise
    (specialist review Z36c P3: rituximab, nintedanib and cyclophosphamide for a graft on
    tacrolimus, mycophenolate and prednisolone with IgG 5.2)."""
    out = []
    for r in regimens:
        if r.domain != "lung" or r.state not in ("new_onset", "active", "flare",
                                                 "inadequate_response"):
            out.append(r)
            continue
        kept = [e for e in r.first_choice if e.startswith((*KEPT, "Keep ", "Change "))]
        out.append(r.model_copy(update={"first_choice": [GRAFT_LUNG, *kept], "alternatives": [],
                                        "decision_point": GRAFT_LUNG_DECISION}))
    return out


HCQ_WITH_SUICIDE_RISK = ("{name} only once the crisis assessment is done and if the skin "
                         "disease needs it (dangerous in overdose: 1-2 weeks' supply held by "
                         "others)")


def no_antimalarial_start_with_suicide_risk(regimens: list[Regimen], name: str
                                            ) -> list[Regimen]:
    """With a suicide risk recorded, hydroxychloroquine (often fatal in overdose) is not a
    first choice for the skin: topical treatment and sun protection lead, and the antimalarial
    waits for the crisis assessment (re-score of specialist review Z36d P4)."""
    out = []
    for r in regimens:
        starts = [e for e in r.first_choice if e.removeprefix("add ").startswith(name)]
        if r.domain != "skin" or not starts:
            out.append(r)
            continue
        first = [e for e in r.first_choice if e not in starts] or [
            "Topical treatment and photoprotection"]
        out.append(r.model_copy(update={
            "first_choice": first,
            "alternatives": [HCQ_WITH_SUICIDE_RISK.format(name=name),
                             *[a for a in r.alternatives if not a.startswith(name)]]}))
    return out


def name_every_current_drug(regimens: list[Regimen], current: frozenset[str],
                            kb: KnowledgeBase, stopping: frozenset[str] | set[str] = frozenset(),
                            not_working: frozenset[str] | set[str] = frozenset(),
                            stop_for: dict[str, str] | None = None,
                            graft: frozenset[str] | set[str] = frozenset(),
                            glucocorticoid_off: bool = False) -> list[Regimen]:
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
        elif therapy.category == "glucocorticoid" and glucocorticoid_off and not any(
                r.domain in ("muscle", "lung") for r in regimens):
            line = (f"Taper {therapy.name} to stop over weeks (taken now): skin-only disease "
                    "with a past glucocorticoid psychosis or bipolar disorder - the skin is "
                    "treated by the agents named here, and the taper watched with the "
                    "psychiatric team")
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

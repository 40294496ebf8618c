"""Guards on the glucocorticoid lines of the assembled approach: pulses in progress or just given, the
daily dose after them, the taper (under cover of the steroid-sparing agent, the scleroderma
ceiling, with an active lung) and withdrawal in long remission.

They run after the per-domain regimens are built, because each reads the approach as a whole.
"""

from __future__ import annotations

from collections.abc import Collection

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.model import Regimen
from myositis.services.careplan.record_readers import pulses_responded
from myositis.services.careplan.regimen_lines import TAPER_AS_RESPONSE_ALLOWS
from myositis.services.muscle_trend import steroid_myopathy_possible, strength_fell


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


def worse_after_a_dose_cut(record: PatientRecord) -> float | None:
    """The dose before the cut when the latest visit is weaker (MMT-8 or CMAS down), or its
    physician global up by 1 cm or more, after the glucocorticoid dose fell between the last
    two visits; None otherwise."""
    visits = [v for v in record.visits if v.glucocorticoid_mg_per_day is not None]
    if len(visits) < 2:
        return None
    before, after = visits[-2], visits[-1]
    assert before.glucocorticoid_mg_per_day is not None
    assert after.glucocorticoid_mg_per_day is not None
    if after.glucocorticoid_mg_per_day >= before.glucocorticoid_mg_per_day:
        return None
    b, a = before.core_set, after.core_set
    weaker = bool(strength_fell(before, after))
    globally_worse = (b.physician_global is not None and a.physician_global is not None
                      and a.physician_global >= b.physician_global + 1)
    return float(before.glucocorticoid_mg_per_day) if weaker or globally_worse else None


def no_taper_while_worse_after_a_cut(regimens: list[Regimen],
                                     record: PatientRecord) -> list[Regimen]:
    """Weaker, or worse by the physician's global, since the last dose cut: the taper stops
    and the last dose that held it is named (specialist review Z69a P2: 'taper as the response
    allows' for an anti-NXP2 DM weaker and with a higher CK after 40 went to 30 mg/day)."""
    previous = worse_after_a_dose_cut(record)
    if previous is None:
        return regimens
    held = (f"worse since the dose fell from {previous:g} mg/day: no further taper - hold it, "
            f"or return to {previous:g} mg/day, until the added treatment takes effect")
    return [r.model_copy(update={"first_choice": [
        e.replace(TAPER_AS_RESPONSE_ALLOWS, held) for e in r.first_choice]})
        for r in regimens]


LIVER_RELAPSE_HOLD = ("Keep glucocorticoids at this dose (they also treat the autoimmune "
                      "hepatitis: no taper until the hepatology team has assessed the raised ALT)")
TAPER_LINES = ("Taper glucocorticoids towards stopping",
               "Taper glucocorticoids to the lowest dose the lung treatment allows")


def no_taper_in_liver_relapse(regimens: list[Regimen], alt_x_uln: object,
                              liver_disease: object) -> list[Regimen]:
    """A raised ALT with autoimmune hepatitis may be its relapse, and the glucocorticoid treats
    it too: the taper waits for the hepatology team (specialist review Z71d: 'taper towards
    stopping' beside an ALT three times the upper limit in autoimmune hepatitis)."""
    if liver_disease != "autoimmune_hepatitis" or not isinstance(alt_x_uln, float | int) \
            or isinstance(alt_x_uln, bool) or alt_x_uln < 2:
        return regimens
    out = []
    for r in regimens:
        first = list(r.first_choice)
        for line in TAPER_LINES:
            first = [LIVER_RELAPSE_HOLD + e.removeprefix(line) if e.startswith(line) else e
                     for e in first]
        out.append(r.model_copy(update={
            "first_choice": first,
            "decision_point": r.decision_point.replace(
                "and taper glucocorticoids", "and the glucocorticoid taper waits for the "
                "hepatology team")}))
    return out


STAYS = "the glucocorticoid stays at its dose, no taper meanwhile"
SET_BY_MUSCLE = "the glucocorticoid dose as the muscle line below sets it, no taper meanwhile"


def dose_set_by_the_escalation(regimens: list[Regimen]) -> list[Regimen]:
    """A drug stopped while the muscle line escalates the glucocorticoid (pulses, a raised dose):
    the stop line does not also say the dose 'stays' (re-score of specialist review Z72a P4:
    'the glucocorticoid stays at its dose' above IV pulses for a life-threatening flare)."""
    raised = any(e.startswith("raise prednisolone") or "methylprednisolone pulses" in e
                 for r in regimens if r.domain == "muscle" for e in r.first_choice)
    if not raised:
        return regimens
    return [r.model_copy(update={"first_choice": [e.replace(STAYS, SET_BY_MUSCLE)
                                                  for e in r.first_choice]})
            if r.domain == "treatment changes" else r for r in regimens]


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
    # the option's own renal-crisis caution is what the ceiling says (specialist review Z50c P5)
    said = (gc_name, f"{gc_name} (caution: Scleroderma overlap)")
    return [r.model_copy(update={"first_choice": [
        f"{gc_name} {SSC_CEILING}" if e in said else e for e in r.first_choice]})
        for r in regimens]


def pulses_in_progress(regimens: list[Regimen], current: frozenset[str],
                       kb: KnowledgeBase, swallow_unsafe: bool = False,
                       child_weight_kg: float | None = None, child: bool = False,
                       checkpoint_inhibitor: bool = False) -> list[Regimen]:
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
    elif checkpoint_inhibitor:
        # checkpoint-inhibitor myositis follows its own dose, not the idiopathic cap (specialist
        # review Z32m P7: 'usually 40-60 mg/day' after pulses for myocarditis with troponin I
        # 2,300, beside the plan's own 1-2 mg/kg/day)
        oral = ("prednisolone 1-2 mg/kg/day for checkpoint-inhibitor myositis, not capped at the "
                "idiopathic 60 mg/day (see Do now)")
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
    responded = pulses_responded(record)
    if pulse is None or not (recent or responded):
        return regimens
    last = max(recent) if recent else responded
    assert last is not None
    if responded is not None:
        # a course that worked is not repeated for the same episode, organ threat or not
        # (specialist review Z34d P8: checkpoint-inhibitor myocarditis improving 5 weeks after
        # pulses, CK 12,000 to 900 and troponin falling, told to give pulses 'without delay')
        organ_threatening = False
        waiting = (f"{pulse.name} were given (last {responded.isoformat()}) with a response: the "
                   "daily glucocorticoid continues and is tapered as the response allows; another "
                   "course only for a new deterioration")
    else:
        waiting = (f"{pulse.name} were given (last {last.isoformat()}): judge their effect "
                   "over 2-4 weeks before another course")
    ivig = kb.therapies.get("ivig")
    out = []
    for regimen in regimens:
        first = []
        for entry in regimen.first_choice:
            if responded is not None and ivig is not None \
                    and entry.removeprefix("add ").startswith(ivig.name):
                # IVIG is the step for disease that does not respond; after a response to the
                # pulses it is not added (specialist review Z34d P8)
                continue
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

"""Approach lines that carry the patient's own conditions in the same line.

Two guards applied after the regimens are built, so the line a clinician acts on says it:
- a teratogen started for a patient who may be pregnant without effective contraception carries
  'a negative pregnancy test and effective contraception first' (specialist review Z11b: a
  16-year-old with a late period told 'add mycophenolate', the caveat only in another line);
- an oral glucocorticoid for a patient kept nil by mouth goes by nasogastric tube or IV at the
  equivalent dose (specialist review Z11a: 'continue oral glucocorticoids' beside 'nil by mouth'
  in severe anti-SRP dysphagia);
- severe frailty or a limited ceiling without capacity brings a proportionate, time-limited trial,
  and a taper partner named for a patient on glucocorticoids alone passes that patient's cautions.
"""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.model import ACTIVE_STATES, Regimen
from myositis.services.careplan.rules import therapy_firings

TERATOGEN_CAVEAT = " (a teratogen: a negative pregnancy test and effective contraception first)"
NIL_BY_MOUTH = (" - by nasogastric tube, or IV methylprednisolone at the equivalent dose, while "
                "swallowing is unsafe")
# a tube declined after discussion is not proposed (specialist review Z20c P5)
NIL_BY_MOUTH_NO_TUBE = (" - IV methylprednisolone at the equivalent dose while swallowing is "
                        "unsafe (tube feeding declined), or by mouth with the texture the "
                        "swallow assessment allows if that is the patient's informed choice")


def first_choice_caveat(regimens: list[Regimen], names: list[str],
                        caveat: str) -> list[Regimen]:
    """Every first-choice entry that starts one of the named drugs carries ``caveat`` once: the
    first choice is the line acted on; the alternatives keep their names, and the drug's own
    withheld or caution line says it in the detail."""
    said: set[str] = set()
    again = caveat.split(":", 1)[0] + ": as above)" if ":" in caveat else caveat

    def mark(entry: str) -> str:
        starts = entry.removeprefix("add ").removeprefix("switch to ")
        name = next((n for n in names if starts.startswith(n)), None)
        if name is None or caveat in entry or again in entry:
            return entry
        # the same drug in a second domain's first choice points back to the first, not the
        # whole caveat again (the summary stays under its length)
        text = again if name in said else caveat
        said.add(name)
        return entry + text
    return [r.model_copy(update={"first_choice": [mark(e) for e in r.first_choice]})
            for r in regimens]


TERATOGEN_CAVEAT_YOUNG = (" (a teratogen: a negative pregnancy test first, and effective "
                          "contraception if she is or may become sexually active - asked "
                          "confidentially)")


def teratogen_caveat(regimens: list[Regimen], teratogens: list[str],
                     child: bool = False) -> list[Regimen]:
    """A named teratogen started in the first choice says what comes first (review Z11b); for
    a girl under 18 contraception is conditional on sexual activity, never a precondition of an
    urgent treatment (specialist review Z45a P2: cyclophosphamide for RP-ILD at 14)."""
    return first_choice_caveat(regimens, teratogens,
                               TERATOGEN_CAVEAT_YOUNG if child else TERATOGEN_CAVEAT)


BREASTFEEDING_CAVEAT = (" (not with breastfeeding: breastfeeding stops before the first dose and "
                        "for the time its label sets after the last, or an agent compatible with "
                        "breastfeeding is chosen)")


def breastfeeding_caveat(regimens: list[Regimen], avoid: list[str]) -> list[Regimen]:
    """A drug to avoid while breastfeeding says so in the line acted on (specialist review Z40:
    cyclophosphamide's breastfeeding stop only in the options table of a breastfeeding
    mother's plan)."""
    return first_choice_caveat(regimens, avoid, BREASTFEEDING_CAVEAT)


SCREEN_FIRST = " (after the {tests} results)"
CONFIRMED_FIRST = " (after a confirmed diagnosis - biopsy, or MRI and EMG - and the {tests} results)"
TEST_NAMES = {"IGRA or TST": "TB test", "strongyloides serology": "strongyloides"}


def screen_before_slow_agent(regimens: list[Regimen], slow: frozenset[str],
                             missing: list[str]) -> list[Regimen]:
    """A new slow agent started where the disease can wait says what it waits for: the
    infection screen, and in a provisional diagnosis the diagnosis (specialist review Z41c
    P8: 'add methotrexate' for an unclassified myositis on prednisolone 60 mg, before any HBV,
    TB or strongyloides test and before the biopsy). Said once per agent across the plan."""
    if not missing:
        return regimens
    names = [TEST_NAMES.get(t, t) for t in missing]
    tests = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    said: set[str] = set()

    def mark(entry: str, provisional: bool) -> str:
        head = entry.removeprefix("add ").removeprefix("switch to ")
        agent = next((n for n in slow if head.startswith(n)), None)
        if agent is None or agent in said or "(after " in entry:
            return entry
        said.add(agent)
        return entry + (CONFIRMED_FIRST if provisional else SCREEN_FIRST).format(tests=tests)
    return [r.model_copy(update={"first_choice": [mark(e, r.provisional)
                                                  for e in r.first_choice]})
            if r.domain in ("muscle", "skin", "lung") else r for r in regimens]


def oral_glucocorticoid_nil_by_mouth(regimens: list[Regimen], gc_name: str,
                                     tube_declined: bool = False) -> list[Regimen]:
    """An oral glucocorticoid entry (continued or added) is given by tube or IV instead (IV,
    or by mouth as the patient's informed choice, when tube feeding is declined)."""
    route_text = NIL_BY_MOUTH_NO_TUBE if tube_declined else NIL_BY_MOUTH

    def route(entry: str) -> str:
        if gc_name in entry and route_text not in entry and "feeding tube" not in entry \
                and "nasogastric" not in entry and not entry.startswith(("Stop", "Taper")):
            return entry + route_text
        return entry
    return [r.model_copy(update={"first_choice": [route(e) for e in r.first_choice]})
            for r in regimens]


PROPORTIONATE = ("Severe frailty, a limited ceiling or a short prognosis ({why}): a "
                 "time-limited, proportionate trial - the lowest glucocorticoid dose that works, "
                 "IVIG rather than a new "
                 "immunosuppressant where it fits (its fluid and kidney load weighed first: not "
                 "with heart failure or a low clearance without the team), one change at a time, "
                 "stop criteria agreed "
                 "with the patient or those who speak for them, and review in 4-6 weeks")


NO_REFLEX_REPLACEMENT = ("no replacement by reflex: the disease is watched, and a clinical relapse "
                         "decides whether one is needed, agreed with the patient or those who "
                         "speak for them")
PROPORTIONATE_REVIEW = ("Review in 4-6 weeks against the goals agreed with the patient: keep what "
                        "helps, stop what does not, and escalate only if it still fits those goals.")
MUSCLE_AGENT_FOR_SKIN = "the new systemic agent of the muscle regimen treats the skin too"


def proportionate_treatment(regimens: list[Regimen], slow: frozenset[str], pulse_name: str,
                            ivig_name: str | None, why: str, keep_pulses: bool,
                            max_slow: int = 1, ivig_ok: bool = True,
                            taken: frozenset[str] = frozenset()) -> list[Regimen]:
    """Severe frailty (Clinical Frailty Scale 7 or more), or a limited ceiling for a patient
    who lacks capacity: no IV pulses unless an organ is threatened, at most one new slow agent
    (none with a prognosis of months: its benefit would come too late),
    and IVIG (which adds no immunosuppression) ahead of it where the approach names it
    (specialist reviews Z11c and Z11d: mycophenolate 2-3 g/day for an 82-year-old with a
    prognosis of months; pulses, IVIG and azathioprine for a frail 85-year-old with dementia)."""
    out = []
    for r in regimens:
        if r.domain == "treatment changes":
            # a drug stopped for its toxicity is not replaced by reflex (specialist review
            # Z29d P5: 'switch to a steroid-sparing agent' for a woman of 88 with dementia,
            # frailty 7, barely active disease and low counts)
            out.append(r.model_copy(update={"first_choice": [
                NO_REFLEX_REPLACEMENT if e.startswith("switch to ") else e
                for e in r.first_choice]}))
            continue
        if r.domain not in ("muscle", "lung", "skin"):
            out.append(r)
            continue
        first: list[str] = []
        deferred: list[str] = []
        new_slow = 0
        ivig_first = ivig_name is not None and any(ivig_name in e for e in r.first_choice)
        for e in r.first_choice:
            if e.startswith("Continue and optimise ") and "glucocorticoid" in e.lower():
                # no upward 'optimising' beside the proportionate trial (re-score of specialist
                # review Z29d P5: a woman of 88 with dementia and barely active disease)
                e = e.replace("Continue and optimise ", "Continue, at the lowest dose that "
                              "controls symptoms (a slow taper considered), ", 1)
            head = e.removeprefix("add ")
            if max_slow == 0 and head.startswith(MUSCLE_AGENT_FOR_SKIN):
                continue  # no new muscle agent comes to treat the skin too
            if head.startswith(pulse_name) and not keep_pulses:
                deferred.append(head.split(" (")[0])
                continue
            if ivig_name is not None and head.startswith(ivig_name) and not ivig_ok:
                deferred.append(head.split(" (")[0])
                continue
            if any(head.startswith(name) for name in taken):
                # a drug already taken is no new start: induction under way is not cut back
                # (specialist review Z29d P4: cyclophosphamide given on day 1 moved to 'only if
                # the trial fails')
                first.append(e)
                continue
            if any(head.startswith(name) for name in slow):
                new_slow += 1
                if ivig_first or new_slow > max_slow:
                    deferred.append(head.split(" (")[0])
                    continue
            first.append(e)
        if first == r.first_choice and r.state not in TREATED_OR_UNKNOWN:
            out.append(r)
            continue
        # the alternatives are reserve agents too: a new immunosuppressant or pulses listed
        # plainly read as the next step for a frail patient (specialist review Z11c P8:
        # rituximab and cyclophosphamide for a frail 84-year-old's lung)
        reserve = (*slow, pulse_name)
        alternatives = [a if not a.startswith(reserve) else
                        f"only if the trial fails and it still fits the goals of care: {a}"
                        for a in r.alternatives]
        out.append(r.model_copy(update={
            # one review horizon: the trial's (re-score of specialist review Z27c P7: 'review
            # in 4-6 weeks' beside 'reassess after 3-4 months' with months to live)
            "decision_point": PROPORTIONATE_REVIEW,
            "first_choice": [PROPORTIONATE.format(why=why), *first],
            "alternatives": list(dict.fromkeys(
                [f"only if the trial fails and it still fits the goals of care: {d}"
                 for d in deferred] + alternatives))}))
    return out


TREATED_OR_UNKNOWN = (*ACTIVE_STATES, "unknown")


TAPER_LINE = "add a steroid-sparing agent not yet tried ("


def safe_taper_partners(entry: str, kb: KnowledgeBase, facts: Facts) -> str:
    """The 'add a steroid-sparing agent not yet tried (X or Y)' line keeps only agents with no
    withhold and no high caution for this patient (re-score of specialist review Z12a:
    azathioprine named beside allopurinol, an eGFR of 21 and low counts)."""
    if not entry.startswith(TAPER_LINE):
        return entry
    names = entry[len(TAPER_LINE):].split(")")[0].split(" or ")
    by_name = {t.name: t for t in kb.therapies.values()}
    kept = [n for n in names if n in by_name and not any(
        f.action == "withhold" or (f.action == "caution" and f.rule.severity in ("urgent",
                                                                               "high"))
        for f in therapy_firings(kb, facts, by_name[n]) if not f.unknown)]
    if not kept:
        return ("add a steroid-sparing agent chosen with the team - none is taken now and the "
                "taper needs one, but each untried agent carries a caution for this patient")
    rest = entry[len(TAPER_LINE):].split(")", 1)[1]
    return TAPER_LINE + " or ".join(kept) + ")" + rest


def severe_frailty(record: PatientRecord) -> str | None:
    """Clinical Frailty Scale 7 or more, a limited ceiling of treatment with capacity lacking,
    or a prognosis of months or less, from an active cancer or with frailty (scale 6 or more),
    without full treatment agreed: the reason in words, else None."""
    goals = record.care_goals
    reasons = []
    if goals.severely_frail():
        reasons.append(f"Clinical Frailty Scale {goals.frailty_scale}")
    if goals.treatment_ceiling in ("no_icu", "ward_based") and goals.lacks_capacity:
        reasons.append("a limited ceiling without capacity")
    # a short prognosis from another illness or frailty, not from the myositis that treatment
    # may turn (specialist review Z29d P4: anti-MDA5 RP-ILD induction cut back for a man of 71,
    # CFS 5, with a prognosis of months from the lung itself)
    if goals.prognosis in ("months", "weeks_to_months", "days_to_weeks") \
            and goals.treatment_ceiling != "full" \
            and (record.cancer.active_cancer is True or (goals.frailty_scale or 0) >= 6):
        # a new slow agent's benefit comes too late and its infection risk does not (review
        # Z27c P7: rituximab first for palliative cancer-associated DM, CFS 6, ward-based
        # ceiling, H846)
        reasons.append(f"a prognosis of {goals.prognosis.replace('_', ' ')}")
    return " and ".join(reasons) or None


NO_INDUCTION = ("no induction glucocorticoid for low-grade activity years into the disease ({why}): "
                "optimise or change the steroid-sparing agent, and look at what else limits "
                "function (damage, calcinosis, deconditioning)")


def no_induction_for_low_grade(regimens: list[Regimen], gc_name: str,
                               why: str | None) -> list[Regimen]:
    """Low-grade chronic muscle activity: a new glucocorticoid course at induction dose leaves
    the first choice for the alternatives, as a short low-dose course if function falls
    (specialist review Z14b P3)."""
    if why is None:
        return regimens
    out = []
    for r in regimens:
        starts = [e for e in r.first_choice if e.removeprefix("add ").startswith(gc_name)]
        optimised = [e for e in r.first_choice if e.startswith("Continue and optimise " + gc_name)]
        if r.domain == "muscle" and r.state == "active" and optimised and not starts:
            # taken now: kept, not raised, and nothing new added for the muscle (specialist
            # review Z16c P8: 'optimise' and 'add IVIG' for a normal CK in an obese, diabetic
            # transplant candidate with pulmonary hypertension on oxygen)
            added = [e for e in r.first_choice if e.startswith("add ")]
            out.append(r.model_copy(update={
                "first_choice": [
                    f"Continue {gc_name} without raising it for the muscle (low-grade activity "
                    f"years into the disease: {why})" if e in optimised else e
                    for e in r.first_choice if e not in added],
                "alternatives": list(dict.fromkeys(
                    [f"only if function is falling (or a swallow study shows myositic "
                     f"dysphagia): {e.removeprefix('add ')}" for e in added]
                    + r.alternatives))}))
            continue
        if r.domain != "muscle" or r.state != "active" or not starts:
            out.append(r)
            continue
        out.append(r.model_copy(update={
            "first_choice": [NO_INDUCTION.format(why=why),
                             *[e for e in r.first_choice if e not in starts]],
            # in words, not the option's name: no induction range is worked out for it
            "alternatives": ["a short low-dose glucocorticoid course only if function is "
                             "falling", *r.alternatives]}))
    return out

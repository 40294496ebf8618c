"""Courses the clinician has decided on but not started, checked against the patient.

A course booked for next week (rituximab, say) is not taken yet, so the taken-now rules do not
see it, and it may not be among the options this plan would choose. Each one gets a do-now line
of its own: what stops it from starting (a withholding rule, an absolute contraindication, or a
subgroup in which it is not recommended), else what to check before the first dose. The rules
are the knowledge base's, applied to the planned therapy as they are to an option.
"""

from __future__ import annotations

import datetime as dt

from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.assessment import Assessment
from myositis.services.careplan.dosing import booked_dose_above_ceiling
from myositis.services.careplan.fact_types import Facts
from myositis.services.careplan.model import Action, Urgency
from myositis.services.careplan.options import legacy_contraindications
from myositis.services.careplan.regimen_lines import SLOW_AGENT_CATEGORIES, lead_clause
from myositis.services.careplan.rules import therapy_firings

URGENCY_ORDER: dict[Urgency, int] = {"urgent": 0, "soon": 1, "routine": 2}
ANTI_CD20 = frozenset({"rituximab", "ocrelizumab", "ofatumumab", "obinutuzumab"})
GUT_GATED = frozenset({"cyclophosphamide", "rituximab", "tocilizumab", "tofacitinib",
                       "baricitinib", "upadacitinib", "methotrexate", "mycophenolate"})
"""Booked agents that wait for a perforation or abscess to be excluded when the gut bleeds."""
SOON_DAYS = 14
"""A course this close whose gates are not met is urgent: there is no time for a routine test."""


PLANNED_COURSE_SAFETY = {
    "methotrexate": " Once weekly only (never daily; the day written on the prescription), "
                    "with folic acid on another day of the week.",
}
"""The prescribing safety a booked first dose carries (specialist review Z47d P4: methotrexate
booked for a child with no word of folic acid or the once-weekly day)."""


VARICELLA_WINDOW_DAYS = 22
"""Days after a chickenpox contact within which a new immunosuppressant waits (as the approach)."""


def infection_gates(facts: Facts, therapy: str, kb: KnowledgeBase) -> list[str]:
    """Infections on the record that a planned immunosuppressant is timed around (specialist
    review Z38a P1: cyclophosphamide booked in two days passed with 'do not delay treatment'
    beside CMV viraemia and a positive strongyloides serology)."""
    if therapy not in kb.group_members("immunosuppressive"):
        return []
    gates = []
    if facts.get("strongyloides") is True:
        gates.append("strongyloides serology positive: ivermectin given before it (hyperinfection "
                     "risk)")
    taken = facts.get("other_medicines")
    if therapy in ANTI_CD20 and facts.get("anti_hbc") is True \
            and not (isinstance(taken, frozenset) and "hbv_active_antiviral" in taken):
        # specialist review Z41c P7: anti-HBc positive, HBV DNA never done, no antiviral, and
        # rituximab a week away graded 'soon'; with HIV, tenofovir within the HIV regimen
        # in pregnancy or breastfeeding tenofovir disoproxil, not entecavir (re-score of
        # specialist review Z60a P7: 'entecavir or tenofovir' for a breastfeeding mother)
        antiviral = ("tenofovir within a fully suppressive HIV regimen (with the HIV team)"
                     if facts.get("hiv") is True else
                     "tenofovir disoproxil (not entecavir in pregnancy or breastfeeding)"
                     if facts.get("pregnant") is True or facts.get("breastfeeding") is True
                     or (facts.get("planning_conception") is True
                         and facts.get("childbearing_potential") is True)
                     else "entecavir or tenofovir")
        # an organ threatened: the antiviral starts the same day, the dose is not postponed
        # for it (specialist review Z44c P1: 'the date moves' for rituximab in RP-ILD)
        timing = ("started today, with or before the first dose - in organ-threatening disease "
                  "the dose is not postponed for it" if facts.get("organ_threatening") is True
                  else "started before the first dose, with hepatology - the date moves if they "
                  "are not in place")
        gates.append(f"anti-HBc positive with no HBV antiviral on record: HBV DNA and "
                     f"{antiviral} {timing}")
    if therapy in GUT_GATED and (facts.get("gi_bleed_suspected") is True
                                 or facts.get("gi_perforation_suspected") is True):
        # a gut bleed or a possible perforation: the pre-dose check says what the gut line
        # says (specialist review Z45a P5: 'no caution for this patient' for cyclophosphamide
        # booked for a 3-year-old with melaena and no abdominal imaging)
        gates.append("a gut bleed or a possible perforation is recorded: only once ultrasound "
                     "or CT excludes a perforation or abscess and the surgeons agree "
                     "(glucocorticoids mask peritonitis)")
    days = facts.get("varicella_exposure_days")
    if isinstance(days, int) and 0 <= days < VARICELLA_WINDOW_DAYS \
            and facts.get("vzv_seronegative") is not False:
        # the booked course keeps the incubation the approach keeps (specialist review Z47d P4:
        # 'no caution for this patient' for methotrexate booked 4 days after a chickenpox
        # contact, beside an approach that deferred it to day 21)
        contact = (f"chickenpox contact {days} day{'s' if days != 1 else ''} ago, not known to "
                   "be immune: ")
        later = "the first dose after day 21 from the contact (day 28 if immunoglobulin was given)"
        threatened = facts.get("organ_threatening") is True
        slow = kb.therapies[therapy].category in SLOW_AGENT_CATEGORIES
        # a threatened organ is treated now with antiviral cover; only a slow agent waits, as it
        # adds nothing during the incubation (specialist review Z60b P4: pulses deferred 16 days
        # for a boy with palatal weakness and aspiration risk)
        gates.append(contact + (
            "an organ is threatened, so the first dose now, with antiviral cover through the "
            "incubation and the infection team" if threatened and not slow else
            later + " - a slow agent adds nothing in the incubation; the glucocorticoid or IVIG "
            "treats the threatened organ now" if threatened else
            later + ", unless an organ becomes threatened"))
    measles = facts.get("measles_exposure_days")
    if isinstance(measles, int) and 0 <= measles < VARICELLA_WINDOW_DAYS:
        # the approach holds new immunosuppression through a measles incubation until IgG shows
        # immunity; the booked course says the same (specialist review Z60d P3: 'no caution for
        # this patient' for pulses and methotrexate booked beside that hold)
        gates.append(
            f"measles contact {measles} day{'s' if measles != 1 else ''} ago: not before measles "
            "IgG shows immunity or day 21 after the contact has passed (day 28 if immunoglobulin "
            "was given; post-exposure immunoglobulin first if not immune)"
            + (", or now with the infection team because an organ is threatened"
               if facts.get("organ_threatening") is True else ", unless an organ becomes "
               "threatened"))
    if facts.get("cmv_viraemia") is True:
        gates.append("CMV viraemia: the dose timed with the infectious-diseases team, with "
                     "valganciclovir under way (both suppress the marrow: a blood count twice "
                     "weekly)")
    return gates


NOT_SUPPRESSIVE = ("it does not suppress immunity, so the infection screening in this list does "
                   "not hold it up")


def septic_hold(facts: Facts, therapy: str, kb: KnowledgeBase) -> bool:
    """A slow immunosuppressant booked while sepsis or a critical illness is treated waits,
    except in anti-MDA5 rapidly progressive ILD, whose regimen goes on in parallel."""
    # critical_illness covers sepsis, septic shock and an infection on a ventilator
    return facts.get("critical_illness") is True and facts.get("mda5_rp_ild") is not True \
        and kb.therapies[therapy].category in SLOW_AGENT_CATEGORIES


def planned_course_lines(ctx: Assessment) -> list[Action]:
    """One line per planned course not already taken (specialist review Z35b: a course
    planned for next month could not be recorded, so nothing checked it)."""
    kb, facts = ctx.kb, ctx.facts
    not_recommended = {w.therapy: w for w in ctx.selection.not_recommended}
    lines: list[Action] = []
    for course in ctx.record.planned_treatments:
        therapy = kb.therapies.get(course.therapy)
        if therapy is not None and course.therapy in ctx.current:
            lines += planned_dose_rise(ctx, course.therapy, course.dose_value, course.dose_unit,
                                       course.start)
            continue
        if therapy is None:
            continue
        when = f", to start {course.start.isoformat()}" if course.start else ""
        head = f"Planned {therapy.name}{when}"
        firings = therapy_firings(kb, facts, therapy)
        # as for an option: a rule that withholds when its facts are not recorded bars the
        # course too (missing data is unknown, never 'no')
        held = [f for f in firings if f.action == "withhold"]
        legacy, absolute = legacy_contraindications(therapy, facts)
        barred = [f.text for f in held] + [c.text for c in legacy if c.condition in absolute]
        rule_ids = [f.rule.id for f in held]
        cites = [k for f in held for k in f.rule.sources] + [
            k for c in legacy if c.condition in absolute for k in c.citations]
        if septic_hold(facts, course.therapy, kb):
            # specialist review Z42d P6 (re-score): cyclophosphamide booked for a septic patient
            # with possible Pneumocystis pneumonia read as a go-ahead
            barred.insert(0, "sepsis or a critical illness is being treated - a new slow "
                             "immunosuppressant waits until the infection is treated or "
                             "excluded, with the infection team (anti-MDA5 disease aside)")
        if ctx.diagnosis.unclassified and not ctx.record.diagnosis.treatment_cannot_wait \
                and facts.get("organ_threatening") is not True \
                and therapy.category not in ("antimalarial", "topical", "non_drug",
                                             "calcinosis_agent") \
                and course.therapy in kb.group_members("immunosuppressive"):
            # a course booked before the diagnosis is made waits for the work-up (specialist
            # review Z74a P8, dangerous: prednisolone 60 mg booked for tomorrow for a
            # bodybuilder on anabolic steroids with CK 9,400 and no antibodies, MRI or biopsy)
            barred.insert(0, "the diagnosis is not yet made - the work-up comes first "
                             "(antibodies, MRI, EMG and a biopsy before glucocorticoids, which "
                             "can hide the biopsy findings); unless the clinician marks that "
                             "treatment cannot wait")
        if course.therapy in not_recommended:
            entry = not_recommended[course.therapy]
            barred.insert(0, entry.reason)
            cites = [*entry.citations, *cites]
        if barred:
            # the other cautions are said too: the first reason to withhold must not hide them
            # if the team gives it after all (specialist review Z46b P2: IVIG barred for anti-IgA
            # antibodies, with a clot 87 days ago, a low clearance and heart failure unsaid)
            # each said with its lead clause, not its title alone (specialist review Z49d P7:
            # 'Azathioprine with allopurinol or febuxostat' named without what to do about it)
            weighed = list(dict.fromkeys(
                lead_clause(f.text) for f in firings if f.action in ("caution", "monitor")
                and f.rule.severity in ("high", "urgent")))
            also = (" If it is given after all, also weigh: " + "; ".join(weighed) + "."
                    if weighed else "")
            lines.append(Action(
                code=f"planned_course_barred_{course.therapy}", urgency="urgent",
                text=f"{head}: not to be started as the record stands - " + "; ".join(
                    dict.fromkeys(b.rstrip(". ") for b in barred)) + "." + also,
                therapies=[course.therapy], kb_entry=rule_ids[0] if rule_ids else therapy.id,
                citations=list(dict.fromkeys(cites))))
            continue
        checks = [f for f in firings if f.action in ("caution", "monitor")]
        # a moderate caution is said in full too: its title alone ('Glucocorticoids with
        # ritonavir or cobicistat') hid the advice where no option shows it (specialist review
        # Z38a P5: a diagnostic-first plan with prednisolone booked beside cobicistat)
        said_in_full = ("moderate", "high", "urgent")
        # the most severe first: a course that should wait is not read after its PJP line
        # (specialist review Z66d P8: the colchicine recheck third, after PJP and the PPI)
        high = [f.text.rstrip(". ") for f in sorted(
            checks, key=lambda f: said_in_full[::-1].index(f.rule.severity)
            if f.rule.severity in said_in_full else len(said_in_full))
            if f.rule.severity in said_in_full]
        other = [f.rule.title for f in checks if f.rule.severity not in said_in_full]
        other += [c.text.rstrip(". ") for c in legacy]
        gates = infection_gates(facts, course.therapy, kb)
        # a booked dose above its ceiling is said first (specialist review Z59c P2)
        over = booked_dose_above_ceiling(ctx.record, kb, course.therapy, course.dose_value,
                                         course.dose_unit)
        gates = [over, *gates] if over else gates
        said = "; ".join(dict.fromkeys([*gates, *high,
                                        *other]))
        # the drug's monitoring from the first dose, which the monitoring table (drugs taken
        # now) does not show yet (specialist review Z39d P6: tacrolimus starting tomorrow with
        # no level, kidney, potassium or blood-pressure checks in the terminal plan)
        watch = therapy.monitoring[0].text.rstrip(". ") if therapy.monitoring else ""
        watch_clause = f" Monitoring from the first dose: {watch[0].lower()}{watch[1:]}." \
            if watch else ""
        watch_clause = PLANNED_COURSE_SAFETY.get(course.therapy, "") + watch_clause
        close = course.start is not None and (course.start - ctx.record.on()).days <= SOON_DAYS
        # a drug that does not suppress immunity (hydroxychloroquine, a topical) is not held for
        # the infection screening (specialist review Z62b P6: hydroxychloroquine 'after the
        # pre-treatment tests' in a patient whose hepatitis, TB and HIV tests were pending)
        suppressive = course.therapy in kb.group_members("immunosuppressive")
        lines.append(Action(
            code=f"planned_course_checks_{course.therapy}",
            urgency="urgent" if close and (gates or any(
                f.rule.severity == "urgent" for f in checks)) else "soon",
            text=(f"{head}: before the first dose - {said}; and the pre-treatment tests and "
                  "vaccines in this list." if said and suppressive else
                  f"{head}: before the first dose - {said}; {NOT_SUPPRESSIVE}." if said else
                  f"{head}: no caution for this patient in the record; the pre-treatment tests "
                  "and vaccines in this list come before the first dose." if suppressive else
                  f"{head}: no caution for this patient in the record; {NOT_SUPPRESSIVE}.")
            + watch_clause,
            therapies=[course.therapy], kb_entry=therapy.id,
            citations=list(dict.fromkeys(k for f in checks for k in f.rule.sources))
            or list(dict.fromkeys(k for u in therapy.uses for k in u.sources))[:2]))
    return lines


def planned_dose_rise(ctx: Assessment, therapy_id: str, dose: float | None, unit: str | None,
                      start: dt.date | None) -> list[Action]:
    """A planned rise of a drug taken now is checked too: its high-severity cautions said before
    the higher dose (specialist review Z50c P5: prednisolone 10 to 40 mg/day booked in scleroderma
    overlap, for an oesophageal dysphagia, and never mentioned)."""
    taken = next((t for t in ctx.record.treatments if t.therapy == therapy_id and t.stop is None
                  and t.dose_value is not None), None)
    if dose is None or taken is None or taken.dose_value is None or unit != taken.dose_unit \
            or dose <= taken.dose_value:
        return []
    therapy = ctx.kb.therapies[therapy_id]
    firings = therapy_firings(ctx.kb, ctx.facts, therapy)
    weighed = list(dict.fromkeys(f.text.rstrip(". ") for f in firings
                                 if f.action in ("caution", "monitor", "withhold")
                                 and f.rule.severity in ("high", "urgent")))
    if not weighed:
        return []
    when = f" from {start.isoformat()}" if start else ""
    return [Action(
        code=f"planned_dose_rise_{therapy_id}", urgency="soon",
        text=(f"Planned rise of {therapy.name} to {dose:g} {unit}{when} (now {taken.dose_value:g}): "
              "weigh before it - " + "; ".join(weighed) + "."),
        therapies=[therapy_id], kb_entry=therapy.id,
        citations=list(dict.fromkeys(k for f in firings if f.rule.severity in ("high", "urgent")
                                     for k in f.rule.sources)))]


def with_planned_courses(do_now: list[Action], lines: list[Action]) -> list[Action]:
    """The planned-course lines placed after the lines of the same urgency."""
    out = list(do_now)
    for line in lines:
        rank = URGENCY_ORDER[line.urgency]
        at = next((i for i, a in enumerate(out) if URGENCY_ORDER[a.urgency] > rank), len(out))
        out.insert(at, line)
    return out


__all__ = ["planned_course_lines", "planned_dose_rise", "with_planned_courses"]

"""Checks, monitoring and escalation guards that read the approach already written: pre-start
tests for what is proposed, overdue bloods, doses above this patient's ceiling, no dose rise
while a liver or monitoring problem is open, and escalation held while another cause is excluded.

One pass of `engine.build_care_plan`, run in its order; each edit names the specialist review
that asked for it.
"""

from __future__ import annotations

import datetime as dt

from myositis.services.careplan import (
    checks,
)
from myositis.services.careplan.assessment import SLOW_CATEGORIES, Assessment
from myositis.services.careplan.dosing import (
    above_limit,
)
from myositis.services.careplan.model import (
    Action,
    CarePlan,
)
from myositis.services.careplan.pass_circumstances import INCUBATION_FLARE
from myositis.services.careplan.planned_courses import planned_course_lines
from myositis.services.careplan.regimen_across_domains import (
    cyclophosphamide_replaces_antimetabolite,
    mycophenolate_replaces_antimetabolite,
    one_new_agent_across_lung_and_muscle,
    planned_agent_first,
    refractory_centre,
)
from myositis.services.careplan.regimen_holds import no_dose_rise, regimen_therapies
from myositis.services.careplan.regimen_lines import KEPT
from myositis.services.careplan.regimen_lung_reserve import (
    end_stage_fibrosis,
    little_lung_reserve,
    no_methotrexate_without_lung_reserve,
)
from myositis.services.careplan.regimen_route_and_risk import (
    no_induction_for_low_grade,
)
from myositis.services.careplan.treatment_history import (
    bloods_overdue,
)
from myositis.services.muscle_activity import low_grade_chronic

TPMT_UNKNOWN = "TPMT/NUDT15 (before azathioprine)"


LIVER_DO_NOW = frozenset({"alt_mildly_raised_with_normal_ck", "alt_raised_with_normal_ck",
                          "alt_raised_on_hepatotoxic_drug", "methotrexate_alcohol_and_liver_alt",
                          "liver_injury_pattern"})
"""Do-now lines that read a raised ALT as the liver's: no dose rise of a hepatotoxic drug."""


HEPATOTOXIC = frozenset({"methotrexate", "azathioprine", "leflunomide"})


def guard_checks_and_escalation(plan: CarePlan, ctx: Assessment, stopping: set[str]) -> None:
    """``stopping`` is what the treatment pass stops or holds: a stop already said outranks a
    lower-dose line."""
    record = ctx.record
    kb = ctx.kb
    present = ctx.present
    other_cause = ctx.other_cause
    current = ctx.current
    # pre-treatment checks and missing tests for what the approach names or the patient
    # takes, not for every option in the detail (a TPMT prompt with no azathioprine proposed)
    proposed = set(regimen_therapies(plan, current)) | set(current)
    plan.shared_checks = checks.shared_checks(
        [o for o in plan.options if o.therapy in proposed], kb, record)
    # named anywhere in the approach counts, a replacement in the treatment changes too
    # (specialist review Z14c P6: azathioprine as the switch before conception, no TPMT asked)
    aza_named = "azathioprine" in kb.therapies and any(
        kb.therapies["azathioprine"].name in e for r in plan.regimens
        for e in (*r.first_choice, *r.alternatives))
    # a pre-start test means nothing after a year on the drug (specialist review Z15c P6:
    # 'NUDT15 (before azathioprine)' after 13 years on it)
    aza_long = any(t.therapy == "azathioprine" and t.start is not None and t.stop is None
                   and (record.on() - t.start).days > 365 for t in record.treatments)
    if ("azathioprine" not in proposed and not aza_named) or aza_long:
        plan.unknowns = [u for u in plan.unknowns if not u.endswith("(before azathioprine)")]
    elif aza_named and "azathioprine" not in current and (
            record.immunogenetics.tpmt is None or record.immunogenetics.nudt15 is None) \
            and not any(u.endswith("(before azathioprine)") for u in plan.unknowns):
        # only the gene not yet tested (specialist review Z20c P8: 'TPMT/NUDT15' asked for
        # beside a recorded TPMT)
        genes = record.immunogenetics
        plan.unknowns.append(TPMT_UNKNOWN if genes.tpmt is None and genes.nudt15 is None
                             else f"{'TPMT' if genes.tpmt is None else 'NUDT15'} "
                                  "(before azathioprine)")
    if "tacrolimus_toxicity" in {a.code for a in plan.do_now}:
        # the monitoring date follows the urgent line (review B: next trough a week away
        # beside 'within 24-72 hours')
        name = kb.therapies["tacrolimus"].name
        soon = (record.on() + dt.timedelta(days=3)).isoformat()
        for item in plan.monitoring:
            if item.therapy == name:
                # a transplant recipient's tacrolimus is reduced with the transplant team,
                # never stopped (re-score of specialist review Z36c P3)
                item.next_due = (f"by {soon} ("
                                 + ("dose reduced with the transplant team for toxicity"
                                    if record.comorbidities.solid_organ_transplant
                                    else "withheld for toxicity")
                                 + ": trough, creatinine and potassium within 24-72 hours)")
    overdue = bloods_overdue(record, plan, kb, current)
    if overdue:
        plan.do_now.append(Action(
            code="drug_monitoring_overdue", urgency="soon",
            text=("Blood monitoring overdue or never recorded for " + ", ".join(overdue)
                  + " (taken for more than 3 months): blood count, liver tests and creatinine "
                  "now, then at the interval in the monitoring table."),
            therapies=[t for t in sorted(current) if kb.therapies[t].name in overdue],
            kb_entry="monitoring", citations=["ledingham2017_bsr_dmard"]))
    if any(f.startswith("Stop " + kb.therapies["hydroxychloroquine"].name)
           for r in plan.regimens for f in r.first_choice):
        # a drug being stopped needs no dose reduction (review D: "reduce to 290 mg/day"
        # beside "Stop Hydroxychloroquine")
        plan.do_now = [a for a in plan.do_now
                       if a.code != "hydroxychloroquine_dose_above_5mg_kg"]
    # a do-now line that names a drug stops or holds it, unless it only adjusts it (a
    # `dose_adjustment` rule such as co-trimoxazole beside methotrexate)
    # or a caution that keeps the drug (`when_taken: continue`; specialist review Z23c P2:
    # methotrexate 15 mg/week at eGFR 52 kept above its 12.5 mg ceiling because a co-trimoxazole
    # caution named it)
    adjusting = {r.id for r in kb.rules.rules if r.dose_adjustment or r.when_taken == "continue"}
    stopping_now = {t for a in plan.do_now if a.kb_entry not in adjusting
                    for t in a.therapies} | (stopping & current)
    for therapy_id, text, sources in above_limit(record, kb, current):
        if therapy_id not in stopping_now:  # a stop already said wins over a lower dose
            plan.do_now.append(Action(code=f"dose_above_limit_{therapy_id}", urgency="soon",
                                      text=text, therapies=[therapy_id], kb_entry="doses",
                                      citations=sources))
    no_rise = {kb.therapies[a.therapies[0]].name: "lower the dose: above the ceiling for this "
               "patient, see Do now" for a in plan.do_now
               if a.code.startswith("dose_above_limit_") and a.therapies}
    no_rise.update({name: "no dose rise until the overdue monitoring bloods are back"
                    for name in overdue if name not in no_rise})
    if LIVER_DO_NOW & {a.code for a in plan.do_now}:
        # a raised liver ALT: the hepatotoxic drug is not pushed up meanwhile (review Z2:
        # 'continue and optimise methotrexate' beside a rising ALT with fatty liver in a child)
        no_rise.update({kb.therapies[t].name: "no dose rise while the liver ALT is raised, "
                        "see Do now" for t in sorted(current & HEPATOTOXIC)
                        if t in kb.therapies and kb.therapies[t].name not in no_rise})
    plan.regimens = no_dose_rise(plan.regimens, no_rise, frozenset(
        name for name, reason in no_rise.items() if reason.startswith("lower")))
    if other_cause is not None:
        # the escalation waits too, not only the decision point (specialist review Z28b P7: IV
        # pulses as first choice beside 'no myositis escalation on this CK alone' for statin
        # toxicity with an azole in a lung-transplant recipient, H858)
        cause = other_cause.split(" (")[0]
        # and the Do-now flare line does not say 're-escalate' beside it (re-score of
        # specialist review Z28b P7)
        plan.do_now = [a.model_copy(update={"urgency": "soon", "text": INCUBATION_FLARE.sub(
            f"not a flare to treat until {cause} (see Do now); meanwhile check adherence, ",
            a.text, count=1)}) if a.code == "flare" else a for a in plan.do_now]
        plan.do_now = sorted(plan.do_now, key=lambda a: ("urgent", "soon", "routine").index(
            a.urgency))
        plan.regimens = [r.model_copy(update={
            "first_choice": [e for e in r.first_choice if e.startswith(KEPT)]
            or ["no change to the myositis treatment meanwhile"],
            "alternatives": list(dict.fromkeys(
                [f"if the muscle is still worse once {cause}: " + e.removeprefix("add ")
                 for e in r.first_choice if not e.startswith(KEPT)] + r.alternatives)),
            "decision_point": (
                f"Not a flare to treat until {cause} (see Do now); if the "
                "muscle is still worse then: " + r.decision_point[0].lower()
                + r.decision_point[1:])})
            if r.domain == "muscle" and r.state == "flare" else r for r in plan.regimens]
    if "methotrexate" in kb.therapies:
        plan.regimens = no_methotrexate_without_lung_reserve(
            plan.regimens, kb.therapies["methotrexate"].name,
            "ild" in present and little_lung_reserve(record))
    plan.regimens = end_stage_fibrosis(
        plan.regimens, record,
        any(kb.therapies[t].category == "antifibrotic" for t in current if t in kb.therapies),
        frozenset(o.name for o in plan.options if o.therapy not in current
                  and kb.therapies[o.therapy].category in SLOW_CATEGORIES))
    plan.regimens = planned_agent_first(
        plan.regimens, frozenset(kb.therapies[t.therapy].name for t in record.planned_treatments
                                 if t.therapy in kb.therapies and t.therapy not in current),
        # a slow agent makes way for the planned one; IVIG, which adds no immunosuppression, is
        # not displaced by it
        frozenset(o.name for o in plan.options if o.therapy not in current
                  and kb.therapies[o.therapy].category in SLOW_CATEGORIES),
        frozenset(w.name for w in (*plan.withheld, *plan.not_recommended))
        # a booked course the plan bars ('not to be started as the record stands') is never
        # promoted either (specialist review Z73a P8, dangerous: tofacitinib first choice for
        # the lung beside its own urgent line barring it - breastfeeding, a clot 6 weeks ago)
        | frozenset(kb.therapies[t].name for a in planned_course_lines(ctx)
                    if a.code.startswith("planned_course_barred_")
                    for t in a.therapies if t in kb.therapies),
        frozenset(kb.therapies[t.therapy].name for t in record.planned_treatments
                  if t.therapy in kb.therapies
                  and kb.therapies[t.therapy].category in SLOW_CATEGORIES))
    # swallowing or breathing muscles threatened: IVIG works within weeks and adds no
    # immunosuppression, so it is not deferred behind the lung's slow agent (specialist review
    # Z67d P6: IVIG booked for an aspirating woman moved to 'once the lung agent has had time')
    bulbar = ctx.facts.get("respiratory_muscle_weakness") is True \
        or ctx.facts.get("dysphagia_severity") == "severe"
    plan.regimens = one_new_agent_across_lung_and_muscle(plan.regimens, frozenset(
        o.name for o in plan.options if o.therapy not in current
        and kb.therapies[o.therapy].category
        in SLOW_CATEGORIES | (set() if bulbar else {"immunoglobulin"})))
    if "cyclophosphamide" in kb.therapies:
        plan.regimens = cyclophosphamide_replaces_antimetabolite(
            plan.regimens, kb.therapies["cyclophosphamide"].name)
    if "mycophenolate" in kb.therapies and "mycophenolate" not in current:
        plan.regimens = mycophenolate_replaces_antimetabolite(
            plan.regimens, kb.therapies["mycophenolate"].name)
    plan.regimens = no_induction_for_low_grade(
        plan.regimens, kb.therapies["glucocorticoids_oral"].name, low_grade_chronic(record))
    plan.regimens = refractory_centre(plan.regimens, sorted(
        {kb.therapies[t.therapy].name for t in record.treatments if t.therapy in kb.therapies
         and kb.therapies[t.therapy].category in SLOW_CATEGORIES | {"immunoglobulin"}
         # only agents that did not work: one stopped for toxicity or other reasons is no sign
         # of refractory disease (re-score of specialist review Z14c P2 and P4)
         and (t.outcome == "ineffective" or t.reason_stopped == "inefficacy"
              or t.response == "none")}))

"""Glucocorticoid dependence read from the dated oral glucocorticoid courses.

A patient whose prednisolone had to go up again after it was tapered to a low dose, while a
steroid-sparing agent had been taken long enough to work, has not responded adequately to that
agent, however quiet the muscle looks on the higher dose: the dose, not the agent, controls the
disease. BSR 2022 (Oldroyd et al.) and the IMACS concept of treatment response treat the failure
to taper glucocorticoids as a reason to add or change the steroid-sparing agent; the exact cut-offs
below (a rise from 10 mg/day or less, an agent taken 12 weeks or more, within the last 18 months,
still above 7.5 mg/day now) are this project's choice, since no published definition fixes them
for myositis (specialist review Z7: 'continue and optimise methotrexate' after two relapses on
tapering to 7.5 mg/day, on methotrexate 25 mg/week for 18 months).
"""

from __future__ import annotations

import datetime as dt
import itertools

from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import Treatment
from myositis.knowledge import KnowledgeBase
from myositis.services.muscle_trend import STEROID_SPARING_CATEGORIES

LOW_DOSE_MG_DAY = 10.0
"""A re-escalation counts from this daily prednisolone dose or less (adults)."""
LOW_DOSE_MG_KG_DAY = 0.2
"""... and from this dose per kg in a child (the lower of the two applies)."""
STILL_ABOVE_MG_DAY = 7.5
"""The dose taken now must still be above this (adults; 0.15 mg/kg/day in a child)."""
AGENT_WEEKS = 12
"""The steroid-sparing agent had been taken this long at the re-escalation."""
LOOK_BACK_DAYS = 548
"""Re-escalations within the last 18 months count."""
GAP_DAYS = 14
"""A course that starts within this many days of the previous one's stop continues it."""

SPARING_CATEGORIES = frozenset(STEROID_SPARING_CATEGORIES - {"antimalarial", "cellular_therapy"})
"""The steroid-sparing categories whose failure a glucocorticoid rise reveals."""


def _mg_day(course: Treatment, weight_kg: float | None) -> float | None:
    if course.dose_value is None:
        return None
    if course.dose_unit == "mg/day":
        return float(course.dose_value)
    if course.dose_unit == "mg/kg/day" and weight_kg:
        return float(course.dose_value) * weight_kg
    return None


def _agent_taken_at(record: PatientRecord, kb: KnowledgeBase, day: dt.date) -> str | None:
    for t in record.treatments:
        therapy = kb.therapies.get(t.therapy)
        if therapy is None or therapy.category not in SPARING_CATEGORIES or t.start is None:
            continue
        if (day - t.start).days >= AGENT_WEEKS * 7 and (t.stop is None or t.stop >= day):
            return therapy.name
    return None


def glucocorticoid_dependent(record: PatientRecord, kb: KnowledgeBase) -> str | None:
    """Why the patient is glucocorticoid-dependent on a steroid-sparing agent, or None."""
    weight = float(record.weight_kg) if record.weight_kg is not None else None
    child = record.age_years() < 18
    low = LOW_DOSE_MG_DAY
    still = STILL_ABOVE_MG_DAY
    if child:
        if weight is None:
            return None
        low = min(low, LOW_DOSE_MG_KG_DAY * weight)
        still = min(still, 0.15 * weight)
    today = record.on()
    courses = sorted((t for t in record.treatments if t.therapy == "glucocorticoids_oral"
                      and t.start is not None and t.start <= today),
                     key=lambda t: t.start or today)
    current = [t for t in courses if t.stop is None or t.stop > today]
    now_dose = _mg_day(current[-1], weight) if current else None
    if now_dose is None or now_dose <= still:
        return None
    rises = []
    for before, after in itertools.pairwise(courses):
        assert before.start is not None and after.start is not None
        end = before.stop or after.start
        dose_before, dose_after = _mg_day(before, weight), _mg_day(after, weight)
        if dose_before is None or dose_after is None or dose_after <= dose_before \
                or dose_before > low or abs((after.start - end).days) > GAP_DAYS \
                or (today - after.start).days > LOOK_BACK_DAYS:
            continue
        agent = _agent_taken_at(record, kb, after.start)
        if agent is not None:
            rises.append((after.start, dose_before, dose_after, agent))
    if not rises:
        return None
    day, dose_before, dose_after, agent = rises[-1]
    times = "twice or more" if len(rises) > 1 else "once"
    return (f"glucocorticoid-dependent: the dose went back up on tapering ({times}; last "
            f"{dose_before:g} to {dose_after:g} mg/day on {day.isoformat()}) after "
            f"{AGENT_WEEKS} weeks or more of {agent}, and is {now_dose:g} mg/day now - the "
            "steroid-sparing agent has not worked well enough")

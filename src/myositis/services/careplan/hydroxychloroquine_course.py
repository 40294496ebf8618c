"""The hydroxychloroquine course from the record: dose per kg, years taken, the retinal
examinations done, and a week of whole tablets under a dose ceiling."""

from __future__ import annotations

import datetime as dt
import re

from myositis.domain.record import PatientRecord
from myositis.services.careplan.exposure import is_current

RETINAL_TEST = re.compile(
    r"\b(retina\w*|oct|optical coherence|fundus|fundoscopy|fundal|ophthalm\w*|"
    r"visual fields?|autofluorescence|faf|mferg)\b", re.IGNORECASE)
"""A retinal examination among the tests done, matched by whole words: 'proctoscopy' contains
'oct' and 'doctor' contains 'oct' too (specialist review S: a proctoscopy silenced the overdue
hydroxychloroquine screen)."""


NOT_RETINAL = re.compile(r"\b(optician|optometrist|sight test|glasses|spectacles|refraction)\b",
                         re.IGNORECASE)
"""A sight test for glasses is not the hydroxychloroquine retinal screen (specialist review T:
an optician's eye test cleared 'screening overdue' at 8.5 mg/kg for 6.5 years)."""


def retinal_exams(record: PatientRecord) -> list[dt.date]:
    """Dates of the retinal examinations recorded among the tests done, oldest first."""
    return sorted(t.date for t in record.cancer.screening_done if RETINAL_TEST.search(t.test)
                  and not (NOT_RETINAL.search(t.test) and not re.search(
                      r"\b(oct|optical coherence|autofluorescence|faf|visual fields?)\b",
                      t.test, re.IGNORECASE)))


def hcq_course(record: PatientRecord) -> tuple[float | None, float | None, bool | None]:
    """(mg/kg/day, years on the course, retinal examination in the last year) for the
    current hydroxychloroquine course; Nones when it is not taken or not recorded."""
    today = record.on()
    course = next((t for t in record.treatments if t.therapy == "hydroxychloroquine"
                   and is_current(record, t.start, t.stop, t.outcome, t.reason_stopped)), None)
    if course is None:
        return None, None, None
    per_kg = None
    if course.dose_value is not None and record.weight_kg:
        daily = {"mg/day": course.dose_value, "mg/week": course.dose_value / 7,
                 "mg/kg/day": course.dose_value * record.weight_kg}.get(course.dose_unit or "")
        per_kg = daily / record.weight_kg if daily is not None else None
    years = (today - course.start).days / 365.25 if course.start else None
    recent = any((today - when).days <= 366 for when in retinal_exams(record))
    return per_kg, years, True if recent else (False if years is not None else None)


HCQ_TABLET_MG = 200


def hcq_week_plan(max_mg_day: float) -> str:
    """A week of 200 mg tablets at or below ``max_mg_day`` averaged over the week, worked out
    rather than given as a fixed example (specialist review A: '200 mg on most days and 400 mg
    on others' raised a child's dose whose ceiling was 180 mg/day)."""
    tablets = int(max_mg_day * 7 // HCQ_TABLET_MG)
    if tablets == 0:
        return "less than one 200 mg tablet a week: ask the pharmacist about a smaller strength"
    if tablets < 7:
        return f"200 mg on {tablets} days a week"
    if tablets == 7:
        return "200 mg every day"
    extra = min(tablets - 7, 7)
    return ("400 mg every day" if extra == 7
            else f"200 mg every day, with 400 mg on {extra} of them")

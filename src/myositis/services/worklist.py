"""What is due for a patient, from the care plan and the record: the clinic worklist's rows.

Each rule below reads the plan (which reads the knowledge base) or the record; nothing here
invents a schedule. Intervals that are project choices say so in ``why``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel

from myositis.domain.record import PatientRecord
from myositis.services.careplan import CarePlan
from myositis.services.course import Course

DueKind = Literal["flare", "monitoring", "cancer_screening", "lung_function", "dxa",
                  "vaccination", "follow_up", "safety_action"]
FOLLOW_UP_MONTHS = {"active": 3, "flare": 1, "new_onset": 1, "inadequate_response": 3}
FOLLOW_UP_DEFAULT_MONTHS = 6
LUNG_FUNCTION_MONTHS = 6   # ILD: PFTs every 3-6 months in the first years (ACR/CHEST 2023)
DXA_MONTHS = 24            # repeat DXA every 1-3 years on glucocorticoids (ACR 2022 GIOP)
INFLUENZA_MONTHS = 12
SOON_DAYS = 30
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


class DueItem(BaseModel):
    kind: DueKind
    text: str
    due: dt.date | None
    overdue: bool


def _months_ago(today: dt.date, months: int) -> dt.date:
    return today - dt.timedelta(days=round(months * 30.4375))


def _item(kind: DueKind, text: str, due: dt.date | None, today: dt.date) -> DueItem:
    return DueItem(kind=kind, text=text, due=due, overdue=due is not None and due < today)


def due_items(record: PatientRecord, plan: CarePlan, change: Course) -> list[DueItem]:
    today = record.on()
    out: list[DueItem] = []
    if change.flare or change.signals:
        out.append(_item("flare", ("Flare (IMACS 2005 worsening)" if change.flare
                                   else "Worse since the last visit") +
                         f" at {change.latest}", change.latest, today))
    for action in plan.do_now:
        if action.code not in ("flare", "cancer_screening_due") and action.urgency != "routine":
            out.append(_item("safety_action", action.text, today, today))
    for item in plan.monitoring:
        match = DATE.search(item.next_due)
        if "due now" in item.next_due:
            out.append(_item("monitoring", f"{item.therapy}: monitoring bloods", today, today))
        elif match:
            when = dt.date.fromisoformat(match.group(1))
            if when <= today + dt.timedelta(days=SOON_DAYS):
                out.append(_item("monitoring", f"{item.therapy}: monitoring bloods", when,
                                 today))
    if plan.cancer_screening.applicable and plan.cancer_screening.tests_due:
        out.append(_item("cancer_screening", "Cancer screening (IMACS 2023): "
                         + ", ".join(plan.cancer_screening.tests_due), today, today))
    ild = record.systemic.interstitial_lung_disease or (
        record.lung is not None and record.lung.hrct_pattern not in (None, "normal"))
    if ild:
        last = record.lung.date if record.lung is not None else None
        due = (last + dt.timedelta(days=round(LUNG_FUNCTION_MONTHS * 30.4375))) if last \
            else today
        if due <= today + dt.timedelta(days=SOON_DAYS):
            out.append(_item("lung_function", "Lung function (FVC, DLCO) for ILD", due, today))
    on_gc = any((v.glucocorticoid_mg_per_day or 0) >= 2.5 for v in record.visits[-2:])
    if on_gc:
        dxa = [s.date for s in record.cancer.screening_done if "dxa" in s.test.lower()]
        due = (max(dxa) + dt.timedelta(days=round(DXA_MONTHS * 30.4375))) if dxa else today
        if record.age_years() >= 18 and due <= today + dt.timedelta(days=SOON_DAYS):
            out.append(_item("dxa", "Bone density (DXA) on glucocorticoids", due, today))
    immunosuppressed = bool(plan.monitoring) or on_gc
    if immunosuppressed:
        flu = [v.date for v in record.vaccinations if v.vaccine == "influenza"]
        if not flu or max(flu) < _months_ago(today, INFLUENZA_MONTHS):
            out.append(_item("vaccination", "Influenza vaccine (immunosuppressed)",
                             max(flu) + dt.timedelta(days=365) if flu else today, today))
    if record.visits:
        state = plan.state.overall if plan.state else "active"
        months = FOLLOW_UP_MONTHS.get(state, FOLLOW_UP_DEFAULT_MONTHS)
        due = record.visits[-1].date + dt.timedelta(days=round(months * 30.4375))
        if due <= today:
            out.append(_item("follow_up", f"Follow-up visit (every {months} months when "
                             f"{state.replace('_', ' ')}; project default)", due, today))
    return out

"""The one validation of a visit, shared by the API, the save and the live check of the form.

Errors refuse the visit. Warnings (a second visit on the same date, an implausible
glucocorticoid dose) are saved only with an explicit confirmation, because each can be right
(a same-day review, a pulse of IV methylprednisolone) but is more often a typing slip.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from myositis.services.records import PatientOut, VisitIn

MAX_GC_MG_PER_DAY = 1000.0  # the usual ceiling of one IV methylprednisolone pulse
MAX_GC_MG_PER_KG_DAY = 2.0
MEASURES = ("physician_global", "patient_global", "extramuscular_global", "mmt8", "haq",
            "cdasi_activity", "cdasi_damage", "glucocorticoid_mg_per_day")


class VisitCheck(BaseModel):
    errors: dict[str, str] = Field(default_factory=dict)
    warnings: dict[str, str] = Field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings)


def check_visit(data: VisitIn, patient: PatientOut, others: list[tuple[int, dt.date]],
                today: dt.date, editing: int | None = None) -> VisitCheck:
    """Problems with a visit for this patient; ``others`` are the (id, date) of the patient's
    stored visits and ``editing`` the id of the visit being corrected (not its own
    duplicate)."""
    check = VisitCheck()
    if data.date > today:
        check.errors["date"] = f"must not be in the future (today is {today.isoformat()})"
    onset = patient.symptom_onset
    if onset and data.date < onset:
        check.errors["date"] = f"must not be before symptom onset ({onset.isoformat()})"
    if data.mmt8 is not None and data.mmt8 > data.mmt_max:
        check.errors["mmt8"] = f"must be between 0 and mmt_max ({data.mmt_max})"
    if all(getattr(data, name) is None for name in MEASURES) and not data.labs.enzymes \
            and not data.medications and not (data.notes or "").strip():
        check.errors["visit"] = "is empty: record at least one measure, a result or a note"
    if any(day == data.date and visit_id != editing for visit_id, day in others):
        check.warnings["date"] = (f"another visit of this patient is already dated "
                                  f"{data.date.isoformat()}")
    dose = data.glucocorticoid_mg_per_day
    weight = patient.profile.weight_kg
    if dose is not None and dose > MAX_GC_MG_PER_DAY:
        check.warnings["glucocorticoid_mg_per_day"] = (
            f"{dose:g} mg/day is above {MAX_GC_MG_PER_DAY:g} mg/day: check the dose and unit")
    elif dose is not None and weight and dose / weight > MAX_GC_MG_PER_KG_DAY:
        check.warnings["glucocorticoid_mg_per_day"] = (
            f"{dose:g} mg/day is {dose / weight:.1f} mg/kg/day for {weight:g} kg, above "
            f"{MAX_GC_MG_PER_KG_DAY:g} mg/kg/day: check the dose and unit")
    return check

"""Clinical computations over a patient's stored record: plan input, TIS series, list flags."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from pydantic import BaseModel

from myositis.domain.instruments import response_2016
from myositis.domain.instruments.eular_acr_2017 import classify
from myositis.services.careplan import CarePlan, CarePlanInput, build_care_plan
from myositis.services.records import PatientOut, PatientSummary, VisitOut

NO_RESPONSE_MONTHS = 6
MINIMAL = "minimal"


class ResponsePoint(BaseModel):
    visit_id: int
    date: dt.date
    total_improvement_score: float
    category: str
    baseline_visit_id: int


def _months(start: dt.date, end: dt.date) -> float:
    return max(0.0, (end - start).days / 30.4375)


def population(patient: PatientOut) -> response_2016.Population:
    return "juvenile" if patient.profile.classification.age_at_onset < 18 else "adult"


def plan_input(patient: PatientOut, visits: list[VisitOut], today: dt.date) -> CarePlanInput:
    """The care-plan profile: stored findings plus the latest labs and all medications."""
    profile = patient.profile
    latest_labs = next((v.labs for v in reversed(visits) if v.labs.enzymes), None)
    medications = {m.therapy: m for v in visits for m in v.medications}
    onset = patient.symptom_onset
    past = [v for v in visits if v.date <= today]
    return CarePlanInput.model_validate({
        **profile.model_dump(),
        "id": patient.pseudonym,
        "label": ("SYNTHETIC - " if patient.synthetic else "") + patient.pseudonym,
        "sex": patient.sex,
        "months_since_onset": min(_months(onset, today), 1200) if onset else 0,
        "labs": latest_labs.model_dump() if latest_labs else {},
        "treatments": [m.model_dump() for m in medications.values()],
        "visits": [{
            "date": v.date,
            "core_set": {"physician_global": v.physician_global,
                         "patient_global": v.patient_global,
                         "extramuscular_global": v.extramuscular_global, "mmt8": v.mmt8,
                         "mmt_max": v.mmt_max, "haq": v.haq},
            "cdasi_activity": v.cdasi_activity, "cdasi_damage": v.cdasi_damage,
            "labs": v.labs.model_dump(), "glucocorticoid_mg_per_day": v.glucocorticoid_mg_per_day,
        } for v in sorted(past, key=lambda v: v.date)],
        "today": today,
    })


def care_plan(patient: PatientOut, visits: list[VisitOut], today: dt.date) -> CarePlan:
    return build_care_plan(plan_input(patient, visits, today))


def core_set(visit: VisitOut) -> response_2016.CoreSetInput | None:
    """The visit's core set measures, or None when any of the six is missing."""
    needed = (visit.physician_global, visit.patient_global, visit.extramuscular_global,
              visit.mmt8, visit.haq)
    if any(value is None for value in needed) or not visit.labs.enzymes:
        return None
    return response_2016.CoreSetInput(
        physician_global=visit.physician_global, patient_global=visit.patient_global,
        extramuscular_global=visit.extramuscular_global, mmt8=visit.mmt8,
        mmt_max=visit.mmt_max, haq=visit.haq, enzymes=dict(visit.labs.enzymes),
    )


def response_series(patient: PatientOut, visits: list[VisitOut],
                    latest_only: bool = False) -> list[ResponsePoint]:
    """TIS of every complete visit against the first complete visit (the baseline); with
    ``latest_only``, just the most recent comparable visit (what the list flags need)."""
    complete = [(v, cs) for v in visits if (cs := core_set(v)) is not None]
    if not complete:
        return []
    base_visit, base = complete[0]
    points: list[ResponsePoint] = []
    for visit, measures in reversed(complete[1:]) if latest_only else complete[1:]:
        if latest_only and points:
            break
        if not set(base.enzymes) <= set(measures.enzymes):
            continue
        result = response_2016.total_improvement_score(base, measures, population(patient))
        points.append(ResponsePoint(
            visit_id=visit.id, date=visit.date,
            total_improvement_score=result.total_improvement_score,
            category=result.category or "none", baseline_visit_id=base_visit.id,
        ))
    return points


def list_flags(patient: PatientOut, visits: list[VisitOut], plan: CarePlan,
               series: list[ResponsePoint], today: dt.date) -> list[str]:
    flags = [f.code for f in plan.flags if f.urgency == "urgent"]
    if plan.cancer_screening.applicable and plan.cancer_screening.tests_due:
        flags.append("cancer_screening_due")
    baseline = next((v for v in visits if core_set(v) is not None), None)
    if baseline and _months(baseline.date, today) >= NO_RESPONSE_MONTHS:
        latest = series[-1] if series else None
        if latest is None or latest.total_improvement_score < response_2016.THRESHOLDS[
                population(patient)][0]:
            flags.append("no_response_6_months")
    return flags


def summary(patient: PatientOut, visits: list[VisitOut], today: dt.date) -> PatientSummary:
    """One row of the patient list; a care plan is built, so prefer `summaries` for many."""
    classification = classify(patient.profile.classification)
    plan = care_plan(patient, visits, today)
    series = response_series(patient, visits, latest_only=True)
    return PatientSummary(
        id=patient.id, pseudonym=patient.pseudonym, synthetic=patient.synthetic,
        subgroup=classification.subgroup, category=classification.category or "",
        visits=len(visits), last_visit=visits[-1].date if visits else None,
        flags=list_flags(patient, visits, plan, series, today),
    )


SummaryKey = tuple[int, int, tuple[tuple[int, int], ...], dt.date]


class SummaryCache:
    """Patient-list rows keyed by record versions and date, so an unchanged record is not
    re-planned on every list view; any write bumps a version and so misses the cache."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._rows: OrderedDict[SummaryKey, PatientSummary] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, patient: PatientOut, visits: list[VisitOut], today: dt.date) -> PatientSummary:
        key = (patient.id, patient.version, tuple((v.id, v.version) for v in visits), today)
        with self._lock:
            row = self._rows.get(key)
            if row is not None:
                self._rows.move_to_end(key)
                return row
        row = summary(patient, visits, today)
        with self._lock:
            self._rows[key] = row
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)
        return row


_summaries = SummaryCache()


def summaries(patients: list[PatientOut], visits: dict[int, list[VisitOut]],
              today: dt.date) -> list[PatientSummary]:
    """Patient-list rows for many patients (visits from `Repository.visits_by_patient`)."""
    return [_summaries.get(p, visits.get(p.id, []), today) for p in patients]

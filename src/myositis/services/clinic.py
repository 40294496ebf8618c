"""Clinical computations over a patient's stored record: plan input, TIS series, list flags."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from pydantic import BaseModel, ValidationError

from myositis.domain.instruments import response_2016
from myositis.errors import InputError
from myositis.services.careplan import CarePlan, CarePlanInput, build_care_plan
from myositis.services.course import Course, course
from myositis.services.flag_lifecycle import RaisedFlag
from myositis.services.records import PatientOut, PatientSummary, RecordEntries, VisitOut
from myositis.services.worklist import DueItem, due_items

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


def plan_input(patient: PatientOut, visits: list[VisitOut], today: dt.date,
               entries: RecordEntries | None = None) -> CarePlanInput:
    """The whole record the care plan reads: the stored profile, the visits, and the rows of
    treatments, lab results, antibody results, lung measures, screening tests and vaccinations.
    """
    profile = patient.profile
    entries = entries or RecordEntries()
    latest_labs = next((v.labs for v in reversed(visits) if v.labs.enzymes), None)
    legacy = {(m.therapy, m.start): m.model_dump() for v in visits for m in v.medications}
    courses = {(t.therapy, t.start): t.model_dump(exclude={"id"}) for t in entries.treatments}
    onset = patient.symptom_onset
    past = [v for v in visits if v.date <= today]
    lung = entries.lung_measures[-1].model_dump(exclude={"id"}) \
        if entries.lung_measures else None
    data = profile.model_dump()
    data["cancer"]["screening_done"] = [
        *data["cancer"]["screening_done"],
        *(s.model_dump(exclude={"id"}) for s in entries.screening_tests)]
    payload = {
        **data,
        "id": patient.pseudonym,
        "label": ("SYNTHETIC - " if patient.synthetic else "") + patient.pseudonym,
        "sex": patient.sex,
        "months_since_onset": min(_months(onset, today), 1200) if onset else 0,
        "labs": latest_labs.model_dump() if latest_labs else {},
        "treatments": list({**legacy, **courses}.values()),
        "lab_results": [r.model_dump(exclude={"id", "loinc"}) for r in entries.lab_results],
        "antibody_tests": [a.model_dump(exclude={"id"}) for a in entries.antibody_results
                           if a.date is not None or a.method is not None],
        "lung": lung,
        "lung_measures": [m.model_dump(exclude={"id"}) for m in entries.lung_measures],
        "vaccinations": [v.model_dump(exclude={"id"}) for v in entries.vaccinations],
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
    }
    try:
        return CarePlanInput.model_validate(payload)
    except ValidationError as exc:
        # A stored record the plan cannot read (saved before a check existed): say which
        # fields, as for any bad input, instead of failing with a server error.
        raise InputError([(".".join(str(p) for p in e["loc"]) or "record",
                           e["msg"].removeprefix("Value error, ")) for e in exc.errors()]
                         ) from exc


def care_plan(patient: PatientOut, visits: list[VisitOut], today: dt.date,
              entries: RecordEntries | None = None) -> CarePlan:
    return build_care_plan(plan_input(patient, visits, today, entries))


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


def raised_flags(patient: PatientOut, visits: list[VisitOut], plan: CarePlan,
                 series: list[ResponsePoint], today: dt.date) -> list[RaisedFlag]:
    """The flags the clinic tracks (list, worklist, lifecycle): the plan's urgent flags, a flare
    or worsening since the last visit, cancer screening due and no response after 6 months."""
    out = [RaisedFlag(code=f.code, urgency=f.urgency, text=f.text) for f in plan.flags
           if f.urgency == "urgent"
           or f.code in ("flare", "worse_since_last_visit", "worse_before_treatment")]
    screening = plan.cancer_screening
    if screening.applicable and screening.tests_due:
        out.append(RaisedFlag(code="cancer_screening_due", urgency="soon",
                              text=f"Cancer screening due (IMACS 2023, {screening.risk} risk): "
                                   + ", ".join(screening.tests_due)))
    baseline = next((v for v in visits if core_set(v) is not None), None)
    if baseline and _months(baseline.date, today) >= NO_RESPONSE_MONTHS:
        latest = series[-1] if series else None
        if latest is None or latest.total_improvement_score < response_2016.THRESHOLDS[
                population(patient)][0]:
            out.append(RaisedFlag(
                code="no_response_6_months", urgency="soon",
                text=f"No minimal response (TIS) 6 months or more after the baseline visit "
                     f"of {baseline.date}" + (f"; latest TIS {latest.total_improvement_score} "
                                               f"on {latest.date}" if latest else "")))
    return out


PATIENT_WARNING_TEXT = {
    "swallowing": "trouble swallowing", "breathing": "breathlessness or cough",
    "weakness_worsening": "weakness worsening quickly", "fever_on_treatment": "fever on treatment",
}


def patient_warning_flag(entries: RecordEntries | None) -> RaisedFlag | None:
    """An urgent flag while a portal report with warning symptoms waits for a clinician."""
    if entries is None or not entries.patient_warnings:
        return None
    said = ", ".join(PATIENT_WARNING_TEXT.get(w, w) for w in entries.patient_warnings)
    return RaisedFlag(code="patient_reported_warning", urgency="urgent",
                      text=f"Patient reported through the portal: {said}; contact the patient "
                           "today and review the questionnaire")


def list_flags(patient: PatientOut, visits: list[VisitOut], plan: CarePlan,
               series: list[ResponsePoint], today: dt.date) -> list[str]:
    return [f.code for f in raised_flags(patient, visits, plan, series, today)]


def last_recorded(visits: list[VisitOut], entries: RecordEntries) -> dt.date | None:
    """Date of the newest visit or record entry (a person's flag resolution holds until then)."""
    dates = [v.date for v in visits]
    for kind in ("lab_results", "lung_measures", "screening_tests", "vaccinations",
                 "antibody_results"):
        dates += [e.date for e in getattr(entries, kind) if e.date is not None]
    dates += [d for t in entries.treatments for d in (t.start, t.stop) if d is not None]
    return max(dates) if dates else None


class PatientView(BaseModel):
    """Everything a patient page, letter or worklist row reads, computed once."""

    record: CarePlanInput
    plan: CarePlan
    course: Course
    series: list[ResponsePoint]
    flags: list[RaisedFlag]
    due: list[DueItem]


def patient_view(patient: PatientOut, visits: list[VisitOut], today: dt.date,
                 entries: RecordEntries | None = None, full_series: bool = True
                 ) -> PatientView:
    """``full_series=False`` scores only the latest TIS (all the flags need): the list and
    worklist rows of thousands of patients do not chart the course."""
    record = plan_input(patient, visits, today, entries)
    plan = build_care_plan(record)
    series = response_series(patient, visits, latest_only=not full_series)
    change = course(record)
    flags = raised_flags(patient, visits, plan, series, today)
    warning = patient_warning_flag(entries)
    if warning is not None:
        flags.insert(0, warning)
    return PatientView(record=record, plan=plan, course=change, series=series,
                       flags=flags,
                       due=due_items(record, plan, change))


def current_therapies(entries: RecordEntries, today: dt.date) -> list[str]:
    return sorted({t.therapy for t in entries.treatments
                   if (t.stop is None or t.stop >= today) and (t.start is None
                                                                 or t.start <= today)})


UNREADABLE = "record_inconsistent"
"""Flag code of a list row whose record the care plan refuses to read (open it to correct)."""


def summary(patient: PatientOut, visits: list[VisitOut], today: dt.date,
            entries: RecordEntries | None = None) -> PatientSummary:
    """One row of the patient list and worklist; a care plan is built, so prefer `summaries`."""
    entries = entries or RecordEntries()
    try:
        view = patient_view(patient, visits, today, entries, full_series=False)
    except InputError:
        # A record stored before a consistency check existed (or edited around one) must not
        # take the whole list down with it: the row stays, flagged for correction (H77).
        return PatientSummary(
            id=patient.id, pseudonym=patient.pseudonym, synthetic=patient.synthetic,
            subgroup=None, category="", visits=len(visits),
            last_visit=visits[-1].date if visits else None, flags=[UNREADABLE],
            diagnosis=patient.profile.diagnosis.subgroup,
            therapies=current_therapies(entries, today), clinician=patient.clinician)
    classification = view.plan.classification
    diagnosis = patient.profile.diagnosis.subgroup
    positive = sorted({a.value for a in view.record.all_antibodies().positive()})
    return PatientSummary(
        id=patient.id, pseudonym=patient.pseudonym, synthetic=patient.synthetic,
        subgroup=classification.subgroup, category=classification.category or "",
        visits=len(visits), last_visit=visits[-1].date if visits else None,
        flags=[f.code for f in view.flags],
        diagnosis=diagnosis, antibodies=positive,
        therapies=current_therapies(entries, today), due=view.due,
        clinician=patient.clinician,
    )


def matches(row: PatientSummary, query: str) -> bool:
    """Search the patient list by pseudonym, antibody ("MDA5", "anti-HMGCR"), subgroup
    (clinician's or EULAR/ACR) or current drug; every word must match."""
    haystack = " ".join([row.pseudonym, row.diagnosis or "", row.subgroup or "",
                         *row.antibodies, *(f"anti-{a}" for a in row.antibodies),
                         *row.therapies, *row.flags]).lower()
    return all(word in haystack for word in query.lower().split())


SummaryKey = tuple[int, int, int, dt.date]


class SummaryCache:
    """Patient-list and worklist rows keyed by (patient, version, record version, date): every
    write to a record bumps its record version, and the date is in the key because due items
    and ages move with it, so a cached row is never stale. Rows are computed on a miss only,
    which keeps the worklist over thousands of patients at a dictionary lookup per patient."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._rows: OrderedDict[SummaryKey, PatientSummary] = OrderedDict()
        # one row per patient: a write makes the earlier version's row unreachable, and the soak
        # test showed memory growing by those dead rows until the size cap (issue 13)
        self._latest: dict[int, SummaryKey] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(patient_id: int, version: int, record_version: int, today: dt.date) -> SummaryKey:
        return (patient_id, version, record_version, today)

    def clear(self) -> None:
        """Forget every row (a new app over another database must not read this one's)."""
        with self._lock:
            self._rows.clear()
            self._latest.clear()

    def peek(self, key: SummaryKey) -> PatientSummary | None:
        with self._lock:
            row = self._rows.get(key)
            if row is not None:
                self._rows.move_to_end(key)
            return row

    def put(self, key: SummaryKey, row: PatientSummary) -> None:
        with self._lock:
            stale = self._latest.get(key[0])
            if stale is not None and stale != key:
                self._rows.pop(stale, None)
            self._latest[key[0]] = key
            self._rows[key] = row
            while len(self._rows) > self.size:
                dropped, _ = self._rows.popitem(last=False)
                if self._latest.get(dropped[0]) == dropped:
                    del self._latest[dropped[0]]

    def __len__(self) -> int:
        with self._lock:
            return len(self._rows)

    def get(self, patient: PatientOut, visits: list[VisitOut], today: dt.date,
            entries: RecordEntries | None = None) -> PatientSummary:
        key = self.key(patient.id, patient.version, patient.record_version, today)
        row = self.peek(key)
        if row is None:
            row = summary(patient, visits, today, entries)
            self.put(key, row)
        return row


_summaries = SummaryCache()


def summary_cache() -> SummaryCache:
    return _summaries


class ViewCache:
    """The last few full patient views (care plan, course, TIS series), keyed like the summary
    rows by patient id, record versions and date: a patient page reopened while nothing was
    written is not recomputed (the bench's ten-year patient: 54 of 75 ms were this view)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._views: OrderedDict[SummaryKey, PatientView] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._views.clear()

    def get(self, patient: PatientOut, visits: list[VisitOut], today: dt.date,
            entries: RecordEntries) -> PatientView:
        key = SummaryCache.key(patient.id, patient.version, patient.record_version, today)
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        view = patient_view(patient, visits, today, entries)
        with self._lock:
            self._views[key] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view


_views = ViewCache()


def view_cache() -> ViewCache:
    return _views


def summaries(patients: list[PatientOut], visits: dict[int, list[VisitOut]],
              today: dt.date, entries: dict[int, RecordEntries] | None = None
              ) -> list[PatientSummary]:
    """Patient-list rows for many patients (visits from `Repository.visits_by_patient`)."""
    entries = entries or {}
    return [_summaries.get(p, visits.get(p.id, []), today, entries.get(p.id))
            for p in patients]


TREND_ROWS = (("ck", "CK", "U/L"), ("aldolase", "Aldolase", "U/L"), ("ldh", "LDH", "U/L"),
              ("ast", "AST", "U/L"), ("alt", "ALT", "U/L"), ("ferritin", "Ferritin", "ng/mL"),
              ("kl6", "KL-6", "U/mL"), ("crp", "CRP", "mg/L"),
              ("fvc", "FVC", "% predicted"), ("dlco", "DLCO", "% predicted"))


class TrendCell(BaseModel):
    value: float
    uln: float | None = None
    high: bool = False


class LabTrend(BaseModel):
    dates: list[dt.date]
    rows: list[tuple[str, str, list[TrendCell | None]]]


def lab_trend(visits: list[VisitOut], entries: RecordEntries, columns: int = 8) -> LabTrend:
    """The lab trend table: visit enzymes, lab-result rows and lung function by date; values
    above their ULN are marked (lung function has no ULN: low values matter there)."""
    cells: dict[tuple[str, dt.date], TrendCell] = {}
    for v in visits:
        for enzyme, result in v.labs.enzymes.items():
            cells[(enzyme.value, v.date)] = TrendCell(value=result.value, uln=result.uln,
                                                      high=result.value > result.uln)
    for r in entries.lab_results:
        cells[(r.analyte, r.date)] = TrendCell(value=r.value, uln=r.uln,
                                               high=r.uln is not None and r.value > r.uln)
    for m in entries.lung_measures:
        if m.fvc_percent_predicted is not None:
            cells[("fvc", m.date)] = TrendCell(value=m.fvc_percent_predicted)
        if m.dlco_percent_predicted is not None:
            cells[("dlco", m.date)] = TrendCell(value=m.dlco_percent_predicted)
    names = {code for code, _label, _unit in TREND_ROWS}
    dates = sorted({d for (code, d) in cells if code in names})[-columns:]
    rows = [(label, unit, [cells.get((code, d)) for d in dates])
            for code, label, unit in TREND_ROWS if any((code, d) in cells for d in dates)]
    return LabTrend(dates=dates, rows=rows)

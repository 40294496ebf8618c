"""The patient portal's logic: invitations, the pre-visit questionnaire and its scores, and the
plain-language view of a patient's own record.

A patient's answers never change the record by themselves: they are stored as patient-reported
values (source and date kept) and a clinician accepts them into a visit, so that the TIS reads
only values a clinician has seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.instruments import haq
from myositis.domain.instruments.haq import HaqInput
from myositis.domain.translatable import N_
from myositis.domain.types import Num
from myositis.errors import MyositisError, NotComputableError
from myositis.knowledge import load
from myositis.knowledge.schema import EducationPage
from myositis.services import clinic
from myositis.services.clinic import current_therapies
from myositis.services.records import PatientOut, RecordEntries, VisitOut

INVITATION_DAYS = 14
"""An invitation code is valid this long and once only."""

NOT_PRESCRIBING = N_("This page explains your own record in plain words. It does not replace "
                     "your clinic's advice: ask your clinic before changing any treatment.")


def new_invitation_code() -> str:
    """A code long enough not to be guessed (128 bits), short enough to type from a letter."""
    return secrets.token_urlsafe(16)


def code_hash(code: str) -> str:
    """Only the SHA-256 of a code is stored, so a copy of the database cannot redeem one."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


Vas = Num
WarningSymptom = Literal["swallowing", "breathing", "weakness_worsening", "fever_on_treatment"]
WARNING_TEXT: dict[str, str] = {
    "swallowing": N_("trouble swallowing, choking or food sticking"),
    "breathing": N_("new or worse breathlessness or cough"),
    "weakness_worsening": N_("weakness getting worse quickly"),
    "fever_on_treatment": N_("fever while on treatment that lowers immunity"),
}
URGENT_ADVICE = N_("Contact your clinic today. If you are struggling to breathe or to swallow, "
                   "call emergency services now.")


class Questionnaire(BaseModel):
    """What a patient completes before a visit. Every part is optional, but not all of them."""

    model_config = ConfigDict(extra="forbid")

    haq: HaqInput | None = Field(default=None, description="HAQ-DI, past week")
    patient_global: Vas | None = Field(
        default=None, ge=0, le=10, description="overall myositis activity over the past week, "
                                               "0 (not active) to 10 (extremely active)")
    pain: Vas | None = Field(default=None, ge=0, le=10,
                             description="pain over the past week, 0 (none) to 10 (severe)")
    fatigue: Vas | None = Field(default=None, ge=0, le=10,
                                description="fatigue over the past week, 0 (none) to 10 (severe)")
    concerns: str | None = Field(default=None, max_length=2000,
                                 description="anything the patient wants the clinic to know")
    warning_symptoms: list[WarningSymptom] = Field(
        default_factory=list, description="symptoms that need the clinic now")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.haq is None and self.patient_global is None and self.pain is None \
                and self.fatigue is None and not (self.concerns or "").strip() \
                and not self.warning_symptoms:
            raise ValueError("answer at least one question")
        return self


class QuestionnaireScore(BaseModel):
    haq_di: float | None
    haq_note: str
    haq_categories_answered: int


def score(answers: Questionnaire) -> QuestionnaireScore:
    """The HAQ-DI by the library's published scoring; with fewer than 6 of 8 categories
    answered the published rule gives no index, and the note says so in plain words."""
    if answers.haq is None:
        return QuestionnaireScore(haq_di=None, haq_note=N_("The HAQ was not answered."),
                                  haq_categories_answered=0)
    answered = sum(1 for c in answers.haq.categories.values()
                   if any(a is not None for a in c.items))
    try:
        result = haq.haq_di(answers.haq)
    except NotComputableError:
        return QuestionnaireScore(
            haq_di=None, haq_categories_answered=answered,
            haq_note=f"{answered} of the 8 groups of questions were answered. The HAQ score "
                     f"needs at least {haq.MIN_CATEGORIES}, so no score was given; your answers "
                     "are still sent to the clinic.")
    total = result.total
    return QuestionnaireScore(
        haq_di=total, haq_categories_answered=answered,
        haq_note=f"Your HAQ score is {total:.3f} on a scale from 0 (no difficulty) to 3 "
                 "(unable to do). Aids, devices or help from another person raise a group's "
                 "score to at least 2, as the published scoring requires.")


ReportStatus = Literal["submitted", "accepted", "declined"]


class PatientReportOut(BaseModel):
    """A submitted questionnaire as the clinic sees it: patient-reported, dated, with status."""

    id: int
    patient_id: int
    submitted_by: str
    submitted_at: dt.datetime
    answers: Questionnaire
    haq_di: float | None
    patient_global: float | None
    pain: float | None
    fatigue: float | None
    concerns: str | None
    status: ReportStatus
    visit_id: int | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None


class AcceptReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visit_id: int = Field(ge=1, le=2_147_483_647)


class PlainItem(BaseModel):
    """One thing explained: a name, a sentence, and the page that says more."""

    name: str
    text: str
    page: str | None = None


class MeasurePoint(BaseModel):
    date: dt.date
    haq: float | None
    patient_global: float | None
    mmt8: float | None


class Reminder(BaseModel):
    """Something due, in plain words, with its date when known."""

    text: str
    due: dt.date | None = None
    overdue: bool = False
    tests_for: str | None = None
    """For blood tests, the medicine they watch (the portal translates "Blood tests for ...")."""


REMIND_DAYS = 14
"""Reminders cover what is overdue or due within two weeks."""
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def reminders(next_visit: dt.date | None, reports: list[PatientReportOut],
              monitoring: list[tuple[str, str]], today: dt.date) -> list[Reminder]:
    """Due questionnaires (a visit within two weeks and nothing sent since the last one) and
    monitoring the clinic's plan lists as due (``(what, next_due)`` pairs from the plan)."""
    out: list[Reminder] = []
    # the next visit: a booked one, else the check-up the care plan says is due
    check_up = next((d for w, d in monitoring if w == "Disease activity"), None)
    match = DATE.search(check_up) if check_up else None
    visit = next_visit or (dt.date.fromisoformat(match.group(1)) if match else None)
    visit_soon = (visit is not None and (visit - today).days <= REMIND_DAYS) or (
        check_up is not None and ("due now" in check_up or "overdue" in check_up))
    if visit_soon:
        recent = any((today - r.submitted_at.date()).days <= 2 * REMIND_DAYS for r in reports)
        if not recent:
            out.append(Reminder(text=N_("Fill in the questions before your visit"),
                                due=visit if visit is not None and visit >= today else None))
    for what, next_due in monitoring:
        match = DATE.search(next_due)
        when = dt.date.fromisoformat(match.group(1)) if match else None
        now = "due now" in next_due or "overdue" in next_due
        if now or (when is not None and (when - today).days <= REMIND_DAYS):
            tests_for = None if what in ("Disease activity", "Lung") else what
            label = (N_("Check-up with your myositis team") if what == "Disease activity"
                     else N_("Breathing tests") if what == "Lung"
                     else f"Blood tests for {what}")
            out.append(Reminder(text=label, due=when, tests_for=tests_for,
                                overdue=("overdue" in next_due) or (when is not None
                                                                    and when < today)))
    return out


class PortalView(BaseModel):
    pseudonym: str
    synthetic: bool
    notice: str = NOT_PRESCRIBING
    diagnosis: PlainItem | None
    antibodies: list[PlainItem]
    medicines: list[PlainItem]
    measures: list[MeasurePoint]
    next_visit: dt.date | None
    reports: list[PatientReportOut]
    reading: list[PlainItem]
    reminders: list[Reminder] = Field(default_factory=list)


def _item(name: str, page: EducationPage | None, fallback: str) -> PlainItem:
    if page is None:
        return PlainItem(name=name, text=fallback)
    return PlainItem(name=name, text=page.summary, page=page.id)


def portal_view(patient: PatientOut, visits: list[VisitOut], entries: RecordEntries,
                reports: list[PatientReportOut], today: dt.date,
                monitoring: list[tuple[str, str]] | None = None) -> PortalView:
    """The patient's own record in plain words. Clinician notes, flags and the care plan's
    clinical text are not shown: they are written for clinicians."""
    kb = load()
    subgroup = patient.profile.diagnosis.subgroup
    diagnosis = None
    if subgroup is not None:
        page = kb.education_for(subgroup)
        diagnosis = _item(page.title if page else subgroup, page,
                          N_("Your clinic will explain your diagnosis."))
    # the latest dated result of each antibody decides (a negative retest is not shown as
    # positive); the profile's results count where no dated result exists
    latest: dict[str, str] = {a.value: "positive" for a in patient.profile.antibodies.positive()}
    for test in sorted(entries.antibody_results, key=lambda t: (t.date is not None, t.date)):
        latest[test.antibody.value] = test.result
    positive = sorted(a for a, result in latest.items() if result == "positive")
    antibodies = []
    for antibody in positive:
        page = kb.education_for(antibody)
        entry = kb.autoantibodies.get(antibody)
        antibodies.append(_item(entry.name if entry else antibody, page,
                                N_("Ask your clinic what this antibody means for you.")))
    medicines = []
    for therapy in current_therapies(entries, today):
        page = kb.education_for(therapy)
        known = kb.therapies.get(therapy)
        medicines.append(_item(known.name if known else therapy, page,
                               N_("Ask your clinic what this medicine is for.")))
    measures = [MeasurePoint(date=v.date, haq=v.haq, patient_global=v.patient_global,
                             mmt8=v.mmt8) for v in visits if v.date <= today]
    upcoming = [v.date for v in visits if v.date > today]
    reading = [PlainItem(name=p.title, text=p.summary, page=p.id)
               for p in kb.education.values() if p.topic == "living"]
    next_visit = min(upcoming) if upcoming else None
    return PortalView(pseudonym=patient.pseudonym, synthetic=patient.synthetic,
                      diagnosis=diagnosis, antibodies=antibodies, medicines=medicines,
                      measures=measures, next_visit=next_visit, reports=reports,
                      reading=reading,
                      reminders=reminders(next_visit, reports, monitoring or [], today))


def planned_view(patient: PatientOut, visits: list[VisitOut], entries: RecordEntries,
                 reports: list[PatientReportOut], today: dt.date) -> PortalView:
    """The plain view with reminders from the monitoring the clinic's care plan lists; a
    record the plan cannot read still gets the rest of the view."""
    try:
        plan = clinic.patient_view(patient, visits, today, entries).plan
        monitoring = [(m.therapy, m.next_due) for m in plan.monitoring]
    except MyositisError:
        monitoring = []
    return portal_view(patient, visits, entries, reports, today, monitoring)

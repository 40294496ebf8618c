"""Portal API: the clinic invites a patient and reviews the questionnaires they submit; the
patient reads their own record and submits questionnaires. A patient's routes never take a
record id: the record is the one their account is linked to, so no id can reach another's."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from myositis.db.portal_repository import PortalRepository
from myositis.errors import NotFoundError
from myositis.services import diary, exercise, portal
from myositis.services.access import Principal
from myositis.services.portal import AcceptReport, PatientReportOut, PortalView, Questionnaire
from myositis.web.deps import RecordId, authorized, db_session, principal

router = APIRouter(prefix="/api", tags=["portal"])


def portal_repository(user: Principal = Depends(principal),
                      session: Session = Depends(db_session)) -> PortalRepository:
    return PortalRepository(session, actor=user.username)


def own_record(user: Principal) -> int:
    """The patient's own record id (a patient account without one sees nothing)."""
    if user.patient_id is None:
        raise NotFoundError("no record is linked to this account")
    return user.patient_id


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Invitation(BaseModel):
    code: str
    link: str
    expires_at: dt.datetime
    note: str = "Shown once: give it to the patient; it works once, until it expires."


class Submitted(BaseModel):
    report: PatientReportOut
    score: portal.QuestionnaireScore


@router.post("/patients/{patient_id}/invitations", response_model=Invitation, status_code=201)
def invite(request: Request, patient_id: RecordId,
           user: Principal = Depends(authorized("portal:invite")),
           repo: PortalRepository = Depends(portal_repository)) -> Invitation:
    code, expires = repo.invite(patient_id, _now())
    repo.session.commit()
    return Invitation(code=code, link=str(request.url_for("accept_form", code=code)),
                      expires_at=expires)


@router.get("/patients/{patient_id}/reports", response_model=list[PatientReportOut])
def reports(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
            repo: PortalRepository = Depends(portal_repository)) -> list[PatientReportOut]:
    repo.patient(patient_id)
    return repo.reports(patient_id)


@router.post("/patients/{patient_id}/reports/{report_id}/accept",
             response_model=PatientReportOut)
def accept(patient_id: RecordId, report_id: RecordId, body: AcceptReport,
           user: Principal = Depends(authorized("patient:write")),
           repo: PortalRepository = Depends(portal_repository)) -> PatientReportOut:
    out = repo.accept_report(patient_id, report_id, body.visit_id, _now())
    repo.session.commit()
    return out


@router.post("/patients/{patient_id}/reports/{report_id}/decline",
             response_model=PatientReportOut)
def decline(patient_id: RecordId, report_id: RecordId,
            user: Principal = Depends(authorized("patient:write")),
            repo: PortalRepository = Depends(portal_repository)) -> PatientReportOut:
    out = repo.decline_report(patient_id, report_id, _now())
    repo.session.commit()
    return out


def my_view(repo: PortalRepository, user: Principal) -> PortalView:
    """The plain view, with reminders from the monitoring the clinic's care plan lists."""
    patient_id = own_record(user)
    return portal.planned_view(repo.patient(patient_id), repo.visits(patient_id),
                               repo.record_entries([patient_id])[patient_id],
                               repo.reports(patient_id), dt.date.today())


@router.get("/portal/me", response_model=PortalView)
def me(user: Principal = Depends(authorized("portal:self")),
       repo: PortalRepository = Depends(portal_repository)) -> PortalView:
    return my_view(repo, user)


def submit(repo: PortalRepository, user: Principal, answers: Questionnaire) -> Submitted:
    scores = portal.score(answers)
    report = repo.add_report(own_record(user), answers, scores, _now())
    repo.session.commit()
    return Submitted(report=report, score=scores)


@router.post("/portal/questionnaires", response_model=Submitted, status_code=201)
def questionnaire(body: Annotated[Questionnaire, Body()],
                  user: Principal = Depends(authorized("portal:self")),
                  repo: PortalRepository = Depends(portal_repository)) -> Submitted:
    return submit(repo, user, body)



# -- exercise programme ----------------------------------------------------------------------

def exercise_of(repo: PortalRepository, patient_id: int,
                state: str | None = None) -> exercise.ExerciseView:
    return exercise.exercise_view(repo.exercise_plan(patient_id),
                                  repo.exercise_logs(patient_id), dt.date.today(), state)


@router.get("/portal/exercise", response_model=exercise.ExerciseView)
def my_exercise(user: Principal = Depends(authorized("portal:self")),
                repo: PortalRepository = Depends(portal_repository)) -> exercise.ExerciseView:
    return exercise_of(repo, own_record(user))


def log_session(repo: PortalRepository, user: Principal,
                log: exercise.ExerciseLogIn) -> exercise.ExerciseLogOut:
    out = repo.log_exercise(own_record(user), log, _now())
    repo.session.commit()
    return out


@router.post("/portal/exercise/logs", response_model=exercise.ExerciseLogOut, status_code=201)
def log_exercise(body: Annotated[exercise.ExerciseLogIn, Body()],
                 user: Principal = Depends(authorized("portal:self")),
                 repo: PortalRepository = Depends(portal_repository)) -> exercise.ExerciseLogOut:
    return log_session(repo, user, body)


@router.get("/patients/{patient_id}/exercise", response_model=exercise.ExerciseView)
def patient_exercise(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                     repo: PortalRepository = Depends(portal_repository)
                     ) -> exercise.ExerciseView:
    repo.patient(patient_id)
    return exercise_of(repo, patient_id)


@router.put("/patients/{patient_id}/exercise", response_model=exercise.ExercisePlanOut)
def set_exercise(patient_id: RecordId, body: exercise.ExercisePlanIn,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: PortalRepository = Depends(portal_repository)) -> exercise.ExercisePlanOut:
    out = repo.set_exercise_plan(patient_id, body, _now())
    repo.session.commit()
    return out


# -- symptom diary -------------------------------------------------------------------------

class DiaryView(BaseModel):
    entries: list[diary.DiaryEntryOut]
    trend: diary.DiaryTrend


def diary_of(repo: PortalRepository, patient_id: int) -> DiaryView:
    entries = repo.diary(patient_id)
    return DiaryView(entries=entries, trend=diary.trend(entries, dt.date.today()))


@router.get("/portal/diary", response_model=DiaryView)
def my_diary(user: Principal = Depends(authorized("portal:self")),
             repo: PortalRepository = Depends(portal_repository)) -> DiaryView:
    return diary_of(repo, own_record(user))


def write_diary(repo: PortalRepository, user: Principal,
                entry: diary.DiaryEntryIn) -> diary.DiaryEntryOut:
    out = repo.add_diary_entry(own_record(user), entry, _now())
    repo.session.commit()
    return out


@router.post("/portal/diary", response_model=diary.DiaryEntryOut, status_code=201)
def add_diary(body: Annotated[diary.DiaryEntryIn, Body()],
              user: Principal = Depends(authorized("portal:self")),
              repo: PortalRepository = Depends(portal_repository)) -> diary.DiaryEntryOut:
    return write_diary(repo, user, body)


@router.get("/patients/{patient_id}/diary", response_model=DiaryView)
def patient_diary(patient_id: RecordId, user: Principal = Depends(authorized("patient:read")),
                  repo: PortalRepository = Depends(portal_repository)) -> DiaryView:
    repo.patient(patient_id)
    return diary_of(repo, patient_id)

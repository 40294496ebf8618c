"""Persistence of the patient portal: invitations, patient accounts and submitted
questionnaires. Every write is audited like any other write to a patient record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from myositis.db import models
from myositis.db.repository import Repository, visit_out
from myositis.errors import ConflictError, InputError, NotFoundError
from myositis.services import exercise
from myositis.services.diary import DiaryEntryIn, DiaryEntryOut
from myositis.services.exercise import ExerciseLogIn, ExerciseLogOut, ExercisePlanIn, ExercisePlanOut
from myositis.services.group_sessions import GroupSessionIn, GroupSessionOut
from myositis.services.portal import (
    INVITATION_DAYS,
    PatientReportOut,
    Questionnaire,
    QuestionnaireScore,
    code_hash,
    new_invitation_code,
)
from myositis.services.records import VisitItems, VisitUpdate


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def report_out(row: models.PatientReport) -> PatientReportOut:
    return PatientReportOut.model_validate({
        "id": row.id, "patient_id": row.patient_id, "submitted_by": row.submitted_by,
        "submitted_at": _utc(row.submitted_at), "answers": row.answers, "haq_di": row.haq_di,
        "patient_global": row.patient_global, "pain": row.pain, "fatigue": row.fatigue,
        "concerns": row.concerns, "status": row.status, "visit_id": row.visit_id,
        "reviewed_by": row.reviewed_by,
        "reviewed_at": _utc(row.reviewed_at) if row.reviewed_at else None})


def _group_session(row: models.GroupSession) -> GroupSessionOut:
    return GroupSessionOut(id=row.id, title=row.title, starts_at=_utc(row.starts_at),
                           place=row.place, description=row.description,
                           audience=row.audience,
                           cancelled=row.cancelled, created_by=row.created_by)


class PortalRepository(Repository):
    """The clinic repository plus the portal's tables (one session, the caller commits)."""

    # -- the clinic's group sessions ------------------------------------------------------
    def add_group_session(self, session_in: GroupSessionIn, now: dt.datetime) -> GroupSessionOut:
        row = models.GroupSession(**session_in.model_dump(), created_by=self.actor,
                                  created_at=now)
        self.session.add(row)
        self.session.flush()
        out = _group_session(row)
        self._audit("create", "group_session", row.id, None, out.model_dump(mode="json"))
        return out

    def group_sessions(self, from_time: dt.datetime) -> list[GroupSessionOut]:
        """Sessions starting at or after ``from_time``, soonest first (cancelled included, so
        the clinic sees them)."""
        query = select(models.GroupSession).where(
            models.GroupSession.starts_at >= from_time).order_by(models.GroupSession.starts_at)
        return [_group_session(r) for r in self.session.scalars(query)]

    def cancel_group_session(self, session_id: int) -> GroupSessionOut:
        row = self.session.get(models.GroupSession, session_id)
        if row is None:
            raise NotFoundError(f"group session {session_id} not found")
        before = _group_session(row).model_dump(mode="json")
        row.cancelled = True
        self.session.flush()
        out = _group_session(row)
        self._audit("update", "group_session", row.id, before, out.model_dump(mode="json"))
        return out

    # -- invitations and accounts ---------------------------------------------------------
    def invite(self, patient_id: int, now: dt.datetime) -> tuple[str, dt.datetime]:
        """A new single-use code for the patient; the code itself is returned once and never
        stored."""
        self._require_patient(patient_id)
        code = new_invitation_code()
        expires = now + dt.timedelta(days=INVITATION_DAYS)
        row = models.PortalInvitation(patient_id=patient_id, code_hash=code_hash(code),
                                      created_by=self.actor, created_at=now, expires_at=expires)
        self.session.add(row)
        self.session.flush()
        self._audit("create", "portal_invitation", row.id, None,
                    {"patient_id": patient_id, "expires_at": expires.isoformat()})
        return code, expires

    def _invitation(self, code: str, now: dt.datetime) -> models.PortalInvitation:
        row = self.session.scalar(select(models.PortalInvitation).where(
            models.PortalInvitation.code_hash == code_hash(code)))
        # One message for unknown, used and expired codes: the answer must not help guessing.
        if row is None or row.used_at is not None or _utc(row.expires_at) <= now:
            raise NotFoundError("this invitation code is not valid (unknown, used or expired); "
                                "ask your clinic for a new one")
        return row

    def check_invitation(self, code: str, now: dt.datetime) -> None:
        self._invitation(code, now)

    def redeem(self, code: str, username: str, password_hash: str,
               now: dt.datetime) -> models.User:
        """The patient's account, linked to the invited record; the code is spent."""
        invitation = self._invitation(code, now)
        if self.user(username) is not None:
            raise ConflictError(f"the username {username!r} is taken; choose another")
        user = models.User(username=username, password_hash=password_hash, role="patient",
                           patient_id=invitation.patient_id)
        self.session.add(user)
        invitation.used_at, invitation.used_by = now, username
        self.session.flush()
        self._audit("create", "user", user.id, None,
                    {"username": username, "role": "patient",
                     "patient_id": invitation.patient_id, "invitation": invitation.id})
        return user

    # -- questionnaires -------------------------------------------------------------------
    def add_report(self, patient_id: int, answers: Questionnaire, scores: QuestionnaireScore,
                   now: dt.datetime) -> PatientReportOut:
        self._require_patient(patient_id)
        row = models.PatientReport(
            patient_id=patient_id, submitted_by=self.actor, submitted_at=now,
            answers=answers.model_dump(mode="json"), haq_di=scores.haq_di,
            patient_global=answers.patient_global, pain=answers.pain, fatigue=answers.fatigue,
            concerns=answers.concerns, status="submitted")
        self.session.add(row)
        self.session.flush()
        out = report_out(row)
        self._audit("create", "patient_report", row.id, None, out.model_dump(mode="json"))
        self._touch(patient_id)
        return out

    def reports(self, patient_id: int) -> list[PatientReportOut]:
        query = select(models.PatientReport).where(
            models.PatientReport.patient_id == patient_id).order_by(
            models.PatientReport.submitted_at.desc(), models.PatientReport.id.desc())
        return [report_out(r) for r in self.session.scalars(query)]

    def _report_row(self, patient_id: int, report_id: int) -> models.PatientReport:
        row = self.session.get(models.PatientReport, report_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError(f"questionnaire {report_id} not found")
        if row.status != "submitted":
            raise ConflictError(f"questionnaire {report_id} was already {row.status}")
        return row

    def accept_report(self, patient_id: int, report_id: int, visit_id: int,
                      now: dt.datetime) -> PatientReportOut:
        """Copy the patient-reported HAQ-DI (with its items) and patient global into the visit,
        through the visit update and its checks, so the TIS reads them; both writes audited."""
        row = self._report_row(patient_id, report_id)
        visit = visit_out(self._visit_row(patient_id, visit_id))
        answers = Questionnaire.model_validate(row.answers)
        changes: dict[str, Any] = {}
        if row.haq_di is not None:
            items = visit.instrument_items or VisitItems()
            changes["instrument_items"] = items.model_copy(update={"haq": answers.haq})
            changes["haq"] = None
        if row.patient_global is not None:
            changes["patient_global"] = row.patient_global
        if not changes:
            raise InputError([("report", "has no HAQ-DI score or patient global to accept "
                                         "(read it and decline it instead)")])
        update = VisitUpdate.model_validate({
            **visit.model_dump(exclude={"id", "patient_id"}), **changes, "confirm": True})
        self.update_visit(patient_id, visit_id, update)
        return self._review(row, "accepted", now, visit_id)

    def decline_report(self, patient_id: int, report_id: int,
                       now: dt.datetime) -> PatientReportOut:
        return self._review(self._report_row(patient_id, report_id), "declined", now, None)

    def _review(self, row: models.PatientReport, status: str, now: dt.datetime,
                visit_id: int | None) -> PatientReportOut:
        before = report_out(row).model_dump(mode="json")
        row.status, row.visit_id, row.reviewed_by, row.reviewed_at = \
            status, visit_id, self.actor, now
        self.session.flush()
        out = report_out(row)
        self._audit("update", "patient_report", row.id, before, out.model_dump(mode="json"))
        self._touch(row.patient_id)
        return out

    # -- exercise programme ---------------------------------------------------------------
    def exercise_plan(self, patient_id: int) -> ExercisePlanOut | None:
        row = self.session.scalar(select(models.ExercisePlan).where(
            models.ExercisePlan.patient_id == patient_id,
            models.ExercisePlan.ended_at.is_(None)).order_by(models.ExercisePlan.id.desc()))
        return None if row is None else _plan_out(row)

    def set_exercise_plan(self, patient_id: int, plan: ExercisePlanIn,
                          now: dt.datetime) -> ExercisePlanOut:
        """The clinician's choice; the previous plan is ended, not overwritten."""
        self._require_patient(patient_id)
        exercise.programme(plan.programme_id)  # InputError naming the valid programmes
        for old in self.session.scalars(select(models.ExercisePlan).where(
                models.ExercisePlan.patient_id == patient_id,
                models.ExercisePlan.ended_at.is_(None))):
            old.ended_at = now
            self._audit("update", "exercise_plan", old.id, {"ended_at": None},
                        {"ended_at": now.isoformat()})
        row = models.ExercisePlan(patient_id=patient_id, programme_id=plan.programme_id,
                                  note=plan.note.strip(), set_by=self.actor, set_at=now)
        self.session.add(row)
        self.session.flush()
        out = _plan_out(row)
        self._audit("create", "exercise_plan", row.id, None, out.model_dump(mode="json"))
        self._touch(patient_id)
        return out

    def exercise_logs(self, patient_id: int, limit: int = 200) -> list[ExerciseLogOut]:
        query = select(models.ExerciseLog).where(
            models.ExerciseLog.patient_id == patient_id).order_by(
            models.ExerciseLog.date.desc(), models.ExerciseLog.id.desc()).limit(limit)
        return [_log_out(r) for r in self.session.scalars(query)]

    def log_exercise(self, patient_id: int, log: ExerciseLogIn,
                     now: dt.datetime) -> ExerciseLogOut:
        """A session against the current programme. Warning symptoms also go to the clinic as
        a questionnaire, so they raise the same urgent flag and are reviewed the same way."""
        plan = self.exercise_plan(patient_id)
        if plan is None:
            raise ConflictError("no exercise programme is set yet; your clinic sets one")
        exercise.check_log(log, plan.programme_id)
        row = models.ExerciseLog(
            patient_id=patient_id, programme_id=plan.programme_id, date=log.date,
            minutes=log.minutes, effort=log.effort, exercises_done=list(log.exercises_done),
            stop_sign=log.stop_sign, warning_symptoms=list(log.warning_symptoms),
            note=log.note.strip(), logged_by=self.actor, logged_at=now)
        self.session.add(row)
        self.session.flush()
        out = _log_out(row)
        self._audit("create", "exercise_log", row.id, None, out.model_dump(mode="json"))
        if log.warning_symptoms or log.stop_sign:
            said = f"Reported with the exercise session of {log.date.isoformat()}"
            said += " (a stop sign happened)" if log.stop_sign else ""
            concerns = f"{said}: {log.note.strip()}" if log.note.strip() else said
            answers = Questionnaire(concerns=concerns,
                                    warning_symptoms=list(log.warning_symptoms))
            self.add_report(patient_id, answers, QuestionnaireScore(
                haq_di=None, haq_note="", haq_categories_answered=0), now)
        self._touch(patient_id)
        return out

    # -- symptom diary ----------------------------------------------------------------------
    def diary(self, patient_id: int, limit: int = 120) -> list[DiaryEntryOut]:
        query = select(models.DiaryEntry).where(
            models.DiaryEntry.patient_id == patient_id).order_by(
            models.DiaryEntry.date.desc(), models.DiaryEntry.id.desc()).limit(limit)
        return [DiaryEntryOut.model_validate(r, from_attributes=True).model_copy(
            update={"written_at": _utc(r.written_at)}) for r in self.session.scalars(query)]

    def add_diary_entry(self, patient_id: int, entry: DiaryEntryIn,
                        now: dt.datetime) -> DiaryEntryOut:
        """One day of the diary; warning symptoms also reach the clinic as a questionnaire,
        which raises the urgent flag until a clinician reviews it."""
        self._require_patient(patient_id)
        row = models.DiaryEntry(patient_id=patient_id, written_by=self.actor, written_at=now,
                                **entry.model_dump(exclude={"note"}), note=entry.note.strip())
        self.session.add(row)
        self.session.flush()
        out = DiaryEntryOut.model_validate(row, from_attributes=True)
        self._audit("create", "diary_entry", row.id, None, out.model_dump(mode="json"))
        warnings = entry.warning_symptoms()
        if warnings:
            said = f"Written in the diary for {entry.date.isoformat()}"
            concerns = f"{said}: {entry.note.strip()}" if entry.note.strip() else said
            self.add_report(patient_id, Questionnaire(concerns=concerns,
                                                      warning_symptoms=warnings),
                            QuestionnaireScore(haq_di=None, haq_note="",
                                               haq_categories_answered=0), now)
        self._touch(patient_id)
        return out


def _plan_out(row: models.ExercisePlan) -> ExercisePlanOut:
    return ExercisePlanOut(id=row.id, patient_id=row.patient_id, programme_id=row.programme_id,
                           note=row.note, set_by=row.set_by, set_at=_utc(row.set_at))


def _log_out(row: models.ExerciseLog) -> ExerciseLogOut:
    return ExerciseLogOut(
        id=row.id, patient_id=row.patient_id, programme_id=row.programme_id, date=row.date,
        minutes=row.minutes, effort=row.effort, exercises_done=list(row.exercises_done),
        stop_sign=row.stop_sign, warning_symptoms=list(row.warning_symptoms), note=row.note,
        logged_by=row.logged_by, logged_at=_utc(row.logged_at))


class ReminderRepository(PortalRepository):
    """Accounts that asked for e-mail reminders, and the reminders already sent to them."""

    def set_email(self, username: str, email: str | None) -> None:
        user = self.user(username)
        if user is None or user.role != "patient":
            raise NotFoundError("no patient account")
        before = {"email": "set" if user.email else None}
        user.email = email
        self.session.flush()
        # the audit row says that the address changed, not the address itself
        self._audit("update", "user_email", user.id, before, {"email": "set" if email else None})

    def reminder_accounts(self) -> list[tuple[str, str, int]]:
        rows = self.session.execute(select(
            models.User.username, models.User.email, models.User.patient_id).where(
            models.User.role == "patient", models.User.active.is_(True),
            models.User.email.is_not(None), models.User.patient_id.is_not(None))
            .order_by(models.User.username))
        return [(u, e, p) for u, e, p in rows if e and p]

    def sent_keys(self, username: str) -> set[str]:
        return set(self.session.scalars(select(models.ReminderLog.key).where(
            models.ReminderLog.username == username)))

    def log_sent(self, username: str, keys: list[str], now: dt.datetime) -> None:
        for key in keys:
            self.session.add(models.ReminderLog(username=username, key=key, sent_at=now))
        self.session.flush()

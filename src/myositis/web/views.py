"""Load a patient's whole record once for a page, letter or API answer, and bring the stored
flags in line with what the engine raises now (the lifecycle rules live in
`myositis.services.flag_lifecycle`; this only applies them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from myositis.db.repository import Repository
from myositis.services import clinic
from myositis.services.clinic import PatientView
from myositis.services.flag_lifecycle import reconcile
from myositis.services.records import FlagOut, PatientOut, RecordEntries, VisitOut


@dataclass
class Loaded:
    patient: PatientOut
    visits: list[VisitOut]
    entries: RecordEntries
    view: PatientView
    flags: list[FlagOut]

    @property
    def live_flags(self) -> list[FlagOut]:
        return [f for f in self.flags if f.state != "resolved"]


def load(repo: Repository, patient_id: int, today: dt.date | None = None) -> Loaded:
    today = today or dt.date.today()
    patient = repo.patient(patient_id)
    visits = repo.visits(patient_id)
    entries = repo.record_entries([patient_id])[patient_id]
    view = clinic.view_cache().get(patient, visits, today, entries)
    stored = repo.flags(patient_id)
    changes = reconcile(view.flags, stored, clinic.last_recorded(visits, entries))
    if changes:
        repo.apply_flag_changes(patient_id, changes)
        repo.session.commit()
        stored = repo.flags(patient_id)
    return Loaded(patient=patient, visits=visits, entries=entries, view=view, flags=stored)

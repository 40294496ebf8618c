"""Pages that keep the record: entries (treatments, labs, antibodies, lung, screening tests,
vaccinations), flags (acknowledge, resolve), patient edit and delete, and the clinic worklist.
Every rule is in the services; these handlers map form fields to the same schemas as the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from myositis.db.repository import Repository
from myositis.domain.record_sections import ANALYTE_UNITS, AntibodyPanel
from myositis.errors import ConflictError, InputError, NotFoundError
from myositis.services.access import Principal, allowed
from myositis.services.entry_checks import check_entry
from myositis.services.records import ENTRY_INPUT, EntryKind, FlagAction, PatientUpdate
from myositis.web.api import clinic_worklist
from myositis.web.deps import RecordId, authorized, repository
from myositis.web.pages import (
    _number,
    _patient_page,
    _with_user,
    form_data,
    form_errors,
    render,
)

router = APIRouter(include_in_schema=False)
WORKLIST_PAGE = 200
"""Rows per worklist page: 2,000 patients with ten due items each made a 4 MB page that
took most of a 300 ms budget to render and nobody reads at once."""
NUMBERS = {"dose_value", "value", "uln", "fvc_percent_predicted", "dlco_percent_predicted",
           "cumulative_dose_g"}


def _entry_doc(kind: str, form: FormData) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in form.items():
        if key == "csrf_token" or value in ("", None):
            continue
        doc[key] = _number(value) if key in NUMBERS else value
    if kind == "lab_results" and "analyte" in doc and "unit" not in doc:
        doc["unit"] = ANALYTE_UNITS.get(str(doc["analyte"]), ("",))[0]
    return doc


@router.post("/patients/{patient_id}/entries/{kind}", response_class=HTMLResponse)
def add_entry(request: Request, patient_id: RecordId, kind: EntryKind,
              form: FormData = Depends(form_data),
              user: Principal = Depends(authorized("patient:write")),
              repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    try:
        data = ENTRY_INPUT[kind].model_validate(_entry_doc(kind, form))
        check_entry(kind, data, dt.date.today())
        repo.add_entry(patient_id, kind, data)
        repo.session.commit()
    except ValidationError as exc:
        return _patient_page(request, repo, patient_id, user, status=422,
                             entry_errors={kind: form_errors(exc)})
    except InputError as exc:
        return _patient_page(request, repo, patient_id, user, status=422,
                             entry_errors={kind: dict(exc.problems)})
    return RedirectResponse(f"/patients/{patient_id}?saved=entry#{kind}", status_code=303)


def _panel_doc(form: FormData) -> dict[str, Any]:
    """The panel grid as an ``AntibodyPanel`` document: ``result_<antibody>`` left at "not
    tested" is left out, never read as negative."""
    doc: dict[str, Any] = {"results": {}, "levels": {}}
    for key, value in form.items():
        if value in ("", None) or key == "csrf_token":
            continue
        if key.startswith("result_"):
            doc["results"][key.removeprefix("result_")] = value
        elif key.startswith("level_"):
            doc["levels"][key.removeprefix("level_")] = value
        else:
            doc[key] = value
    return doc


@router.post("/patients/{patient_id}/antibody-panel", response_class=HTMLResponse)
def add_antibody_panel(request: Request, patient_id: RecordId,
                       form: FormData = Depends(form_data),
                       user: Principal = Depends(authorized("patient:write")),
                       repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    doc = _panel_doc(form)
    if not doc["results"]:
        return _patient_page(request, repo, patient_id, user, status=422, entry_errors={
            "antibody_panel": {"results": "choose positive, negative or indeterminate for at "
                                          "least one antibody"}})
    try:
        panel = AntibodyPanel.model_validate(doc)
        check_entry("antibody_results", panel, dt.date.today())
        repo.add_antibody_panel(patient_id, panel)
        repo.session.commit()
    except ValidationError as exc:
        return _patient_page(request, repo, patient_id, user, status=422,
                             entry_errors={"antibody_panel": form_errors(exc)})
    except InputError as exc:
        return _patient_page(request, repo, patient_id, user, status=422,
                             entry_errors={"antibody_panel": dict(exc.problems)})
    return RedirectResponse(f"/patients/{patient_id}?saved=entry#antibody_results",
                            status_code=303)


@router.get("/patients/{patient_id}/entries/{kind}/{entry_id}/delete",
            response_class=HTMLResponse)
def delete_entry_confirm(request: Request, patient_id: RecordId, kind: EntryKind,
                         entry_id: RecordId,
                         user: Principal = Depends(authorized("patient:write")),
                         repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    entry = next((e for e in repo.entries(patient_id, kind) if e.id == entry_id), None)
    if entry is None:
        raise NotFoundError(f"{kind} entry {entry_id} not found")
    what = ", ".join(f"{v}" for k, v in entry.model_dump(mode="json").items()
                     if v not in (None, "", []) and k != "id")
    return render(request, "confirm_delete.html", patient=repo.patient(patient_id),
                  what=f"this {kind.replace('_', ' ')[:-1]} ({what})",
                  action=f"/patients/{patient_id}/entries/{kind}/{entry_id}/delete",
                  back=f"/patients/{patient_id}#{kind}")


@router.post("/patients/{patient_id}/entries/{kind}/{entry_id}/delete")
def delete_entry(patient_id: RecordId, kind: EntryKind, entry_id: RecordId,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> RedirectResponse:
    repo.delete_entry(patient_id, kind, entry_id)
    repo.session.commit()
    return RedirectResponse(f"/patients/{patient_id}?saved=deleted#{kind}", status_code=303)


@router.post("/patients/{patient_id}/flags/{flag_id}", response_class=HTMLResponse)
def act_on_flag(request: Request, patient_id: RecordId, flag_id: RecordId,
                form: FormData = Depends(form_data),
                user: Principal = Depends(authorized("patient:write")),
                repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    try:
        action = FlagAction.model_validate({"action": form.get("action"),
                                            "reason": form.get("reason") or None,
                                            "version": _number(form.get("version"))})
        repo.act_on_flag(patient_id, flag_id, action)
        repo.session.commit()
    except ValidationError as exc:
        return _patient_page(request, repo, patient_id, user, status=422, entry_errors={
            "flags": form_errors(exc)})
    except InputError as exc:
        return _patient_page(request, repo, patient_id, user, status=422,
                             entry_errors={"flags": dict(exc.problems)})
    except ConflictError as exc:
        repo.session.rollback()
        return _patient_page(request, repo, patient_id, user, status=409,
                             entry_errors={"flags": {"flag": str(exc)}})
    return RedirectResponse(f"/patients/{patient_id}?saved=flag#flags", status_code=303)


# -- patient edit and delete -------------------------------------------------------------
SUBGROUPS = ("dm", "adm", "pm", "imnm", "asys", "ibm", "jdm", "overlap", "unclassified")
SCREENS = {"hbsag": "HBsAg", "anti_hbc": "Anti-HBc", "anti_hbs": "Anti-HBs",
           "hbv_dna": "HBV DNA", "hcv": "HCV antibody", "hiv": "HIV",
           "tb_test": "TB test (IGRA or TST)", "vzv_igg": "VZV IgG", "cmv_pcr": "CMV PCR"}


@router.get("/patients/{patient_id}/edit", response_class=HTMLResponse)
def edit_patient_form(request: Request, patient_id: RecordId,
                      user: Principal = Depends(authorized("patient:write")),
                      repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    return render(request, "patient_edit.html", patient=repo.patient(patient_id), errors={},
                  subgroups=SUBGROUPS, screens=SCREENS, clinicians=repo.clinician_names())


def _tristate(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


@router.post("/patients/{patient_id}/edit", response_class=HTMLResponse)
def edit_patient(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    patient = repo.patient(patient_id)
    profile = patient.profile.model_dump(mode="json")
    profile["weight_kg"] = _number(form.get("weight_kg"))
    profile["height_cm"] = _number(form.get("height_cm"))
    profile["diagnosis"] = {**profile["diagnosis"],
                            "subgroup": form.get("subgroup") or None,
                            "criteria": form.get("criteria") or None}
    profile["prophylaxis"] = {"pjp": _tristate(form.get("pjp")),
                              "bone_protection": _tristate(form.get("bone_protection"))}
    screening = dict(profile["infection_screening"])
    for name in SCREENS:
        result = form.get(f"screen_{name}")
        if result in ("positive", "negative", "indeterminate"):
            screening[name] = {"result": result, "date": form.get(f"screen_{name}_date") or None}
        elif result == "":
            screening[name] = None
    latent = form.get("latent_tb_treatment")
    screening["latent_tb_treatment"] = latent or None
    profile["infection_screening"] = screening
    profile["reproduction"] = {**profile["reproduction"],
                               "pregnant": _tristate(form.get("pregnant")),
                               "planning_conception": _tristate(form.get("planning_conception")),
                               "can_become_pregnant": _tristate(form.get("can_become_pregnant")),
                               "contraception": [str(m) for m in form.getlist("contraception")]}
    doc = {"pseudonym": form.get("pseudonym"), "synthetic": patient.synthetic,
           "sex": form.get("sex") or "unknown",
           "symptom_onset": form.get("symptom_onset") or None, "profile": profile,
           "identity": patient.identity.model_dump(mode="json") if patient.identity else None,
           "clinician": str(form.get("clinician") or "").strip() or None,
           "version": _number(form.get("version"))}
    try:
        repo.update_patient(patient_id, PatientUpdate.model_validate(doc))
        repo.session.commit()
    except ValidationError as exc:
        errors = form_errors(exc)
        return render(request, "patient_edit.html", status=422, patient=patient, errors=errors,
                      subgroups=SUBGROUPS, screens=SCREENS, clinicians=repo.clinician_names())
    except InputError as exc:
        repo.session.rollback()
        return render(request, "patient_edit.html", status=422, patient=patient,
                      errors=dict(exc.problems), subgroups=SUBGROUPS, screens=SCREENS,
                      clinicians=repo.clinician_names())
    except ConflictError as exc:
        repo.session.rollback()
        return render(request, "patient_edit.html", status=409, patient=repo.patient(patient_id),
                      errors={"version": str(exc)}, subgroups=SUBGROUPS, screens=SCREENS,
                      clinicians=repo.clinician_names())
    return RedirectResponse(f"/patients/{patient_id}?saved=patient", status_code=303)


@router.get("/patients/{patient_id}/delete", response_class=HTMLResponse)
def delete_patient_confirm(request: Request, patient_id: RecordId,
                           user: Principal = Depends(authorized("patient:write")),
                           repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient = repo.patient(patient_id)
    return render(request, "confirm_delete.html", patient=patient,
                  what=f"patient {patient.pseudonym} and the whole record",
                  action=f"/patients/{patient_id}/delete", back=f"/patients/{patient_id}")


@router.post("/patients/{patient_id}/delete")
def delete_patient(patient_id: RecordId, user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> RedirectResponse:
    repo.delete_patient(patient_id)
    repo.session.commit()
    return RedirectResponse("/patients", status_code=303)


# -- worklist ------------------------------------------------------------------------------
def _filtered(repo: Repository, q: str | None, kind: str | None, flag: str | None,
              drug: str | None, clinician: str | None = None) -> list[Any]:
    rows = clinic_worklist(repo, q, clinician)
    if kind:
        rows = [r for r in rows if any(d.kind == kind for d in r.due)]
    if flag:
        rows = [r for r in rows if flag in r.flags]
    if drug:
        rows = [r for r in rows if drug in r.therapies]
    return rows


@router.get("/worklist", response_class=HTMLResponse)
def worklist(request: Request, q: str | None = None, kind: str | None = None,
             flag: str | None = None, drug: str | None = None, clinician: str | None = None,
             page: int = Query(default=1, ge=1, le=100_000),
             user: Principal = Depends(authorized("patient:read")),
             repo: Repository = Depends(repository)) -> HTMLResponse:
    """Every patient's row is computed and sorted (most overdue first); the page shows
    WORKLIST_PAGE of them at a time, as a clinic reads it, and the CSV carries them all."""
    _with_user(request, user)
    rows = _filtered(repo, q, kind, flag, drug, clinician)
    pages = max(1, -(-len(rows) // WORKLIST_PAGE))
    page = min(page, pages)
    shown = rows[(page - 1) * WORKLIST_PAGE:page * WORKLIST_PAGE]
    return render(request, "worklist.html", rows=shown, total=len(rows), page=page,
                  pages=pages, first=(page - 1) * WORKLIST_PAGE + 1 if shown else 0,
                  q=q or "", kind=kind or "",
                  flag=flag or "", drug=drug or "", clinician=clinician or "",
                  clinicians=repo.clinician_names(), me=user.username, today=dt.date.today(),
                  can_write=allowed(user, "patient:write"))


@router.get("/worklist.csv")
def worklist_csv(q: str | None = None, kind: str | None = None, flag: str | None = None,
                 drug: str | None = None, clinician: str | None = None,
                 user: Principal = Depends(authorized("patient:read")),
                 repo: Repository = Depends(repository)) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pseudonym", "clinician", "subgroup", "antibodies", "current_treatment",
                     "flags", "due_kind", "due_item", "due_date", "overdue"])
    for r in _filtered(repo, q, kind, flag, drug, clinician):
        for d in r.due or [None]:
            writer.writerow([r.pseudonym, r.clinician or "", r.diagnosis or r.subgroup or "",
                             " ".join(r.antibodies), " ".join(r.therapies), " ".join(r.flags),
                             d.kind if d else "", d.text if d else "",
                             d.due.isoformat() if d and d.due else "",
                             "yes" if d and d.overdue else ""])
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"content-disposition": 'attachment; filename="worklist.csv"'})

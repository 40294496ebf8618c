"""Visit pages: the visit form (new and correction) with its item-level grids, the live check,
and delete with confirmation. One validation with the API: the schema, then
`Repository.check_visit`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from myositis.db.repository import Repository
from myositis.domain.instruments.cdasi import LOCATIONS as CDASI_LOCATIONS
from myositis.domain.instruments.haq import HAQ_ITEM_COUNTS
from myositis.errors import ConflictError, InputError, NotFoundError
from myositis.services.access import Principal
from myositis.services.records import VisitIn, VisitOut, VisitUpdate
from myositis.web.deps import RecordId, authorized, repository, state
from myositis.web.pages import VISIT_FIELDS, _checkbox, _number, _with_user, form_data, render

router = APIRouter(include_in_schema=False)


ENZYMES = ("ck", "aldolase", "ldh", "ast", "alt")
CDASI_PARTS = ("erythema", "scale", "erosion", "poikiloderma", "calcinosis")
MMT8_SIDE = ("deltoid_middle", "biceps_brachii", "wrist_extensors", "gluteus_maximus",
             "gluteus_medius", "quadriceps", "ankle_dorsiflexors")


def _items_doc(form: Any) -> dict[str, Any] | None:
    """Item-level grids of the visit form (MMT-8 grades, HAQ-DI answers), when any is filled;
    the schema checks them and computes the totals with the library's instruments."""
    items: dict[str, Any] = {}
    grades = {m: form.get(f"mmt_{m}") for m in ("neck_flexors", *MMT8_SIDE)}
    if any(grades.values()):
        items["mmt8"] = {"neck_flexors": _number(grades["neck_flexors"]),
                         "right": {m: _number(grades[m]) for m in MMT8_SIDE},
                         "mode": "unilateral"}
    answers = {c: [form.get(f"haq_{c}_{i}") for i in range(n)]
               for c, n in HAQ_ITEM_COUNTS.items()}
    if any(a for values in answers.values() for a in values):
        items["haq"] = {"categories": {
            c: {"items": [_number(a) for a in values],
                "aid_or_device": _checkbox(form, f"haq_{c}_aid"),
                "help_from_person": _checkbox(form, f"haq_{c}_help")}
            for c, values in answers.items()}}
    locations = {loc: {part: _number(form.get(f"cdasi_{loc}_{part}")) or 0
                       for part in CDASI_PARTS}
                 for loc in CDASI_LOCATIONS
                 if any(form.get(f"cdasi_{loc}_{part}") for part in CDASI_PARTS)}
    hands = {"erythema": _number(form.get("cdasi_gottron_erythema")) or 0,
             "papules": _checkbox(form, "cdasi_gottron_papules"),
             "ulceration": _number(form.get("cdasi_gottron_ulceration")) or 0,
             "damage": _number(form.get("cdasi_gottron_damage")) or 0}
    extra = {"periungual": _number(form.get("cdasi_periungual")) or 0,
             "alopecia": _number(form.get("cdasi_alopecia")) or 0}
    if locations or any(hands.values()) or any(extra.values()):
        items["cdasi"] = {"locations": locations, "gottron_hands": hands, **extra}
    return items or None


def _visit_doc(form: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"date": form.get("date") or None}
    for name in VISIT_FIELDS:
        doc[name] = _number(form.get(name))
    if form.get("mmt_max"):
        doc["mmt_max"] = _number(form.get("mmt_max"))
    enzymes = {name: {"value": _number(form.get(name)), "uln": _number(form.get(f"{name}_uln"))}
               for name in ENZYMES if form.get(name)}
    if enzymes:
        doc["labs"] = {"enzymes": enzymes}
    doc["notes"] = form.get("notes") or None
    doc["instrument_items"] = _items_doc(form)
    doc["confirm"] = _checkbox(form, "confirm")
    if form.get("version"):
        doc["version"] = _number(form.get("version"))
    return doc


def _field(loc: tuple[Any, ...]) -> str:
    """The form field a validation error belongs to (an enzyme's value or its ULN)."""
    if not loc:
        return "visit"
    if loc[0] == "labs" and len(loc) >= 3:
        return str(loc[2]) + ("_uln" if loc[-1] == "uln" else "")
    if loc[0] == "instrument_items":
        return " ".join(str(p) for p in loc[1:] if p not in ("right", "categories"))
    return str(loc[0])


def _visit_check(repo: Repository, patient_id: int, doc: dict[str, Any],
                 editing: int | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Errors and warnings from the one validation: the schema, then the clinical checks."""
    try:
        data = VisitIn.model_validate({k: v for k, v in doc.items() if k != "version"})
    except ValidationError as exc:
        return {_field(tuple(e["loc"])): e["msg"].removeprefix("Value error, ")
                for e in exc.errors()}, {}
    check = repo.check_visit(patient_id, data, editing)
    return dict(check.errors), dict(check.warnings)


def _visit_form(request: Request, patient: Any, values: dict[str, Any], errors: dict[str, str],
                warnings: dict[str, str], visit_id: int | None = None,
                status: int = 200) -> HTMLResponse:
    return render(request, "visit_form.html", status=status, patient=patient, values=values,
                  errors=errors, warnings=warnings, visit_id=visit_id, enzymes=ENZYMES,
                  mmt_muscles=MMT8_SIDE, haq_counts=HAQ_ITEM_COUNTS,
                  cdasi_locations=CDASI_LOCATIONS, cdasi_parts=CDASI_PARTS)


@router.get("/patients/{patient_id}/visits/new", response_class=HTMLResponse)
def new_visit_form(request: Request, patient_id: RecordId,
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    patient = repo.patient(patient_id)
    ulns = state(request).settings.default_ulns
    values = {"date": dt.date.today().isoformat(), **{f"{k}_uln": f"{v:g}"
                                                      for k, v in ulns.items()}}
    return _visit_form(request, patient, values, {}, {})


@router.post("/patients/{patient_id}/visits/validate", response_class=HTMLResponse)
def validate_visit(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                   user: Principal = Depends(authorized("patient:write")),
                   repo: Repository = Depends(repository)) -> HTMLResponse:
    editing = _number(form.get("visit_id"))
    errors, warnings = _visit_check(repo, patient_id, _visit_doc(form),
                                    editing if isinstance(editing, int) else None)
    return render(request, "_visit_errors.html", errors=errors, warnings=warnings)


def _save_visit(request: Request, patient_id: int, form: FormData, repo: Repository,
                visit_id: int | None) -> Response:
    doc = _visit_doc(form)
    errors, warnings = _visit_check(repo, patient_id, doc, visit_id)
    if not errors and (not warnings or doc["confirm"]):
        try:
            if visit_id is None:
                repo.add_visit(patient_id, VisitIn.model_validate(
                    {k: v for k, v in doc.items() if k != "version"}))
            else:
                repo.update_visit(patient_id, visit_id, VisitUpdate.model_validate(doc))
            repo.session.commit()
        except InputError as exc:
            errors = dict(exc.problems)
        except ConflictError as exc:
            repo.session.rollback()
            return _visit_form(request, repo.patient(patient_id), dict(form.items()),
                               {"version": str(exc)}, {}, visit_id, status=409)
        else:
            return RedirectResponse(f"/patients/{patient_id}?saved=visit", status_code=303)
    return _visit_form(request, repo.patient(patient_id), dict(form.items()), errors, warnings,
                       visit_id, status=422)


@router.post("/patients/{patient_id}/visits/new", response_class=HTMLResponse)
def create_visit(request: Request, patient_id: RecordId, form: FormData = Depends(form_data),
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    return _save_visit(request, patient_id, form, repo, None)


def _visit_values(visit: VisitOut) -> dict[str, Any]:
    values: dict[str, Any] = {"date": visit.date.isoformat(), "version": visit.version,
                              "notes": visit.notes or "", "mmt_max": visit.mmt_max}
    for name in VISIT_FIELDS:
        value = getattr(visit, name)
        values[name] = "" if value is None else f"{value:g}"
    for enzyme, result in visit.labs.enzymes.items():
        values[enzyme.value] = f"{result.value:g}"
        values[f"{enzyme.value}_uln"] = f"{result.uln:g}"
    items = visit.instrument_items
    if items and items.mmt8:
        values["mmt_neck_flexors"] = items.mmt8.neck_flexors
        side = items.mmt8.right or items.mmt8.left
        for muscle in MMT8_SIDE:
            values[f"mmt_{muscle}"] = getattr(side, muscle) if side else ""
    if items and items.cdasi:
        for loc, scores in items.cdasi.locations.items():
            for part in CDASI_PARTS:
                values[f"cdasi_{loc}_{part}"] = str(getattr(scores, part) or "")
        hands = items.cdasi.gottron_hands
        values |= {"cdasi_gottron_erythema": str(hands.erythema),
                   "cdasi_gottron_papules": "on" if hands.papules else "",
                   "cdasi_gottron_ulceration": str(hands.ulceration),
                   "cdasi_gottron_damage": str(hands.damage),
                   "cdasi_periungual": str(items.cdasi.periungual),
                   "cdasi_alopecia": str(items.cdasi.alopecia)}
    if items and items.haq:
        for name, category in items.haq.categories.items():
            for i, answer in enumerate(category.items):
                values[f"haq_{name}_{i}"] = "" if answer is None else str(answer)
            values[f"haq_{name}_aid"] = "on" if category.aid_or_device else ""
            values[f"haq_{name}_help"] = "on" if category.help_from_person else ""
    return values


def _visit(repo: Repository, patient_id: int, visit_id: int) -> VisitOut:
    visit = next((v for v in repo.visits(patient_id) if v.id == visit_id), None)
    if visit is None:
        raise NotFoundError(f"visit {visit_id} not found")
    return visit


@router.get("/patients/{patient_id}/visits/{visit_id}/edit", response_class=HTMLResponse)
def edit_visit_form(request: Request, patient_id: RecordId, visit_id: RecordId,
                    user: Principal = Depends(authorized("patient:write")),
                    repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    visit = _visit(repo, patient_id, visit_id)
    return _visit_form(request, repo.patient(patient_id), _visit_values(visit), {}, {},
                       visit_id)


@router.post("/patients/{patient_id}/visits/{visit_id}/edit", response_class=HTMLResponse)
def update_visit(request: Request, patient_id: RecordId, visit_id: RecordId,
                 form: FormData = Depends(form_data),
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> Response:
    _with_user(request, user)
    return _save_visit(request, patient_id, form, repo, visit_id)


@router.get("/patients/{patient_id}/visits/{visit_id}/delete", response_class=HTMLResponse)
def delete_visit_confirm(request: Request, patient_id: RecordId, visit_id: RecordId,
                         user: Principal = Depends(authorized("patient:write")),
                         repo: Repository = Depends(repository)) -> HTMLResponse:
    _with_user(request, user)
    visit = _visit(repo, patient_id, visit_id)
    return render(request, "confirm_delete.html", patient=repo.patient(patient_id),
                  what=f"the visit of {visit.date.isoformat()}",
                  action=f"/patients/{patient_id}/visits/{visit_id}/delete",
                  back=f"/patients/{patient_id}")


@router.post("/patients/{patient_id}/visits/{visit_id}/delete")
def delete_visit(patient_id: RecordId, visit_id: RecordId,
                 user: Principal = Depends(authorized("patient:write")),
                 repo: Repository = Depends(repository)) -> RedirectResponse:
    repo.delete_visit(patient_id, visit_id)
    repo.session.commit()
    return RedirectResponse(f"/patients/{patient_id}?saved=deleted", status_code=303)

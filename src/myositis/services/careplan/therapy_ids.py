"""Therapy ids and glucocorticoid units on the record, checked before a plan is built.

An unknown id ("MTX") or a medicine that is not a myositis therapy is refused with the valid id
suggested, never mapped silently; a glucocorticoid dose in a unit the dose-over-time rules
cannot read is refused too. The CLI, the clinic's entry checks and the engine share these.
"""

from __future__ import annotations

import difflib

from myositis.domain.record import PatientRecord
from myositis.errors import InputError
from myositis.knowledge import KnowledgeBase

# Common abbreviations and names clinicians type, mapped to knowledge-base ids for suggestions
# (never applied silently: the id must be written out).
ABBREVIATIONS = {
    "mtx": "methotrexate", "aza": "azathioprine", "mmf": "mycophenolate",
    "hcq": "hydroxychloroquine", "cyc": "cyclophosphamide", "rtx": "rituximab",
    "tac": "tacrolimus", "csa": "ciclosporin", "cyclosporine": "ciclosporin",
    "pred": "glucocorticoids_oral", "prednisone": "glucocorticoids_oral",
    "prednisolone": "glucocorticoids_oral", "ivmp": "methylprednisolone_iv_pulse",
    "igiv": "ivig", "octagam": "ivig", "lisraya": "brepocitinib",
}
# Medicines that are not knowledge-base therapies but go in ``other_medicines``.
OTHER_MEDICINES = {"statin": "statin", "atorvastatin": "statin", "simvastatin": "statin",
                   "rosuvastatin": "statin", "pravastatin": "statin", "allopurinol": "allopurinol",
                   "febuxostat": "febuxostat", "co-trimoxazole": "co_trimoxazole",
                   "cotrimoxazole": "co_trimoxazole", "co_trimoxazole": "co_trimoxazole",
                   "rifampicin": "rifampicin", "rifampin": "rifampicin"}


def therapy_id_problems(therapies: list[str | None], kb: KnowledgeBase,
                        section: str = "treatments") -> list[tuple[str, str]]:
    """One problem per unknown therapy id, with the nearest valid ids suggested (``None``
    entries are left to the schema's own error); ``section`` names the list in the record."""
    problems = []
    for index, therapy in enumerate(therapies):
        if therapy is None or therapy in kb.therapies:
            continue
        if therapy.lower() in OTHER_MEDICINES:
            problems.append((f"{section}.{index}.therapy",
                             f"{therapy!r} is not a myositis therapy: record it as "
                             f"other_medicines: [{OTHER_MEDICINES[therapy.lower()]}]"))
            continue
        near = difflib.get_close_matches(therapy.lower(), list(kb.therapies), n=3, cutoff=0.5)
        if therapy.lower() in ABBREVIATIONS:
            near = [ABBREVIATIONS[therapy.lower()], *near]
        hint = f"; did you mean {', '.join(dict.fromkeys(near))}?" if near else \
            "; see `myositis kb list therapies`"
        problems.append((f"{section}.{index}.therapy", f"unknown therapy {therapy!r}{hint}"))
    return problems


GC_DOSE_UNITS = ("mg/day", "mg/kg/day")


def check_therapy_ids(record: PatientRecord, kb: KnowledgeBase) -> None:
    """Unknown therapy ids (``"MTX"``) are refused with the nearest valid ids suggested, and a
    glucocorticoid dose in a unit the dose-over-time rules cannot read is refused too."""
    ids: list[str | None] = [t.therapy for t in record.treatments]
    problems = therapy_id_problems(ids, kb) + therapy_id_problems(
        [p.therapy for p in record.planned_treatments], kb, "planned_treatments")
    for index, t in enumerate(record.treatments):
        if t.therapy == "glucocorticoids_oral" and t.dose_unit is not None \
                and t.dose_unit not in GC_DOSE_UNITS:
            problems.append((f"treatments.{index}.dose_unit",
                             f"oral glucocorticoid dose must be in {' or '.join(GC_DOSE_UNITS)} "
                             f"(prednisone equivalent), not {t.dose_unit}"))
        if t.dose_unit == "mg/kg/day" and t.therapy == "glucocorticoids_oral" \
                and record.weight_kg is None:
            problems.append(("weight_kg", "needed to read a glucocorticoid dose in mg/kg/day"))
    if problems:
        raise InputError(problems)


__all__ = ["ABBREVIATIONS", "GC_DOSE_UNITS", "OTHER_MEDICINES", "check_therapy_ids",
           "therapy_id_problems"]

"""Diabetes and thyroid function as the plan reads them: whether diabetes is known, an HbA1c
against the record, and a raised TSH, overt or subclinical."""

from __future__ import annotations

from myositis.domain.record import PatientRecord
from myositis.services.careplan.lab_trends import (
    HBA1C_DIABETES_MMOL_MOL,
    HBA1C_DIABETES_PERCENT,
)

GLUCOSE_LOWERING = frozenset({"insulin", "sulfonylurea"})
"""Recordable medicines that treat diabetes."""


def read_diabetes(record: PatientRecord) -> bool | None:
    """Judged in the unit reported: 6.5 % converts to 47.5 mmol/mol by the master equation,
    so comparing the converted value with 48 would miss the threshold itself."""
    latest = record.latest_lab("hba1c")
    if latest is not None and latest.value >= (
            HBA1C_DIABETES_PERCENT if latest.unit == "%" else HBA1C_DIABETES_MMOL_MOL):
        # a clinician's 'no diabetes' beside one HbA1c in range is a question, not a diagnosis
        # either way (specialist reviews Z41a P1, Z41c P5-P6, Z41d P5: 'a same-day insulin
        # plan' from one HbA1c of 52 against the record): unknown, and a line asks to confirm
        return None if record.comorbidities.diabetes is False else True
    if record.comorbidities.diabetes is None \
            and GLUCOSE_LOWERING & frozenset(record.other_medicines):
        # insulin or a sulfonylurea taken is treated diabetes (steroid-induced too), never
        # 'without known diabetes' (specialist review Z50c P2: once-daily glucose on insulin
        # with a continuous tube feed)
        return True
    return record.comorbidities.diabetes


def hba1c_against_record(record: PatientRecord) -> bool | None:
    """An HbA1c in the diabetic range while the record says no diabetes (None without one)."""
    latest = record.latest_lab("hba1c")
    if latest is None or record.comorbidities.diabetes is not False:
        return None
    return latest.value >= (
        HBA1C_DIABETES_PERCENT if latest.unit == "%" else HBA1C_DIABETES_MMOL_MOL)


TSH_DEFAULT_UPPER_MU_L = 5.5
"""A TSH reported without its upper limit counts as raised from 5.5 mU/L, above the upper limit
of common adult ranges (about 4-5.5): a project choice after specialist review N (TSH 7.8 with a
low free T4 during a checkpoint inhibitor, unread because no ULN was given)."""


def read_tsh_raised(record: PatientRecord) -> bool | None:
    latest = record.latest_lab("tsh")
    if latest is None:
        return None
    if latest.uln is not None:
        return latest.value > latest.uln
    return latest.value > TSH_DEFAULT_UPPER_MU_L


FREE_T4_DEFAULT_LOWER_PMOL_L = 12.0
"""Lower reference limit of free T4 when the laboratory's is not recorded (a common UK range
is 12-22 pmol/L; a project default, like the TSH upper limit above)."""


OVERT_TSH_MU_L = 10.0
"""TSH at or above which hypothyroidism is treated whatever the free T4 (NICE NG145 offers
levothyroxine for subclinical hypothyroidism only with TSH 10 or more on two occasions)."""


def read_hypothyroidism_overt(record: PatientRecord, days: int) -> bool | None:
    """With a TSH above its limit in the last ``days``: True when overt (TSH 10 or more, or a
    free T4 below its lower limit), False when subclinical (TSH below 10 with a normal free T4
    of the same window), None when the free T4 is not known; False with a normal TSH and None
    without one. A subclinical TSH does not explain a high CK and delays no biopsy (specialist
    review Z3c: TSH 6.8 with free T4 13 deferred the biopsy of a probable IMNM)."""
    tsh = record.latest_lab("tsh")
    if tsh is None or (record.on() - tsh.date).days > days:
        return None
    if not read_tsh_raised(record):
        return False
    if tsh.value >= OVERT_TSH_MU_L:
        return True
    t4 = record.latest_lab("free_t4")
    if t4 is None or (record.on() - t4.date).days > days:
        return None
    return t4.value < FREE_T4_DEFAULT_LOWER_PMOL_L


TSH_VALID_DAYS = 183
"""A thyroid result (TSH, free T4) is read as current for six months."""

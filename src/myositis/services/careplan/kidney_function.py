"""Kidney function as the renal thresholds read it: the reported eGFR, an estimate from a newer
creatinine, and from 75 the Cockcroft-Gault clearance where it is lower."""

from __future__ import annotations

from myositis.domain.labs import ckd_epi_2021, cockcroft_gault, schwartz_bedside
from myositis.domain.record import PatientRecord

SAME_SAMPLE_DAYS = 7
"""A creatinine and a reported eGFR this close together are read as one sample."""


CLEARANCE_AGE = 75
"""From this age the Cockcroft-Gault clearance can set the renal thresholds."""


def read_egfr(record: PatientRecord, clearance: bool = True) -> float | None:
    """The latest reported eGFR, or, when none is reported, the 2021 CKD-EPI estimate from
    the latest creatinine in an adult of recorded sex (a creatinine alone was read as "eGFR
    unknown", so no renal rule fired). A reported eGFR wins unless the creatinine is more than
    a week newer: the laboratory's figure comes from the same sample (specialist review Z7c:
    'eGFR 80.5' computed beside a reported 74 from the same week). ``clearance=False`` gives the
    kidney's stage for CKD care (bone, pregnancy), not the drug-dosing figure, which from 75 is the
    lower of the eGFR and the Cockcroft-Gault clearance."""
    latest = record.latest_lab("egfr")
    creatinine = record.latest_lab("creatinine")
    age = record.age_years()
    # an undated creatinine (the labs section) is read as of today, so it would always look
    # newer than a dated eGFR: a dated report wins over it
    undated = creatinine is not None and not any(
        r.analyte == "creatinine" and r.date == creatinine.date for r in record.lab_results) \
        and not any(v.date == creatinine.date and v.labs.creatinine_umol_l is not None
                    for v in record.visits)
    newer = creatinine is not None and creatinine.value > 0 and (
        latest is None or (not undated
                           and (creatinine.date - latest.date).days > SAME_SAMPLE_DAYS))
    reported = latest.value if latest else None
    if newer and creatinine is not None and record.sex in ("female", "male") and age >= 18:
        reported = round(ckd_epi_2021(creatinine.value, age, record.sex), 1)
    if clearance and reported is not None and age >= CLEARANCE_AGE and creatinine is not None \
            and creatinine.value > 0 and record.weight_kg and record.sex in ("female", "male"):
        # from 75 on, the lower of the eGFR and the Cockcroft-Gault clearance sets the renal
        # thresholds (specialist review Z11d: methotrexate dosed by an eGFR of 32 at 85 and
        # 60 kg, clearance about 24)
        crcl = cockcroft_gault(creatinine.value, age, float(record.weight_kg), record.sex)
        return round(min(float(reported), crcl), 1)
    if reported is not None and (newer or latest is not None) and age >= 18:
        return reported
    if newer and creatinine is not None and record.height_cm is not None and 1 <= age < 18:
        # children: the bedside Schwartz estimate from height (specialist review R: "eGFR not
        # recorded" with a creatinine and a height on file)
        return round(schwartz_bedside(creatinine.value, record.height_cm, age), 1)
    return latest.value if latest else None


def kidney_figure_name(record: PatientRecord) -> str:
    """The name of the figure the renal thresholds were read from: from 75 the Cockcroft-Gault
    clearance where it is below the eGFR, so that a line does not say "eGFR below 30" beside a
    reported eGFR of 34 (the clearance of 26 set it)."""
    dosing, stage = read_egfr(record), read_egfr(record, clearance=False)
    if dosing is not None and stage is not None and dosing < stage - 0.05:
        return "creatinine clearance"
    return "eGFR"

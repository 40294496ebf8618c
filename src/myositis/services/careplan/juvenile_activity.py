"""Juvenile dermatomyositis activity read against PRINTO: inactive disease (Lazarevic 2013) and
minimal, usually skin, activity."""

from __future__ import annotations

from myositis.domain.criteria import printo_inactive_jdm as printo
from myositis.domain.labs import Enzyme
from myositis.domain.record import PatientRecord
from myositis.services.muscle_activity import enzymes_at


def _mmt8_of_80(mmt8: float | None, mmt_max: int | None) -> float | None:
    """MMT-8 read on the 0-80 scale PRINTO used (a 0-150 score at the same fraction)."""
    if mmt8 is None:
        return None
    return float(mmt8) * 80 / (mmt_max or (80 if mmt8 <= 80 else 150))


def printo_inactive(record: PatientRecord) -> bool | None:
    """The PRINTO inactive-disease criteria (Lazarevic 2013) at the latest visit: a JDM that
    meets them has not 'missed its target' (specialist review Z8c: 'JDM still active ... change
    the strategy' for CMAS 50 with mild Gottron papules, in three of eight plans)."""
    if not record.visits:
        return None
    visit = record.visits[-1]
    cs = visit.core_set
    mmt = _mmt8_of_80(cs.mmt8, cs.mmt_max)
    ck = enzymes_at(visit, record).get(Enzyme.CK)
    return printo.inactive(printo.PrintoMeasures(
        ck_u_l=ck.value if ck is not None and ck.unit == "U/L" else None,
        cmas=cs.cmas, mmt8_of_80=mmt, physician_global_cm=cs.physician_global))


MINIMAL_ACTIVITY_PGA_CM = 2.0
"""A physician global this low with every measured muscle criterion of PRINTO met is minimal
(usually skin) activity: a skin-directed step, not a change of the whole strategy (a project
threshold after specialist review Z8c)."""


def jdm_minimal_activity(record: PatientRecord) -> bool | None:
    """Every measured PRINTO muscle criterion met (CK, CMAS, MMT-8; two at least) with a
    physician global of 2 cm or less at the latest visit."""
    if not record.visits:
        return None
    visit = record.visits[-1]
    cs = visit.core_set
    if cs.physician_global is None:
        return None
    mmt = _mmt8_of_80(cs.mmt8, cs.mmt_max)
    ck = enzymes_at(visit, record).get(Enzyme.CK)
    count, measured = printo.met(printo.PrintoMeasures(
        ck_u_l=ck.value if ck is not None and ck.unit == "U/L" else None,
        cmas=cs.cmas, mmt8_of_80=mmt))
    if measured < 2:
        return None
    return count == measured and cs.physician_global <= MINIMAL_ACTIVITY_PGA_CM

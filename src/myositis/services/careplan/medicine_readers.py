"""The other medicines on the record as the rules read them: what is recorded, with what the
record implies (tamoxifen recorded as a SERM beside ongoing hormonal treatment of a breast
cancer, and tamoxifen counted among the oestrogen-like clot risks)."""

from __future__ import annotations

import re

from myositis.domain.record import PatientRecord

TAMOXIFEN_WORD = re.compile(r"\btamoxifen\b", re.IGNORECASE)
STOPPED_WORDS = re.compile(r"\b(stopped|completed|finished|discontinued|ceased)\b",
                           re.IGNORECASE)
BREAST_WORD = re.compile(r"\bbreast\b", re.IGNORECASE)


def tamoxifen_taken(record: PatientRecord) -> bool | None:
    """Tamoxifen taken now: recorded by name; or a SERM recorded beside an ongoing hormonal
    treatment of a breast cancer (raloxifene is not a cancer treatment); or a past-cancer entry
    that names tamoxifen without saying it stopped (specialist review Z69a P4: tamoxifen after
    breast cancer, recorded as a SERM, missed as a teratogen before a planned pregnancy and as
    a hydroxychloroquine retinopathy risk factor). None when nothing points to it."""
    if "tamoxifen" in record.other_medicines:
        return True
    cancer = record.cancer
    hormonal_now = any(t.kind == "hormonal" and t.status in ("ongoing", "planned")
                       for t in cancer.treatment)
    breast = any(BREAST_WORD.search(c) for c in cancer.past_cancer)
    if "oestrogen_or_serm" in record.other_medicines and hormonal_now and breast:
        return True
    named = [c for c in cancer.past_cancer if TAMOXIFEN_WORD.search(c)]
    if any(not STOPPED_WORDS.search(c) for c in named) and (
            hormonal_now or "oestrogen_or_serm" in record.other_medicines):
        return True
    return None


def other_medicines_read(record: PatientRecord) -> frozenset[str]:
    """The interacting medicines recorded, with tamoxifen read from the cancer history and
    counted as an oestrogen-like clot risk too (the immunoglobulin and JAK-inhibitor clot
    cautions read ``oestrogen_or_serm``)."""
    taken = set(record.other_medicines)
    if tamoxifen_taken(record):
        taken |= {"tamoxifen", "oestrogen_or_serm"}
    return frozenset(taken)


__all__ = ["other_medicines_read", "tamoxifen_taken"]

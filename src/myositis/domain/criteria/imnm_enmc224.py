"""224th ENMC workshop classification of immune-mediated necrotising myopathy (IMNM).

Allenbach Y, et al. Neuromuscul Disord 2018;28:87-99, doi:10.1016/j.nmd.2017.09.016. Three
subtypes: anti-SRP myopathy, anti-HMGCR myopathy and antibody-negative IMNM. Only the title and
highlights were read; the per-subtype rule below (elevated CK, proximal weakness, antibody; biopsy
required only for antibody-negative IMNM) is from secondary descriptions, so every result says
``confirmed=False``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.types import Bool

CITATION = ("Allenbach Y, et al. 224th ENMC International Workshop: clinico-sero-pathological "
            "classification of immune-mediated necrotizing myopathies. Neuromuscul Disord "
            "2018;28:87-99, doi:10.1016/j.nmd.2017.09.016")
Status = Literal["positive", "negative", "not_tested"]


class ImnmInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    anti_srp: Status = "not_tested"
    anti_hmgcr: Status = "not_tested"
    ck_elevated: Bool | None = None
    proximal_weakness: Bool | None = None
    necrotising_biopsy: Bool | None = None


def assess(data: ImnmInput) -> CriteriaResult:
    base = CriteriaResult(criteria="ENMC 224 IMNM", met=None, citation=CITATION, confirmed=False,
                          notes=["Per-subtype rule not read in the primary paper; treat as "
                                 "unconfirmed."])
    missing = [n for n in ("ck_elevated", "proximal_weakness") if getattr(data, n) is None]
    antibody = ("anti-SRP myopathy" if data.anti_srp == "positive" else
                "anti-HMGCR myopathy" if data.anti_hmgcr == "positive" else None)
    if data.ck_elevated is False:
        return base.model_copy(update={"met": False, "reasons": ["CK not elevated"]})
    if antibody:
        if missing:
            return base.model_copy(update={"missing": missing, "category": None})
        if data.proximal_weakness is False:
            return base.model_copy(update={"met": False, "reasons": ["no proximal weakness"]})
        return base.model_copy(update={"met": True, "category": antibody,
                                       "reasons": [antibody.split(" ")[0] + " positive, CK "
                                                   "elevated, proximal weakness"]})
    if data.necrotising_biopsy is True:
        both_negative = data.anti_srp == "negative" and data.anti_hmgcr == "negative"
        if not both_negative:
            return base.model_copy(update={"missing": ["anti_srp", "anti_hmgcr", *missing],
                                           "reasons": ["necrotising biopsy; antibodies not "
                                                       "tested"]})
        if missing:
            return base.model_copy(update={"missing": missing})
        if data.proximal_weakness is False:
            return base.model_copy(update={"met": False, "reasons": ["no proximal weakness"]})
        return base.model_copy(update={"met": True, "category": "antibody-negative IMNM",
                                       "reasons": ["necrotising biopsy, anti-SRP and anti-HMGCR "
                                                   "negative"]})
    if data.anti_srp == "not_tested" or data.anti_hmgcr == "not_tested":
        return base.model_copy(update={"missing": [n for n in ("anti_srp", "anti_hmgcr")
                                                   if getattr(data, n) == "not_tested"],
                                       "met": None if data.necrotising_biopsy is None else False})
    return base.model_copy(update={"met": False, "reasons": [
        "anti-SRP and anti-HMGCR negative and no necrotising biopsy"]})

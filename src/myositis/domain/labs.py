"""Laboratory results with units and upper limits of normal (ULN)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.types import Num


class Enzyme(StrEnum):
    """Muscle enzymes used by the classification and response criteria."""

    CK = "ck"
    ALDOLASE = "aldolase"
    LDH = "ldh"
    AST = "ast"
    ALT = "alt"


EnzymeUnit = Literal["U/L", "ukat/L"]


class EnzymeResult(BaseModel):
    """A serum enzyme level; value and ULN must be in the same unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Num = Field(ge=0, le=1_000_000, description="measured level, >= 0")
    uln: Num = Field(gt=0, le=100_000, description="upper limit of normal, > 0, same unit")
    unit: EnzymeUnit = "U/L"
    date: dt.date | None = None

    @property
    def multiple_of_uln(self) -> float:
        return self.value / self.uln

    @property
    def elevated(self) -> bool:
        return self.value > self.uln


class Labs(BaseModel):
    """Enzymes plus the extra markers the ILD and cancer rules read; all optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enzymes: dict[Enzyme, EnzymeResult] = Field(default_factory=dict)
    ferritin_ng_ml: Num | None = Field(default=None, ge=0, le=200_000)
    crp_mg_l: Num | None = Field(default=None, ge=0, le=1000)
    kl6_u_ml: Num | None = Field(default=None, ge=0, le=100_000)
    creatinine_umol_l: Num | None = Field(default=None, ge=0, le=3000)

    def any_enzyme_elevated(self) -> bool:
        return any(result.elevated for result in self.enzymes.values())

    def most_abnormal_enzyme(self) -> tuple[Enzyme, EnzymeResult] | None:
        """The enzyme with the highest multiple of its ULN (ties: first in Enzyme order)."""
        if not self.enzymes:
            return None
        order = list(Enzyme)
        best = max(
            self.enzymes.items(), key=lambda kv: (kv[1].multiple_of_uln, -order.index(kv[0]))
        )
        return best


CREATININE_UMOL_PER_MG_DL = 88.4


def ckd_epi_2021(creatinine_umol_l: float, age_years: float,
                 sex: Literal["female", "male"]) -> float:
    """eGFR (mL/min/1.73 m2) by the race-free 2021 CKD-EPI creatinine equation, for adults.

    Inker LA, et al. New creatinine- and cystatin C-based equations to estimate GFR without
    race. N Engl J Med 2021;385:1737-1749 (doi:10.1056/NEJMoa2102953), as published by the
    NKF: 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 if female, with Scr
    in mg/dL, k = 0.7 (female) or 0.9 (male), a = -0.241 (female) or -0.302 (male). Not for
    children (the plan never estimates it under 18) and not in unstable renal function.
    """
    if creatinine_umol_l <= 0 or age_years < 18:
        raise ValueError("CKD-EPI 2021 needs a positive creatinine and an adult")
    scr = creatinine_umol_l / CREATININE_UMOL_PER_MG_DL
    kappa, alpha = (0.7, -0.241) if sex == "female" else (0.9, -0.302)
    ratio = scr / kappa
    value: float = 142 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 \
        * 0.9938 ** age_years
    return value * (1.012 if sex == "female" else 1.0)


def cockcroft_gault(creatinine_umol_l: float, age_years: float, weight_kg: float,
                    sex: Literal["female", "male"]) -> float:
    """Creatinine clearance (mL/min) by Cockcroft-Gault: (140 - age) x weight (kg) x 0.85 if
    female / (72 x serum creatinine in mg/dL).

    Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron
    1976;16:31-41 (doi:10.1159/000180580). Drug labels state renal thresholds as a clearance;
    in the very old and the light the eGFR overstates it, which is why the plan reads the lower
    of the two from 75 on.
    """
    if creatinine_umol_l <= 0 or weight_kg <= 0 or age_years < 18:
        raise ValueError("Cockcroft-Gault needs a positive creatinine and weight in an adult")
    scr = creatinine_umol_l / CREATININE_UMOL_PER_MG_DL
    value = (140 - age_years) * weight_kg / (72 * scr)
    return value * (0.85 if sex == "female" else 1.0)


SCHWARTZ_BEDSIDE_K = 0.413


def schwartz_bedside(creatinine_umol_l: float, height_cm: float, age_years: float) -> float:
    """eGFR (mL/min/1.73 m2) for children by the bedside CKiD ("updated Schwartz") equation:
    0.413 x height (cm) / serum creatinine (mg/dL).

    Schwartz GJ, Munoz A, Schneider MF, et al. New equations to estimate GFR in children with
    CKD. J Am Soc Nephrol 2009;20(3):629-637 (doi:10.1681/ASN.2008030287, PMID 19158356),
    developed in children aged 1 to 16 with enzymatic (IDMS-traceable) creatinine.
    """
    if creatinine_umol_l <= 0 or height_cm <= 0 or not 1 <= age_years < 18:
        raise ValueError("the bedside Schwartz equation needs a positive creatinine and height "
                         "in a child aged 1 to 17")
    return SCHWARTZ_BEDSIDE_K * height_cm / (creatinine_umol_l / CREATININE_UMOL_PER_MG_DL)

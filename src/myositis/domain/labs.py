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

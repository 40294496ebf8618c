"""Myositis Disease Activity Assessment Tool (MDAAT): MYOACT and MITAX.

Isenberg DA, Allen E, Farewell V, et al. International consensus outcome measures for patients
with idiopathic inflammatory myopathies. Rheumatology (Oxford) 2004;43:49-54, PMID 12867580;
Sultan SM, et al. Arthritis Rheum 2008;58:3593-3599 (reliability and validity); IMACS MDAAT 2009
form text.

MYOACT: physician VAS 0-10 cm per organ system over the past four weeks (constitutional,
cutaneous, skeletal, gastrointestinal, pulmonary, cardiac; muscle is reported separately), or
'not assessed'. Score = sum of VAS / (10 x number of systems assessed), 0-1; the raw sum is also
given.

MITAX: BILAG-style 'intention to treat' grade A-E for seven systems (the six above plus muscle).
Numeric conversion A=9, B=3, C=1, D=0, E=0, total / 63 (0-1). These weights follow the BILAG
convention the MITAX was built on and are NOT confirmed from the MITAX publications; they are a
visible, tested choice (see README known uncertainties).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Num
from myositis.errors import NotComputableError

CITATIONS = [
    Citation(
        text="Isenberg DA, et al. International consensus outcome measures for patients with "
        "idiopathic inflammatory myopathies. Rheumatology (Oxford) 2004;43:49-54",
        pmid="12867580",
    ),
]
MYOACT_SYSTEMS = (
    "constitutional", "cutaneous", "skeletal", "gastrointestinal", "pulmonary", "cardiac",
)
MITAX_SYSTEMS = (*MYOACT_SYSTEMS, "muscle")
MITAX_WEIGHTS: dict[str, int] = {"A": 9, "B": 3, "C": 1, "D": 0, "E": 0}

Grade = Literal["A", "B", "C", "D", "E"]



class MyoactInput(BaseModel):
    """Each system's VAS in cm (0-10) or null when not assessed."""

    model_config = ConfigDict(extra="forbid")

    constitutional: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    cutaneous: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    skeletal: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    gastrointestinal: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    pulmonary: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    cardiac: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    muscle: Num | None = Field(
        default=None, ge=0, le=10, description="muscle VAS, reported but not in MYOACT score"
    )
    extramuscular_global: Num | None = Field(default=None, ge=0, le=10)


class MitaxInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    constitutional: Grade = "E"
    cutaneous: Grade = "E"
    skeletal: Grade = "E"
    gastrointestinal: Grade = "E"
    pulmonary: Grade = "E"
    cardiac: Grade = "E"
    muscle: Grade = "E"


def myoact(data: MyoactInput) -> InstrumentResult:
    """MYOACT 0-1 (sum of assessed organ VAS over their maximum)."""
    assessed = {s: getattr(data, s) for s in MYOACT_SYSTEMS if getattr(data, s) is not None}
    if not assessed:
        raise NotComputableError("myoact: no organ system assessed")
    raw = sum(assessed.values())
    items = [
        ItemContribution(item=s, label=s, value=getattr(data, s),
                         points=float(getattr(data, s) or 0.0))
        for s in MYOACT_SYSTEMS
    ]
    return InstrumentResult(
        instrument="myoact",
        total=raw / (10 * len(assessed)),
        minimum=0,
        maximum=1,
        items=items,
        citations=CITATIONS,
        notes=[f"raw sum {raw:g} of {10 * len(assessed)} ({len(assessed)} systems assessed)"],
    )


def mitax(data: MitaxInput) -> InstrumentResult:
    """MITAX 0-1 from A-E grades (weights: module docstring)."""
    items = [
        ItemContribution(item=s, label=s, value=getattr(data, s),
                         points=MITAX_WEIGHTS[getattr(data, s)])
        for s in MITAX_SYSTEMS
    ]
    raw = sum(i.points for i in items)
    maximum = MITAX_WEIGHTS["A"] * len(MITAX_SYSTEMS)
    return InstrumentResult(
        instrument="mitax",
        total=raw / maximum,
        minimum=0,
        maximum=1,
        items=items,
        citations=CITATIONS,
        notes=[f"raw {raw:g}/{maximum}; weights A=9 B=3 C=1 D=E=0 are unconfirmed"],
    )

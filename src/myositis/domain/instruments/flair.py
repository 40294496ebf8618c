"""FLAIR mortality-risk model for amyopathic dermatomyositis with interstitial lung disease.

Lian X, Zou J, Guo Q, et al. Mortality risk prediction in amyopathic dermatomyositis associated
with interstitial lung disease: the FLAIR model. Chest 2020;158(4):1535-1545,
doi:10.1016/j.chest.2020.04.057, PMID 32428508.

Inputs: ferritin (ng/mL), LDH (U/L), anti-MDA5 (negative, or semi-quantitative weak +,
moderate ++, strong +++), HRCT score (the paper's own scoring method, 0-300), rapidly progressive
ILD (yes/no). Points: ferritin >= 636: 2; LDH >= 355: 2; MDA5 +/++/+++: 2/3/4; HRCT >= 133: 3;
RP-ILD: 2. Total 0-13; risk low 0-4, medium 5-9, high 10-13. Derived in ADM-ILD, not in all
anti-MDA5 disease.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Bool, Num

CITATIONS = [
    Citation(
        text="Lian X, et al. Mortality risk prediction in amyopathic dermatomyositis associated "
        "with interstitial lung disease: the FLAIR model. Chest 2020;158:1535-1545",
        doi="10.1016/j.chest.2020.04.057",
        pmid="32428508",
    ),
]
FERRITIN_CUTOFF = 636
LDH_CUTOFF = 355
HRCT_CUTOFF = 133
MDA5_POINTS: dict[str, int] = {"negative": 0, "weak": 2, "moderate": 3, "strong": 4}
# (upper bound inclusive, category)
BANDS: tuple[tuple[int, str], ...] = ((4, "low"), (9, "medium"), (13, "high"))


class FlairInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ferritin_ng_ml: Num = Field(ge=0, le=200_000, description="ng/mL")
    ldh_u_l: Num = Field(ge=0, le=100_000, description="U/L")
    anti_mda5: Literal["negative", "weak", "moderate", "strong"] = Field(
        description="negative, weak (+), moderate (++), strong (+++)"
    )
    hrct_score: Num = Field(ge=0, le=300, description="HRCT score as defined by the paper")
    rapidly_progressive_ild: Bool


def flair(data: FlairInput) -> InstrumentResult:
    items = [
        ItemContribution(item="ferritin", label=f"Ferritin >= {FERRITIN_CUTOFF} ng/mL",
                         value=data.ferritin_ng_ml,
                         points=2 if data.ferritin_ng_ml >= FERRITIN_CUTOFF else 0),
        ItemContribution(item="ldh", label=f"LDH >= {LDH_CUTOFF} U/L", value=data.ldh_u_l,
                         points=2 if data.ldh_u_l >= LDH_CUTOFF else 0),
        ItemContribution(item="anti_mda5", label="Anti-MDA5 level", value=data.anti_mda5,
                         points=MDA5_POINTS[data.anti_mda5]),
        ItemContribution(item="hrct", label=f"HRCT score >= {HRCT_CUTOFF}",
                         value=data.hrct_score,
                         points=3 if data.hrct_score >= HRCT_CUTOFF else 0),
        ItemContribution(item="rp_ild", label="Rapidly progressive ILD",
                         value=data.rapidly_progressive_ild,
                         points=2 if data.rapidly_progressive_ild else 0),
    ]
    total = int(sum(i.points for i in items))
    category = next(name for upper, name in BANDS if total <= upper)
    return InstrumentResult(
        instrument="flair", total=total, minimum=0, maximum=13, category=category, items=items,
        citations=CITATIONS,
        notes=["Derived in amyopathic DM with ILD; HRCT scoring per the original paper."],
    )

"""Sontheimer's clinical subsets of dermatomyositis: classic, amyopathic and hypomyopathic DM.

Sontheimer RD. Dermatomyositis: an overview of recent progress with emphasis on dermatologic
aspects. Curr Opin Rheumatol 1999;11(6):475-482, PMID 10551671 (introduces hypomyopathic DM);
Sontheimer RD. J Am Acad Dermatol 2002;46(4):626-636 (amyopathic DM criteria; identifiers not
confirmed).

Inputs: hallmark DM skin findings (and whether a skin biopsy confirmed them), months since skin
onset, clinical proximal weakness, raised muscle enzymes, and subclinical myositis on EMG, MRI
or muscle biopsy; exclusions: >= 2 consecutive months of systemic immunosuppression within the
first 6 months of skin disease, or a drug able to cause DM-like skin changes (e.g. hydroxyurea).

* classic DM: hallmark skin disease with clinical muscle weakness;
* amyopathic DM: hallmark skin disease for >= 6 months, no clinical weakness, normal enzymes
  and (when tested) no subclinical myositis (Sontheimer asks for biopsy-confirmed skin
  disease; a missing skin biopsy is reported as a note, not a block);
* hypomyopathic DM: as amyopathic, but with laboratory, EMG, MRI or biopsy evidence of myositis;
* clinically amyopathic DM is the umbrella of the last two.
Skin disease of less than 6 months without muscle disease is 'premyopathic' (provisional, not
yet classifiable as amyopathic), and the exclusions make the subset 'not_classifiable'. One
textbook attributes a 2-year duration to Sontheimer; the common >= 6 months is used here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Bool, Num

CITATIONS = [
    Citation(
        text="Sontheimer RD. Dermatomyositis: an overview of recent progress with emphasis on "
        "dermatologic aspects. Curr Opin Rheumatol 1999;11:475-482",
        pmid="10551671",
    ),
    Citation(
        text="Sontheimer RD. Would a new name hasten the acceptance of amyopathic "
        "dermatomyositis (dermatomyositis sine myositis) as a distinctive subset? "
        "J Am Acad Dermatol 2002;46:626-636",
    ),
]
MIN_SKIN_MONTHS = 6

Subset = Literal[
    "classic_dm", "amyopathic_dm", "hypomyopathic_dm", "premyopathic_dm",
    "not_dm", "not_classifiable",
]


class SontheimerInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hallmark_skin_findings: Bool = Field(description="heliotrope, Gottron's papules/sign, etc.")
    skin_biopsy_confirmed: Bool = False
    skin_disease_months: Num = Field(ge=0, le=1200, description="months since skin onset")
    clinical_proximal_weakness: Bool = False
    elevated_muscle_enzymes: Bool = False
    subclinical_myositis: Bool = Field(
        default=False, description="EMG, MRI or muscle-biopsy evidence of myositis"
    )
    early_immunosuppression_2_months: Bool = Field(
        default=False, description=">= 2 consecutive months of systemic immunosuppression "
        "within the first 6 months after skin onset",
    )
    dm_like_drug: Bool = Field(default=False, description="e.g. hydroxyurea")


def subset(data: SontheimerInput) -> Subset:
    if not data.hallmark_skin_findings:
        return "not_dm"
    if data.clinical_proximal_weakness:
        return "classic_dm"
    if data.early_immunosuppression_2_months or data.dm_like_drug:
        return "not_classifiable"
    if data.skin_disease_months < MIN_SKIN_MONTHS:
        return "premyopathic_dm"
    if data.elevated_muscle_enzymes or data.subclinical_myositis:
        return "hypomyopathic_dm"
    return "amyopathic_dm"


def sontheimer(data: SontheimerInput) -> InstrumentResult:
    """The subset with the findings that decided it."""
    result = subset(data)
    notes = []
    if result == "amyopathic_dm" and not data.skin_biopsy_confirmed:
        notes.append("Sontheimer's definition asks for biopsy-confirmed hallmark skin disease")
    if result == "premyopathic_dm":
        notes.append("skin disease < 6 months: re-assess at 6 months")
    if result in ("amyopathic_dm", "hypomyopathic_dm"):
        notes.append("clinically amyopathic DM (CADM)")
    return InstrumentResult(
        instrument="sontheimer_dm_subsets",
        total=None,
        minimum=0,
        maximum=0,
        category=result,
        items=[
            ItemContribution(item=name, label=name, value=value, points=0.0)
            for name, value in data.model_dump().items()
        ],
        citations=CITATIONS,
        notes=notes,
    )

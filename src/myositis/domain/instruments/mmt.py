"""Manual muscle testing: MMT-8 (unilateral 0-80, bilateral 0-150) and MMT-24 (0-260).

IMACS Form 04, Manual Muscle Testing scoring sheet, and the IMACS MMT-8 testing procedures
(Kendall 0-10 scale, modified from Kendall 1993); Rider LG, et al. Arthritis Care Res
2010;62(4):465-472, doi:10.1002/acr.20035 (MMT-8 validation).

Inputs: each muscle group graded 0-10 on the Kendall scale (integers). A 'trace' contraction is
recorded as 0 here because the published 0-10 key gives it no number of its own.
MMT-8 groups: neck flexors (axial, counted once), deltoid middle, biceps brachii, wrist
extensors, gluteus maximus, gluteus medius, quadriceps, ankle dorsiflexors. Unilateral MMT-8
uses the right side unless it cannot be tested; bilateral adds both sides of the 7 paired groups.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Int

CITATIONS = [
    Citation(text="IMACS Form 04: Manual Muscle Testing scoring sheet and MMT-8 procedures"),
    Citation(
        text="Rider LG, et al. Validation of manual muscle testing and a subset of eight muscles "
        "for adult and juvenile idiopathic inflammatory myopathies. Arthritis Care Res "
        "2010;62:465-472",
        doi="10.1002/acr.20035",
    ),
]

Grade = Field(ge=0, le=10, description="Kendall grade 0-10")
MMT8_PAIRED = (
    "deltoid_middle", "biceps_brachii", "wrist_extensors", "gluteus_maximus", "gluteus_medius",
    "quadriceps", "ankle_dorsiflexors",
)
# MMT-24 (Form 04): axial groups once, proximal and distal groups on both sides.
MMT24_AXIAL = ("neck_flexors", "neck_extensors")
MMT24_PROXIMAL = (
    "trapezius", "deltoid_middle", "biceps_brachii", "gluteus_maximus", "gluteus_medius",
    "iliopsoas", "hamstrings", "quadriceps",
)
MMT24_DISTAL = ("wrist_extensors", "wrist_flexors", "ankle_dorsiflexors", "ankle_plantar_flexors")


class MMT8Side(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deltoid_middle: Int = Grade
    biceps_brachii: Int = Grade
    wrist_extensors: Int = Grade
    gluteus_maximus: Int = Grade
    gluteus_medius: Int = Grade
    quadriceps: Int = Grade
    ankle_dorsiflexors: Int = Grade


class MMT8Input(BaseModel):
    """Neck flexors once plus one or both sides of the seven paired groups."""

    model_config = ConfigDict(extra="forbid")

    neck_flexors: Int = Grade
    right: MMT8Side | None = None
    left: MMT8Side | None = None
    mode: Literal["unilateral", "bilateral"] = "unilateral"

    @model_validator(mode="after")
    def _sides_present(self) -> Self:
        if self.mode == "bilateral" and (self.right is None or self.left is None):
            raise ValueError("bilateral MMT-8 needs both right and left")
        if self.right is None and self.left is None:
            raise ValueError("give right (preferred) or left side grades")
        return self


class MMT24Side(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trapezius: Int = Grade
    deltoid_middle: Int = Grade
    biceps_brachii: Int = Grade
    gluteus_maximus: Int = Grade
    gluteus_medius: Int = Grade
    iliopsoas: Int = Grade
    hamstrings: Int = Grade
    quadriceps: Int = Grade
    wrist_extensors: Int = Grade
    wrist_flexors: Int = Grade
    ankle_dorsiflexors: Int = Grade
    ankle_plantar_flexors: Int = Grade


class MMT24Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    neck_flexors: Int = Grade
    neck_extensors: Int = Grade
    right: MMT24Side
    left: MMT24Side


def mmt8(data: MMT8Input) -> InstrumentResult:
    """MMT-8 total: 0-80 unilateral (right side unless only left is given) or 0-150 bilateral."""
    items = [ItemContribution(item="neck_flexors", label="Neck flexors", points=data.neck_flexors)]
    if data.mode == "bilateral":
        sides = [("right", data.right), ("left", data.left)]
        maximum = 150
    else:
        side_name, side = ("right", data.right) if data.right is not None else ("left", data.left)
        sides = [(side_name, side)]
        maximum = 80
    for side_name, side in sides:
        assert side is not None  # guaranteed by the validator
        for group in MMT8_PAIRED:
            grade = getattr(side, group)
            items.append(
                ItemContribution(
                    item=f"{side_name}.{group}", label=f"{group} ({side_name})", points=grade
                )
            )
    total = sum(i.points for i in items)
    return InstrumentResult(
        instrument=f"mmt8_{data.mode}",
        total=total,
        minimum=0,
        maximum=maximum,
        items=items,
        citations=CITATIONS,
        notes=[] if data.mode == "bilateral" or data.right else ["left side scored (right missing)"],
    )


def mmt24(data: MMT24Input) -> InstrumentResult:
    """MMT-24 total 0-260 with its axial (0-20), proximal (0-160) and distal (0-80) subscores."""
    axial = data.neck_flexors + data.neck_extensors
    items = [
        ItemContribution(item="neck_flexors", label="Neck flexors", points=data.neck_flexors),
        ItemContribution(item="neck_extensors", label="Neck extensors", points=data.neck_extensors),
    ]
    proximal = distal = 0
    for side_name, side in (("right", data.right), ("left", data.left)):
        for group in (*MMT24_PROXIMAL, *MMT24_DISTAL):
            grade = getattr(side, group)
            if group in MMT24_PROXIMAL:
                proximal += grade
            else:
                distal += grade
            items.append(
                ItemContribution(
                    item=f"{side_name}.{group}", label=f"{group} ({side_name})", points=grade
                )
            )
    return InstrumentResult(
        instrument="mmt24",
        total=axial + proximal + distal,
        minimum=0,
        maximum=260,
        items=items,
        citations=CITATIONS[:1],
        notes=[f"axial {axial}/20, proximal {proximal}/160, distal {distal}/80"],
    )

"""Childhood Myositis Assessment Scale (CMAS), 14 items, total 0-52.

Lovell DJ, Lindsley CB, Rennebohm RM, et al. Development of validated disease activity and damage
indices for the juvenile idiopathic inflammatory myopathies. II. The Childhood Myositis
Assessment Scale (CMAS). Arthritis Rheum 1999;42(10):2213-2219,
doi:10.1002/1529-0131(199910)42:10<2213::AID-ANR25>3.0.CO;2-8.

Huber AM, et al. Arthritis Rheum 2004;50:1595-1603, PMID 15146430 (the 0-52 version used here;
the 1999 original totalled 0-51).

Inputs: each item's score within its range (table below). The maxima of items 1-7 were seen on
copies of the scoring sheet; those of items 8-14 are the split consistent with the 52 total and
are not confirmed item by item (README known uncertainties). Interpretation bands are not part
of the scale and are not applied here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Int

CITATIONS = [
    Citation(
        text="Lovell DJ, et al. The Childhood Myositis Assessment Scale (CMAS). "
        "Arthritis Rheum 1999;42:2213-2219",
    ),
    Citation(
        text="Huber AM, et al. Validation and clinical significance of the Childhood Myositis "
        "Assessment Scale. Arthritis Rheum 2004;50:1595-1603",
        pmid="15146430",
    ),
]

# item -> (label, maximum)
ITEMS: dict[str, tuple[str, int]] = {
    "head_elevation": ("Head elevation (neck flexion), duration", 5),
    "leg_raise": ("Leg raise / touch object", 2),
    "straight_leg_lift": ("Straight leg lift, duration", 5),
    "supine_to_prone": ("Supine to prone", 3),
    "sit_ups": ("Sit-ups (6 types, 1 point each)", 6),
    "supine_to_sit": ("Supine to sit", 3),
    "arm_raise_straighten": ("Arm raise / straighten", 3),
    "arm_raise_duration": ("Arm raise, duration", 4),
    "floor_sit": ("Floor sit", 4),
    "all_fours": ("All-fours manoeuvre", 4),
    "floor_rise": ("Floor rise", 4),
    "chair_rise": ("Chair rise", 4),
    "stool_step": ("Stool step", 3),
    "pick_up": ("Pick-up object from floor", 2),
}
MAXIMUM = sum(maximum for _, maximum in ITEMS.values())



class CmasInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    head_elevation: Int = Field(ge=0, le=5, description="0-5")
    leg_raise: Int = Field(ge=0, le=2, description="0-2")
    straight_leg_lift: Int = Field(ge=0, le=5, description="0-5")
    supine_to_prone: Int = Field(ge=0, le=3, description="0-3")
    sit_ups: Int = Field(ge=0, le=6, description="0-6")
    supine_to_sit: Int = Field(ge=0, le=3, description="0-3")
    arm_raise_straighten: Int = Field(ge=0, le=3, description="0-3")
    arm_raise_duration: Int = Field(ge=0, le=4, description="0-4")
    floor_sit: Int = Field(ge=0, le=4, description="0-4")
    all_fours: Int = Field(ge=0, le=4, description="0-4")
    floor_rise: Int = Field(ge=0, le=4, description="0-4")
    chair_rise: Int = Field(ge=0, le=4, description="0-4")
    stool_step: Int = Field(ge=0, le=3, description="0-3")
    pick_up: Int = Field(ge=0, le=2, description="0-2")


def cmas(data: CmasInput) -> InstrumentResult:
    """CMAS total 0-52 with each item's score."""
    items = [
        ItemContribution(item=name, label=f"{label} (0-{maximum})", points=getattr(data, name))
        for name, (label, maximum) in ITEMS.items()
    ]
    return InstrumentResult(
        instrument="cmas",
        total=sum(i.points for i in items),
        minimum=0,
        maximum=MAXIMUM,
        items=items,
        citations=CITATIONS,
    )

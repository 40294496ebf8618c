"""Cutaneous Dermatomyositis Disease Area and Severity Index, version 2 (modified CDASI).

Klein RQ, et al. J Am Acad Dermatol 2008;59(4):594-606 (original CDASI); Yassaee M, et al.
Br J Dermatol 2010;162(3):669-673, doi:10.1111/j.1365-2133.2009.09521.x, PMID 19863510
(modified CDASI: three activity and two damage measures).

Inputs, per each of 15 anatomical locations: erythema 0-3, scale 0-2, erosion/ulceration 0-1
(activity) and poikiloderma 0-1, calcinosis 0-1 (damage). Gottron's papules on the hands:
erythema 0-3 doubled when papules are present, ulceration 0-1 (activity), damage 0-2 (0 absent,
1 dyspigmentation, 2 scarring). Periungual changes 0-2 and recent hair loss 0-1 (activity).
Totals: activity 0-100, damage 0-32. The item structure comes from one public implementation
and is consistent with both published maxima (see README known uncertainties).
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.results import Citation, InstrumentResult, ItemContribution
from myositis.domain.types import Bool, Int

CITATIONS = [
    Citation(
        text="Yassaee M, et al. Modification of the cutaneous dermatomyositis disease area and "
        "severity index. Br J Dermatol 2010;162:669-673",
        doi="10.1111/j.1365-2133.2009.09521.x",
        pmid="19863510",
    ),
]

LOCATIONS = (
    "scalp", "malar_area", "periorbital", "rest_of_face", "v_area_neck", "posterior_neck",
    "upper_back_and_shoulders", "rest_of_back_and_buttocks", "abdomen", "lateral_upper_thigh",
    "rest_of_leg_and_feet", "arm", "mechanics_hand", "dorsum_of_hands", "gottron_not_on_hands",
)
ACTIVITY_MAX = 100
DAMAGE_MAX = 32


class CdasiLocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    erythema: Int = Field(default=0, ge=0, le=3, description="0 absent .. 3 dark red")
    scale: Int = Field(default=0, ge=0, le=2, description="0 absent, 1 scale, 2 crust/lichen.")
    erosion: Int = Field(default=0, ge=0, le=1, description="erosion/ulceration 0-1")
    poikiloderma: Int = Field(default=0, ge=0, le=1, description="damage 0-1")
    calcinosis: Int = Field(default=0, ge=0, le=1, description="damage 0-1")


class GottronHands(BaseModel):
    model_config = ConfigDict(extra="forbid")

    erythema: Int = Field(default=0, ge=0, le=3, description="0 absent .. 3 dark red")
    papules: Bool = Field(default=False, description="papules present: erythema score doubled")
    ulceration: Int = Field(default=0, ge=0, le=1)
    damage: Int = Field(default=0, ge=0, le=2, description="0 absent, 1 dyspigm., 2 scarring")


class CdasiInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    locations: dict[str, CdasiLocation] = Field(
        default_factory=dict, description=f"keys: {', '.join(LOCATIONS)}"
    )
    gottron_hands: GottronHands = Field(default_factory=GottronHands)
    periungual: Int = Field(default=0, ge=0, le=2)
    alopecia: Int = Field(default=0, ge=0, le=1, description="recent hair loss 0-1")

    @model_validator(mode="after")
    def _known_locations(self) -> Self:
        unknown = sorted(set(self.locations) - set(LOCATIONS))
        if unknown:
            raise ValueError(f"unknown CDASI location(s) {unknown}; allowed: {list(LOCATIONS)}")
        return self


class CdasiResult(InstrumentResult):
    activity: Int
    damage: Int


def cdasi(data: CdasiInput) -> CdasiResult:
    """CDASI v2 activity (0-100) and damage (0-32)."""
    items: list[ItemContribution] = []
    activity = damage = 0
    for name in LOCATIONS:
        loc = data.locations.get(name, CdasiLocation())
        a = loc.erythema + loc.scale + loc.erosion
        d = loc.poikiloderma + loc.calcinosis
        activity += a
        damage += d
        if a or d:
            items.append(ItemContribution(item=f"{name}.activity", label=name, points=a))
            items.append(ItemContribution(item=f"{name}.damage", label=name, points=d))
    hands = data.gottron_hands
    g_ery = hands.erythema * (2 if hands.papules else 1)
    extras = [
        ("gottron_hands.erythema", "Gottron's hands erythema (x2 if papules)", g_ery),
        ("gottron_hands.ulceration", "Gottron's hands ulceration", hands.ulceration),
        ("periungual", "Periungual changes", data.periungual),
        ("alopecia", "Recent hair loss", data.alopecia),
    ]
    for item, label, points in extras:
        activity += points
        items.append(ItemContribution(item=item, label=label, points=points))
    damage += hands.damage
    items.append(
        ItemContribution(item="gottron_hands.damage", label="Gottron's hands damage",
                         points=hands.damage)
    )
    return CdasiResult(
        instrument="cdasi_v2",
        total=activity,
        minimum=0,
        maximum=ACTIVITY_MAX,
        items=items,
        citations=CITATIONS,
        notes=[f"activity {activity}/100, damage {damage}/32"],
        activity=activity,
        damage=damage,
    )

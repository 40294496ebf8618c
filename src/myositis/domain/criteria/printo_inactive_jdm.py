"""PRINTO criteria for clinically inactive disease in juvenile dermatomyositis.

Lazarevic D, Pistorio A, Palmisani E, et al. The PRINTO criteria for clinically inactive disease
in juvenile dermatomyositis. Ann Rheum Dis 2013;72(5):686-693, doi:10.1136/annrheumdis-2012-201483,
PMID 22736096. Inactive disease on or off therapy: at least three of the four criteria below.

The MMT threshold is on the 0-80 MMT-8 scale; a 0-150 scale is read at the same fraction
(78/80), a project reading. The physician global (PhyGloVAS) is on a 0-10 cm scale.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from myositis.domain.types import Num

CITATION = ("Lazarevic D, et al. The PRINTO criteria for clinically inactive disease in juvenile "
            "dermatomyositis. Ann Rheum Dis 2013;72:686-693, doi:10.1136/annrheumdis-2012-201483")
CRITERIA: dict[str, tuple[str, float]] = {
    "ck_u_l": ("at most", 150.0),
    "cmas": ("at least", 48.0),
    "mmt8_of_80": ("at least", 78.0),
    "physician_global_cm": ("at most", 0.2),
}
"""The published table: measure, direction and cut-off."""
REQUIRED = 3


class PrintoMeasures(BaseModel):
    """The four measures at one visit; ``None`` = not measured."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ck_u_l: Num | None = None
    cmas: Num | None = None
    mmt8_of_80: Num | None = None
    physician_global_cm: Num | None = None


def met(measures: PrintoMeasures) -> tuple[int, int]:
    """(criteria met, criteria measured)."""
    count = measured = 0
    for name, (direction, cut) in CRITERIA.items():
        value = getattr(measures, name)
        if value is None:
            continue
        measured += 1
        count += value <= cut if direction == "at most" else value >= cut
    return count, measured


def inactive(measures: PrintoMeasures) -> bool | None:
    """True with three or more criteria met, False when three can no longer be met, None when
    the unmeasured ones decide it."""
    count, measured = met(measures)
    if count >= REQUIRED:
        return True
    if count + (len(CRITERIA) - measured) < REQUIRED:
        return False
    return None

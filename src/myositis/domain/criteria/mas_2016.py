"""2016 EULAR/ACR/PRINTO classification criteria for macrophage activation syndrome (MAS).

Ravelli A, Minoia F, Davi S, et al. 2016 Classification Criteria for Macrophage Activation
Syndrome Complicating Systemic Juvenile Idiopathic Arthritis. Arthritis Rheumatol
2016;68(3):566-576, doi:10.1002/art.39332 (also Ann Rheum Dis 2016;75:481-489). A febrile
patient is classified as having MAS with ferritin above 684 ng/mL and any two of the four
laboratory criteria below.

The criteria were developed in systemic JIA, not in myositis: the care plan uses them to raise
the question in a febrile patient with myositis (juvenile DM especially), not to settle it.
Units: triglycerides 156 mg/dL = 1.76 mmol/L; fibrinogen 360 mg/dL = 3.6 g/L (the record's
units).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from myositis.domain.types import Num

CITATION = ("Ravelli A, et al. 2016 Classification Criteria for Macrophage Activation Syndrome "
            "Complicating Systemic Juvenile Idiopathic Arthritis. Arthritis Rheumatol "
            "2016;68:566-576, doi:10.1002/art.39332")
FERRITIN_ABOVE_NG_ML = 684.0
CRITERIA: dict[str, tuple[str, float]] = {
    "platelets_10e9_l": ("at most", 181.0),
    "ast_u_l": ("above", 48.0),
    "triglycerides_mmol_l": ("above", 1.76),
    "fibrinogen_g_l": ("at most", 3.6),
}
"""The published table: measure, direction and cut-off (in the record's units)."""
REQUIRED = 2


class MasMeasures(BaseModel):
    """Fever, ferritin and the four laboratory criteria; ``None`` = not measured."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fever: bool | None = None
    ferritin_ng_ml: Num | None = None
    platelets_10e9_l: Num | None = None
    ast_u_l: Num | None = None
    triglycerides_mmol_l: Num | None = None
    fibrinogen_g_l: Num | None = None


def criteria_met(measures: MasMeasures) -> list[str]:
    """The laboratory criteria met, by name."""
    out = []
    for name, (direction, cut) in CRITERIA.items():
        value = getattr(measures, name)
        if value is not None and (value <= cut if direction == "at most" else value > cut):
            out.append(name)
    return out


def classified(measures: MasMeasures) -> bool | None:
    """True when febrile with ferritin above 684 and two criteria met; False when fever or the
    ferritin is recorded absent or two criteria can no longer be met; None when unmeasured
    values decide it."""
    if measures.fever is False or (measures.ferritin_ng_ml is not None
                                   and measures.ferritin_ng_ml <= FERRITIN_ABOVE_NG_ML):
        return False
    met = len(criteria_met(measures))
    unmeasured = sum(getattr(measures, name) is None for name in CRITERIA)
    if met + unmeasured < REQUIRED:
        return False
    if measures.fever is None or measures.ferritin_ng_ml is None or met < REQUIRED:
        return None
    return True

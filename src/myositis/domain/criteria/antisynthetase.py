"""Antisynthetase syndrome: Solomon 2011 and Connors 2010.

Solomon J, Swigris JJ, Brown KK. J Bras Pneumol 2011;37:100-109 (PMID 21390438): anti-ARS plus
two major (ILD; PM/DM by Bohan & Peter) or one major and two minor (arthritis, Raynaud,
mechanic's hands). Rule agreed by two secondary sources.

Connors GR, et al. Chest 2010;138:1464-1474 (doi:10.1378/chest.10-0180): anti-ARS plus at least
one of ILD, arthritis, Raynaud, mechanic's hands, unexplained fever; one secondary source says
myositis is not in the list, other descriptions include it, so ``connors_counts_myositis`` is a
parameter and the result says which reading was used.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.types import Bool

SOLOMON = "Solomon J, et al. J Bras Pneumol 2011;37:100-109 (PMID 21390438)"
CONNORS = "Connors GR, et al. Chest 2010;138:1464-1474 (doi:10.1378/chest.10-0180)"


class AsysInput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    anti_synthetase: Bool | None = None
    ild: Bool = False
    myositis: Bool = False
    arthritis: Bool = False
    raynaud: Bool = False
    mechanics_hands: Bool = False
    fever: Bool = False


def solomon(data: AsysInput) -> CriteriaResult:
    major = [n for n in ("ild", "myositis") if getattr(data, n)]
    minor = [n for n in ("arthritis", "raynaud", "mechanics_hands") if getattr(data, n)]
    base = CriteriaResult(criteria="Solomon 2011 ASyS", met=None, citation=SOLOMON,
                          confirmed=True)
    if data.anti_synthetase is None:
        return base.model_copy(update={"missing": ["anti-synthetase antibodies"]})
    met = data.anti_synthetase and (len(major) >= 2 or (len(major) == 1 and len(minor) >= 2))
    return base.model_copy(update={"met": met, "reasons": [
        f"major: {', '.join(major) or 'none'}; minor: {', '.join(minor) or 'none'}"]})


def connors(data: AsysInput, connors_counts_myositis: bool = True) -> CriteriaResult:
    items = ["ild", "arthritis", "raynaud", "mechanics_hands", "fever"]
    if connors_counts_myositis:
        items.append("myositis")
    found = [n for n in items if getattr(data, n)]
    base = CriteriaResult(criteria="Connors 2010 ASyS", met=None, citation=CONNORS,
                          confirmed=False,
                          notes=["Feature list from one secondary source; myositis "
                                 + ("counted" if connors_counts_myositis else "not counted")])
    if data.anti_synthetase is None:
        return base.model_copy(update={"missing": ["anti-synthetase antibodies"]})
    return base.model_copy(update={"met": bool(data.anti_synthetase and found),
                                   "reasons": [f"features: {', '.join(found) or 'none'}"]})

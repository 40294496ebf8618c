"""ENMC 2011 (188th workshop) diagnostic criteria for inclusion body myositis.

Rose MR; ENMC IBM Working Group. Neuromuscul Disord 2013;23(12):1044-1055. Table read from two
open-access reproductions that agree item by item (PMC4405277 Table 1; Machado 2014, PMC4233319
Table 2). Anti-cN1A and steroid unresponsiveness are not part of the criteria.

Core: weakness duration > 12 months, age at onset > 45 years, CK <= 15 x ULN.
KE: knee-extension weakness >= hip-flexion weakness. FF: finger-flexion weakness >
shoulder-abduction weakness. Pathology: (1) endomysial infiltrate, (2) MHC-I up-regulation,
(3) rimmed vacuoles, (4) protein accumulation or 15-18 nm filaments.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.criteria.result import CriteriaResult
from myositis.domain.types import Bool, Num

CITATION = ("Rose MR; ENMC IBM Working Group. 188th ENMC International Workshop: Inclusion Body "
            "Myositis. Neuromuscul Disord 2013;23:1044-1055")
MIN_DURATION_MONTHS = 12  # strictly greater
MIN_AGE_AT_ONSET = 45  # strictly greater
MAX_CK_X_ULN = 15  # at most
PATHOLOGY = ("endomysial_infiltrate", "mhc1_upregulation", "rimmed_vacuoles", "protein_aggregates")


class IbmInput(BaseModel):
    """The criteria's items; ``None`` = not recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age_at_onset: Num | None = Field(default=None, ge=0, le=120, description="years, 0-120")
    weakness_duration_months: Num | None = Field(default=None, ge=0, le=1200)
    ck_x_uln: Num | None = Field(default=None, ge=0, le=10_000, description="CK / ULN")
    knee_extension_weaker_or_equal_hip_flexion: Bool | None = None
    finger_flexion_weaker_than_shoulder_abduction: Bool | None = None
    endomysial_infiltrate: Bool | None = None
    mhc1_upregulation: Bool | None = None
    rimmed_vacuoles: Bool | None = None
    protein_aggregates: Bool | None = None


def assess(data: IbmInput) -> CriteriaResult:
    missing = [name for name in ("age_at_onset", "weakness_duration_months", "ck_x_uln")
               if getattr(data, name) is None]
    result = CriteriaResult(criteria="ENMC 2011 IBM", met=None, citation=CITATION,
                            confirmed=True, missing=missing)
    core_fail = []
    if data.age_at_onset is not None and not data.age_at_onset > MIN_AGE_AT_ONSET:
        core_fail.append(f"age at onset {data.age_at_onset:g} is not over {MIN_AGE_AT_ONSET}")
    if data.weakness_duration_months is not None and \
            not data.weakness_duration_months > MIN_DURATION_MONTHS:
        core_fail.append(f"weakness for {data.weakness_duration_months:g} months, not over "
                         f"{MIN_DURATION_MONTHS}")
    if data.ck_x_uln is not None and not data.ck_x_uln <= MAX_CK_X_ULN:
        core_fail.append(f"CK {data.ck_x_uln:g} x ULN is above {MAX_CK_X_ULN} x ULN")
    ke = data.knee_extension_weaker_or_equal_hip_flexion
    ff = data.finger_flexion_weaker_than_shoulder_abduction
    features = {name: getattr(data, name) for name in PATHOLOGY}
    present = [name for name, value in features.items() if value is True]
    if core_fail:
        return result.model_copy(update={"met": False, "reasons": core_fail, "missing": []})
    if ke is False and ff is False:
        return result.model_copy(update={"met": False, "missing": [], "reasons": [
            "neither the knee-extension nor the finger-flexion weakness pattern"]})
    if missing:
        return result
    reasons = [f"pathology: {', '.join(present) or 'none recorded'}"]
    pattern = [p for p, v in (("KE", ke), ("FF", ff)) if v is True]
    if (ke or ff) and {"endomysial_infiltrate", "rimmed_vacuoles",
                       "protein_aggregates"} <= set(present):
        category = "clinico-pathologically defined IBM"
    elif ke is True and ff is True and 1 <= len(present) <= 3:
        category = "clinically defined IBM"
    elif (ke or ff) and 1 <= len(present) <= 3:
        category = "probable IBM"
    else:
        unknown = [f"biopsy.{n}" for n, v in features.items() if v is None]
        pattern_unknown = [n for n, v in (("ibm_pattern.knee_extension_weaker_or_equal_hip_flexion",
                                           ke), ("ibm_pattern.finger_flexion_weaker_than_shoulder_"
                                                 "abduction", ff)) if v is None]
        if (not present and unknown) or (not pattern and pattern_unknown):
            return result.model_copy(update={"missing": unknown + pattern_unknown,
                                             "reasons": reasons})
        return result.model_copy(update={"met": False, "reasons": reasons})
    return result.model_copy(update={"met": True, "category": category,
                                     "reasons": [f"weakness pattern {' and '.join(pattern)}",
                                                 *reasons]})

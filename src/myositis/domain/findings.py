"""Clinical and muscle-biopsy findings, named as the criteria and the care-plan rules read them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.types import Bool


class Weakness(BaseModel):
    """Objective (MMT or other strength testing) weakness items of the EULAR/ACR 2017 criteria."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proximal_upper: Bool = False
    proximal_lower: Bool = False
    neck_flexors_weaker_than_extensors: Bool = False
    legs_proximal_weaker_than_distal: Bool = False

    def any(self) -> bool:
        return any(self.model_dump().values())


class SkinFindings(BaseModel):
    """The three scored DM skin signs plus the extra features the care-plan rules use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heliotrope_rash: Bool = False
    gottron_papules: Bool = False
    gottron_sign: Bool = False
    mechanics_hands: Bool = False
    v_sign_or_shawl_sign: Bool = False
    cutaneous_ulceration: Bool = Field(
        default=False, description="vasculopathic skin ulcers (a marker of severe disease); an "
                                   "ulcer over a calcinosis deposit is recorded on the deposit "
                                   "(organs.calcinosis_lesions[].ulcerated), not here")
    calcinosis: Bool = False
    periungual_changes: Bool = False
    photosensitivity: Bool = False

    def any_dm_hallmark(self) -> bool:
        return self.heliotrope_rash or self.gottron_papules or self.gottron_sign

    def hallmarks_recorded_absent(self) -> bool:
        """At least one DM skin sign explicitly recorded as absent, and none present: the
        defaults (False) alone mean "not recorded", never "absent"."""
        stated = {"heliotrope_rash", "gottron_papules", "gottron_sign"} & self.model_fields_set
        return bool(stated) and not self.any_dm_hallmark()


class BiopsyFindings(BaseModel):
    """Muscle-biopsy features: the four scored by EULAR/ACR 2017 and others that guide work-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    endomysial_infiltrate: Bool = False
    perimysial_or_perivascular_infiltrate: Bool = False
    perifascicular_atrophy: Bool = False
    rimmed_vacuoles: Bool = False
    necrotising_predominant: Bool = False


class SystemicFindings(BaseModel):
    """Extramuscular features used for risk flags and work-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dysphagia: Bool = False
    interstitial_lung_disease: Bool = False
    rapidly_progressive_ild_suspected: Bool = False
    dyspnoea_or_cough: Bool = False
    raynaud: Bool = False
    arthritis: Bool = False
    fever: Bool = False
    cardiac_symptoms: Bool = False
    finger_flexor_weakness: Bool = False
    distal_weakness: Bool = False
    rapid_onset: Bool = False

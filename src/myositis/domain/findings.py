"""Clinical and muscle-biopsy findings, named as the criteria and the care-plan rules read them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Weakness(BaseModel):
    """Objective (MMT or other strength testing) weakness items of the EULAR/ACR 2017 criteria."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proximal_upper: bool = False
    proximal_lower: bool = False
    neck_flexors_weaker_than_extensors: bool = False
    legs_proximal_weaker_than_distal: bool = False

    def any(self) -> bool:
        return any(self.model_dump().values())


class SkinFindings(BaseModel):
    """The three scored DM skin signs plus the extra features the care-plan rules use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heliotrope_rash: bool = False
    gottron_papules: bool = False
    gottron_sign: bool = False
    mechanics_hands: bool = False
    v_sign_or_shawl_sign: bool = False
    cutaneous_ulceration: bool = False
    calcinosis: bool = False
    periungual_changes: bool = False
    photosensitivity: bool = False

    def any_dm_hallmark(self) -> bool:
        return self.heliotrope_rash or self.gottron_papules or self.gottron_sign


class BiopsyFindings(BaseModel):
    """Muscle-biopsy features: the four scored by EULAR/ACR 2017 and others that guide work-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    endomysial_infiltrate: bool = False
    perimysial_or_perivascular_infiltrate: bool = False
    perifascicular_atrophy: bool = False
    rimmed_vacuoles: bool = False
    necrotising_predominant: bool = False


class SystemicFindings(BaseModel):
    """Extramuscular features used for risk flags and work-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dysphagia: bool = False
    interstitial_lung_disease: bool = False
    rapidly_progressive_ild_suspected: bool = False
    dyspnoea_or_cough: bool = False
    raynaud: bool = False
    arthritis: bool = False
    fever: bool = False
    cardiac_symptoms: bool = False
    finger_flexor_weakness: bool = False
    distal_weakness: bool = False
    rapid_onset: bool = False

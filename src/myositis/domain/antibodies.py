"""Myositis-specific (MSA) and myositis-associated (MAA) autoantibodies and their results."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Antibody(StrEnum):
    """Every antibody the domain knows; the value is the identifier used in files and the API."""

    JO1 = "jo1"
    PL7 = "pl7"
    PL12 = "pl12"
    EJ = "ej"
    OJ = "oj"
    KS = "ks"
    ZO = "zo"
    HA = "ha"
    MI2 = "mi2"
    MDA5 = "mda5"
    TIF1G = "tif1g"
    NXP2 = "nxp2"
    SAE = "sae"
    SRP = "srp"
    HMGCR = "hmgcr"
    CN1A = "cn1a"
    RO52 = "ro52"
    PMSCL = "pmscl"
    KU = "ku"
    U1RNP = "u1rnp"


ANTISYNTHETASE: frozenset[Antibody] = frozenset(
    {Antibody.JO1, Antibody.PL7, Antibody.PL12, Antibody.EJ, Antibody.OJ, Antibody.KS,
     Antibody.ZO, Antibody.HA}
)
MYOSITIS_ASSOCIATED: frozenset[Antibody] = frozenset(
    {Antibody.RO52, Antibody.PMSCL, Antibody.KU, Antibody.U1RNP}
)
MYOSITIS_SPECIFIC: frozenset[Antibody] = frozenset(set(Antibody) - MYOSITIS_ASSOCIATED)

DISPLAY_NAMES: dict[Antibody, str] = {
    Antibody.JO1: "anti-Jo-1", Antibody.PL7: "anti-PL-7", Antibody.PL12: "anti-PL-12",
    Antibody.EJ: "anti-EJ", Antibody.OJ: "anti-OJ", Antibody.KS: "anti-KS", Antibody.ZO: "anti-Zo",
    Antibody.HA: "anti-Ha", Antibody.MI2: "anti-Mi-2", Antibody.MDA5: "anti-MDA5",
    Antibody.TIF1G: "anti-TIF1-gamma", Antibody.NXP2: "anti-NXP2", Antibody.SAE: "anti-SAE",
    Antibody.SRP: "anti-SRP", Antibody.HMGCR: "anti-HMGCR", Antibody.CN1A: "anti-cN1A",
    Antibody.RO52: "anti-Ro52", Antibody.PMSCL: "anti-PM/Scl", Antibody.KU: "anti-Ku",
    Antibody.U1RNP: "anti-U1-RNP",
}

AntibodyStatus = Literal["positive", "negative", "not_tested"]
SemiQuantitativeLevel = Literal["weak", "moderate", "strong"]


class AntibodyResult(BaseModel):
    """One antibody test. ``level`` is the line-blot style grade (weak +, moderate ++, strong +++)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: AntibodyStatus = "not_tested"
    level: SemiQuantitativeLevel | None = Field(
        default=None, description="semi-quantitative level; only meaningful when positive"
    )


def _not_tested() -> AntibodyResult:
    return AntibodyResult()


class AntibodyProfile(BaseModel):
    """Results for every MSA and MAA; an antibody not given is 'not tested', never 'negative'."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jo1: AntibodyResult = Field(default_factory=_not_tested)
    pl7: AntibodyResult = Field(default_factory=_not_tested)
    pl12: AntibodyResult = Field(default_factory=_not_tested)
    ej: AntibodyResult = Field(default_factory=_not_tested)
    oj: AntibodyResult = Field(default_factory=_not_tested)
    ks: AntibodyResult = Field(default_factory=_not_tested)
    zo: AntibodyResult = Field(default_factory=_not_tested)
    ha: AntibodyResult = Field(default_factory=_not_tested)
    mi2: AntibodyResult = Field(default_factory=_not_tested)
    mda5: AntibodyResult = Field(default_factory=_not_tested)
    tif1g: AntibodyResult = Field(default_factory=_not_tested)
    nxp2: AntibodyResult = Field(default_factory=_not_tested)
    sae: AntibodyResult = Field(default_factory=_not_tested)
    srp: AntibodyResult = Field(default_factory=_not_tested)
    hmgcr: AntibodyResult = Field(default_factory=_not_tested)
    cn1a: AntibodyResult = Field(default_factory=_not_tested)
    ro52: AntibodyResult = Field(default_factory=_not_tested)
    pmscl: AntibodyResult = Field(default_factory=_not_tested)
    ku: AntibodyResult = Field(default_factory=_not_tested)
    u1rnp: AntibodyResult = Field(default_factory=_not_tested)

    def result(self, antibody: Antibody) -> AntibodyResult:
        value: AntibodyResult = getattr(self, antibody.value)
        return value

    def positive(self) -> frozenset[Antibody]:
        return frozenset(a for a in Antibody if self.result(a).status == "positive")

    def is_positive(self, antibody: Antibody) -> bool:
        return self.result(antibody).status == "positive"

    def tested_any_msa(self) -> bool:
        return any(self.result(a).status != "not_tested" for a in MYOSITIS_SPECIFIC)

    def msa_negative(self) -> bool:
        """Tested for MSAs and none positive (seronegative for the tested panel)."""
        return self.tested_any_msa() and not (self.positive() & MYOSITIS_SPECIFIC)

"""Input profile and output plan of the care-plan engine."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.antibodies import AntibodyProfile
from myositis.domain.findings import SkinFindings, SystemicFindings
from myositis.domain.instruments.eular_acr_2017 import EularAcrInput, EularAcrResult
from myositis.domain.labs import Labs
from myositis.domain.patient import Medication, Sex
from myositis.domain.types import Bool, Num

Urgency = Literal["urgent", "soon", "routine"]
WorkupCode = Literal[
    "antibody_panel", "muscle_enzymes", "mri_emg", "muscle_biopsy", "hrct_pft", "swallowing",
    "cardiac", "capillaroscopy",
]

DISCLAIMER = (
    "Decision support for clinicians: this plan lists options and their evidence; it does not "
    "prescribe. Verify each statement against its cited source and the patient's full context."
)


class Comorbidities(BaseModel):
    """Conditions that change which options are safe. Codes match the knowledge base."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pregnancy: Bool = False
    planning_pregnancy: Bool = False
    breastfeeding: Bool = False
    active_infection: Bool = False
    hbv_surface_antigen: Bool = False
    hbv_core_antibody: Bool = False
    latent_tb: Bool = False
    active_malignancy: Bool = False
    thrombosis_history: Bool = False
    tpmt_deficiency: Bool = False
    iga_deficiency: Bool = False
    renal_impairment: Bool = False
    hepatic_impairment: Bool = False
    heart_failure: Bool = False
    cardiovascular_risk: Bool = False

    def active(self) -> set[str]:
        return {name for name, value in self.model_dump().items() if value}


class CarePlanInput(BaseModel):
    """Everything the engine reads about one patient (all synthetic in this repository)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    label: str = ""
    sex: Sex = "unknown"
    months_since_onset: Num = Field(default=0, ge=0, le=1200, description="0-1200")
    classification: EularAcrInput
    skin: SkinFindings = Field(default_factory=SkinFindings)
    systemic: SystemicFindings = Field(default_factory=SystemicFindings)
    antibodies: AntibodyProfile = Field(default_factory=AntibodyProfile)
    labs: Labs = Field(default_factory=Labs)
    necrotising_biopsy: Bool = False
    statin_exposure: Bool = False
    skin_refractory: Bool = Field(
        default=False, description="active skin disease despite adequate treatment"
    )
    persistent_high_activity: Bool = False
    treatments: list[Medication] = Field(default_factory=list)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    workup_done: list[WorkupCode] = Field(default_factory=list)
    nasopharyngeal_carcinoma_region: Bool = False
    today: dt.date | None = None


class Citation(BaseModel):
    key: str
    citation: str
    identifiers: str
    confirmed: Bool


class Flag(BaseModel):
    code: str
    urgency: Urgency
    text: str
    basis: list[str] = Field(default_factory=list, description="knowledge-base entry ids")
    citations: list[str] = Field(default_factory=list, description="source keys")


class WorkupItem(BaseModel):
    code: str
    title: str
    reason: str
    urgency: Urgency
    kb_entry: str
    evidence_level: str
    citations: list[str]


class ScreeningFactor(BaseModel):
    factor: str
    level: str
    text: str


class CancerScreening(BaseModel):
    risk: Literal["standard", "moderate", "high"]
    applicable: Bool
    factors: list[ScreeningFactor]
    tests_due: list[str]
    schedule: str
    additional: list[str]
    notes: list[str]
    kb_entry: str = "cancer_screening"
    citations: list[str]


class Caution(BaseModel):
    condition: str
    severity: str
    text: str
    citations: list[str]


class Check(BaseModel):
    text: str
    kb_entry: str
    citations: list[str]


class Option(BaseModel):
    therapy: str
    name: str
    line: str
    complications: list[str]
    evidence_level: str
    investigational: Bool
    rationale: str
    citations: list[str]
    cautions: list[Caution] = Field(default_factory=list)
    before_starting: list[Check] = Field(default_factory=list)
    monitoring: list[Check] = Field(default_factory=list)
    previously: str | None = None
    kb_entry: str


class Withheld(BaseModel):
    therapy: str
    name: str
    reason: str
    citations: list[str]
    kb_entry: str


class CareItem(BaseModel):
    id: str
    title: str
    text: str
    evidence_level: str
    citations: list[str]


class CarePlan(BaseModel):
    patient_id: str
    label: str
    generated_on: dt.date
    disclaimer: str = DISCLAIMER
    classification: EularAcrResult
    phenotypes: list[str]
    flags: list[Flag]
    workup: list[WorkupItem]
    cancer_screening: CancerScreening
    options: list[Option]
    withheld: list[Withheld]
    not_recommended: list[Withheld]
    non_drug: list[CareItem]
    sources: dict[str, Citation]
    knowledge_base_version: str

"""Clinic record schemas shared by the database adapter, the API and the pages.

Ranges are the domain's, so a bad value is refused at the boundary with its field named.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from myositis.domain.antibodies import AntibodyProfile
from myositis.domain.findings import SkinFindings, SystemicFindings
from myositis.domain.instruments.eular_acr_2017 import EularAcrInput
from myositis.domain.labs import Labs
from myositis.domain.patient import Medication, Sex
from myositis.domain.types import Bool, Int, Num
from myositis.services.careplan.model import Comorbidities, WorkupCode


class PatientProfile(BaseModel):
    """The clinical picture the classification and care plan read (no identifying data)."""

    model_config = ConfigDict(extra="forbid")

    classification: EularAcrInput
    skin: SkinFindings = Field(default_factory=SkinFindings)
    systemic: SystemicFindings = Field(default_factory=SystemicFindings)
    antibodies: AntibodyProfile = Field(default_factory=AntibodyProfile)
    necrotising_biopsy: Bool = False
    statin_exposure: Bool | None = None
    skin_refractory: Bool = False
    persistent_high_activity: Bool = False
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    workup_done: list[WorkupCode] = Field(default_factory=list)


class Identity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, max_length=200)
    date_of_birth: dt.date | None = None
    record_number: str | None = Field(default=None, max_length=64)


class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pseudonym: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    synthetic: Bool = True
    sex: Sex = "unknown"
    symptom_onset: dt.date | None = None
    profile: PatientProfile
    identity: Identity | None = None


class PatientUpdate(PatientIn):
    version: Int = Field(ge=1, description="the version you read; a stale one answers 409")


class VisitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    physician_global: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    patient_global: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    extramuscular_global: Num | None = Field(default=None, ge=0, le=10,
                                               description="VAS cm 0-10")
    mmt8: Num | None = Field(default=None, ge=0, le=150, description="MMT-8 0-80 (or 0-150)")
    mmt_max: Literal[80, 150] = 80
    haq: Num | None = Field(default=None, ge=0, le=3, description="HAQ-DI 0-3")
    cdasi_activity: Num | None = Field(default=None, ge=0, le=100, description="0-100")
    cdasi_damage: Num | None = Field(default=None, ge=0, le=32, description="0-32")
    glucocorticoid_mg_per_day: Num | None = Field(default=None, ge=0, le=2000,
                                                    description="prednisone equivalent 0-2000")
    labs: Labs = Field(default_factory=Labs)
    medications: list[Medication] = Field(default_factory=list)
    notes: str | None = Field(default=None, max_length=4000)


class VisitUpdate(VisitIn):
    version: Int = Field(ge=1)


class VisitOut(VisitIn):
    id: Int
    patient_id: Int
    version: Int


class PatientOut(BaseModel):
    id: Int
    pseudonym: str
    synthetic: Bool
    sex: Sex
    symptom_onset: dt.date | None
    profile: PatientProfile
    identity: Identity | None = None
    version: Int


class PatientSummary(BaseModel):
    id: Int
    pseudonym: str
    synthetic: Bool
    subgroup: str | None
    category: str
    visits: Int
    last_visit: dt.date | None
    flags: list[str]


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive timestamps; they are UTC (CURRENT_TIMESTAMP)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


UtcDateTime = Annotated[dt.datetime | None, AfterValidator(_as_utc)]


class PlanSnapshotOut(BaseModel):
    """A care plan as it was shown and saved on a date: kept verbatim, never recomputed."""

    id: Int
    patient_id: Int
    created_at: UtcDateTime
    created_by: str


class PlanSnapshot(PlanSnapshotOut):
    plan: dict[str, Any]

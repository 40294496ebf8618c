"""Patient, medications and visits: the records the instruments and care plan read.

Every range is enforced at the boundary so that an impossible value (a VAS of 12 cm, an MMT-8 of
90/80, a negative CK, an onset after the visit) is rejected with the field and its allowed range.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.antibodies import AntibodyProfile
from myositis.domain.findings import BiopsyFindings, SkinFindings, SystemicFindings, Weakness
from myositis.domain.labs import Labs
from myositis.domain.types import Bool, Int, Num

Sex = Literal["female", "male", "other", "unknown"]


class Patient(BaseModel):
    """A pseudonymous patient. Either ``date_of_birth`` or ``age_years`` is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, description="synthetic/pseudonymous identifier")
    synthetic: Bool = Field(default=True, description="True for demo and test data")
    sex: Sex = "unknown"
    date_of_birth: dt.date | None = None
    age_years: Int | None = Field(default=None, ge=0, le=120, description="age in years, 0-120")
    symptom_onset: dt.date | None = None

    @model_validator(mode="after")
    def _dates_consistent(self) -> Self:
        if self.date_of_birth is None and self.age_years is None:
            raise ValueError("date_of_birth or age_years is required")
        if (
            self.date_of_birth is not None
            and self.symptom_onset is not None
            and self.symptom_onset < self.date_of_birth
        ):
            raise ValueError("symptom_onset must not be before date_of_birth")
        return self

    def age_on(self, when: dt.date) -> int | None:
        if self.date_of_birth is None:
            return self.age_years
        born = self.date_of_birth
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))

    def age_at_onset(self) -> int | None:
        if self.symptom_onset is not None and self.date_of_birth is not None:
            return self.age_on(self.symptom_onset)
        return self.age_years


class Medication(BaseModel):
    """A course of a drug; ``therapy`` is the knowledge-base id (e.g. ``methotrexate``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    therapy: str = Field(min_length=1, max_length=64)
    dose: str | None = Field(default=None, max_length=120)
    start: dt.date | None = None
    stop: dt.date | None = None
    outcome: Literal["ongoing", "effective", "ineffective", "not_tolerated", "unknown"] = "unknown"

    @model_validator(mode="after")
    def _stop_after_start(self) -> Self:
        if self.start and self.stop and self.stop < self.start:
            raise ValueError("stop must not be before start")
        return self


class CoreSetMeasures(BaseModel):
    """IMACS core set activity measures at one visit (all optional; ranges enforced)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    physician_global: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    patient_global: Num | None = Field(default=None, ge=0, le=10, description="VAS cm 0-10")
    extramuscular_global: Num | None = Field(
        default=None, ge=0, le=10, description="VAS cm 0-10"
    )
    mmt8: Num | None = Field(default=None, ge=0, le=150, description="MMT-8 total")
    mmt_max: Literal[80, 150] = Field(default=80, description="80 unilateral or 150 bilateral")
    cmas: Int | None = Field(default=None, ge=0, le=52, description="CMAS 0-52")
    haq: Num | None = Field(default=None, ge=0, le=3, description="HAQ-DI 0-3")
    chaq: Num | None = Field(default=None, ge=0, le=3, description="CHAQ 0-3")

    @model_validator(mode="after")
    def _mmt_within_max(self) -> Self:
        if self.mmt8 is not None and self.mmt8 > self.mmt_max:
            raise ValueError(f"mmt8 must be between 0 and mmt_max ({self.mmt_max})")
        return self


class Visit(BaseModel):
    """One clinic visit: core set measures, skin scores, labs, findings and medication."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    core_set: CoreSetMeasures = Field(default_factory=CoreSetMeasures)
    cdasi_activity: Num | None = Field(default=None, ge=0, le=100, description="CDASI 0-100")
    cdasi_damage: Num | None = Field(default=None, ge=0, le=32, description="CDASI 0-32")
    labs: Labs = Field(default_factory=Labs)
    glucocorticoid_mg_per_day: Num | None = Field(
        default=None, ge=0, le=2000, description="prednisone equivalent mg/day, 0-2000"
    )
    medications: list[Medication] = Field(default_factory=list)
    notes: str | None = Field(default=None, max_length=4000)


class ClinicalProfile(BaseModel):
    """Everything known about a patient's disease at a point in time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weakness: Weakness = Field(default_factory=Weakness)
    skin: SkinFindings = Field(default_factory=SkinFindings)
    systemic: SystemicFindings = Field(default_factory=SystemicFindings)
    antibodies: AntibodyProfile = Field(default_factory=AntibodyProfile)
    biopsy: BiopsyFindings | None = None
    improved_with_treatment: Bool | None = None


class PatientRecord(BaseModel):
    """A patient with their profile and visits in date order; checks dates across them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patient: Patient
    profile: ClinicalProfile = Field(default_factory=ClinicalProfile)
    visits: list[Visit] = Field(default_factory=list)

    @model_validator(mode="after")
    def _visits_after_onset(self) -> Self:
        onset = self.patient.symptom_onset
        for index, visit in enumerate(self.visits):
            if onset is not None and visit.date < onset:
                raise ValueError(
                    f"visits[{index}].date {visit.date} is before symptom_onset {onset}; "
                    "symptom onset must not be after a visit"
                )
        dates = [v.date for v in self.visits]
        if dates != sorted(dates):
            raise ValueError("visits must be in date order")
        return self

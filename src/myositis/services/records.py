"""Clinic record schemas shared by the database adapter, the API and the pages.

Ranges are the domain's, so a bad value is refused at the boundary with its field named.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from myositis.domain.antibodies import AntibodyProfile
from myositis.domain.findings import SkinFindings, SystemicFindings
from myositis.domain.instruments import cdasi, haq, mmt
from myositis.domain.instruments.cdasi import CdasiInput
from myositis.domain.instruments.eular_acr_2017 import EularAcrInput
from myositis.domain.instruments.haq import HaqInput
from myositis.domain.instruments.mmt import MMT8Input
from myositis.domain.labs import Labs
from myositis.domain.patient import Medication, Sex
from myositis.domain.record_sections import (
    AntibodyTest,
    CancerHistory,
    Diagnosis,
    IbmPattern,
    Immunogenetics,
    InfectionScreening,
    InteractingMedicine,
    LabResult,
    Lung,
    MuscleBiopsy,
    Organs,
    Preferences,
    Prophylaxis,
    Reproduction,
    ScreeningTest,
    Treatment,
    Vaccination,
)
from myositis.domain.types import Bool, Int, Num
from myositis.errors import MyositisError
from myositis.services.careplan.model import Comorbidities, WorkupCode
from myositis.services.worklist import DueItem


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
    # Sections of the whole record that are one per patient (dated, repeated results live in
    # their own tables: treatments, lab results, antibody results, lung measures, screening
    # tests done, vaccinations). All optional: absent means unknown, never "no".
    weight_kg: Num | None = Field(default=None, ge=0.5, le=350, description="0.5-350 kg")
    height_cm: Num | None = Field(default=None, ge=30, le=250, description="30-250 cm")
    diagnosis: Diagnosis = Field(default_factory=Diagnosis)
    biopsy: MuscleBiopsy | None = None
    ibm_pattern: IbmPattern = Field(default_factory=IbmPattern)
    organs: Organs = Field(default_factory=Organs)
    infection_screening: InfectionScreening = Field(default_factory=InfectionScreening)
    immunogenetics: Immunogenetics = Field(default_factory=Immunogenetics)
    prophylaxis: Prophylaxis = Field(default_factory=Prophylaxis)
    preferences: Preferences = Field(default_factory=Preferences)
    reproduction: Reproduction = Field(default_factory=Reproduction)
    cancer: CancerHistory = Field(default_factory=CancerHistory)
    other_medicines: list[InteractingMedicine] = Field(default_factory=list)


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
    clinician: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$",
        description="username of the responsible clinician (the worklist filters by it)")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        """The record checks the care plan applies, made at the boundary: a stored patient the
        plan refuses to read would otherwise fail every list and worklist it appears in."""
        problems: list[str] = []
        profile, today = self.profile, dt.date.today()
        if self.sex == "male" and profile.reproduction.can_become_pregnant is not True:
            if profile.reproduction.pregnant or profile.comorbidities.pregnancy:
                problems.append("profile.reproduction.pregnant: a male patient cannot be "
                                "pregnant")
            if profile.reproduction.breastfeeding:
                problems.append("profile.reproduction.breastfeeding: not applicable to a male "
                                "patient")
        dated = (("symptom_onset", self.symptom_onset),
                 ("profile.diagnosis.confirmed_on", profile.diagnosis.confirmed_on),
                 ("identity.date_of_birth",
                  self.identity.date_of_birth if self.identity else None))
        problems += [f"{name}: {when} is after today ({today})"
                     for name, when in dated if when is not None and when > today]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class PatientUpdate(PatientIn):
    version: Int = Field(ge=1, description="the version you read; a stale one answers 409")
    record_version: Int | None = Field(
        default=None, description="read-only (as returned by GET); accepted and ignored so "
                                  "that a record read can be sent back")


class VisitItems(BaseModel):
    """Item-level instruments entered on the visit grid; their totals are computed with the
    library's instruments (the same code as `myositis score`)."""

    model_config = ConfigDict(extra="forbid")

    mmt8: MMT8Input | None = None
    haq: HaqInput | None = None
    cdasi: CdasiInput | None = None


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
    medications: list[Medication] = Field(
        default_factory=list, description="legacy: stored as treatment rows of the patient")
    notes: str | None = Field(default=None, max_length=4000)
    instrument_items: VisitItems | None = Field(
        default=None, description="item-level MMT-8 and HAQ-DI; totals are computed from them")
    confirm: Bool = Field(default=False, description="save despite the warnings (a duplicate "
                                                     "date, an implausible dose)")

    @model_validator(mode="after")
    def _totals_from_items(self) -> Self:
        items = self.instrument_items
        if items is not None and items.mmt8 is not None:
            total = mmt.mmt8(items.mmt8).total
            scale: Literal[80, 150] = 150 if items.mmt8.mode == "bilateral" else 80
            if self.mmt8 is not None and self.mmt8 != total:
                raise ValueError(f"mmt8 total {self.mmt8:g} differs from the sum of its grades "
                                 f"({total:g}); correct one of them")
            self.mmt8, self.mmt_max = total, scale
        if items is not None and items.haq is not None:
            try:
                total = haq.haq_di(items.haq).total
            except MyositisError as exc:
                raise ValueError(f"haq: {exc}") from exc
            if self.haq is not None and total is not None and abs(self.haq - total) > 1e-9:
                raise ValueError(f"haq total {self.haq:g} differs from the questionnaire "
                                 f"({total:g}); correct one of them")
            self.haq = total
        if items is not None and items.cdasi is not None:
            result = cdasi.cdasi(items.cdasi)
            for name, total in (("cdasi_activity", result.activity),
                                ("cdasi_damage", result.damage)):
                given = getattr(self, name)
                if given is not None and given != total:
                    raise ValueError(f"{name} {given:g} differs from the sum of its items "
                                     f"({total}); correct one of them")
                setattr(self, name, total)
        if self.mmt8 is not None and self.mmt8 > self.mmt_max:
            raise ValueError(f"mmt8 must be between 0 and mmt_max ({self.mmt_max})")
        return self


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
    clinician: str | None = None
    version: Int
    record_version: Int = Field(default=1, description="bumped by every write to the record")


class PatientSummary(BaseModel):
    id: Int
    pseudonym: str
    synthetic: Bool
    subgroup: str | None
    category: str
    visits: Int
    last_visit: dt.date | None
    flags: list[str]
    diagnosis: str | None = Field(default=None, description="clinician-confirmed subgroup")
    antibodies: list[str] = Field(default_factory=list, description="positive antibodies")
    therapies: list[str] = Field(default_factory=list, description="current treatments")
    due: list[DueItem] = Field(default_factory=list, description="what is due (worklist items)")
    clinician: str | None = Field(default=None, description="responsible clinician")


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


class LungMeasure(Lung):
    """A dated lung assessment: the latest is the lung summary the care plan reads, the series
    shows a decline in FVC or DLCO."""

    date: dt.date


class TreatmentOut(Treatment):
    id: Int


class LabResultOut(LabResult):
    id: Int
    loinc: str | None = None


class AntibodyResultOut(AntibodyTest):
    id: Int


class LungMeasureOut(LungMeasure):
    id: Int


class ScreeningTestOut(ScreeningTest):
    id: Int


class VaccinationOut(Vaccination):
    id: Int


class RecordEntries(BaseModel):
    """A patient's dated, repeated record entries, each kept as rows in its own table."""

    treatments: list[TreatmentOut] = Field(default_factory=list)
    lab_results: list[LabResultOut] = Field(default_factory=list)
    antibody_results: list[AntibodyResultOut] = Field(default_factory=list)
    lung_measures: list[LungMeasureOut] = Field(default_factory=list)
    screening_tests: list[ScreeningTestOut] = Field(default_factory=list)
    vaccinations: list[VaccinationOut] = Field(default_factory=list)
    patient_warnings: list[str] = Field(
        default_factory=list, description="warning symptoms the patient reported through the "
        "portal that no clinician has reviewed yet")


EntryKind = Literal["treatments", "lab_results", "antibody_results", "lung_measures",
                    "screening_tests", "vaccinations"]
ENTRY_INPUT: dict[str, type[BaseModel]] = {
    "treatments": Treatment, "lab_results": LabResult, "antibody_results": AntibodyTest,
    "lung_measures": LungMeasure, "screening_tests": ScreeningTest, "vaccinations": Vaccination,
}
ENTRY_OUTPUT: dict[str, type[BaseModel]] = {
    "treatments": TreatmentOut, "lab_results": LabResultOut,
    "antibody_results": AntibodyResultOut, "lung_measures": LungMeasureOut,
    "screening_tests": ScreeningTestOut, "vaccinations": VaccinationOut,
}

FlagState = Literal["open", "acknowledged", "resolved"]


class FlagOut(BaseModel):
    id: Int
    patient_id: Int
    code: str
    urgency: str
    text: str
    state: FlagState
    raised_at: UtcDateTime
    acknowledged_by: str | None = None
    acknowledged_at: UtcDateTime = None
    resolved_by: str | None = None
    resolved_at: UtcDateTime = None
    resolution: str | None = None
    version: Int


class FlagAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["acknowledge", "resolve", "reopen"]
    reason: str | None = Field(default=None, max_length=400,
                               description="why it is resolved (required to resolve)")
    version: Int = Field(ge=1)

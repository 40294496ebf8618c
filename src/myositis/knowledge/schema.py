"""Schemas of the knowledge-base files. Every statement of fact carries at least one source key.

The vocabularies (lines, phenotypes, complications, conditions, evidence levels) are closed so a
typo in a data file fails `myositis kb check` instead of silently dropping a rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

EvidenceLevel = Literal["high", "moderate", "low", "very_low"]
EVIDENCE_ORDER: dict[str, int] = {"high": 3, "moderate": 2, "low": 1, "very_low": 0}
Line = Literal["initial", "steroid_sparing", "refractory", "complication", "adjunct"]
Phenotype = Literal["dm", "adm", "pm", "imnm", "asys", "jdm", "ibm", "overlap"]
Complication = Literal[
    "rp_ild", "ild", "calcinosis", "dysphagia", "refractory_skin", "imnm_statin", "anti_hmgcr",
    "cardiac", "hypoxaemic_ild", "exertional_progressive_ild", "cancer_suspected",
    "progressive_fibrosing_ild", "severe_imnm", "skin_disease",
]
Condition = Literal[
    "pregnancy", "planning_pregnancy", "breastfeeding", "hbv_core_antibody",
    "hbv_surface_antigen", "active_infection", "latent_tb", "thrombosis_history",
    "active_malignancy", "tpmt_deficiency", "iga_deficiency", "renal_impairment",
    "hepatic_impairment", "heart_failure", "live_vaccine_recent", "cardiovascular_risk",
]
Severity = Literal["absolute", "relative", "caution"]
SourceKind = Literal[
    "guideline", "consensus", "rct", "meta_analysis", "systematic_review", "cohort",
    "case_series", "review", "label", "other",
]
Confidence = Literal["high", "medium", "low"]
SourceKeys = list[str]

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^\d{1,9}$"
NCT_PATTERN = r"^NCT\d{8}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """A citable source. ``confirmed`` is True only when its identifiers were seen in a page."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    citation: str = Field(min_length=10)
    doi: str | None = Field(default=None, pattern=DOI_PATTERN)
    pmid: str | None = Field(default=None, pattern=PMID_PATTERN)
    nct: str | None = Field(default=None, pattern=NCT_PATTERN)
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    kind: SourceKind
    confirmed: bool
    seen_at: str | None = None

    def identifiers(self) -> str:
        parts = [f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else "",
                 self.pmcid or "", self.nct or ""]
        return ", ".join(p for p in parts if p)


class Sourced(_Strict):
    text: str = Field(min_length=3)
    sources: SourceKeys = Field(min_length=1)
    first_months: int | None = Field(default=None, ge=1, le=120)
    """For a drug taken now: shown only in the first months of its course (an early reaction
    told to a patient on it for years is noise: specialist review W)."""


class Use(_Strict):
    """Where a therapy is used: line, phenotypes, complications, and why."""

    line: Line
    phenotypes: list[Phenotype] = Field(min_length=1)
    complications: list[Complication] = Field(default_factory=list)
    rationale: str = Field(min_length=3)
    evidence_level: EvidenceLevel
    sources: SourceKeys = Field(min_length=1)
    recommended: bool = True


class Trial(_Strict):
    name: str
    nct: str | None = Field(default=None, pattern=NCT_PATTERN)
    design: str
    outcome: str
    met_primary_endpoint: bool | None
    sources: SourceKeys = Field(min_length=1)


class Contraindication(_Strict):
    condition: Condition
    severity: Severity
    text: str
    sources: SourceKeys = Field(min_length=1)


PregnancyStatus = Literal["compatible", "limited_data", "contraindicated", "no_data",
                          "not_applicable"]


class ReproductiveSafety(_Strict):
    """Curated use around conception, pregnancy and breastfeeding. A therapy without this
    block, or with ``no_data``, is withheld in pregnancy by the safety rules (safe by default)."""

    pregnancy: PregnancyStatus = "no_data"
    washout: str | None = Field(default=None, description="stop this long before conception")
    paternal: Literal["compatible", "stop_before_conception", "no_data", "not_applicable"] = \
        "no_data"
    paternal_washout: str | None = None
    breastfeeding: Literal["compatible", "avoid", "no_data", "not_applicable"] = "no_data"
    sources: SourceKeys = Field(min_length=1)
    notes: str = ""


class Therapy(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    category: str
    mechanism: str
    investigational: bool
    regulatory_status: str = Field(
        description="a status without a source must start with 'Unverified:'"
    )
    regulatory_sources: SourceKeys = Field(default_factory=list)
    uses: list[Use] = Field(min_length=1)
    trials: list[Trial] = Field(default_factory=list)
    dosing: Sourced | None = None
    contraindications: list[Contraindication] = Field(default_factory=list)
    pretreatment_checks: list[Sourced] = Field(default_factory=list)
    monitoring: list[Sourced] = Field(default_factory=list)
    reproduction: ReproductiveSafety | None = None
    confidence: Confidence
    notes: str = ""
    last_reviewed: dt.date

    @model_validator(mode="after")
    def _status_sourced_or_marked(self) -> Self:
        if not self.regulatory_sources and not self.regulatory_status.startswith("Unverified:"):
            raise ValueError("regulatory_status needs regulatory_sources or an 'Unverified:' prefix")
        return self

    def source_keys(self) -> set[str]:
        keys = set(self.regulatory_sources)
        for group in (self.uses, self.trials, self.contraindications, self.pretreatment_checks,
                      self.monitoring):
            for entry in group:
                keys.update(entry.sources)
        if self.reproduction:
            keys.update(self.reproduction.sources)
        if self.dosing:
            keys.update(self.dosing.sources)
        return keys


RiskCode = Literal[
    "ild", "rp_ild", "cancer", "calcinosis", "skin_ulceration", "severe_muscle",
    "refractory_muscle", "cardiac", "dysphagia", "arthritis", "mechanics_hands", "raynaud",
]


class AntibodyRisk(_Strict):
    code: RiskCode
    level: Literal["high", "increased", "reduced"]
    text: str
    only_with: list[str] = Field(default_factory=list,
                                 description="applies only when one of these is also positive")
    sources: SourceKeys = Field(min_length=1)


class AutoantibodyEntry(_Strict):
    id: str
    name: str
    kind: Literal["msa", "maa"]
    group: Literal["antisynthetase", "dm", "imnm", "ibm", "overlap"]
    phenotype: str
    risks: list[AntibodyRisk] = Field(default_factory=list)
    imacs_factor_level: Literal["high", "intermediate", "low"] | None = None
    cancer_screening_risk: Literal["high", "moderate", "standard"] | None = None
    sources: SourceKeys = Field(min_length=1)
    confidence: Confidence
    notes: str = ""
    last_reviewed: dt.date


class GuidanceItem(_Strict):
    id: str
    title: str
    statement: str
    applies_to: list[str] = Field(default_factory=list)
    evidence_level: EvidenceLevel
    sources: SourceKeys = Field(min_length=1)
    notes: str = ""
    last_reviewed: dt.date


class RiskFactor(_Strict):
    factor: str
    kind: Literal["subtype", "antibody", "clinical"]
    level: Literal["high", "intermediate", "low"]
    text: str
    sources: SourceKeys = Field(min_length=1)
    confirmed: bool
    notes: str = ""


class RiskAssignment(_Strict):
    """How factor counts give a level; thresholds are data so a correction is a data change."""

    high_min_high_factors: int = Field(ge=1)
    moderate_min_high_factors: int = Field(ge=1)
    moderate_min_intermediate_factors: int = Field(ge=1)
    text: str
    sources: SourceKeys = Field(min_length=1)
    confirmed: bool
    notes: str = ""


class Panel(_Strict):
    items: list[str] = Field(min_length=1)
    also: str | None = None
    sources: SourceKeys = Field(min_length=1)
    confirmed: bool
    notes: str = ""


class ScheduleEntry(_Strict):
    risk: Literal["standard", "moderate", "high"]
    plan: str
    panels_at_diagnosis: list[Literal["basic", "enhanced"]]
    annual_panels: list[Literal["basic", "enhanced"]] = Field(default_factory=list)
    annual_years: int = Field(default=0, ge=0, le=10)
    sources: SourceKeys = Field(min_length=1)
    confirmed: bool
    notes: str = ""


class Modality(_Strict):
    id: str
    statement: str
    strength: str | None = None
    sources: SourceKeys = Field(min_length=1)
    confirmed: bool
    notes: str = ""


class CancerScreeningGuideline(_Strict):
    source: str
    scope: Sourced
    risk_factors: list[RiskFactor]
    risk_factor_notes: str
    risk_assignment: RiskAssignment
    panels: dict[Literal["basic", "enhanced"], Panel]
    schedule: list[ScheduleEntry]
    additional_modalities: list[Modality]
    juvenile: Sourced
    last_reviewed: dt.date


class Guidance(_Strict):
    cancer_screening: CancerScreeningGuideline
    drug_safety: list[GuidanceItem]
    ild_assessment: list[GuidanceItem]
    care: list[GuidanceItem]
    therapy_groups: dict[str, list[str]]


class DoseLimit(_Strict):
    """A lower ceiling for some patients (``doses.yaml``): below an eGFR the range's upper
    bound falls to ``high`` and the line says why, so the worked dose is never above what
    the label allows for this patient."""

    egfr_below: float | None = Field(default=None, gt=0, le=120)
    pregnant: bool = Field(default=False, description="applies in pregnancy")
    with_medicine: list[str] = Field(default_factory=list, description="applies when one of "
                                     "these record medicines is taken (an interaction)")
    thiopurine: Literal["intermediate"] | None = Field(
        default=None, description="applies when TPMT or NUDT15 is intermediate")
    age_at_least: float | None = Field(default=None, gt=0, le=120,
                                       description="applies from this age (years)")
    bsa_at_most: float | None = Field(default=None, gt=0, le=3,
                                      description="applies up to this body surface area (m2)")
    low: float | None = Field(default=None, gt=0, description="the range's lower bound then")
    high: float = Field(gt=0)
    per_kg_at_most: float | None = Field(
        default=None, gt=0, description="a ceiling per kg of body weight as well, in the "
                                        "range's own amount unit (a surface-based pulse that "
                                        "must also stay under a per-kg ceiling for age)")
    note: str = Field(min_length=5)
    sources: SourceKeys = Field(min_length=1)

    @model_validator(mode="after")
    def _condition(self) -> Self:
        """At least one condition; several apply together (an intermediate thiopurine
        genotype with allopurinol compounds both reductions)."""
        conditions = ((self.egfr_below is not None) + self.pregnant + bool(self.with_medicine)
                      + (self.thiopurine is not None) + (self.age_at_least is not None)
                      + (self.bsa_at_most is not None))
        if conditions < 1:
            raise ValueError("a limit applies below an eGFR, in pregnancy, with a medicine, "
                             "with a thiopurine genotype, from an age or up to a body surface "
                             "area (at least one)")
        return self


class DoseWeightNote(_Strict):
    """From a BMI upwards the per-kg dose is worked out on an adjusted weight (Devine ideal
    weight + 0.4 of the excess, the figure the pharmacy checks) and this note says why
    (``doses.yaml``): a headline on actual weight corrected only later in the line was read
    as the dose (specialist reviews Z4c, Z23b, Z23d)."""

    bmi_at_least: float = Field(gt=0, le=80)
    note: str = Field(min_length=5)
    sources: SourceKeys = Field(min_length=1)


class DoseRange(_Strict):
    """A weight- or surface-based dose range from a therapy's curated dosing text, as numbers
    (``doses.yaml``): the plan computes it for one patient as a check for the prescriber."""

    therapy: str
    population: Literal["adult", "child", "any"]
    context: Literal["checkpoint_inhibitor", "rapidly_progressive_ild"] | None = None
    """A setting with its own dosing (checkpoint-inhibitor myositis: ASCO 2021 grade-based
    glucocorticoid doses, not the idiopathic range; rapidly progressive ILD: the daily dose after
    pulses at the top of the range); such an entry replaces the general one."""
    basis: Literal["per_kg", "per_m2", "fixed"]
    low: float | None = Field(default=None, gt=0)
    high: float = Field(gt=0)
    unit: str = Field(min_length=1)
    max: float | None = Field(default=None, gt=0)
    note: str = ""
    limits: list[DoseLimit] = Field(default_factory=list)
    per_kg_at_most: float | None = Field(default=None, gt=0)
    """Set from the limits that apply to one patient (not curated on the range itself)."""
    weight: DoseWeightNote | None = None
    sources: SourceKeys = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


class EducationSection(_Strict):
    heading: str = Field(min_length=3)
    text: str = Field(min_length=20)


class EducationPage(_Strict):
    """A plain-language page for patients (``education.yaml``): what a condition, an antibody
    or a medicine means for them, what to watch for, and its sources. No doses: those are the
    clinic's to set."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    topic: Literal["condition", "antibody", "medicine", "living"]
    applies_to: list[str] = Field(default_factory=list,
                                  description="subgroup codes, antibody ids or therapy ids")
    title: str = Field(min_length=3)
    summary: str = Field(min_length=20)
    sections: list[EducationSection] = Field(default_factory=list)
    watch_for: list[str] = Field(default_factory=list)
    sources: SourceKeys = Field(min_length=1)
    last_reviewed: dt.date
    notes: str = ""


class Exercise(_Strict):
    """One exercise of a programme: repetitions for strength work, minutes for walking or
    cycling (one or the other)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=3)
    how: str = Field(min_length=20)
    sets: int | None = Field(default=None, ge=1, le=5)
    repetitions: int | None = Field(default=None, ge=1, le=30)
    minutes: int | None = Field(default=None, ge=1, le=90)

    @model_validator(mode="after")
    def _dose(self) -> Self:
        counted = self.sets is not None and self.repetitions is not None
        if counted == (self.minutes is not None):
            raise ValueError("give sets and repetitions, or minutes, not both")
        return self


class ExerciseProgramme(_Strict):
    """A home exercise programme for a disease phase (``exercise.yaml``): what to do, how
    hard, how to progress, when to stop, and the trials behind it. The clinic chooses and may
    adjust it; the patient reads it and logs sessions."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    phase: Literal["active", "stable", "after_flare"]
    title: str = Field(min_length=3)
    summary: str = Field(min_length=20)
    sessions_per_week: int = Field(ge=1, le=7)
    minutes_per_session: int = Field(ge=5, le=120)
    exercises: list[Exercise] = Field(min_length=1)
    effort: str = Field(min_length=20)
    progression: list[str] = Field(min_length=1)
    stop_signs: list[str] = Field(min_length=1)
    evidence_level: EvidenceLevel
    sources: SourceKeys = Field(min_length=1)
    last_reviewed: dt.date
    notes: str = ""


class SupportOrganisation(_Strict):
    """A patient organisation the portal points to (``support.yaml``). ``confirmed`` is False
    when a detail (here: the web address) was not seen on a page; the portal then says to
    check it."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=3)
    website: str = Field(pattern=r"^https://")
    region: str = Field(min_length=3)
    serves: list[Literal["adult", "juvenile", "ibm"]] = Field(min_length=1)
    services: list[str] = Field(min_length=1)
    seen_at: str = Field(min_length=5)
    confirmed: bool = True
    last_reviewed: dt.date

"""Literature and trial-registry records, as the surveillance stores and links them.

A record is either a PubMed citation (key ``PMID:<n>``) or a ClinicalTrials.gov study (key the
NCT number). Its **evidence type** comes from PubMed publication types or from the registry's
phase and design (:func:`evidence_type`), and maps to the project's one evidence scale
(:data:`LEVEL_OF_TYPE`, the scale in the README: high = phase 3 RCT or meta-analysis of RCTs).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["pubmed", "ctgov"]
EvidenceType = Literal["meta_analysis", "systematic_review", "rct_phase3", "rct",
                       "trial_registration", "clinical_trial", "observational", "case_report",
                       "review", "guideline", "other"]
TrialSex = Literal["all", "female", "male"]

# PubMed publication types (NLM's vocabulary), first match wins.
PUBLICATION_TYPES: tuple[tuple[str, EvidenceType], ...] = (
    ("Meta-Analysis", "meta_analysis"),
    ("Systematic Review", "systematic_review"),
    ("Clinical Trial, Phase III", "rct_phase3"),
    ("Randomized Controlled Trial", "rct"),
    ("Practice Guideline", "guideline"),
    ("Guideline", "guideline"),
    ("Clinical Trial, Phase II", "clinical_trial"),
    ("Clinical Trial", "clinical_trial"),
    ("Observational Study", "observational"),
    ("Case Reports", "case_report"),
    ("Review", "review"),
)
LEVEL_OF_TYPE: dict[EvidenceType, str] = {
    "meta_analysis": "high", "rct_phase3": "high", "rct": "moderate",
    "systematic_review": "moderate", "guideline": "moderate", "clinical_trial": "low",
    "trial_registration": "low", "observational": "low", "case_report": "very_low",
    "review": "very_low", "other": "very_low",
}
HIGH_LEVEL: frozenset[EvidenceType] = frozenset({"meta_analysis", "rct_phase3", "rct",
                                                 "systematic_review"})
OPEN_STATUSES = frozenset({"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"})


class TrialInfo(BaseModel):
    """What the surveillance keeps from a ClinicalTrials.gov v2 study record."""

    model_config = ConfigDict(extra="forbid")

    status: str
    phases: list[str] = Field(default_factory=list)
    study_type: str | None = None
    allocation: str | None = None
    conditions: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    eligibility: str = ""
    sex: TrialSex = "all"
    min_age_years: float | None = None
    max_age_years: float | None = None
    countries: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    last_update: dt.date | None = None
    has_results: bool = False

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


class EvidenceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Source
    key: str = Field(pattern=r"^(PMID:\d{1,9}|NCT\d{8})$")
    title: str = Field(min_length=1)
    abstract: str = ""
    journal: str | None = None
    published: dt.date | None = None
    entry_date: dt.date | None = Field(default=None, description="PubMed entrez date")
    publication_types: list[str] = Field(default_factory=list)
    mesh: list[str] = Field(default_factory=list)
    linked_ncts: list[str] = Field(default_factory=list, description="NCT numbers cited")
    retracted: bool = False
    correction: Literal["erratum", "expression_of_concern"] | None = None
    trial: TrialInfo | None = None

    @property
    def url(self) -> str:
        if self.source == "pubmed":
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.key.removeprefix('PMID:')}/"
        return f"https://clinicaltrials.gov/study/{self.key}"


def evidence_type(record: EvidenceRecord) -> EvidenceType:
    """From PubMed publication types, or the registry's phase and allocation."""
    if record.trial is not None:
        randomised = (record.trial.allocation or "").upper() == "RANDOMIZED"
        if randomised and "PHASE3" in record.trial.phases:
            return "rct_phase3"
        if randomised:
            return "rct"
        if (record.trial.study_type or "").upper() == "OBSERVATIONAL":
            return "observational"
        return "trial_registration"
    types = set(record.publication_types)
    for name, kind in PUBLICATION_TYPES:
        if name in types:
            if kind == "rct" and "Clinical Trial, Phase III" in types:
                return "rct_phase3"
            return kind
    return "other"

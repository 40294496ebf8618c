"""Input profile and output plan of the care-plan engine."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from myositis.domain.criteria import CriteriaResult
from myositis.domain.instruments.eular_acr_2017 import EularAcrResult
from myositis.domain.record import Comorbidities, PatientRecord, WorkupCode
from myositis.domain.types import Bool
from myositis.services.state import DiseaseState

Urgency = Literal["urgent", "soon", "routine"]

DISCLAIMER = (
    "Decision support for clinicians: this plan lists options and their evidence; it does not "
    "prescribe. Verify each statement against its cited source and the patient's full context."
)


CarePlanInput = PatientRecord
"""What `myositis plan` reads: the patient record (every earlier profile file is one)."""


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


class Action(BaseModel):
    """Something to do now, at the top of the plan, with the rule or entry behind it."""

    code: str
    urgency: Urgency
    text: str
    therapies: list[str] = Field(default_factory=list)
    kb_entry: str
    citations: list[str]
    covers: list[str] = Field(default_factory=list, description=(
        "for a bundled line (do_now_bundled), the do-now codes it prints as one"))


class Regimen(BaseModel):
    """The recommended approach for the current state: a first choice, alternatives and the
    point at which to decide again."""

    domain: str
    state: str
    first_choice: list[str]
    alternatives: list[str]
    decision_point: str
    provisional: bool = False


class SharedCheck(BaseModel):
    """A pre-treatment check printed once, with every offered drug it applies to."""

    id: str
    title: str
    text: str
    therapies: list[str]
    citations: list[str]


class MonitoringItem(BaseModel):
    therapy: str
    text: str
    next_due: str
    citations: list[str]


class DiagnosisView(BaseModel):
    """What the criteria sets say, side by side, and what the plan follows."""

    followed: str
    provisional: bool
    criteria: list[CriteriaResult]
    explanation: list[str]
    mimics_to_exclude: list[str] = Field(default_factory=list)


# how an earlier course of a drug went, in the words a clinician reads (re-score of specialist
# reviews Z50-Z51: 'before: unknown' beside a course recorded with no outcome)
PREVIOUS_OUTCOME_WORDS = {
    "effective": "effective",
    "ineffective": "ineffective",
    "not_tolerated": "not tolerated",
    "effective_with_reaction": "effective, stopped for a reaction",
    "mild_intolerance": "a mild intolerance",
    "stopped_by_patient": "stopped by the patient",
    "ongoing": "given, outcome not recorded",
    "unknown": "given, outcome not recorded",
}


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
    taken_now: bool = Field(default=False, description="the patient takes it now (the "
                            "option is to continue it, not to start it)")
    labels: list[str] = Field(default_factory=list)
    general_use: bool = Field(default=True, description="a matching use needs no complication")
    rule_ids: list[str] = Field(default_factory=list)
    provisional: bool = False
    kb_entry: str

    @property
    def previously_text(self) -> str | None:
        """The earlier course in words (None when the drug was not given before)."""
        if self.previously is None:
            return None
        return PREVIOUS_OUTCOME_WORDS.get(self.previously, self.previously.replace("_", " "))


class Withheld(BaseModel):
    therapy: str
    name: str
    reason: str
    citations: list[str]
    kb_entry: str
    rule_ids: list[str] = Field(default_factory=list)


class CareItem(BaseModel):
    id: str
    title: str
    text: str
    evidence_level: str
    citations: list[str]


ACTIVE_STATES = ("new_onset", "active", "flare", "inadequate_response")
"""Domain states in which a regimen treats disease (monitoring and the regimen guards share it)."""


class DoseLine(BaseModel):
    """A curated dose range worked out for this patient (a check, not a prescription)."""

    therapy: str
    name: str
    text: str
    citations: list[str]
    # False for an alternative's dose: printed with the detail, so the summary gives the
    # doses of what the approach starts first (one page; review H: six ranges in the summary)
    first_choice: bool = True
    # a drug taken now below its curated range: not yet an adequate trial
    below_range: bool = False


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
    # added by the whole-record plan (issue 8); older snapshots lack them
    do_now: list[Action] = Field(default_factory=list)
    do_now_bundled: list[Action] = Field(default_factory=list, description=(
        "do_now as printed: lines that say one thing between them (vaccines, screening tests) "
        "as one line; do_now keeps every line with its own code"))
    state: DiseaseState | None = None
    diagnosis: DiagnosisView | None = None
    regimens: list[Regimen] = Field(default_factory=list)
    shared_checks: list[SharedCheck] = Field(default_factory=list)
    monitoring: list[MonitoringItem] = Field(default_factory=list)
    unknowns: list[str] = Field(default_factory=list)
    inputs_used: list[str] = Field(default_factory=list)
    doses: list[DoseLine] = Field(default_factory=list)

    def printed_do_now(self) -> list[Action]:
        """The do-now lines as every view prints them: bundled (a snapshot saved before bundles
        existed has only do_now)."""
        return self.do_now_bundled or self.do_now


__all__ = [
    "DISCLAIMER", "Action", "CancerScreening", "CareItem", "CarePlan", "CarePlanInput", "Caution",
    "Check", "Citation", "Comorbidities", "DiagnosisView", "DoseLine", "Flag", "MonitoringItem",
    "Option",
    "Regimen", "ScreeningFactor", "SharedCheck", "Urgency", "Withheld", "WorkupCode",
    "WorkupItem",
]

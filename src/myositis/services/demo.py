"""Scoring of the bundled synthetic demo cases: what `myositis demo` reports."""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from myositis.domain.instruments import eular_acr_2017, imacs_doi_2004, registry, response_2016
from myositis.domain.results import InstrumentResult


class DemoCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str = Field(pattern=r"^SYNTHETIC")
    population: Literal["adult", "juvenile"] = "adult"
    classification: eular_acr_2017.EularAcrInput
    baseline: response_2016.CoreSetInput | None = None
    followup: response_2016.CoreSetInput | None = None
    instruments: dict[str, dict[str, Any]] = Field(default_factory=dict)


class CaseReport(BaseModel):
    id: str
    label: str
    classification: eular_acr_2017.EularAcrResult
    response: response_2016.ResponseResult | None = None
    improvement_2004: InstrumentResult | None = None
    instruments: dict[str, InstrumentResult] = Field(default_factory=dict)


def load_demo_cases() -> list[DemoCase]:
    text = resources.files("myositis.demo").joinpath("cases.yaml").read_text(encoding="utf-8")
    return [DemoCase.model_validate(item) for item in yaml.safe_load(text)]


def score_case(case: DemoCase) -> CaseReport:
    report = CaseReport(
        id=case.id, label=case.label,
        classification=eular_acr_2017.classify(case.classification),
        instruments={name: registry.score(name, data) for name, data in case.instruments.items()},
    )
    if case.baseline is not None and case.followup is not None:
        report.response = response_2016.total_improvement_score(
            case.baseline, case.followup, case.population
        )
        report.improvement_2004 = imacs_doi_2004.definition_of_improvement(
            case.baseline, case.followup
        )
    return report


def score_demo_cases() -> list[CaseReport]:
    return [score_case(case) for case in load_demo_cases()]

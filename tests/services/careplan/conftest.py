"""Builders for SYNTHETIC patient records used by the care-plan tests."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan

TODAY = dt.date(2026, 12, 1)

ADULT_DM: dict[str, Any] = {
    "id": "SYN-T", "label": "SYNTHETIC test patient", "sex": "female", "today": TODAY,
    "months_since_onset": 3,
    "classification": {"age_at_onset": 50,
                       "weakness": {"proximal_upper": True, "proximal_lower": True},
                       "skin": {"heliotrope_rash": True, "gottron_papules": True},
                       "elevated_muscle_enzymes": True},
    "skin": {"heliotrope_rash": True, "gottron_papules": True},
    "antibodies": {"mi2": {"status": "positive"}, "tif1g": {"status": "negative"},
                   "mda5": {"status": "negative"}, "nxp2": {"status": "negative"},
                   "sae": {"status": "negative"}},
    "labs": {"enzymes": {"ck": {"value": 2400, "uln": 200}}},
    "lab_results": [{"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                     "date": "2026-11-20"}],
    "infection_screening": {"hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
                            "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}},
    "immunogenetics": {"tpmt": "normal", "nudt15": "normal"},
    "reproduction": {"pregnant": False, "planning_conception": False, "breastfeeding": False},
    "workup_done": ["antibody_panel", "muscle_enzymes", "mri_emg", "capillaroscopy"],
}


PRED_LOW: dict[str, Any] = {"therapy": "glucocorticoids_oral", "start": "2020-01-01",
                            "dose_value": 7.5, "dose_unit": "mg/day", "outcome": "ongoing"}
"""Long-term prednisolone 7.5 mg/day (a transplant recipient's maintenance dose, say)."""
TACROLIMUS: dict[str, Any] = {"therapy": "tacrolimus", "start": "2020-01-01", "outcome": "ongoing"}
FALLING_LUNG: list[dict[str, Any]] = [
    {"date": "2026-05-01", "fvc_percent_predicted": 80, "hrct_pattern": "nsip"},
    {"date": "2026-11-20", "fvc_percent_predicted": 66, "hrct_pattern": "nsip",
     "course": "progressive"}]
"""An NSIP lung whose FVC fell from 80 to 66 % over six months."""


FLARE_VISITS: list[dict[str, Any]] = [
    {"date": "2026-06-10", "core_set": {"mmt8": 78, "mmt_max": 80, "physician_global": 1,
                                        "patient_global": 2, "haq": 0.25},
     "glucocorticoid_mg_per_day": 5},
    {"date": "2026-11-28", "core_set": {"mmt8": 62, "mmt_max": 80, "physician_global": 6,
                                        "patient_global": 7, "haq": 1.1},
     "glucocorticoid_mg_per_day": 5}]
"""A muscle flare on prednisolone 5 mg/day: MMT-8 78 to 62/80, physician global 1 to 6 cm."""
QUIET_VISITS: list[dict[str, Any]] = [
    {"date": d, "core_set": {"mmt8": 80, "mmt_max": 80, "physician_global": 0,
                             "patient_global": 0.5, "haq": 0},
     "cdasi_activity": 0, "glucocorticoid_mg_per_day": 0}
    for d in ("2026-05-01", "2026-11-20")]
"""Two quiet visits off glucocorticoids: full strength, globals near zero, no skin activity."""


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def make_record(base: dict[str, Any] | None = None, **changes: Any) -> PatientRecord:
    return PatientRecord.model_validate(merge(base or ADULT_DM, changes))


def make_plan(base: dict[str, Any] | None = None, **changes: Any) -> CarePlan:
    return build_care_plan(make_record(base, **changes), load())


@pytest.fixture
def plan_for() -> Callable[..., CarePlan]:
    return make_plan


def offered(plan: CarePlan) -> set[str]:
    return {o.therapy for o in plan.options}


def withheld(plan: CarePlan) -> dict[str, str]:
    return {w.therapy: w.reason for w in plan.withheld}


def do_now(plan: CarePlan) -> dict[str, str]:
    return {a.code: a.urgency for a in plan.do_now}


def cautions(plan: CarePlan, therapy: str) -> set[str]:
    option = next(o for o in plan.options if o.therapy == therapy)
    return {c.condition for c in option.cautions}


def lab(analyte: str, value: float, unit: str, uln: float | None = None,
        date: str = "2026-11-25") -> dict[str, Any]:
    """A dated SYNTHETIC lab result for ``lab_results`` (the ULN only when given)."""
    out: dict[str, Any] = {"analyte": analyte, "value": value, "unit": unit, "date": date}
    if uln is not None:
        out["uln"] = uln
    return out

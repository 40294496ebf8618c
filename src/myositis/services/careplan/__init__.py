"""Deterministic, explainable care-plan engine: from a patient profile to cited options."""

from myositis.services.careplan.engine import build_care_plan
from myositis.services.careplan.model import CarePlan, CarePlanInput

__all__ = ["CarePlan", "CarePlanInput", "build_care_plan"]

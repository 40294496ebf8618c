"""The bundled SYNTHETIC care-plan scenarios."""

from __future__ import annotations

from importlib import resources

import yaml

from myositis.services.careplan.model import CarePlanInput


def load_scenarios() -> list[CarePlanInput]:
    text = resources.files("myositis.demo").joinpath("scenarios.yaml").read_text("utf-8")
    return [CarePlanInput.model_validate(item) for item in yaml.safe_load(text)]

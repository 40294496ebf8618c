"""The top-level package exposes a small deliberate API, imported lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import myositis
from tests.services.careplan.conftest import ADULT_DM


def test_every_public_name_resolves() -> None:
    for name in myositis.__all__:
        assert getattr(myositis, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'plan_everything'"):
        _ = myositis.plan_everything  # type: ignore[attr-defined]


def test_a_plan_through_the_public_api_only() -> None:
    record = myositis.PatientRecord.model_validate(ADULT_DM)
    plan = myositis.build_care_plan(record, myositis.load_knowledge())
    assert isinstance(plan, myositis.CarePlan)
    assert plan.options


def test_user_errors_share_one_base_class() -> None:
    with pytest.raises(myositis.MyositisError):
        myositis.score("no_such_instrument", {})


def test_importing_the_package_does_not_load_the_care_plan_engine() -> None:
    code = ("import sys, myositis; "
            "print(any(m.startswith('myositis.services') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

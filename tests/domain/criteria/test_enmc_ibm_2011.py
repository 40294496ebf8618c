"""ENMC 2011 IBM criteria: the worked examples IBM-1..4 (instruments.md 9.2) and boundaries."""

from __future__ import annotations

from typing import Any

import pytest

from myositis.domain.criteria.enmc_ibm_2011 import IbmInput, assess

CLINICAL: dict[str, Any] = {
    "age_at_onset": 60, "weakness_duration_months": 36, "ck_x_uln": 3,
    "knee_extension_weaker_or_equal_hip_flexion": True,
    "finger_flexion_weaker_than_shoulder_abduction": True,
}


def ibm(**changes: Any) -> IbmInput:
    return IbmInput.model_validate({**CLINICAL, **changes})


def test_ibm1_clinico_pathologically_defined() -> None:
    result = assess(ibm(endomysial_infiltrate=True, rimmed_vacuoles=True, protein_aggregates=True))
    assert (result.met, result.category) == (True, "clinico-pathologically defined IBM")


def test_ibm2_clinically_defined() -> None:
    result = assess(ibm(endomysial_infiltrate=True, mhc1_upregulation=True,
                        rimmed_vacuoles=False, protein_aggregates=False))
    assert result.category == "clinically defined IBM"


def test_ibm3_probable_with_one_pattern() -> None:
    result = assess(ibm(knee_extension_weaker_or_equal_hip_flexion=False, mhc1_upregulation=True,
                        endomysial_infiltrate=False, rimmed_vacuoles=False,
                        protein_aggregates=False))
    assert result.category == "probable IBM"


@pytest.mark.parametrize(("change", "met"), [
    ({"ck_x_uln": 15}, True), ({"ck_x_uln": 15.01}, False),
    ({"age_at_onset": 45}, False), ({"age_at_onset": 45.5}, True),
    ({"weakness_duration_months": 12}, False), ({"weakness_duration_months": 12.5}, True),
])
def test_ibm4_boundaries(change: dict[str, Any], met: bool) -> None:
    result = assess(ibm(endomysial_infiltrate=True, rimmed_vacuoles=True, protein_aggregates=True,
                        **change))
    assert result.met is met


def test_no_biopsy_is_undecided_not_negative() -> None:
    result = assess(ibm())
    assert result.met is None and result.missing


def test_anti_cn1a_and_steroid_failure_are_not_items() -> None:
    assert "cn1a" not in " ".join(IbmInput.model_fields)
    assert "steroid" not in " ".join(IbmInput.model_fields)


def test_strict_types() -> None:
    with pytest.raises(ValueError, match="valid number"):
        IbmInput.model_validate({"age_at_onset": True})

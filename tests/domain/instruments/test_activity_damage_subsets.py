"""MYOACT/MITAX, MDI, Sontheimer subsets and FLAIR."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from myositis.domain.instruments.flair import FlairInput, flair
from myositis.domain.instruments.mdaat import MitaxInput, MyoactInput, mitax, myoact
from myositis.domain.instruments.mdi import MdiInput, mdi
from myositis.domain.instruments.sontheimer import SontheimerInput, subset
from myositis.errors import NotComputableError


def test_myoact_worked_example() -> None:
    r = myoact(MyoactInput(constitutional=2.0, cutaneous=5.5, skeletal=1.0, gastrointestinal=0,
                           pulmonary=3.0))
    assert r.total == pytest.approx(0.23)
    assert "raw sum 11.5 of 50" in r.notes[0]


def test_myoact_nothing_assessed() -> None:
    with pytest.raises(NotComputableError):
        myoact(MyoactInput())


def test_myoact_vas_range() -> None:
    with pytest.raises(ValidationError, match="cutaneous"):
        MyoactInput(cutaneous=10.5)


def test_mitax_weights() -> None:
    assert mitax(MitaxInput()).total == 0
    r = mitax(MitaxInput(muscle="A", cutaneous="B", pulmonary="C", skeletal="D"))
    assert r.total == pytest.approx((9 + 3 + 1) / 63)
    all_a = MitaxInput(**dict.fromkeys(MitaxInput.model_fields, "A"))
    assert mitax(all_a).total == 1


def test_mdi_extent_and_severity() -> None:
    r = mdi(MdiInput(items={"muscle_atrophy_clinical": True, "calcinosis": True,
                            "alopecia": False, "cataract": None},
                     severity={"muscle": 3.5, "cutaneous": 2}))
    assert (r.extent, r.severity_total) == (2, 5.5)
    assert r.extent_maximum < mdi(MdiInput(population="juvenile")).extent_maximum


def test_mdi_rejects_unknown_item_and_juvenile_item_in_adult() -> None:
    with pytest.raises(ValidationError, match="unknown MDI item"):
        MdiInput(items={"nonsense": True})
    with pytest.raises(ValidationError, match="juvenile"):
        MdiInput(items={"growth_failure": True})
    with pytest.raises(ValidationError, match="between 0 and 10"):
        MdiInput(severity={"muscle": 11})


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"hallmark_skin_findings": False, "skin_disease_months": 12}, "not_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 1,
          "clinical_proximal_weakness": True}, "classic_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 5.9}, "premyopathic_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 6}, "amyopathic_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 6,
          "subclinical_myositis": True}, "hypomyopathic_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 24,
          "elevated_muscle_enzymes": True}, "hypomyopathic_dm"),
        ({"hallmark_skin_findings": True, "skin_disease_months": 24,
          "early_immunosuppression_2_months": True}, "not_classifiable"),
    ],
)
def test_sontheimer_subsets(kw: dict[str, object], expected: str) -> None:
    assert subset(SontheimerInput.model_validate(kw)) == expected


def test_flair_examples() -> None:
    high = flair(FlairInput(ferritin_ng_ml=1200, ldh_u_l=400, anti_mda5="moderate",
                            hrct_score=150, rapidly_progressive_ild=True))
    assert (high.total, high.category) == (12, "high")
    low = flair(FlairInput(ferritin_ng_ml=500, ldh_u_l=300, anti_mda5="weak", hrct_score=100,
                           rapidly_progressive_ild=False))
    assert (low.total, low.category) == (2, "low")


@pytest.mark.parametrize(
    ("ferritin", "ldh", "mda5", "hrct", "rp", "total", "category"),
    [
        (635.9, 354.9, "strong", 132.9, False, 4, "low"),
        (636, 354.9, "negative", 133, False, 5, "medium"),
        (636, 355, "strong", 0, True, 10, "high"),
        (636, 355, "moderate", 0, True, 9, "medium"),
        (636, 355, "strong", 133, True, 13, "high"),
    ],
)
def test_flair_cutoff_and_band_edges(
    ferritin: float, ldh: float, mda5: str, hrct: float, rp: bool, total: int, category: str
) -> None:
    r = flair(FlairInput.model_validate({"ferritin_ng_ml": ferritin, "ldh_u_l": ldh,
                                         "anti_mda5": mda5, "hrct_score": hrct,
                                         "rapidly_progressive_ild": rp}))
    assert (r.total, r.category) == (total, category)

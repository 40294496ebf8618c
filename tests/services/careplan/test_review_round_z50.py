"""Open findings of earlier rounds and findings of specialist review round Z50, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


HCQ_PREGNANT: dict[str, Any] = dict(
    weight_kg=72, classification={"age_at_onset": 30}, months_since_onset=60,
    treatments=[{"therapy": "hydroxychloroquine", "start": "2022-01-01", "dose_value": 400,
                 "dose_unit": "mg/day"}])


def test_anti_ro52_alone_does_not_keep_hydroxychloroquine_above_the_retinal_limit() -> None:
    """Open finding: 'keep 400 mg/day through the pregnancy' for anti-Ro52 alone, which the
    PATCH study did not test (a previous heart-blocked child)."""
    plan = make_plan(**HCQ_PREGNANT,
                     antibodies={"mi2": {"status": "positive"}, "ro52": {"status": "positive"}},
                     reproduction={"pregnant": True, "gestation_weeks": 12})
    codes = do_now(plan)
    assert "hydroxychloroquine_dose_pregnant_anti_ro52_only" in codes
    assert "hydroxychloroquine_dose_pregnant_anti_ro" not in codes
    assert "keep 400 mg/day through the pregnancy" not in _texts(plan)


DYING: dict[str, Any] = dict(
    care_goals={"treatment_ceiling": "comfort", "prognosis": "days_to_weeks",
                "frailty_scale": 8},
    sex="male", weight_kg=60, systemic={"interstitial_lung_disease": True},
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 10,
                 "dose_unit": "mg/day"},
                {"therapy": "mycophenolate", "start": "2026-06-01", "dose_value": 2000,
                 "dose_unit": "mg/day"}])


def test_the_end_of_life_line_governs_work_up_monitoring_and_long_horizon_lines() -> None:
    """Open finding (Z48c): 'routine screening and monitoring are stopped' above contraception
    counselling, a taper target, an HRCT, lung function and core set scores for a dying man."""
    plan = make_plan(**DYING)
    codes = do_now(plan)
    assert "mycophenolate_paternal_contraception" not in codes
    assert "long_term_glucocorticoid_exit" not in codes
    assert "adrenal_safety_long_term_glucocorticoid" in codes  # comfort now: kept
    assert plan.workup == []
    assert [m.therapy for m in plan.monitoring] == ["Symptoms and comfort"]
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert any(e.startswith("Consider stopping Mycophenolate") for e in lung.first_choice)
    assert "Mycophenolate mofetil" not in lung.first_choice
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert "Hydroxychloroquine" not in skin.first_choice
    # with months to live, the schedule stays
    months = make_plan(**{**DYING, "care_goals": {"prognosis": "months"}})
    assert len(months.monitoring) > 1 and months.workup

"""Open findings of earlier rounds and findings of specialist review round Z50, fixed in
December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan


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


def test_methotrexate_without_response_is_switched_not_kept_for_its_dose_or_prophylaxis() -> None:
    """Z50a P2 (dangerous): 'Continue Methotrexate (lower the dose ...)' and 'keep methotrexate
    and change the prophylaxis' after 15 weeks without response, at an eGFR of 32."""
    plan = make_plan(other_medicines=["co_trimoxazole"],
                     lab_results=[lab("egfr", 32, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "start": "2026-08-20",
                                  "dose_value": 15, "dose_unit": "mg/week",
                                  "response": "none"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(e.startswith("Methotrexate: no response recorded") for e in muscle.first_choice)
    assert not any(e.startswith("Continue Methotrexate") for e in muscle.first_choice)
    text = _texts(plan)
    assert "methotrexate has given no response and is switched" in text
    assert "keep methotrexate and change the prophylaxis" not in text


SRP_HEART: dict[str, Any] = dict(
    antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
    diagnosis={"subgroup": "imnm", "confirmed_on": "2026-09-01"}, skin={},
    weight_kg=96, organs={"cardiac": "suspected"},
    lab_results=[lab("ck", 6500, "U/L", 170), lab("troponin_i", 62, "ng/L", 34)],
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 30,
                 "dose_unit": "mg/day"}])


def test_the_heart_line_names_ivig_only_when_it_is_not_withheld_and_caps_prednisolone() -> None:
    """Z50a P8: 'IVIG beside it if the heart does not settle' with IVIG withheld (blood products
    declined); Z50a P5: 'then oral prednisolone 0.5-1 mg/kg/day' with no ceiling at 96 kg."""
    declined = make_plan(**SRP_HEART, preferences={"declines": ["blood_products"]})
    line = next(r for r in declined.regimens if r.domain == "muscle").first_choice[0]
    assert "for the heart involvement" in line
    assert "IVIG" not in line and "usually at most 60 mg/day" in line

"""Findings of blind specialist review Z34 (SYNTHETIC patients): haematology, palliative and
supportive care, physiotherapy-led rehabilitation, and endocrinology and metabolic clinics."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_circumstances import (
    BRONCHOSCOPY_WITHIN_CEILING,
)
from tests.services.careplan.conftest import make_plan

_PRED = {"therapy": "glucocorticoids_oral", "start": "2026-09-01", "dose_value": 20,
         "dose_unit": "mg/day", "outcome": "ongoing"}
_MMF = {"therapy": "mycophenolate", "start": "2026-03-01", "dose_value": 2, "dose_unit": "g/day",
        "outcome": "ongoing"}
_DYING: dict[str, Any] = {
    "date_of_birth": "1946-03-01",
    "care_goals": {"treatment_ceiling": "comfort", "prognosis": "days_to_weeks"},
    "cancer": {"active_cancer": True}, "organs": {"dysphagia": "severe"},
    "treatments": [_PRED, _MMF]}


def _first(plan: Any) -> str:
    return " ".join(e for r in plan.regimens for e in r.first_choice)


def test_a_dying_patient_gets_no_new_ivig_and_slow_drugs_are_offered_for_stopping() -> None:
    # Z34b P1 (dangerous): IVIG added and mycophenolate continued for a woman dying in days to
    # weeks, with a comfort ceiling
    plan = make_plan(**_DYING)
    first = _first(plan)
    assert "add Intravenous immunoglobulin" not in first
    assert "Consider stopping Mycophenolate mofetil" in first
    assert "Continue Mycophenolate" not in first
    # weeks to months on a ward-based ceiling: IVIG may still restore a swallow
    months = make_plan(**{**_DYING, "care_goals": {"treatment_ceiling": "ward_based",
                                                   "prognosis": "weeks_to_months"}})
    assert "Consider stopping Mycophenolate" not in _first(months)


def test_no_routine_heparin_in_the_last_days_of_life() -> None:
    # Z34b P1 (dangerous): pharmacological thromboprophylaxis for a dying woman
    dying = make_plan(**_DYING)
    assert not any("thromboprophylaxis (dosed for kidney function)" in a.text
                   for a in dying.do_now)
    full = make_plan(**{**_DYING, "care_goals": {"treatment_ceiling": "full"}})
    assert any("thromboprophylaxis (dosed for kidney function)" in a.text for a in full.do_now)


def test_a_no_icu_ceiling_makes_bronchoscopy_a_goals_decision() -> None:
    # Z34b P2 (borderline dangerous): 'bronchoscopy with lavage where safe' on oxygen at rest
    # with a no-ICU ceiling
    record: dict[str, Any] = {
        "antibodies": {"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        "systemic": {"interstitial_lung_disease": True, "fever": True},
        "lung_measures": [{"date": "2026-11-28", "hrct_pattern": "dad", "oxygen": "at_rest",
                           "course": "rapidly_progressive"}],
        "comorbidities": {"active_infection": True},
        "treatments": [{**_PRED, "dose_value": 60}]}
    limited = make_plan(**record, care_goals={"treatment_ceiling": "no_icu"})
    everything = " ".join([_first(limited), *(a.text for a in limited.do_now)])
    assert "bronchoscopy with lavage" not in everything
    assert BRONCHOSCOPY_WITHIN_CEILING in everything
    full = make_plan(**record)
    assert "bronchoscopy with lavage" in " ".join([_first(full),
                                                  *(a.text for a in full.do_now)])

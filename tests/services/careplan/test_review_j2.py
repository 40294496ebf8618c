"""Scenarios from specialist review J2 (December 2026, SYNTHETIC; review J of an earlier session is
test_review_j.py): a general rheumatology clinic's month and a tertiary centre's hard cases; the
tests hold the fixes for what the review found wrong or unsafe (H370-)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan

NEW_MTX = {"months_since_onset": 2, "weight_kg": 70,
           "treatments": [{"therapy": "methotrexate", "start": "2026-11-20",
                           "outcome": "ongoing"}]}


def test_a_patient_who_can_become_pregnant_gets_the_teratogen_advice_whatever_the_sex() -> None:
    trans_man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 17},
                          reproduction={"can_become_pregnant": True,
                                        "effective_contraception": False})
    advice = {"contraception_with_teratogen", "teratogen_taken_without_contraception"}
    assert advice & set(do_now(trans_man))
    man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 30},
                    reproduction={"pregnant": None, "planning_conception": None,
                                  "breastfeeding": None})
    assert not advice & set(do_now(man))
    pregnant_man = make_plan(**NEW_MTX, sex="male", classification={"age_at_onset": 30},
                             reproduction={"pregnant": True, "can_become_pregnant": True})
    assert "pregnancy_teratogen_taken_now" in do_now(pregnant_man)


def test_ild_progressing_in_pregnancy_never_adds_nintedanib() -> None:
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     reproduction={"pregnant": True, "gestation_weeks": 20},
                     treatments=[{"therapy": "azathioprine", "start": "2025-01-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert codes.get("ild_progressing_pregnant") == "urgent"
    assert "progressive_pulmonary_fibrosis" not in codes
    assert not any("add nintedanib" in a.text for a in plan.do_now)


def test_no_thromboprophylaxis_for_a_child_or_with_gut_symptoms() -> None:
    child = make_plan(classification={"age_at_onset": 6}, weight_kg=20,
                      organs={"dysphagia": "severe", "gut_symptoms": True})
    assert "vte_prophylaxis_severe_weakness" not in do_now(child)
    gut = make_plan(organs={"dysphagia": "severe", "gut_symptoms": True})
    assert "vte_prophylaxis_severe_weakness" not in do_now(gut)
    adult = make_plan(organs={"dysphagia": "severe"})
    assert "vte_prophylaxis_severe_weakness" in do_now(adult)


def test_no_induction_dose_review_in_ibm_or_just_under_half_a_milligram() -> None:
    gp_started = [{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                   "start": "2026-11-10", "outcome": "ongoing"}]
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 70},
                    weight_kg=80, treatments=gp_started)
    assert "gc_below_induction_adult" not in do_now(ibm)
    near = make_plan(weight_kg=61, treatments=gp_started)
    assert "gc_below_induction_adult" not in do_now(near)
    low = make_plan(weight_kg=90, treatments=gp_started)
    assert "gc_below_induction_adult" in do_now(low)


def test_an_untested_nudt15_is_not_reported_as_intermediate() -> None:
    plan = make_plan(immunogenetics={"tpmt": "intermediate", "nudt15": None})
    assert any("TPMT intermediate; NUDT15 not tested" in f for f in plan.inputs_used)

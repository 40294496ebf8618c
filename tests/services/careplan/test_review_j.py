"""Scenarios from the tenth specialist review (SYNTHETIC): a glucocorticoid is never "stopped"
for an early non-response; a lung HRCT is no cancer-screening CT; no second drug of a class
taken; heart involvement is urgent; co-trimoxazole with methotrexate taken is said up front;
the old and a quiet child get fitting advice."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan


def test_an_early_non_response_does_not_stop_the_glucocorticoid() -> None:
    plan = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-17",
                                  "outcome": "ongoing", "response": "none"}])
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e.startswith("Stop Oral glucocorticoids") for e in entries)
    assert any("glucocorticoids" in e.lower() for e in entries)


def test_a_lung_hrct_does_not_count_as_the_screening_ct() -> None:
    plan = make_plan(classification={"age_at_onset": 60}, months_since_onset=4,
                     antibodies={"tif1g": {"status": "positive"}},
                     cancer={"screening_done": [{"test": "HRCT chest", "date": "2026-10-01"}]})
    assert any(t.startswith("CT") or "CT " in t for t in plan.cancer_screening.tests_due)
    full = make_plan(classification={"age_at_onset": 60}, months_since_onset=4,
                     antibodies={"tif1g": {"status": "positive"}},
                     cancer={"screening_done": [{"test": "CT neck, chest, abdomen and pelvis",
                                                 "date": "2026-10-01"}]})
    assert not any("CT neck" in t for t in full.cancer_screening.tests_due)


def test_no_second_calcineurin_inhibitor_beside_tacrolimus() -> None:
    plan = make_plan(months_since_onset=30, antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "stable"},
                     reproduction={"pregnant": False, "planning_conception": False,
                                   "breastfeeding": True},
                     treatments=[{"therapy": "tacrolimus", "start": "2025-01-01",
                                  "outcome": "effective"},
                                 {"therapy": "mycophenolate", "start": "2025-01-01",
                                  "outcome": "effective"}])
    named = " ".join(e for g in plan.regimens for e in (*g.first_choice, *g.alternatives))
    assert "Ciclosporin" not in named


def test_heart_involvement_is_urgent() -> None:
    plan = make_plan(organs={"cardiac": "confirmed"})
    assert do_now(plan)["cardiac_involvement_confirmed"] == "urgent"


def test_co_trimoxazole_with_methotrexate_taken_is_said_in_do_now() -> None:
    plan = make_plan(treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-10-01", "outcome": "ongoing"},
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2026-10-15", "outcome": "ongoing"}])
    assert "co_trimoxazole_advised_with_methotrexate_taken" in do_now(plan)


def test_older_patient_screening_note_and_quiet_child_dose_check() -> None:
    old = make_plan(classification={"age_at_onset": 80}, months_since_onset=4)
    assert any("life expectancy" in n for n in old.cancer_screening.notes)
    child = make_plan(classification={"age_at_onset": 8}, months_since_onset=40, weight_kg=30,
                      height_cm=135,
                      reproduction={"pregnant": None, "planning_conception": None,
                                    "breastfeeding": None},
                      treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                   "dose_unit": "mg/week", "start": "2024-01-01",
                                   "outcome": "effective"}],
                      labs={"enzymes": {"ck": {"value": 100, "uln": 200}}},
                      visits=[{"date": "2025-12-01", "core_set": {
                          "physician_global": 0.5, "patient_global": 0.5,
                          "extramuscular_global": 0, "mmt8": 80, "mmt_max": 80, "haq": 0}},
                          {"date": "2026-11-20", "core_set": {
                              "physician_global": 0.5, "patient_global": 0.5,
                              "extramuscular_global": 0, "mmt8": 80, "mmt_max": 80,
                              "haq": 0}}])
    assert child.state.of("muscle") == "remission"
    assert not any("adequate trial" in d.text for d in child.doses)

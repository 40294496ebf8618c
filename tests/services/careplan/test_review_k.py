"""Scenarios from the eleventh specialist review (SYNTHETIC): anti-MDA5 ILD with a very high
ferritin, hydroxychloroquine over 5 mg/kg, ALT from the liver read as muscle activity, a child
with unknown varicella status, and the PJP threshold above 15 mg/day."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan

QUIET_VISIT = {"date": "2026-11-20", "core_set": {"physician_global": 1.5, "patient_global": 2,
                                                  "mmt8": 78, "mmt_max": 80, "haq": 0.25}}


def test_anti_mda5_ild_with_a_very_high_ferritin_is_managed_as_rapid() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"hrct_pattern": "nsip", "course": "stable"},
                     lab_results=[{"analyte": "ferritin", "value": 1240, "unit": "ng/mL",
                                   "date": "2026-11-25"}])
    lung = next(g for g in plan.regimens if g.domain == "lung")
    assert lung.first_choice[0].startswith("Intravenous methylprednisolone")


def test_hcq_above_5_mg_kg_needs_retinal_screening_now_and_is_no_muscle_drug() -> None:
    plan = make_plan(weight_kg=58, months_since_onset=40, treatments=[
        {"therapy": "hydroxychloroquine", "dose_value": 400, "dose_unit": "mg/day",
         "start": "2023-10-01", "outcome": "ongoing"},
        {"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
         "start": "2023-10-01", "outcome": "ongoing"}],
        visits=[{"date": "2026-11-20", "core_set": {"physician_global": 4, "patient_global": 4,
                                                    "mmt8": 66, "mmt_max": 80, "haq": 1}}])
    assert "hydroxychloroquine_retinal_screening_due" in do_now(plan)
    muscle = next(g for g in plan.regimens if g.domain == "muscle")
    assert not any("Hydroxychloroquine" in e for e in muscle.first_choice)


def test_alt_from_the_liver_is_not_muscle_activity() -> None:
    plan = make_plan(months_since_onset=4, treatments=[
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2026-08-01", "outcome": "ongoing"}],
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}, "alt": {"value": 110, "uln": 40}}},
        lab_results=[{"analyte": "alt", "value": 110, "unit": "U/L", "uln": 40,
                      "date": "2026-11-25"}],
        visits=[{**QUIET_VISIT, "labs": {"enzymes": {
            "ck": {"value": 120, "uln": 200}, "alt": {"value": 110, "uln": 40}}}}])
    assert plan.state.of("muscle") == "stable"
    assert "alt_raised_with_normal_ck" in do_now(plan)


def test_child_with_unknown_varicella_status_is_tested() -> None:
    plan = make_plan(classification={"age_at_onset": 9}, months_since_onset=3, weight_kg=30,
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    assert "vzv_status_unknown_child" in do_now(plan)


def test_pjp_threshold_is_above_15_mg() -> None:
    at_15 = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 15,
                                   "dose_unit": "mg/day", "start": "2026-09-01",
                                   "outcome": "ongoing"}])
    assert "pjp_prophylaxis_due_glucocorticoid_dose" not in do_now(at_15)
    at_20 = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                   "dose_unit": "mg/day", "start": "2026-09-01",
                                   "outcome": "ongoing"}])
    assert "pjp_prophylaxis_due_glucocorticoid_dose" in do_now(at_20)


def test_falls_osteoporosis_smoking_and_covid_vaccine_are_read() -> None:
    plan = make_plan(comorbidities={"falls": True, "osteoporosis": True, "smoking": True},
                     other_medicines=["warfarin"], treatments=[
                         {"therapy": "glucocorticoids_oral", "dose_value": 10,
                          "dose_unit": "mg/day", "start": "2026-06-01", "outcome": "ongoing"}])
    actions = do_now(plan)
    # one bone line: the untreated-osteoporosis line covers the on-glucocorticoid one (review B)
    assert {"falls_on_anticoagulant", "falls_prevention", "osteoporosis_untreated",
            "covid_vaccine_due"} <= set(actions)
    assert "osteoporosis_on_glucocorticoids" not in actions
    vaccinated = make_plan(vaccinations=[{"vaccine": "covid19", "date": "2026-10-01"}])
    assert "covid_vaccine_due" not in do_now(vaccinated)


def test_active_skin_gets_topical_corticosteroids_as_an_adjunct() -> None:
    plan = make_plan()
    skin = next(g for g in plan.regimens if g.domain == "skin")
    assert "Topical corticosteroids (adjunct)" in skin.first_choice

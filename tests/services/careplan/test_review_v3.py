"""Specialist review V (December 2026): refractory disease and new therapies (V1), frail older
patients and palliative care (V2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan, withheld


def test_a_tapering_dose_with_a_falling_ck_is_not_called_below_induction() -> None:
    """V2 P6 (dangerous): 'raise to 0.5-1 mg/kg/day' at 30 mg/day for a man whose CK fell from
    3500 to 380 since induction, with new vertebral fractures."""
    plan = make_plan(sex="male", weight_kg=70, months_since_onset=4,
                     labs={"enzymes": {"ck": {"value": 380, "uln": 200,
                                              "date": "2026-11-28"}}},
                     lab_results=[lab("ck", 3500, "U/L", 200, "2026-08-18"),
                                  lab("ck", 380, "U/L", 200, "2026-11-28")],
                     visits=[{"date": "2026-11-28", "glucocorticoid_mg_per_day": 30,
                              "core_set": {"physician_global": 4, "mmt8": 64, "mmt_max": 80}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-08-21"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("below the induction range" in e for e in muscle.first_choice)
    assert not any(e.startswith("add Oral glucocorticoids") for e in muscle.first_choice)


def _frail_ild(**more: Any) -> Any:
    lungs = [{"date": d, "fvc_percent_predicted": f, "hrct_pattern": "uip",
              "course": "progressive", "oxygen": "at_rest"}
             for d, f in (("2026-03-01", 58), ("2026-11-20", 48))]
    return make_plan(antibodies={"pl12": {"status": "positive"}}, diagnosis={"subgroup": "asys"},
                     date_of_birth="1938-04-01", months_since_onset=60,
                     systemic={"interstitial_lung_disease": True}, lung=lungs[-1],
                     lung_measures=lungs, comorbidities={"recurrent_infections": True},
                     lab_results=[lab("igg", 4.8, "g/L"), lab("lymphocytes", 0.5, "10^9/L")],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2023-01-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2022-01-01"}], **more)


def test_no_new_lung_immunosuppressant_with_low_igg_and_infections() -> None:
    """V2 P5 (dangerous): rituximab first for the lung beside the plan's own 'add no B-cell
    depleting or further agent' (IgG 4.8, two pneumonias, frailty scale 7); transplant
    referral for an 88-year-old (wrong)."""
    plan = _frail_ild(care_goals={"frailty_scale": 7, "treatment_ceiling": "no_icu"})
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(e.startswith(("Rituximab", "add Rituximab")) for e in lung.first_choice)
    said = do_now(plan)
    assert "goals_of_care" in said
    assert "ild_progressing_transplant_referral" not in said
    assert "transplant" not in lung.decision_point


def test_near_the_end_of_life_nothing_slow_is_started_and_ivig_is_kept() -> None:
    """V2 P3 (dangerous): IVIG held and azathioprine and pulses added for a woman with weeks to
    live from ovarian cancer, fully anticoagulated for a recent DVT."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={"age_at_onset": 76}, date_of_birth="1949-05-01",
                     weight_kg=55, months_since_onset=6, organs={"dysphagia": "moderate"},
                     cancer={"active_cancer": True},
                     comorbidities={"last_thrombosis": "2026-10-15"},
                     other_medicines=["lmwh"],
                     care_goals={"prognosis": "weeks_to_months"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                  "dose_unit": "mg/day", "start": "2026-07-03"},
                                 {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2026-08-10"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Near the end of life")
    assert not any(e.startswith("add ") or "pulses" in e for e in muscle.first_choice)
    assert any(e.startswith("Continue Intravenous immunoglobulin") for e in muscle.first_choice)
    assert "ivig" not in withheld(plan)
    assert not any(e.startswith("Hold Intravenous immunoglobulin")
                   for r in plan.regimens for e in r.first_choice)
    assert "goals_of_care_end_of_life" in do_now(plan)


def test_no_rituximab_during_cmv_viraemia_even_in_rp_ild() -> None:
    """V1 P3 and V2 P8 (dangerous): rituximab first for anti-MDA5 RP-ILD during CMV viraemia,
    while tofacitinib was withheld for infection."""
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "negative"},
                                          "tb_test": {"result": "negative"},
                                          "cmv_pcr": {"result": "positive"}},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-10-20"},
                                 {"therapy": "tacrolimus", "dose_value": 4,
                                  "dose_unit": "mg/day", "start": "2026-10-20"}])
    assert "rituximab" in withheld(plan)
    assert not any("Rituximab" in e for r in plan.regimens for e in r.first_choice)


def test_weakness_with_normal_ck_on_high_dose_glucocorticoid_is_imaged_before_escalation() -> None:
    """V1 P5 (wrong, borderline dangerous): IVIG and new immunosuppressants for a cushingoid man
    with a year of normal CK who grew weaker after his prednisolone was tripled."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 30,
               "core_set": {"physician_global": 4, "mmt8": m, "mmt_max": 80},
               "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}
              for d, m, ck in (("2026-06-01", 64, 170), ("2026-11-25", 58, 180))]
    failed = [{"therapy": t, "start": "2023-01-01", "stop": "2024-01-01",
               "outcome": "ineffective"} for t in ("methotrexate", "rituximab")]
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     months_since_onset=60, visits=visits,
                     treatments=[*failed, {"therapy": "glucocorticoids_oral", "dose_value": 30,
                                           "dose_unit": "mg/day", "start": "2026-02-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Before any new agent: muscle MRI")
    assert not any(e.startswith(("Intravenous immunoglobulin", "add ")) for e in
                   muscle.first_choice)
    assert all(a.startswith("if MRI or EMG shows active myositis") for a in muscle.alternatives)


def test_refractory_disease_after_several_agents_names_the_rescue_options() -> None:
    """V1 P7 (wrong): azathioprine the only option for a failing anti-SRP myopathy after
    rituximab, methotrexate, mycophenolate and tacrolimus."""
    failed = [{"therapy": t, "start": "2024-01-01", "stop": "2025-01-01",
               "outcome": "ineffective"} for t in ("rituximab", "methotrexate", "mycophenolate")]
    visits = [{"date": d, "glucocorticoid_mg_per_day": 40,
               "core_set": {"physician_global": 7, "mmt8": m, "mmt_max": 80}}
              for d, m in (("2026-09-01", 48), ("2026-11-25", 44))]
    plan = make_plan(antibodies={"srp": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     months_since_onset=30, visits=visits,
                     labs={"enzymes": {"ck": {"value": 9200, "uln": 200}}},
                     treatments=[*failed, {"therapy": "glucocorticoids_oral", "dose_value": 40,
                                           "dose_unit": "mg/day", "start": "2024-01-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    said = " ".join(muscle.first_choice + muscle.alternatives)
    assert "Azathioprine" not in said
    assert "specialist myositis centre referral for rescue" in said


def test_a_frail_patient_in_a_care_home_gets_no_routine_screening_panel() -> None:
    """V2 P1 (wrong): thirteen screening tests and urgent endoscopy for an 84-year-old with
    dementia and an advance care plan against invasive tests; fertility preservation for a man
    of 78 (V2 P8, minor)."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={"age_at_onset": 84}, date_of_birth="1942-02-01",
                     cancer={"red_flags": ["weight_loss"]},
                     care_goals={"frailty_scale": 7, "treatment_ceiling": "ward_based",
                                 "lacks_capacity": True})
    assert plan.cancer_screening.tests_due == []
    assert any(n.startswith("Goals of care") for n in plan.cancer_screening.notes)
    said = do_now(plan)
    assert "goals_of_care" in said and "cancer_red_flags" not in said
    old_man = make_plan(sex="male", date_of_birth="1948-01-01",
                        classification={"age_at_onset": 78})
    assert not any("fertility" in m.text.lower() for m in old_man.monitoring)
    assert not any("fertility" in c.text.lower() for o in old_man.options
                   for c in (*o.before_starting, *o.monitoring))


def test_declined_endoscopy_and_biopsy_are_not_ordered_again() -> None:
    """Re-score of V2 P1 and P7 (wrong): urgent endoscopy kept after the patient declined it,
    and a biopsy still in the work-up after it was declined."""
    plan = make_plan(cancer={"red_flags": ["weight_loss"]},
                     preferences={"declines": ["endoscopy", "muscle_biopsy"]},
                     classification={"age_at_onset": 70, "skin": {"heliotrope_rash": False,
                                                                  "gottron_papules": False}},
                     skin={"heliotrope_rash": False, "gottron_papules": False})
    said = {a.code: a.text for a in plan.do_now}
    assert "cancer_red_flags_endoscopy_declined" in said and "cancer_red_flags" not in said
    assert not any(w.code == "muscle_biopsy" for w in plan.workup)


def test_goals_of_care_name_who_decides_when_capacity_is_lacking() -> None:
    plan = make_plan(care_goals={"lacks_capacity": True, "decision_maker": "daughter (attorney)"})
    assert "daughter (attorney)" in next(a.text for a in plan.do_now if a.code == "goals_of_care")


def test_a_ward_based_ceiling_with_years_to_live_is_treated_actively() -> None:
    """Specialist review W P7 (wrong): a ward-based ceiling with a prognosis of years read as
    end of life ('nothing started ... near the end of life'), beside a plan treating actively."""
    plan = make_plan(cancer={"red_flags": ["weight_loss"]},
                     care_goals={"frailty_scale": 6, "treatment_ceiling": "ward_based",
                                 "prognosis": "years"})
    said = {a.code: a.text for a in plan.do_now}
    assert "goals_of_care" in said and "end of life" not in said["goals_of_care"]
    assert "goals_of_care_end_of_life" not in said
    assert "cancer_red_flags" in said


def test_a_declined_feeding_tube_is_respected() -> None:
    """V2 P2 (omission): nasogastric and gastrostomy feeding proposed after the patient declined
    tube feeding."""
    plan = make_plan(organs={"dysphagia": "severe"}, preferences={"declines": ["tube_feeding"]})
    assert "respected" in next(a.text for a in plan.do_now if a.code == "tube_feeding_declined")
    said = do_now(plan)
    assert "severe_dysphagia_tube_declined" in said and "severe_dysphagia" not in said

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
    assert "goals_of_care" in do_now(plan)


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

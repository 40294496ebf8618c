"""Specialist review X (December 2026): heart and breathing-muscle involvement (X1), swallowing
and nutrition (X2). SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_heart_involvement_settling_on_treatment_gets_no_iv_pulses() -> None:
    """X1 P4 (dangerous): IV pulses and induction-dose prednisolone for heart involvement whose
    troponin I fell from 310 to 45 four months after heart block."""
    plan = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=5, organs={"cardiac": "confirmed"},
                     lab_results=[lab("troponin_i", 310, "ng/L", 34, "2026-08-05"),
                                  lab("troponin_i", 45, "ng/L", 34, "2026-11-28")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-07-01"},
                                 {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2026-08-10"}])
    said = do_now(plan)
    assert "cardiac_involvement_settling" in said and "cardiac_involvement_confirmed" not in said
    assert not any("pulses" in e for r in plan.regimens for e in r.first_choice)
    # still rising: the urgent line and pulses stay
    rising = make_plan(organs={"cardiac": "confirmed"},
                       lab_results=[lab("troponin_i", 60, "ng/L", 34, "2026-11-01"),
                                    lab("troponin_i", 140, "ng/L", 34, "2026-11-28")])
    assert "cardiac_involvement_confirmed" in do_now(rising)


def test_confirmed_pulmonary_hypertension_is_not_told_to_look_for_it() -> None:
    """X1 P3 (wrong): 'look for pulmonary hypertension' beside a right-heart-catheter
    diagnosis."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     organs={"pulmonary_hypertension": "confirmed"},
                     lung={"date": "2026-11-20", "dlco_percent_predicted": 28,
                           "fvc_percent_predicted": 61})
    assert "pulmonary_hypertension_screen" not in do_now(plan)
    assert "pulmonary_hypertension_confirmed" in do_now(plan)


def test_no_new_immunosuppressant_or_pulses_beside_an_active_pneumonia() -> None:
    """X2 P6 (dangerous): azathioprine and IV pulses added during an aspiration pneumonia on
    oxygen, beside 'continue the glucocorticoid without raising it'."""
    plan = make_plan(months_since_onset=3, organs={"dysphagia": "severe"},
                     systemic={"fever": True}, comorbidities={"active_infection": True},
                     labs={"enzymes": {"ck": {"value": 3900, "uln": 200}}},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-20"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add ") or "pulses" in e for e in muscle.first_choice)
    assert muscle.alternatives[0].startswith("once the infection is treated")


def test_a_low_igg_on_full_dose_ivig_is_explained_not_replaced() -> None:
    """X1 P6 (wrong): 'immunoglobulin replacement considered' for IgG 4.2 on monthly IVIG."""
    plan = make_plan(lab_results=[lab("igg", 4.2, "g/L")],
                     treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2021-01-01"},
                                 {"therapy": "rituximab", "dose_value": 1, "dose_unit": "g",
                                  "start": "2026-06-01"}])
    said = {a.code: a.text for a in plan.do_now}
    assert "implausible" in said["low_igg_on_ivig"]
    assert "recurrent_infections_on_b_cell_depletion" not in said


def test_an_unclassified_adult_treated_as_myositis_gets_the_basic_cancer_screen_now() -> None:
    """X2 P8 (wrong): 'cancer screening follows the diagnosis' for a man of 56 on IV pulses and
    prednisolone before the work-up, tube-fed, with a recent PE."""
    unclassified = {"id": "SYN-X8", "label": "SYNTHETIC", "sex": "male", "today": "2026-12-01",
                    "date_of_birth": "1970-03-01", "months_since_onset": 2,
                    "diagnosis": {"treatment_cannot_wait": True},
                    "classification": {"age_at_onset": 56,
                                       "weakness": {"proximal_upper": True}},
                    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                    "dose_unit": "mg/day", "start": "2026-11-25"}]}
    plan = make_plan(unclassified)
    assert any(t.startswith("basic (treated before classification)")
               for t in plan.cancer_screening.tests_due)


def test_a_falling_fvc_with_a_normal_hrct_on_methotrexate_is_not_pneumonitis() -> None:
    """X2 P2 (wrong): bronchoscopy for 'methotrexate pneumonitis' in an anti-SRP man whose FVC
    fell from weak breathing muscles, with a normal HRCT."""
    plan = make_plan(antibodies={"srp": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     organs={"respiratory_muscle_weakness": True},
                     lung={"date": "2026-11-20", "fvc_percent_predicted": 58,
                           "hrct_pattern": "normal", "course": "progressive"},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2026-06-01"}])
    assert not any("pneumonitis" in a.text for a in plan.do_now)

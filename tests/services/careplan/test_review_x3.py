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

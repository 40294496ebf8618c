"""Findings of blind specialist review Z27 (SYNTHETIC patients) and the Z26 leftovers."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import lab, make_plan


def _quiet_frail(**extra: Any) -> dict[str, Any]:
    core = {"physician_global": 4, "patient_global": 5, "extramuscular_global": 4,
            "mmt8": 62, "haq": 1.6}
    base: dict[str, Any] = dict(
        classification={"age_at_onset": 70}, months_since_onset=60,
        labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
        lab_results=[lab("ck", 90, "U/L", uln=200)],
        visits=[{"date": "2026-06-01", "core_set": core},
                        {"date": "2026-11-25", "core_set": core}],
                treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-01-01",
                             "dose_value": 5, "dose_unit": "mg/day"},
                            {"therapy": "mycophenolate", "start": "2022-03-01",
                             "dose_value": 2000, "dose_unit": "mg/day",
                             "response": "partial"}])
    return {**base, **extra}


def test_a_quiet_muscle_in_a_frail_patient_is_not_a_missed_target() -> None:
    # Z26c P3 (dangerous): rituximab offered for a muscle with a normal CK in a frail patient
    # with pulmonary hypertension, read as 'inadequate response' (H840)
    for extra in ({"care_goals": {"frailty_scale": 6}},
                  {"organs": {"pulmonary_hypertension": "confirmed"}}):
        plan = make_plan(**_quiet_frail(**extra))
        muscle = next(r for r in plan.regimens if r.domain == "muscle")
        assert muscle.state != "inadequate_response", (extra, muscle)
        assert not any("Rituximab" in e for e in muscle.first_choice), muscle
    fit = make_plan(**_quiet_frail(labs={"enzymes": {"ck": {"value": 900, "uln": 200}}},
                                   lab_results=[lab("ck", 900, "U/L", uln=200)],
                                   care_goals={"frailty_scale": 6}))
    assert next(r for r in fit.regimens if r.domain == "muscle").state == "inadequate_response"


def test_tacrolimus_starts_at_the_lower_end_below_egfr_30() -> None:
    # Z24c P8 (left partly fixed): a full-range tacrolimus start at eGFR 28
    ild = dict(systemic={"interstitial_lung_disease": True}, weight_kg=70,
               lung={"course": "progressive", "hrct_pattern": "nsip"})
    low = make_plan(**ild, lab_results=[lab("egfr", 28, "mL/min/1.73m2")])
    text = next(d.text for d in low.doses if d.therapy == "tacrolimus")
    assert text.startswith("3.5-4.2 mg/day"), text
    assert "eGFR below 30" in text
    normal = make_plan(**ild)
    assert next(d.text for d in normal.doses if d.therapy == "tacrolimus").startswith(
        "4.2-5.25 mg/day")

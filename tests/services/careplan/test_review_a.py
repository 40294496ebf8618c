"""Scenarios from specialist review A (December 2026, SYNTHETIC): eight older patients with
comorbidity; the tests hold the fixes for what the review found wrong or unsafe (H283-H291)."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, merge


def _lab(analyte: str, value: float, unit: str, date: str = "2026-11-28",
         uln: float | None = None) -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "date": date, "uln": uln}


def _egfr(value: float, date: str = "2026-11-28") -> dict[str, Any]:
    return _lab("egfr", value, "mL/min/1.73m2", date)


ADM_ON_STATIN: dict[str, Any] = merge(ADULT_DM, {
    "classification": {"weakness": {"proximal_upper": False, "proximal_lower": False},
                       "elevated_muscle_enzymes": False},
    "labs": {"enzymes": {"ck": {"value": 120, "uln": 200}}},
    "antibodies": {"mda5": {"status": "negative"}, "mi2": {"status": "negative"}},
    "other_medicines": ["statin"],
})


def test_a_statin_is_not_stopped_urgently_in_amyopathic_dm_with_a_normal_ck() -> None:
    amyopathic = make_plan(ADM_ON_STATIN)
    assert "statin_taken_with_myopathy" not in do_now(amyopathic)
    myopathy = make_plan(ADM_ON_STATIN, labs={"enzymes": {"ck": {"value": 3000, "uln": 200}}})
    assert do_now(myopathy).get("statin_taken_with_myopathy") == "urgent"


def test_a_statin_with_a_high_ck_and_negative_hmgcr_is_questioned() -> None:
    plan = make_plan(other_medicines=["statin"],
                     antibodies={"mi2": {"status": "negative"}, "tif1g": {"status": "positive"},
                                 "hmgcr": {"status": "negative"}},
                     labs={"enzymes": {"ck": {"value": 3800, "uln": 200}}})
    assert do_now(plan).get("statin_with_high_ck_hmgcr_negative") == "routine"


def _taking(therapy: str, value: float, unit: str, egfr: float) -> Any:
    return make_plan(treatments=[{"therapy": therapy, "dose_value": value, "dose_unit": unit,
                                  "start": "2023-01-01", "outcome": "ongoing"}],
                     lab_results=[_egfr(egfr)])


def test_a_dose_taken_above_the_kidney_ceiling_is_a_do_now_line() -> None:
    mtx = next(a for a in _taking("methotrexate", 15, "mg/week", 41).do_now
               if a.code == "dose_above_limit_methotrexate")
    assert "above the 12.5 mg/week ceiling" in mtx.text
    assert "dose_above_limit_methotrexate" not in do_now(_taking("methotrexate", 10,
                                                                 "mg/week", 41))
    assert "dose_above_limit_methotrexate" not in do_now(_taking("methotrexate", 15,
                                                                 "mg/week", 75))
    mmf = do_now(_taking("mycophenolate", 3, "g/day", 24))
    assert "dose_above_limit_mycophenolate" in mmf


def test_the_azathioprine_dose_line_applies_the_allopurinol_cut() -> None:
    plan = make_plan(weight_kg=71, other_medicines=["allopurinol"])
    line = next(d for d in plan.doses if d.therapy == "azathioprine")
    assert "0.5-0.75 mg/kg/day" in line.text and "allopurinol" in line.text
    usual = make_plan(weight_kg=71)
    assert "0.5-0.75" not in next(d for d in usual.doses if d.therapy == "azathioprine").text


def test_severe_dysphagia_on_oral_treatment_adds_pulses_by_vein_or_tube() -> None:
    from tests.services.careplan.test_safety_rules import visit

    plan = make_plan(organs={"dysphagia": "severe"}, months_since_onset=4,
                     visits=[visit("2026-09-01", 6, 50, 9000, 60),
                             visit("2026-11-20", 6, 49, 9900, 60)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-09-01",
                                  "outcome": "ongoing"}])
    assert plan.state.of("muscle") in ("active", "inadequate_response")
    said = " ".join(next(r for r in plan.regimens if r.domain == "muscle").first_choice)
    assert "Intravenous methylprednisolone pulses" in said and "nasogastric" in said


def test_a_slow_kidney_decline_on_methotrexate_is_named() -> None:
    plan = make_plan(treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                  "dose_unit": "mg/week", "start": "2022-01-01",
                                  "outcome": "ongoing"}],
                     lab_results=[_egfr(62, "2024-10-01"), _egfr(50, "2025-11-01"),
                                  _egfr(41, "2026-11-20")])
    assert "slow_renal_decline_on_methotrexate" in do_now(plan)
    steady = make_plan(treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                    "dose_unit": "mg/week", "start": "2022-01-01",
                                    "outcome": "ongoing"}],
                       lab_results=[_egfr(62, "2024-10-01"), _egfr(60, "2026-11-20")])
    assert "slow_renal_decline_on_methotrexate" not in do_now(steady)


def test_kidney_safety_at_a_high_ck_starts_lower_with_poor_or_unknown_kidney_function() -> None:
    def ck(value: float, egfr: float | None, age: int = 80) -> Any:
        base = merge(ADULT_DM, {"labs": {"enzymes": {"ck": {"value": value, "uln": 200}}},
                                "classification": {"age_at_onset": age}})
        base["lab_results"] = [] if egfr is None else [_egfr(egfr)]
        return make_plan(base)

    assert "very_high_ck_kidney_safety" in do_now(ck(6000, 40))
    assert "very_high_ck_kidney_safety" not in do_now(ck(6000, 90))
    assert "very_high_ck_kidney_safety" in do_now(ck(2800, None))
    assert "very_high_ck_kidney_safety" not in do_now(ck(2800, None, age=50))
    assert "very_high_ck_kidney_safety" in do_now(ck(11000, 90))


def test_a_small_strength_gain_with_ck_falling_a_third_is_not_still_improving() -> None:
    from myositis.services.state import muscle_improving
    from tests.services.careplan.conftest import make_record

    def record(ck_after: float) -> Any:
        visits = [{"date": d, "core_set": {"physician_global": 5, "patient_global": 5,
                                           "extramuscular_global": 1, "mmt8": m,
                                           "mmt_max": 150, "haq": 1}}
                  for d, m in (("2026-09-12", 112), ("2026-11-30", 114))]
        return make_record(visits=visits, lab_results=[
            _lab("ck", 3000, "U/L", "2026-09-12", 200), _lab("ck", ck_after, "U/L",
                                                             "2026-11-30", 200)])

    assert muscle_improving(record(2000)) is None
    assert muscle_improving(record(1400)) is not None


def test_doacs_and_ace_inhibitors_are_record_medicines_the_rules_read() -> None:
    falls = make_plan(other_medicines=["doac"], comorbidities={"falls": True})
    assert "falls_on_anticoagulant" in do_now(falls)
    potassium = make_plan(other_medicines=["ace_inhibitor_or_arb", "co_trimoxazole"])
    assert "co_trimoxazole_with_ace_inhibitor" in do_now(potassium)
    assert "co_trimoxazole_with_ace_inhibitor" not in do_now(
        make_plan(other_medicines=["co_trimoxazole"]))

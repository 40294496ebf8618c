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
    from myositis.services.muscle_trend import muscle_improving
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


def test_the_hydroxychloroquine_reduction_is_worked_out_below_the_ceiling() -> None:
    from myositis.services.careplan.hydroxychloroquine_course import hcq_week_plan

    assert hcq_week_plan(180) == "200 mg on 6 days a week"  # 36 kg child: 1,260 mg a week
    assert hcq_week_plan(350) == "200 mg every day, with 400 mg on 5 of them"
    assert hcq_week_plan(200) == "200 mg every day"
    child = make_plan(classification={"age_at_onset": 9}, months_since_onset=30, weight_kg=36,
                      treatments=[{"therapy": "hydroxychloroquine", "dose_value": 200,
                                   "dose_unit": "mg/day", "start": "2025-01-01",
                                   "outcome": "ongoing"}])
    text = next(a.text for a in child.do_now if a.code == "hydroxychloroquine_dose_above_5mg_kg")
    assert "200 mg on 6 days a week" in text and "400 mg" not in text


JDM_FLARE_ON_MTX: dict[str, Any] = merge(ADULT_DM, {
    "classification": {"age_at_onset": 10}, "months_since_onset": 24, "weight_kg": 38,
    "skin": {"cutaneous_ulceration": True},
    "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2024-11-09", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                    "start": "2024-11-09", "outcome": "ongoing"}],
})


def test_a_severe_jdm_flare_gets_child_doses_once_and_no_live_boosters() -> None:
    from tests.services.careplan.test_review_v2 import _flare_visits

    plan = make_plan(JDM_FLARE_ON_MTX, visits=_flare_visits(80, 79, 60))
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    said = " ".join(muscle.first_choice)
    assert "then oral prednisolone 1-2 mg/kg/day, maximum 60 mg" in said
    assert said.count("Intravenous methylprednisolone pulses") == 1
    assert not any("Intravenous immunoglobulin" in a for a in muscle.alternatives)
    assert "child_live_booster_on_low_dose_methotrexate" not in do_now(plan)


def test_progressive_fibrosis_is_judged_after_three_months_of_a_steroid_sparing_agent() -> None:
    def on_mmf(start: str) -> Any:
        return make_plan(systemic={"interstitial_lung_disease": True},
                         lung={"course": "progressive"},
                         treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                      "dose_unit": "g/day", "start": start,
                                      "outcome": "ongoing"}])

    early = do_now(on_mmf("2026-11-15"))
    assert "ild_progressing_early_in_treatment" in early
    assert "progressive_pulmonary_fibrosis" not in early
    late = do_now(on_mmf("2026-03-01"))
    assert "progressive_pulmonary_fibrosis" in late
    assert "ild_progressing_early_in_treatment" not in late


def test_skin_signs_recorded_absent_with_a_zero_extramuscular_global_are_inactive() -> None:
    from tests.services.careplan.test_safety_rules import visit

    def plan(skin: dict[str, bool]) -> Any:
        base = merge(ADULT_DM, {})
        base["skin"] = skin
        return make_plan(base, months_since_onset=30,
                         visits=[visit("2026-06-01", 0.5, 80, 150, 0, ext=0),
                                 visit("2026-11-20", 0.5, 80, 150, 0, ext=0)],
                         treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                      "dose_unit": "mg/week", "start": "2024-01-01",
                                      "outcome": "ongoing"}])

    assert plan({"heliotrope_rash": False, "gottron_papules": False}).state.of("skin") \
        == "stable"
    # nothing recorded is not "absent"
    assert plan({}).state.of("skin") == "active"


def test_a_switch_to_azathioprine_carries_the_thiopurine_genotype() -> None:
    from tests.services.careplan.test_safety_rules import visit

    plan = make_plan(months_since_onset=39, reproduction={"planning_conception": True},
                     immunogenetics={"tpmt": "intermediate", "nudt15": "normal"},
                     visits=[visit("2026-06-01", 0.5, 80, 150, 5),
                             visit("2026-11-20", 0.5, 80, 150, 5)],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2024-01-01",
                                  "outcome": "ongoing"}])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "switch to Azathioprine (TPMT or NUDT15 intermediate: start at 30-80 %" in said


def test_antisynthetase_arthritis_gets_a_joint_regimen_with_hrct_first() -> None:
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={"weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "skin": {}, "elevated_muscle_enzymes": False},
                     skin={"mechanics_hands": True}, systemic={"arthritis": True},
                     diagnosis={"subgroup": "asys"},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}})
    joints = next((r for r in plan.regimens if r.domain == "joints"), None)
    assert joints is not None, [r.domain for r in plan.regimens]
    assert joints.first_choice[0].startswith("HRCT and lung function first")
    assert any("Methotrexate if HRCT shows no ILD" in f for f in joints.first_choice)


def test_breastfeeding_on_high_dose_prednisolone_gets_feed_timing() -> None:
    def plan(dose: float) -> Any:
        return make_plan(reproduction={"breastfeeding": True}, treatments=[
            {"therapy": "glucocorticoids_oral", "dose_value": dose, "dose_unit": "mg/day",
             "start": "2026-11-01", "outcome": "ongoing"}])

    assert "breastfeeding_high_dose_prednisolone" in do_now(plan(30))
    assert "breastfeeding_high_dose_prednisolone" not in do_now(plan(10))


def test_a_known_normal_thiopurine_genotype_is_not_asked_for_again() -> None:
    plan = make_plan(weight_kg=70)  # ADULT_DM records TPMT and NUDT15 normal
    line = next(d for d in plan.doses if d.therapy == "azathioprine")
    assert "TPMT and NUDT15 recorded normal" in line.text


def test_ild_needing_oxygen_at_rest_starts_with_pulses_and_on_exertion_offers_them() -> None:
    at_rest = make_plan(systemic={"interstitial_lung_disease": True},
                        lung={"course": "progressive", "oxygen": "at_rest",
                              "hrct_pattern": "nsip_op"})
    lung = next(r for r in at_rest.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("Intravenous methylprednisolone pulses")
    # review E: exertional desaturation as the ILD progresses (not rapidly) offers pulses as
    # an option, not as the first choice
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "oxygen": "exertional",
                           "hrct_pattern": "nsip_op"})
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not lung.first_choice[0].startswith("Intravenous methylprednisolone pulses")
    assert lung.alternatives[0].startswith("Intravenous methylprednisolone pulses")
    early = next(a.text for a in plan.do_now if a.code == "ild_progressing_early_in_treatment")
    assert "multidisciplinary review" in early and "pulmonary rehabilitation" in early
    calm = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "stable", "oxygen": "none", "hrct_pattern": "nsip"})
    assert not any(f.startswith("Intravenous methylprednisolone pulses")
                   for r in calm.regimens if r.domain == "lung" for f in r.first_choice)


def test_an_earlier_course_at_a_higher_dose_is_not_read_as_taken_now() -> None:
    plan = make_plan(treatments=[
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2022-01-01", "stop": "2023-01-01", "outcome": "effective",
         "reason_stopped": "remission"},
        {"therapy": "methotrexate", "dose_value": 10, "dose_unit": "mg/week",
         "start": "2025-01-01", "outcome": "ongoing"}],
        lab_results=[_egfr(41)])
    assert "dose_above_limit_methotrexate" not in do_now(plan)

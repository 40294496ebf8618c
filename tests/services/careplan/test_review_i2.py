"""Scenarios from specialist review I2 (December 2026, SYNTHETIC; review I of an earlier session is
test_review_i.py): an inpatient consult fortnight and an outpatient follow-up month; the tests
hold the fixes for what the review found wrong or unsafe (H359-)."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_co_trimoxazole_that_may_treat_pjp_is_never_told_to_stop() -> None:
    plan = make_plan(months_since_onset=18, systemic={"fever": True, "dyspnoea_or_cough": True},
                     comorbidities={"active_infection": True},
                     lung={"oxygen": "at_rest", "hrct_pattern": "not_ild"},
                     other_medicines=["co_trimoxazole"],
                     lab_results=[lab("neutrophils", 0.8, "10^9/L"),
                                  lab("wbc", 2.4, "10^9/L"),
                                  lab("lymphocytes", 0.4, "10^9/L"),
                                  lab("platelets", 88, "10^9/L")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2025-01-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "severe_cytopenia_on_marrow_toxic_drug" in codes
    assert "co_trimoxazole_without_pjp_indication" not in codes
    assert "pjp_with_lymphopenia_on_immunosuppression" not in codes
    assert "methotrexate_co_trimoxazole" not in codes  # no 'avoid treatment doses' (re-score)
    cytopenia = next(a.text for a in plan.do_now
                     if a.code == "severe_cytopenia_on_marrow_toxic_drug")
    assert "never one that may be treating an infection" in cytopenia


def test_very_high_ck_with_kidney_injury_is_an_urgent_renal_emergency() -> None:
    plan = make_plan(labs={"enzymes": {"ck": {"value": 48000, "uln": 200}}},
                     lab_results=[lab("egfr", 17, "mL/min/1.73m2"),
                                  lab("potassium", 6.2, "mmol/L")])
    codes = do_now(plan)
    assert codes.get("very_high_ck_with_kidney_injury") == "urgent"
    with_ace = make_plan(labs={"enzymes": {"ck": {"value": 48000, "uln": 200}}},
                         other_medicines=["ace_inhibitor_or_arb"],
                         lab_results=[lab("egfr", 17, "mL/min/1.73m2"),
                                      lab("potassium", 6.2, "mmol/L")])
    assert "co_trimoxazole_with_ace_inhibitor" not in do_now(with_ace)
    assert "very_high_ck_kidney_safety" not in codes  # the oral-fluids line gives way
    text = next(a.text for a in plan.do_now if a.code == "very_high_ck_with_kidney_injury")
    assert "intravenous isotonic fluids" in text and "nephrology" in text
    on_dialysis = make_plan(labs={"enzymes": {"ck": {"value": 48000, "uln": 200}}},
                            comorbidities={"dialysis": True},
                            lab_results=[lab("potassium", 6.2, "mmol/L")])
    assert "very_high_ck_with_kidney_injury" not in do_now(on_dialysis)


ASYS_HEART = {"months_since_onset": 4, "weight_kg": 58,
              "antibodies": {"pl7": {"status": "positive"}, "mi2": {"status": "negative"}},
              "organs": {"cardiac": "suspected"},
              "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 60,
                              "dose_unit": "mg/day", "start": "2026-11-10",
                              "outcome": "ongoing"}]}


def test_suspected_myocarditis_with_a_raised_troponin_i_brings_pulses() -> None:
    plan = make_plan(**ASYS_HEART, lab_results=[lab("troponin_i", 180, "ng/L", uln=16),
                                                lab("potassium", 3.4, "mmol/L")])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert "methylprednisolone pulses for the heart involvement" in muscle.first_choice[0]
    assert "low_potassium_heart_or_glucocorticoids" in do_now(plan)
    # suspected on symptoms alone, troponin I normal: no pulses by this rule
    quiet = make_plan(**ASYS_HEART, lab_results=[lab("troponin_i", 5, "ng/L", uln=16)])
    muscle = next(r for r in quiet.regimens if r.domain == "muscle")
    assert not any("for the heart involvement" in f for f in muscle.first_choice)


def test_weaker_with_normal_enzymes_on_high_dose_glucocorticoids_is_no_urgent_flare() -> None:
    def visit(date: str, pg: float, ptg: float, mmt: int, haq: float, gc: float
              ) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": gc,
                "core_set": {"physician_global": pg, "patient_global": ptg, "mmt8": mmt,
                             "mmt_max": 150, "haq": haq}}
    plan = make_plan(months_since_onset=7, weight_kg=79,
                     labs={"enzymes": {"ck": {"value": 95, "uln": 200}}},
                     lab_results=[lab("ck", 140, "U/L", uln=200, date="2026-09-15"),
                                  lab("ck", 95, "U/L", uln=200, date="2026-11-26")],
                     visits=[visit("2026-09-15", 2, 3, 141, 0.75, 25),
                             visit("2026-11-26", 3, 6, 129, 1.5, 20)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-05-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2026-05-15",
                                  "outcome": "ongoing"}])
    assert plan.state.of("muscle") != "flare"
    codes = do_now(plan)
    assert "flare" not in codes
    assert codes.get("weaker_normal_enzymes_on_glucocorticoids") == "soon"


def test_pulses_running_are_completed_then_an_oral_or_tube_dose_follows() -> None:
    pulses = [{"therapy": "methylprednisolone_iv_pulse", "dose_value": 500, "dose_unit": "mg",
               "route": "iv", "start": "2026-11-30", "outcome": "ongoing"}]
    plan = make_plan(organs={"dysphagia": "severe"}, treatments=pulses)
    first = " ".join(next(r for r in plan.regimens if r.domain == "muscle").first_choice)
    assert "Complete the" in first and "by feeding tube" in first
    assert "Continue and optimise Intravenous methylprednisolone" not in first


def test_a_ventilated_patient_gets_the_intensive_care_line_and_thromboprophylaxis() -> None:
    plan = make_plan(organs={"respiratory_muscle_weakness": True},
                     lung={"oxygen": "ventilated"})
    codes = do_now(plan)
    assert codes.get("respiratory_muscle_weakness_ventilated") == "urgent"
    assert "respiratory_muscle_weakness" not in codes
    text = next(a.text for a in plan.do_now
                if a.code == "respiratory_muscle_weakness_ventilated")
    assert "suxamethonium" in text and "Pompe" in text
    assert "vte_prophylaxis_severe_weakness" in codes


TIF1G_OLD = {"classification": {"age_at_onset": 76}, "months_since_onset": 2,
             "antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
             "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 40,
                             "dose_unit": "mg/day", "start": "2026-11-10",
                             "outcome": "ongoing"}]}


def test_red_flags_with_anti_tif1g_put_ivig_before_an_antimetabolite() -> None:
    plan = make_plan(**TIF1G_OLD, cancer={"red_flags": ["weight_loss",
                                                        "postmenopausal_bleeding"]})
    first = next(r for r in plan.regimens if r.domain == "muscle").first_choice
    assert any("immunoglobulin" in f for f in first)
    assert not any("Azathioprine" in f or "Methotrexate" in f for f in first)


def test_a_cancer_cured_long_before_the_onset_keeps_the_pet_ct_statement() -> None:
    old = make_plan(**TIF1G_OLD, cancer={"red_flags": ["weight_loss"],
                                         "past_cancer": ["breast cancer 2015, in remission"]})
    assert any("PET-CT" in a and "not detected" in a
               for a in old.cancer_screening.additional)


def test_falling_neutrophils_on_azathioprine_are_acted_on() -> None:
    plan = make_plan(months_since_onset=11,
                     lab_results=[lab("neutrophils", 5.6, "10^9/L", date="2026-10-01"),
                                  lab("neutrophils", 3.2, "10^9/L", date="2026-10-30"),
                                  lab("neutrophils", 1.8, "10^9/L", date="2026-11-25")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 50,
                                  "dose_unit": "mg/day", "start": "2026-09-20",
                                  "outcome": "ongoing"}])
    assert do_now(plan).get("falling_neutrophils_on_marrow_toxic_drug") == "soon"
    steady = make_plan(months_since_onset=11,
                       lab_results=[lab("neutrophils", 3.9, "10^9/L", date="2026-10-01"),
                                    lab("neutrophils", 3.6, "10^9/L", date="2026-11-25")],
                       treatments=[{"therapy": "azathioprine", "start": "2026-09-20",
                                    "outcome": "ongoing"}])
    assert "falling_neutrophils_on_marrow_toxic_drug" not in do_now(steady)


def test_a_one_point_mmt_gain_after_a_year_is_no_longer_still_improving() -> None:
    def visit(date: str, mmt: int) -> dict[str, Any]:
        return {"date": date, "core_set": {"mmt8": mmt, "mmt_max": 150,
                                           "physician_global": 3}}
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=16, weight_kg=104,
                     lab_results=[lab("ck", 850, "U/L", uln=200, date="2026-06-03"),
                                  lab("ck", 900, "U/L", uln=200, date="2026-11-25")],
                     visits=[visit("2025-12-09", 132), visit("2026-06-10", 139),
                             visit("2026-11-25", 140)],
                     treatments=[{"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2025-09-06", "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "route": "oral",
                                  "start": "2025-09-20", "outcome": "ongoing"}])
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert not any("still improving" in b for b in muscle.basis)


def test_conception_planned_keeps_the_low_glucocorticoid_dose_steady() -> None:
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip"},
                     reproduction={"planning_conception": True, "pregnant": False},
                     visits=[{"date": d, "core_set": {"mmt8": 80, "physician_global": 0}}
                             for d in ("2026-02-01", "2026-06-01", "2026-11-20")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "mycophenolate", "start": "2024-06-01",
                                  "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(f.startswith("Taper") for f in muscle.first_choice)
    assert muscle.decision_point.startswith("Conception planned")
    assert "Taper glucocorticoids to stop first" not in muscle.decision_point


def test_severe_weakness_with_normal_enzymes_is_treated_as_the_disease() -> None:
    def visit(date: str, mmt: int) -> dict[str, Any]:
        return {"date": date, "glucocorticoid_mg_per_day": 20,
                "core_set": {"physician_global": 3 if mmt > 130 else 6, "patient_global": 3,
                             "mmt8": mmt, "mmt_max": 150, "haq": 0.75}}
    plan = make_plan(months_since_onset=7, weight_kg=79,
                     labs={"enzymes": {"ck": {"value": 95, "uln": 200}}},
                     visits=[visit("2026-09-15", 141), visit("2026-11-26", 104)],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-05-01",
                                  "outcome": "ongoing"}])
    assert "weaker_normal_enzymes_on_glucocorticoids" not in do_now(plan)

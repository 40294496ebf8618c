"""Scenarios from specialist review G2 (December 2026, SYNTHETIC; review G of an earlier session is
test_review_g.py): a month of a large adult
centre and a mixed paediatric and adult week with hard cases; the tests hold the fixes for what
the review found wrong or unsafe (H350-H352)."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, make_plan, withheld
from tests.services.careplan.test_review_v2 import _lab


def test_ivig_is_not_withheld_for_haemolysis_in_a_patient_never_given_it() -> None:
    falls = [_lab("haemoglobin", 125, "g/L", date="2026-10-01"),
             _lab("haemoglobin", 98, "g/L", date="2026-11-28")]
    never = make_plan(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                      lab_results=falls)
    assert "ivig" not in withheld(never) or "haemolysis" not in withheld(never)["ivig"]
    on_ivig = make_plan(antibodies={"hmgcr": {"status": "positive"},
                                    "mi2": {"status": "negative"}}, lab_results=falls,
                        treatments=[{"therapy": "ivig", "start": "2026-06-01",
                                     "outcome": "ongoing"}])
    assert "haemolysis" in " ".join(a.text for a in on_ivig.do_now) \
        or "haemolysis" in withheld(on_ivig).get("ivig", "")


def test_a_septic_hypoxaemic_patient_gets_no_pulses_in_the_lung_regimen() -> None:
    plan = make_plan(months_since_onset=40,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True, "fever": True},
                     comorbidities={"active_infection": True},
                     lung={"course": "progressive", "oxygen": "at_rest", "hrct_pattern": "nsip"},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("treat the infection first")
    assert not any("methylprednisolone pulses" in f for f in lung.first_choice)


def test_three_globals_a_centimetre_worse_with_steady_muscle_are_no_muscle_flare() -> None:
    def v(date: str, pg: float) -> dict[str, object]:
        return {"date": date, "core_set": {"physician_global": pg, "patient_global": pg + 1,
                                           "extramuscular_global": pg, "cmas": 50,
                                           "chaq": 0.25}}
    plan = make_plan(sex="female", classification={"age_at_onset": 11}, weight_kg=54,
                     months_since_onset=40, visits=[v("2026-05-10", 2), v("2026-11-20", 3)],
                     treatments=[{"therapy": "methotrexate", "start": "2026-01-01",
                                  "outcome": "ongoing"}])
    assert plan.state.of("muscle") != "flare"
    assert "flare" not in do_now(plan)
    assert "worse_muscle_quiet" in {f.code for f in plan.flags} | set(do_now(plan))


def test_very_high_ck_on_dialysis_gets_no_routine_iv_fluids() -> None:
    plan = make_plan(comorbidities={"dialysis": True},
                     labs={"enzymes": {"ck": {"value": 7200, "uln": 200}}})
    codes = do_now(plan)
    assert "very_high_ck_on_dialysis" in codes and "very_high_ck_kidney_safety" not in codes


def test_latent_tb_is_acted_on_before_a_diagnosis_is_made() -> None:
    undiagnosed = {"id": "SYN-G-U", "sex": "male", "today": "2026-12-01",
                   "classification": {"age_at_onset": 52,
                                      "weakness": {"proximal_lower": True}},
                   "infection_screening": {"tb_test": {"result": "positive"}}}
    assert "latent_tb_treat_first" in do_now(make_plan(undiagnosed))


def test_co_trimoxazole_in_a_suspected_renal_crisis_prefers_atovaquone() -> None:
    plan = make_plan(antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
                     organs={"new_hypertension": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-09-01",
                                  "outcome": "ongoing"}])
    line = next(a.text for a in plan.do_now if a.code == "co_trimoxazole_in_renal_crisis")
    assert "atovaquone" in line


def test_a_mildly_raised_alt_on_methotrexate_brings_the_next_check_forward() -> None:
    def plan_with(alt: float) -> CarePlan:
        return make_plan(labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                         lab_results=[_lab("alt", alt, "U/L", uln=40)],
                         treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                      "dose_unit": "mg/week", "start": "2025-01-01",
                                      "outcome": "ongoing"}])
    assert "alt_mildly_raised_with_normal_ck" in do_now(plan_with(66))
    assert "alt_mildly_raised_with_normal_ck" not in do_now(plan_with(50))


def test_a_high_glucocorticoid_dose_brings_the_emergency_card_from_the_start() -> None:
    plan = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-20",
                                  "outcome": "ongoing"}])
    assert "adrenal_safety_long_term_glucocorticoid" in do_now(plan)
    low = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                 "dose_unit": "mg/day", "start": "2026-11-20",
                                 "outcome": "ongoing"}])
    assert "adrenal_safety_long_term_glucocorticoid" not in do_now(low)


def test_jdm_active_after_a_year_of_methotrexate_asks_for_a_second_line_agent() -> None:
    from tests.services.careplan.test_safety_rules import visit
    plan = make_plan(sex="male", classification={"age_at_onset": 8}, weight_kg=25,
                     months_since_onset=18,
                     visits=[visit("2026-06-01", 4, 60, 900, 10),
                             visit("2026-11-20", 4, 60, 950, 10)],
                     treatments=[{"therapy": "methotrexate", "start": "2025-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-06-01",
                                  "outcome": "ongoing"}])
    assert "jdm_target_missed_first_line" in do_now(plan)


def test_a_liver_alt_is_not_a_muscle_enzyme_signal() -> None:
    from myositis.services.course import course
    from tests.services.careplan.conftest import make_record

    def v(date: str, alt: float) -> dict[str, object]:
        return {"date": date, "core_set": {"physician_global": 1, "patient_global": 1,
                                           "extramuscular_global": 0, "mmt8": 80, "haq": 0},
                "labs": {"enzymes": {"ck": {"value": 120, "uln": 200},
                                     "alt": {"value": alt, "uln": 40}}}}
    record = make_record(visits=[v("2026-06-01", 32), v("2026-11-20", 146)])
    signals = course(record).signals
    assert not any("muscle enzyme" in s for s in signals)

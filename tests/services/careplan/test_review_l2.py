"""Scenarios from specialist review L2 (December 2026, SYNTHETIC; review L of an earlier session is
test_review_l.py): a typical myositis clinic list and a myositis-ILD clinic; the tests hold the
fixes for what the review found wrong or unsafe (H388-)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan


def test_fever_with_a_rapidly_progressive_lung_on_methotrexate_suspects_pjp_first() -> None:
    plan = make_plan(months_since_onset=16, systemic={"fever": True,
                                                      "interstitial_lung_disease": True,
                                                      "dyspnoea_or_cough": True},
                     lung={"course": "rapidly_progressive", "oxygen": "exertional",
                           "hrct_pattern": "other"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2025-07-03",
                                  "outcome": "ongoing"},
                                 {"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2025-08-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert codes.get("pjp_pneumonia_suspected") == "urgent"
    # treatment, not prophylaxis: no prophylaxis line beside it (re-score of review L)
    assert not {"pjp_prophylaxis_due_glucocorticoid_dose", "pjp_prophylaxis_soon",
                "co_trimoxazole_advised_with_methotrexate_taken"} & set(codes)
    lung = next(r for r in plan.regimens if r.domain == "lung")
    # not anti-MDA5: infection first, the escalation waits (re-score of review L)
    assert lung.first_choice == [lung.first_choice[0]]
    assert lung.first_choice[0].startswith("exclude infection and drug pneumonitis first")
    assert "methotrexate stopped" in lung.first_choice[0]
    assert all(a.startswith("once infection is treated") for a in lung.alternatives[:1])


def test_tacrolimus_is_cautioned_with_a_high_potassium_or_kidney_risk() -> None:
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     comorbidities={"diabetes": True},
                     other_medicines=["ace_inhibitor_or_arb"],
                     lab_results=[lab("potassium", 5.3, "mmol/L"),
                                  lab("egfr", 38, "mL/min/1.73m2")],
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    tacrolimus = next(o for o in plan.options if o.therapy == "tacrolimus")
    conditions = {c.condition for c in tacrolimus.cautions}
    assert {"calcineurin_potassium_kidney_risk", "calcineurin_diabetes"} <= conditions


def test_a_cyclophosphamide_pulse_is_capped_and_large_numbers_print_plainly() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import dose_line
    from myositis.services.careplan.rules import _readable
    from tests.services.careplan.conftest import make_record
    assert _readable(1000.0) == "1000" and _readable(2.75) == "2.75"
    entry = next(d for d in load().doses if d.therapy == "cyclophosphamide")
    line = dose_line(entry, "Cyclophosphamide", make_record(weight_kg=95, height_cm=190))
    assert "maximum 1.2 g" in line.text and "-1.2 g" in line.text  # BSA 2.24 m2 would give 2.2


def test_a_planned_ivig_taper_with_stable_strength_is_held_not_doubled() -> None:
    visits = [{"date": d, "core_set": {"physician_global": 2, "mmt8": 74}}
              for d in ("2026-06-01", "2026-11-25")]
    plan = make_plan(antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=24, visits=visits,
                     lab_results=[lab("ck", 520, "U/L", uln=200)],
                     treatments=[{"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg",
                                  "start": "2025-01-01", "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "ivig_below_standard_dose_while_active" not in codes
    assert plan.state.of("muscle") == "active"  # residual CK, strength steady
    assert "ivig_taper_while_active" in codes


def test_mmt8_at_one_visit_and_cmas_at_the_next_is_no_strength_fall() -> None:
    plan = make_plan(classification={"age_at_onset": 8}, weight_kg=45, months_since_onset=60,
                     visits=[{"date": "2025-09-08", "core_set": {"physician_global": 0,
                                                                 "cmas": 52, "mmt8": 80,
                                                                 "mmt_max": 80}},
                             {"date": "2026-11-20", "core_set": {"physician_global": 0.2,
                                                                 "patient_global": 1,
                                                                 "cmas": 52}}])
    assert not any("80 to 52" in f.text for f in plan.flags)
    assert plan.state.of("muscle") != "flare"


def test_an_undated_cough_beside_a_recently_stable_lung_does_not_hold_the_taper() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.phenotype import complications
    from myositis.services.state import disease_state
    from tests.services.careplan.conftest import make_record

    def found(lung_date: str) -> set[str]:
        record = make_record(antibodies={"mda5": {"status": "positive"},
                                         "mi2": {"status": "negative"}},
                             months_since_onset=6,
                             systemic={"dyspnoea_or_cough": True,
                                       "interstitial_lung_disease": True},
                             lung={"course": "stable", "hrct_pattern": "nsip",
                                   "date": lung_date})
        return complications(record, ["dm"], disease_state(record, load(), ["dm"]))
    assert "mda5_lung_warning" not in found("2026-11-01")
    assert "mda5_lung_warning" in found("2026-01-01")


def test_tacrolimus_that_works_is_kept_while_potassium_is_corrected() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
                     months_since_onset=6, systemic={"interstitial_lung_disease": True},
                     lung={"course": "stable", "hrct_pattern": "nsip"},
                     lab_results=[lab("potassium", 5.1, "mmol/L"),
                                  lab("egfr", 56, "mL/min/1.73m2")],
                     treatments=[{"therapy": "tacrolimus", "start": "2026-06-01",
                                  "outcome": "ongoing"}])
    texts = " ".join(a.text for a in plan.do_now)
    assert "another agent may suit better" not in texts
    assert "prefer another agent" not in texts


def test_no_teratogen_warning_for_a_drug_nobody_proposes_in_remission_off_treatment() -> None:
    quiet = [{"date": d, "core_set": {"physician_global": 0, "cmas": 52}}
             for d in ("2025-12-01", "2026-06-01", "2026-11-20")]
    plan = make_plan(sex="female", classification={"age_at_onset": 8}, weight_kg=50,
                     months_since_onset=72, visits=quiet,
                     treatments=[{"therapy": "methotrexate", "start": "2021-01-01",
                                  "stop": "2025-05-01", "outcome": "effective",
                                  "reason_stopped": "remission"}])
    assert plan.state.of("muscle") == "remission"
    assert not {"contraception_with_teratogen",
                "contraception_with_teratogen_not_recorded"} & set(do_now(plan))

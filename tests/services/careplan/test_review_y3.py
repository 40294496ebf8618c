"""Specialist review Y (December 2026): diagnostic work-up clinic (Y1), function and
rehabilitation (Y2). SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan

UNCLASSIFIED = {"id": "SYN-Y", "label": "SYNTHETIC", "sex": "female", "today": "2026-12-01",
                "date_of_birth": "1955-05-01", "months_since_onset": 2,
                "classification": {"age_at_onset": 71, "weakness": {"proximal_upper": True,
                                                                     "proximal_lower": True}},
                "labs": {"enzymes": {"ck": {"value": 55, "uln": 170}}}}


def test_an_unclassified_weakness_with_normal_ck_is_not_pushed_to_induction_doses() -> None:
    """Y1 P5 (dangerous): 'below the usual induction range (40-60 mg/day); review the dose' for
    a woman of 71 with polymyalgia on prednisolone 15 mg, CK normal, diabetes and a fracture."""
    plan = make_plan(UNCLASSIFIED, lab_results=[lab("crp", 6, "mg/L")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 15,
                                  "dose_unit": "mg/day", "start": "2026-11-01",
                                  "response": "complete"}])
    assert "gc_below_induction_adult" not in do_now(plan)


def test_strongyloides_is_in_the_work_up_draw_from_endemic_regions() -> None:
    """Y1 P3 (dangerous): no strongyloides screen for a woman born in Jamaica under work-up,
    with IV pulses proposed if myocarditis is confirmed."""
    plan = make_plan(UNCLASSIFIED, infection_screening={"strongyloides_endemic": True})
    assert "strongyloides_before_glucocorticoids" in do_now(plan)


def test_myocarditis_improving_on_treatment_is_not_re_pulsed() -> None:
    """Y2 P5 (dangerous): IV pulses for myocarditis four months in, troponin I 180 to 95."""
    plan = make_plan(antibodies={"srp": {"status": "positive"}}, diagnosis={"subgroup": "imnm"},
                     organs={"cardiac": "confirmed"}, months_since_onset=4,
                     lab_results=[lab("troponin_i", 180, "ng/L", 34, "2026-09-15"),
                                  lab("troponin_i", 95, "ng/L", 34, "2026-11-25")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-08-01"}])
    assert not any("pulses" in e for r in plan.regimens for e in r.first_choice)
    assert "cardiac_involvement_settling" in do_now(plan)


def test_a_negative_anti_hmgcr_is_not_asked_for_again() -> None:
    """Y1 P1 (wrong): 'a necrotising-range CK with a statin points to anti-HMGCR (test it)'
    beside a negative anti-HMGCR ELISA."""
    blot = {"antibodies": {"mi2": {"status": "negative"},
                           "pl7": {"status": "positive", "level": "weak"}},
            "antibody_tests": [{"antibody": "pl7", "result": "positive", "method": "line_blot",
                                "level": "weak", "date": "2026-09-20"}],
            "other_medicines": ["statin"]}
    untested = next(f.text for f in make_plan(**blot).flags if f.code == "weak_blot_only")
    assert "points to anti-HMGCR" in untested
    blot["antibodies"]["hmgcr"] = {"status": "negative"}
    tested = next(f.text for f in make_plan(**blot).flags if f.code == "weak_blot_only")
    assert "points to anti-HMGCR" not in tested


def test_active_antisynthetase_arthritis_gets_its_regimen_while_the_muscle_is_quiet() -> None:
    """Y2 P4 (wrong): active arthritis in antisynthetase syndrome (muscle and lung stable)
    ignored by 'no new agent; continue and taper glucocorticoids'."""
    visits = [{"date": d, "glucocorticoid_mg_per_day": 10,
               "core_set": {"physician_global": 1, "mmt8": 80, "mmt_max": 80}}
              for d in ("2026-06-01", "2026-11-25")]
    plan = make_plan(antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     diagnosis={"subgroup": "asys"}, months_since_onset=40, visits=visits,
                     systemic={"arthritis": True, "interstitial_lung_disease": True},
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     lung={"date": "2026-10-01", "hrct_pattern": "nsip", "course": "stable"},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2024-01-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2023-01-01"}])
    joints = next(r for r in plan.regimens if r.domain == "joints")
    assert not any(e.startswith("HRCT and lung function first") for e in joints.first_choice)
    assert any("not methotrexate" in e for e in joints.first_choice)

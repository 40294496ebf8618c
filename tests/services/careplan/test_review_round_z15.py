"""Specialist review round Z15 (SYNTHETIC patients): reproduction, overlap, older adults,
children in their first year and long-term follow-up."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan


def test_no_induction_dose_prompt_in_scleroderma_overlap() -> None:
    """Z15d P4 (dangerous): 'below the usual induction range; review the dose' beside a
    suspected scleroderma renal crisis in anti-PM/Scl overlap on 25 mg/day."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "pmscl": {"status": "positive"}},
                     organs={"sclerodactyly": True},
                     weight_kg=70,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                  "dose_unit": "mg/day", "start": "2026-11-10"}])
    assert "gc_below_induction_adult" not in do_now(plan)
    plain = make_plan(weight_kg=70, treatments=[{"therapy": "glucocorticoids_oral",
                                                 "dose_value": 25, "dose_unit": "mg/day",
                                                 "start": "2026-11-10"}])
    assert "gc_below_induction_adult" in do_now(plain)


def test_warfarin_is_named_as_a_teratogen_when_pregnancy_is_planned() -> None:
    """Z15d P7: warfarin after a DVT never named as a teratogen for a woman planning
    pregnancy."""
    plan = make_plan(other_medicines=["warfarin"], reproduction={"planning_conception": True})
    assert "warfarin_pregnancy" in do_now(plan)


def test_a_flat_raised_ck_in_dated_results_with_normal_strength_is_stable() -> None:
    """Z15c P3 (dangerous): prednisolone 35-60 mg/day and azathioprine for anti-HMGCR IMNM
    stable for two years (MMT-8 147/150, physician global 1, CK 430-480 in dated results)."""
    from tests.services.careplan.conftest import lab
    plan = make_plan(
        diagnosis={"subgroup": "imnm"}, months_since_onset=90,
        skin={"heliotrope_rash": False, "gottron_papules": False},
        classification={"skin": {"heliotrope_rash": False, "gottron_papules": False}},
        antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
        labs={"enzymes": {}},
        lab_results=[lab("ck", 480, "U/L", 170, "2025-11-11"), lab("ck", 430, "U/L", 170,
                                                                   "2026-11-17")],
        treatments=[{"therapy": "ivig", "dose_value": 1, "dose_unit": "g/kg",
                     "start": "2022-06-01"},
                    {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
                     "start": "2019-06-01"}],
        visits=[{"date": "2025-11-11", "core_set": {"physician_global": 1, "mmt8": 146,
                                                     "mmt_max": 150}},
                {"date": "2026-05-12", "core_set": {"physician_global": 1, "mmt8": 146,
                                                     "mmt_max": 150}},
                {"date": "2026-11-17", "core_set": {"physician_global": 1, "mmt8": 147,
                                                     "mmt_max": 150}}])
    assert plan.state.of("muscle") == "stable"


def test_cyclophosphamide_replaces_the_antimetabolite_taken_now() -> None:
    """Z15b P3 (dangerous): mycophenolate continued beside new cyclophosphamide and tacrolimus
    in anti-MDA5 RP-ILD with lymphocytes 0.45."""
    plan = make_plan(
        antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True},
        lung={"course": "rapidly_progressive", "hrct_pattern": "nsip_op"},
        treatments=[{"therapy": "mycophenolate", "dose_value": 1000, "dose_unit": "mg/day",
                     "start": "2026-11-15"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 40,
                     "dose_unit": "mg/day", "start": "2026-11-15"}])
    said = " ".join(e for r in plan.regimens for e in r.first_choice)
    assert "Cyclophosphamide" in said
    assert "Continue Mycophenolate" not in said
    assert "Stop Mycophenolate mofetil when cyclophosphamide starts" in said


def test_anti_mda5_seroconversion_is_read_as_such() -> None:
    """Z15c P5: anti-MDA5 negative since 2024 after earlier positives, warned of as if new."""
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "negative"}},
                     antibody_tests=[
                         {"antibody": "mda5", "result": "positive", "method": "elisa",
                          "date": "2020-02-05"},
                         {"antibody": "mda5", "result": "negative", "method": "elisa",
                          "date": "2026-10-20"}],
                     # in remission on tacrolimus, as in the review; an untreated patient's
                     # positive-then-negative is a disagreement between tests (Z29c P8)
                     treatments=[{"therapy": "tacrolimus", "start": "2020-03-01",
                                  "dose_value": 3, "dose_unit": "mg/day"}])
    assert "anti_mda5_seroconverted" in do_now(plan)


def test_a_slow_egfr_decline_on_tacrolimus_is_flagged() -> None:
    """Z15c P5: eGFR 112, 88, 71 over four years on tacrolimus, 'working: keep it'."""
    from tests.services.careplan.conftest import lab
    plan = make_plan(treatments=[{"therapy": "tacrolimus", "dose_value": 3, "dose_unit": "mg/day",
                                  "start": "2020-02-16"}],
                     lab_results=[lab("egfr", 112, "mL/min/1.73m2", date="2022-10-01"),
                                  lab("egfr", 88, "mL/min/1.73m2", date="2024-10-15"),
                                  lab("egfr", 71, "mL/min/1.73m2", date="2026-10-20")])
    assert "calcineurin_slow_kidney_decline" in do_now(plan)


def test_a_declined_biopsy_is_not_asked_for_again() -> None:
    """Z15a P4: 'biopsy before glucocorticoids' after a recorded, respected refusal; and no
    pre-treatment battery at frailty 7."""
    plan = make_plan(diagnosis={"subgroup": "unclassified"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}},
                     preferences={"declines": ["muscle_biopsy"]},
                     care_goals={"frailty_scale": 7}, infection_screening={})
    codes = set(do_now(plan))
    assert "undiagnosed_myopathy_safety" not in codes
    assert "undiagnosed_myopathy_biopsy_declined" in codes
    assert "screening_before_likely_immunosuppression" not in codes


def test_lupus_and_sjogren_overlaps_bring_their_own_care() -> None:
    """Z15d P7 and P8: lupus and Sjogren overlaps produced no lupus or sicca actions."""
    lupus = make_plan(diagnosis={"overlap_with": ["sle"]})
    assert "sle_overlap_care" in do_now(lupus)
    sjogren = make_plan(diagnosis={"overlap_with": ["sjogren"]})
    assert "sjogren_overlap_care" in do_now(sjogren)


def test_a_jdm_plateau_on_treatment_is_an_inadequate_response() -> None:
    """Z15b P4: CMAS 31 to 30 over ten weeks, five months into prednisolone and methotrexate,
    'continue and optimise' because the index against baseline read improvement."""
    plan = make_plan(date_of_birth="2016-03-01", weight_kg=35, height_cm=138,
                     diagnosis={"subgroup": "jdm"}, classification={"age_at_onset": 10},
                     months_since_onset=5,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                  "dose_unit": "mg/day", "start": "2026-06-20"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-06-25"}],
                     visits=[{"date": "2026-06-20", "core_set": {"physician_global": 7,
                                                                  "cmas": 18}},
                             {"date": "2026-09-15", "core_set": {"physician_global": 5,
                                                                  "cmas": 31}},
                             {"date": "2026-11-24", "core_set": {"physician_global": 5,
                                                                  "cmas": 30}}])
    assert plan.state.of("muscle") == "inadequate_response"

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

"""Specialist review N (December 2026): a pregnancy, postpartum and fertility clinic (N1) and an
onco-rheumatology and drug-induced myositis service (N2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, merge

ACTIVE_JDM_AT_17: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N1-P5", "label": "SYNTHETIC JDM at 17, active after two years, pregnant",
    "date_of_birth": "2009-05-01", "classification": {"age_at_onset": 14},
    "months_since_onset": 30, "weight_kg": 55, "diagnosis": {"subgroup": "jdm"},
    "reproduction": {"pregnant": True, "gestation_weeks": 9},
    "visits": [{"date": "2026-06-01", "core_set": {"physician_global": 5, "cmas": 38}},
               {"date": "2026-11-20", "core_set": {"physician_global": 5, "cmas": 37}}],
    "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                    "start": "2024-06-01", "outcome": "ongoing"},
                   {"therapy": "hydroxychloroquine", "dose_value": 200, "dose_unit": "mg/day",
                    "start": "2024-06-01", "outcome": "ongoing"}]})


def test_a_pregnant_teenager_with_jdm_off_target_is_not_told_to_add_mycophenolate() -> None:
    """N1 P5 (dangerous): 'add IVIG, mycophenolate or ciclosporin' at 9 weeks of pregnancy."""
    plan = make_plan(ACTIVE_JDM_AT_17)
    text = "\n".join(a.text for a in plan.do_now)
    assert "jdm_target_missed_first_line" not in do_now(plan)
    assert "IVIG, mycophenolate or ciclosporin" not in text
    line = next(a.text for a in plan.do_now if a.code == "jdm_target_missed_pregnant")
    assert "not mycophenolate" in line
    not_pregnant = make_plan(merge(ACTIVE_JDM_AT_17, {"reproduction": {"pregnant": False}}))
    assert "jdm_target_missed_first_line" in do_now(not_pregnant)


MDA5_RECOVERING: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-N1-P4", "label": "SYNTHETIC anti-MDA5 ILD recovering after an RP-ILD episode",
    "sex": "male", "months_since_onset": 8,
    "antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
    "systemic": {"rapidly_progressive_ild_suspected": True, "interstitial_lung_disease": True},
    "lung": {"date": "2026-11-02", "fvc_percent_predicted": 64, "dlco_percent_predicted": 45,
             "hrct_pattern": "nsip_op", "oxygen": "exertional", "course": "stable"},
    "lung_measures": [
        {"date": "2026-04-20", "fvc_percent_predicted": 52, "dlco_percent_predicted": 33,
         "hrct_pattern": "op", "oxygen": "at_rest", "course": "rapidly_progressive"},
        {"date": "2026-06-15", "fvc_percent_predicted": 57, "dlco_percent_predicted": 39,
         "hrct_pattern": "nsip_op", "oxygen": "exertional", "course": "stable"}],
    "treatments": [{"therapy": "tacrolimus", "dose_value": 6, "dose_unit": "mg/day",
                    "start": "2026-04-25", "outcome": "ongoing"},
                   {"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
                    "start": "2026-04-22", "outcome": "ongoing"}]})


def test_an_undated_rp_ild_tick_does_not_outrank_a_dated_recovery() -> None:
    """N1 P4: every dated lung measure improving since April, yet an undated 'RP-ILD suspected'
    tick brought intensive care, ECMO and repeat pulses."""
    plan = make_plan(MDA5_RECOVERING)
    codes = do_now(plan)
    assert codes.get("rp_ild_tick_superseded") == "soon"
    assert not any(f.code == "suspected_rp_ild" for f in plan.flags)
    assert plan.state is not None and plan.state.of("lung") != "flare"
    assert not any("ECMO" in a.text for a in plan.do_now)
    # a fall since the episode keeps the tick: the worst case is not argued away
    falling = merge(MDA5_RECOVERING, {"lung": {"fvc_percent_predicted": 49}})
    assert "rp_ild_tick_superseded" not in do_now(make_plan(falling))
    # and a tick without a dated episode behind it is a new suspicion
    no_episode = merge(MDA5_RECOVERING, {"lung_measures": []})
    assert "rp_ild_tick_superseded" not in do_now(make_plan(no_episode))


def test_azathioprine_is_capped_at_the_pregnancy_dose_while_she_plans_one() -> None:
    """N1 P2 and P6: 'azathioprine 2-3 mg/kg/day' for a woman trying to conceive."""
    from myositis.knowledge import load
    from myositis.services.careplan.dosing import limited
    from tests.services.careplan.conftest import make_record

    kb = load()
    entry = next(e for e in kb.doses if e.therapy == "azathioprine")
    planning = make_record(weight_kg=58, reproduction={"planning_conception": True})
    capped, why = limited(entry, planning)
    assert capped.high == 2 and "pregnancy" in why
    man = make_record(weight_kg=58, sex="male", reproduction={"planning_conception": True})
    assert limited(entry, man)[0].high == 3


def test_the_paternal_switch_does_not_offer_a_drug_that_failed() -> None:
    from myositis.knowledge import load

    rule = next(r for r in load().rules.rules if "partner pregnancy is planned: it is to be"
                in r.text)
    assert "not failed" in rule.text

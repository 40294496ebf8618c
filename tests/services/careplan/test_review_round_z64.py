"""Specialist review round Z64 (all patients SYNTHETIC): a stroke service, a bleeding disorders
centre, a paediatric intensive care unit and a metabolic myopathy and mimics clinic."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan, withheld


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


def _text(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _first(plan: CarePlan, domain: str) -> str:
    return " + ".join(next(r for r in plan.regimens if r.domain == domain).first_choice)


SEPTIC_PREGNANT_JDM: dict[str, Any] = dict(
    date_of_birth="2010-05-01", weight_kg=55, height_cm=162, months_since_onset=60,
    diagnosis={"subgroup": "jdm", "confirmed_on": "2021-12-01"},
    antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
    treatments=[{"therapy": "methotrexate", "start": "2022-01-10", "dose_value": 20,
                 "dose_unit": "mg/week", "outcome": "ongoing", "response": "partial"},
                {"therapy": "glucocorticoids_oral", "start": "2021-12-10", "dose_value": 10,
                 "dose_unit": "mg/day", "outcome": "ongoing"}],
    comorbidities={"active_infection": True, "sepsis": True},
    lab_results=[lab("wbc", 2.4, "10^9/L"), lab("neutrophils", 1.1, "10^9/L"),
                 lab("platelets", 88, "10^9/L")],
    reproduction={"pregnant": True, "gestation_weeks": 7})


def test_no_pregnancy_switch_into_neutropenia_and_septic_shock() -> None:
    """Review Z64c P3 (dangerous): 'switch to azathioprine or tacrolimus (in pregnancy
    switched now ...)' for a girl of 16 in septic shock with neutrophils of 1.1."""
    changes = _first(make_plan(**SEPTIC_PREGNANT_JDM), "treatment changes")
    assert "Stop Methotrexate" in changes
    assert "switch to Azathioprine" not in changes
    assert "switched now" not in changes
    assert "only once the finding that rules it out now" in changes


def test_the_pregnancy_switch_is_still_named_when_nothing_holds_it() -> None:
    calm = {**SEPTIC_PREGNANT_JDM, "comorbidities": {}, "lab_results": [
        lab("wbc", 6.1, "10^9/L"), lab("neutrophils", 3.9, "10^9/L")]}
    changes = _first(make_plan(**calm), "treatment changes")
    assert "switch to" in changes and "only once the finding" not in changes


MAS_CHILD: dict[str, Any] = dict(
    date_of_birth="2015-03-01", weight_kg=35, height_cm=142, months_since_onset=8,
    diagnosis={"subgroup": "jdm", "confirmed_on": "2026-04-01"},
    antibodies={"mi2": {"status": "negative"}},
    systemic={"fever": True},
    labs={"ferritin_ng_ml": 18000},
    lab_results=[lab("platelets", 45, "10^9/L"), lab("lymphocytes", 0.4, "10^9/L"),
                 lab("triglycerides", 4.5, "mmol/L"), lab("fibrinogen", 1.1, "g/L"),
                 lab("ast", 180, "U/L", uln=40)])


def test_macrophage_activation_does_not_withhold_ciclosporin_for_its_lymphopenia() -> None:
    """Review Z64c P7 (dangerous): ciclosporin withheld for lymphocytes of 0.4 beside the MAS
    line that names it as a first drug."""
    plan = make_plan(**MAS_CHILD)
    assert "macrophage_activation_syndrome_suspected" in _codes(plan)
    reason = withheld(plan).get("ciclosporin", "")
    assert "Infection risk high" not in reason


def test_lymphopenia_still_holds_a_calcineurin_start_outside_mas() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.rules import evaluate
    rule = next(r for r in load().rules.rules if r.id == "high_infection_risk_escalation")
    therapy = load().therapies["ciclosporin"]
    facts = {"lymphocytes": 0.4, "organ_threatening": False, "current_therapies": frozenset()}
    assert evaluate(rule.when, {**facts, "mas_suspected": False}, therapy) is True
    assert evaluate(rule.when, {**facts, "mas_suspected": True}, therapy) is False


def test_an_inr_of_three_point_one_with_a_mechanical_valve_is_not_called_high() -> None:
    """Review Z64a P4: INR 3.1 with a mechanical mitral valve read as 'above the usual target
    of 2-3', with a dose reduction."""
    base: dict[str, Any] = dict(other_medicines=["warfarin"],
                                lab_results=[lab("inr", 3.1, "ratio")])
    valve = make_plan(**base, comorbidities={"mechanical_heart_valve": True})
    assert "warfarin_inr_above_usual_range" not in _codes(valve)
    assert "warfarin_inr_above_usual_range" in _codes(make_plan(**base))
    high = make_plan(other_medicines=["warfarin"], lab_results=[lab("inr", 3.8, "ratio")],
                     comorbidities={"mechanical_heart_valve": True})
    assert "warfarin_inr_above_usual_range" in _codes(high)


def test_azathioprine_on_warfarin_warns_that_the_inr_rises_when_it_stops() -> None:
    """Review Z64a P7: azathioprine held beside warfarin after a brain haemorrhage, no INR
    warning."""
    plan = make_plan(other_medicines=["warfarin"],
                     treatments=[{"therapy": "azathioprine", "start": "2023-01-01",
                                  "dose_value": 100, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}])
    assert "azathioprine_with_warfarin_taken" in _codes(plan)
    assert "the INR rises" in _text(plan)


def test_a_booked_course_takes_the_new_agent_slot_even_when_not_an_alternative() -> None:
    """Review Z64b P3: rituximab booked for acquired haemophilia and DM, while the muscle
    regimen added azathioprine and IVIG to 60 mg/day of prednisolone."""
    plan = make_plan(date_of_birth="1954-01-01", weight_kg=62, height_cm=160,
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-16",
                                  "dose_value": 60, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}],
                     planned_treatments=[{"therapy": "rituximab", "start": "2026-12-03"}])
    muscle = _first(plan, "muscle")
    assert "Rituximab (planned: the decision recorded)" in muscle
    assert "add Azathioprine" not in muscle and "add Methotrexate" not in muscle


def test_the_planned_agent_first_step_never_promotes_a_withheld_course() -> None:
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_across_domains import planned_agent_first
    muscle = Regimen(domain="muscle", state="active",
                     first_choice=["Continue Oral glucocorticoids", "add Azathioprine"],
                     alternatives=["Methotrexate"], decision_point="")
    slow = frozenset({"Rituximab"})
    kept = planned_agent_first([muscle], frozenset({"Rituximab"}), frozenset({"Azathioprine"}),
                               withheld=frozenset({"Rituximab"}), unlisted_ok=slow)
    assert kept[0].first_choice == muscle.first_choice
    not_slow = planned_agent_first([muscle], frozenset({"Rituximab"}),
                                   frozenset({"Azathioprine"}))
    assert not_slow[0].first_choice == muscle.first_choice
    moved = planned_agent_first([muscle], frozenset({"Rituximab"}), frozenset({"Azathioprine"}),
                                unlisted_ok=slow)
    assert moved[0].first_choice[1] == "add Rituximab (planned: the decision recorded)"
    assert moved[0].alternatives[0] == "Azathioprine"


POMPE: dict[str, Any] = dict(
    date_of_birth="1988-02-01", months_since_onset=30,
    classification={"age_at_onset": 35, "weakness": {"proximal_upper": True,
                                                     "proximal_lower": True}},
    skin={}, antibodies={"mi2": {"status": "negative"}, "srp": {"status": "negative"},
                         "hmgcr": {"status": "negative"}},
    labs={"enzymes": {"ck": {"value": 600, "uln": 200}}},
    diagnosis={"not_myositis": "late-onset Pompe disease, GAA confirmed",
               "alternative": "metabolic_myopathy", "confirmed_on": "2026-11-20"},
    organs={"respiratory_muscle_weakness": True},
    treatments=[{"therapy": "methotrexate", "start": "2026-05-01", "dose_value": 15,
                 "dose_unit": "mg/week", "outcome": "ongoing"},
                {"therapy": "glucocorticoids_oral", "start": "2026-04-01", "dose_value": 20,
                 "dose_unit": "mg/day", "outcome": "ongoing"}],
    reproduction={"pregnant": False, "planning_conception": True, "contraception": ["none"]})


def test_a_mimics_breathing_weakness_does_not_keep_a_teratogen_or_admit_today() -> None:
    """Review Z64d P3: 'an organ is threatened: the pregnancy is postponed, not this
    treatment' for methotrexate in late-onset Pompe disease, and 'admit today'."""
    plan = make_plan(**POMPE)
    text = _text(plan)
    assert "the pregnancy is postponed, not this treatment" not in text
    assert "organ_threatening_admit" not in _codes(plan)
    assert "(acid maltase deficiency among them)" not in text
    assert "respiratory and neuromuscular teams lead" in text


def test_cleared_hepatitis_c_does_not_make_a_raised_alt_viral() -> None:
    """Review Z64b P2: 'treat as possible viral reactivation' with HBV DNA undetectable and
    HCV RNA negative."""
    plan = make_plan(lab_results=[lab("alt", 120, "U/L", uln=40)],
                     infection_screening={
                         "hbsag": {"result": "negative"}, "anti_hbc": {"result": "positive"},
                         "hbv_dna": {"result": "negative", "date": "2026-11-20"},
                         "hcv": {"result": "positive", "date": "2015-03-01"},
                         "hcv_rna": {"result": "negative", "date": "2026-11-20"},
                         "tb_test": {"result": "negative"}})
    assert "transaminases_raised_with_viral_hepatitis" not in _codes(plan)


def test_a_platelet_fall_alone_is_not_immunoglobulin_haemolysis() -> None:
    """Review Z64b P8: 'platelets 230 to 150: look for immunoglobulin-induced haemolysis'."""
    ivig = [{"therapy": "ivig", "start": "2026-01-01", "outcome": "ongoing"}]
    platelets = make_plan(treatments=ivig, lab_results=[
        lab("platelets", 230, "10^9/L", date="2026-10-01"),
        lab("platelets", 150, "10^9/L", date="2026-11-25")])
    assert not {"ivig_haemolysis", "ivig_haemolysis_hold"} & _codes(platelets)
    haemoglobin = make_plan(treatments=ivig, lab_results=[
        lab("haemoglobin", 130, "g/L", date="2026-10-01"),
        lab("haemoglobin", 108, "g/L", date="2026-11-25")])
    assert {"ivig_haemolysis", "ivig_haemolysis_hold"} & (
        _codes(haemoglobin) | set(withheld(haemoglobin)))


def test_booked_pulses_do_not_take_the_steroid_sparing_slot() -> None:
    """Re-score of review Z64d P5: 'IV methylprednisolone pulses (planned: the decision
    recorded)' replaced methotrexate in the first choice."""
    plan = make_plan(planned_treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                          "start": "2026-12-02"}])
    muscle = _first(plan, "muscle")
    assert "pulses (planned: the decision recorded)" not in muscle


def test_a_child_with_a_booked_rituximab_on_high_dose_prednisolone_gets_the_pjp_decision() -> None:
    """Re-score of review Z64c P4: a boy of 12 on 60 mg/day with rituximab booked."""
    plan = make_plan(sex="male", date_of_birth="2014-05-01", weight_kg=40, height_cm=150,
                     diagnosis={"subgroup": "imnm", "confirmed_on": "2026-10-01"},
                     antibodies={"srp": {"status": "positive"}, "mi2": {"status": "negative"}},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-10-05",
                                  "dose_value": 60, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}],
                     planned_treatments=[{"therapy": "rituximab", "start": "2026-12-05"}])
    assert "pjp_prophylaxis_child" in _codes(plan)


def test_child_wording_for_ivig_thromboprophylaxis_and_platelets_in_early_pregnancy() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.rules import fire
    kb = load()
    rules = {r.id: r for r in kb.rules.rules}
    ivig = fire(rules["ivig_immobilising_disease"], {"respiratory_muscle_weakness": True,
                                                     "child": True},
                kb.therapies["ivig"], kb.wording_swaps)
    assert ivig is not None and "in a child, pharmacological thromboprophylaxis only" in ivig.text
    platelets = fire(rules["low_platelets_in_pregnancy"], {"pregnant": True, "platelets": 60.0},
                     swaps=kb.wording_swaps)
    assert platelets is not None and "from 20 weeks pre-eclampsia or HELLP" in platelets.text


def test_an_inr_above_a_valve_target_is_worded_for_the_valve() -> None:
    plan = make_plan(other_medicines=["warfarin"], lab_results=[lab("inr", 3.8, "ratio")],
                     comorbidities={"mechanical_heart_valve": True})
    line = next(a.text for a in plan.do_now if a.code == "warfarin_inr_above_usual_range")
    assert "above even the 2.5-3.5 target of some mechanical valves" in line
    assert "usual target of 2-3" not in line

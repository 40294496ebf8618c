"""Findings of blind specialist review round Z11 (emergencies, reproduction and transition, lung-
dominant myositis, older adults with IBM and IMNM) fixed in December 2026. SYNTHETIC patients
only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import do_now, lab, make_plan, withheld

TEEN: dict[str, Any] = {
    "date_of_birth": "2010-03-01", "weight_kg": 52, "diagnosis": {"subgroup": "jdm"},
    "classification": {"age_at_onset": 12}, "months_since_onset": 40,
    "reproduction": {"pregnant": None, "planning_conception": False, "breastfeeding": False},
}


def test_a_teratogen_in_the_first_choice_carries_its_pregnancy_caveat() -> None:
    """Z11b P7 (dangerous): 'add mycophenolate' for a sexually active 16-year-old with a late
    period; the pregnancy-test caveat was only in another line."""
    plan = make_plan(**TEEN, treatments=[
        {"therapy": "methotrexate", "start": "2023-01-01", "stop": "2025-01-01",
         "reason_stopped": "inefficacy"},
        {"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
         "start": "2023-01-01"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    teratogens = [e for e in entries if "Mycophenolate" in e or "Methotrexate" in e]
    assert teratogens
    # under 18: the pregnancy test first, contraception if sexually active (review Z45a P2)
    assert all("a negative pregnancy test first, and effective contraception if she is" in e
               for e in teratogens if not e.startswith(("Continue", "Stop")))


def test_no_teratogen_caveat_with_effective_contraception() -> None:
    plan = make_plan(**{**TEEN, "reproduction": {"pregnant": False,
                                                 "effective_contraception": True}})
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any("a negative pregnancy test" in e for e in entries)


def test_nil_by_mouth_turns_the_oral_glucocorticoid_into_tube_or_iv() -> None:
    """Z11a P3 (dangerous): 'continue oral glucocorticoids' beside 'nil by mouth'."""
    plan = make_plan(organs={"dysphagia": "severe"},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-01"}])
    entries = [e for r in plan.regimens for e in r.first_choice
               if "Oral glucocorticoids" in e and not e.startswith(("Stop", "Taper"))]
    assert entries
    assert all("by nasogastric tube, or IV methylprednisolone" in e
               or "feeding tube" in e or "nasogastric" in e for e in entries)


MDA5_RPILD: dict[str, Any] = {
    "antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True, "rapidly_progressive_ild_suspected": True},
}


def test_a_low_white_count_without_a_differential_does_not_hold_cyclophosphamide_in_rp_ild() -> None:
    """Z11a P1 (dangerous): cyclophosphamide withheld for white cells 3.2 (lymphopenia) in
    anti-MDA5 RP-ILD."""
    plan = make_plan(**MDA5_RPILD, lab_results=[lab("wbc", 3.2, "10^9/L", None, "2026-11-30")])
    assert "cyclophosphamide" not in withheld(plan)


def test_nintedanib_waits_for_a_gi_bleed_to_stop() -> None:
    """Z11a P2 (dangerous): nintedanib added during an upper GI bleed."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "uip"},
                     organs={"gi_bleeding": True}, months_since_onset=30,
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01"}])
    assert withheld(plan).get("nintedanib", "").startswith("Active bleeding")


def test_an_organ_threatening_flare_during_an_infection_is_treated_beside_it() -> None:
    """Z11a P3 (dangerous): 'treat the infection first... no intensified immunosuppression' for
    anti-SRP with severe dysphagia, FVC 45 % and a raised troponin I."""
    visits = [{"date": "2026-11-13", "core_set": {"physician_global": 5, "mmt8": 92,
                                                  "mmt_max": 150}},
              {"date": "2026-11-30", "core_set": {"physician_global": 7, "mmt8": 70,
                                                  "mmt_max": 150}}]
    plan = make_plan(organs={"dysphagia": "severe"}, comorbidities={"active_infection": True},
                     visits=visits,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-10-01"}])
    flare = next(a for a in plan.do_now if a.code == "flare")
    assert "treat both at once" in flare.text
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("treat the infection, then reassess") for e in muscle.first_choice)


def test_a_fever_alone_waits_for_infection_to_be_excluded_not_treated() -> None:
    """Z11c P1 (dangerous): a disease-feature fever deferred mycophenolate 'until the infection is
    treated'."""
    plan = make_plan(systemic={"fever": True, "interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-01"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not lung.first_choice[0].startswith("treat the infection first")
    texts = [e for r in plan.regimens for e in (*r.first_choice, *r.alternatives)]
    assert not any("once the infection is treated" in e for e in texts)


def test_an_infection_found_beside_a_fast_lung_puts_the_infection_first() -> None:
    """Z11c P5 (dangerous): CMV viraemia with diffuse ground glass told to exclude infection
    'alongside the escalation'."""
    plan = make_plan(systemic={"interstitial_lung_disease": True},
                     lung={"course": "rapidly_progressive", "oxygen": "at_rest"},
                     antibodies={"mi2": {"status": "negative"}, "pl7": {"status": "positive"}},
                     infection_screening={"cmv_pcr": {"result": "positive"}},
                     treatments=[{"therapy": "mycophenolate", "start": "2025-01-01"}])
    actions = do_now(plan)
    assert actions.get("rp_ild_with_an_infection_found") == "urgent"
    assert "rp_ild_exclude_infection_alongside" not in actions


def test_an_ineffective_background_agent_is_reviewed_not_stopped_outright() -> None:
    """Z11c P7 (dangerous): 'Stop mycophenolate' as the first action in antisynthetase ILD."""
    plan = make_plan(treatments=[{"therapy": "mycophenolate", "start": "2024-01-01",
                                  "outcome": "ineffective"}], months_since_onset=40)
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert any(e.startswith("Review Mycophenolate mofetil: recorded as ineffective but still "
                            "taken") for e in entries)
    assert not any(e.startswith("Stop Mycophenolate") for e in entries)


def test_normal_enzymes_and_a_low_global_are_not_an_inadequate_response() -> None:
    """Z11c P4 (dangerous): rituximab for a frail woman with a normal CK and a global of 2.5
    after years of azathioprine 'with a partial response'."""
    plan = make_plan(months_since_onset=72, labs={"enzymes": {"ck": {"value": 90, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": {"physician_global": 2.5,
                                                                 "mmt8": 118, "mmt_max": 150}}],
                     treatments=[{"therapy": "azathioprine", "start": "2021-01-01",
                                  "response": "partial"}])
    muscle = next(d for d in plan.state.domains if d.domain == "muscle")
    assert muscle.state != "inadequate_response"


FRAIL: dict[str, Any] = {
    "classification": {"age_at_onset": 84}, "months_since_onset": 3,
    "care_goals": {"frailty_scale": 7, "treatment_ceiling": "ward_based",
                   "lacks_capacity": True},
}


def test_severe_frailty_brings_a_proportionate_time_limited_trial() -> None:
    """Z11d P7 (dangerous): pulses, glucocorticoids, IVIG and azathioprine for a frail
    85-year-old with dementia and a ward-based ceiling."""
    plan = make_plan(**FRAIL, diagnosis={"subgroup": "imnm"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Severe frailty, a limited ceiling")
    assert not any(e.removeprefix("add ").startswith("Intravenous methylprednisolone pulses")
                   for e in muscle.first_choice)
    assert not any(e.removeprefix("add ").startswith(("Azathioprine", "Mycophenolate",
                                                      "Methotrexate"))
                   for e in muscle.first_choice)


def test_a_prognosis_of_months_with_severe_frailty_starts_no_slow_agent() -> None:
    """Z11c P8 (dangerous): mycophenolate 2-3 g/day first for an 82-year-old with a prognosis of
    months, frailty 7 and no capacity."""
    plan = make_plan(**{**FRAIL, "care_goals": {**FRAIL["care_goals"], "prognosis": "months"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"})
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert not any(e.removeprefix("add ").startswith("Mycophenolate")
                   for e in lung.first_choice)


def test_an_imnm_label_without_antibody_biopsy_or_weakness_is_not_treated() -> None:
    """Z11d P8 (dangerous): 'statin IMNM' with no weakness, anti-HMGCR negative and TSH 28 given
    prednisolone 46-60 mg/day and azathioprine."""
    plan = make_plan(diagnosis={"subgroup": "imnm"},
                     classification={"weakness": {"proximal_upper": False,
                                                  "proximal_lower": False},
                                     "skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     antibodies={"mi2": {"status": "negative"},
                                 "hmgcr": {"status": "negative"}},
                     other_medicines=["statin", "colchicine"],
                     visits=[{"date": "2026-11-25", "core_set": {"physician_global": 1,
                                                                 "mmt8": 148,
                                                                 "mmt_max": 150}}])
    assert plan.phenotypes == []
    assert not plan.regimens or not any(
        "Oral glucocorticoids" in e for r in plan.regimens for e in r.first_choice
        if not e.startswith(("Continue", "Stop", "Taper")))


def test_from_75_the_cockcroft_gault_clearance_sets_the_kidney_threshold() -> None:
    """Z11d P7 (dangerous): methotrexate dosed by an eGFR of 32 at 85 and 60 kg (clearance
    about 24)."""
    plan = make_plan(sex="male", date_of_birth="1941-06-01", weight_kg=60,
                     classification={"age_at_onset": 85},
                     lab_results=[lab("creatinine", 170, "umol/L", None, "2026-11-20"),
                                  lab("egfr", 32, "mL/min/1.73m2", None, "2026-11-20")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                  "dose_unit": "mg/week", "start": "2026-01-01"}])
    assert "methotrexate_taken_egfr_below_30" in do_now(plan)
    assert any("Cockcroft-Gault clearance, lower than the reported eGFR 32" in p
               for p in plan.inputs_used)


def test_under_75_the_reported_egfr_stands() -> None:
    plan = make_plan(sex="male", date_of_birth="1966-06-01", weight_kg=60,
                     lab_results=[lab("creatinine", 170, "umol/L", None, "2026-11-20"),
                                  lab("egfr", 38, "mL/min/1.73m2", None, "2026-11-20")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 10,
                                  "dose_unit": "mg/week", "start": "2026-01-01"}])
    assert "methotrexate_taken_egfr_below_30" not in do_now(plan)


def test_no_denosumab_or_zoledronate_for_a_glucocorticoid_being_withdrawn_in_ibm() -> None:
    """Z11d P2 (dangerous): 'begin osteoporosis medication now... denosumab' for three weeks of
    prednisolone in IBM, being withdrawn."""
    plan = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 67},
                     date_of_birth="1959-01-01",
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 40,
                                  "dose_unit": "mg/day", "start": "2026-11-10"}])
    assert "giop_older_or_falling" not in do_now(plan)


def test_the_lymphopenia_pjp_line_names_atovaquone_with_low_counts_or_warfarin() -> None:
    """Z11d P6 (dangerous): co-trimoxazole for lymphopenia in a cytopenic patient on warfarin."""
    plan = make_plan(other_medicines=["warfarin"],
                     lab_results=[lab("lymphocytes", 0.5, "10^9/L", None, "2026-11-28"),
                                  lab("neutrophils", 1.1, "10^9/L", None, "2026-11-28")],
                     treatments=[{"therapy": "azathioprine", "start": "2024-01-01"}])
    text = next(a.text for a in plan.do_now
                if a.kb_entry == "pjp_with_lymphopenia_on_immunosuppression")
    assert "atovaquone instead with neutrophils or platelets already low, with warfarin" in text


def test_missed_doses_are_restored_before_a_new_agent() -> None:
    """Z11b P7 (dangerous): a flare after six weeks of missed methotrexate read as 'target
    missed - add mycophenolate'."""
    plan = make_plan(**{**TEEN, "reproduction": {"pregnant": False,
                                                 "effective_contraception": True}},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2023-01-01",
                                  "response": "partial", "adherence": "poor"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2023-01-01"}])
    actions = do_now(plan)
    assert actions.get("doses_missed_before_escalation") == "soon"
    assert "jdm_target_missed_first_line" not in actions
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any(e.startswith("add Mycophenolate") for e in entries)

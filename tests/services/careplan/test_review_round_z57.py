"""Specialist review round Z57 (all patients SYNTHETIC): an immunotherapy-toxicity service, a
memory clinic, a sports medicine clinic and a menopause clinic."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan, withheld

AZA = {"treatments": [{"therapy": "azathioprine", "start": "2025-08-01", "dose_value": 150,
                       "dose_unit": "mg/day", "outcome": "ongoing"}]}


def test_white_cells_below_3_5_on_azathioprine_are_acted_on_even_with_neutrophils_kept() -> None:
    """Review Z57d P5: white cells 3.2, lymphocytes 0.7, 'Continue azathioprine' with the next
    count in three months."""
    low = make_plan(**AZA, lab_results=[lab("wbc", 3.2, "10^9/L"),
                                        lab("neutrophils", 1.8, "10^9/L"),
                                        lab("egfr", 90, "mL/min/1.73m2")])
    assert "azathioprine" in withheld(low)
    changes = " ".join(e for r in low.regimens for e in r.first_choice)
    assert "Hold Azathioprine" in changes and "within a week" in changes
    assert "every 1-3 days" not in changes and "fall below 3.0" not in changes
    normal = make_plan(**AZA, lab_results=[lab("wbc", 5.2, "10^9/L"),
                                           lab("neutrophils", 3.1, "10^9/L"),
                                           lab("egfr", 90, "mL/min/1.73m2")])
    assert "azathioprine" not in withheld(normal)


def test_prednisolone_taken_when_not_myositis_is_stopped() -> None:
    """Review Z57b P8: prednisolone started by the GP for a hypothyroid myopathy."""
    pred = {"antibodies": {"mi2": {"status": "negative"}},
            "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-11-17",
                            "dose_value": 30, "dose_unit": "mg/day", "outcome": "ongoing"}]}
    thyroid = make_plan(**pred, diagnosis={"not_myositis": "hypothyroid myopathy",
                                           "alternative": "hypothyroid_myopathy"})
    assert "glucocorticoid_taken_when_not_myositis" in do_now(thyroid)
    # the stop line says when the adrenal line applies (re-score of review Z57b P8), and the
    # adrenal line stays for long use (re-score of review Z58b P8: surgical cover lost)
    line = next(a.text for a in thyroid.do_now
                if a.code == "glucocorticoid_taken_when_not_myositis")
    assert "the adrenal line then does not apply" in line
    long_use = make_plan(**{**pred, "treatments": [
        {"therapy": "glucocorticoids_oral", "start": "2023-11-17", "dose_value": 10,
         "dose_unit": "mg/day", "outcome": "ongoing"}]},
        diagnosis={"not_myositis": "fibromyalgia", "alternative": "fibromyalgia"})
    assert "adrenal_safety_long_term_glucocorticoid" in do_now(long_use)
    pmr = make_plan(**pred, diagnosis={"not_myositis": "polymyalgia rheumatica",
                                       "alternative": "polymyalgia_rheumatica"})
    assert "glucocorticoid_taken_when_not_myositis" not in do_now(pmr)


def test_nil_by_mouth_gets_no_liquid_medicines_advice() -> None:
    """Review Z57b P7: 'medicines in liquid or dispersible forms' while nil by mouth with weak
    breathing muscles and tube feeding declined."""
    organs = {"dysphagia": "severe", "respiratory_muscle_weakness": True}
    base = {"preferences": {"declines": ["tube_feeding"]}}
    nil = make_plan(**base, organs={**organs, "oral_intake": "nil_by_mouth"})
    text = " ".join(a.text for a in nil.do_now)
    assert "medicines in liquid or dispersible forms" not in text
    assert "non-oral route" in text
    assert "nebulised or IV pentamidine" in text  # PJP prophylaxis is not oral-only
    eating = make_plan(**base, organs={**organs, "oral_intake": "modified_texture"})
    assert "medicines in liquid or dispersible forms" in " ".join(a.text for a in eating.do_now)


def test_low_kidney_function_names_atovaquone_beside_methotrexate_before_rituximab() -> None:
    """Review Z57d P4: co-trimoxazole with methotrexate at eGFR 33 on an ACE inhibitor."""
    plan = make_plan(
        treatments=[{"therapy": "methotrexate", "start": "2026-02-01", "dose_value": 15,
                     "dose_unit": "mg/week", "outcome": "ongoing"}],
        planned_treatments=[{"therapy": "rituximab", "start": "2026-12-10", "dose_value": 1,
                             "dose_unit": "g", "route": "iv"}],
        lab_results=[lab("egfr", 33, "mL/min/1.73m2")])
    text = " ".join(a.text for a in plan.do_now)
    assert "with methotrexate a blood count 2-4 weeks after starting it" not in text
    allergic = make_plan(
        treatments=[{"therapy": "methotrexate", "start": "2026-02-01", "dose_value": 15,
                     "dose_unit": "mg/week", "outcome": "ongoing"}],
        planned_treatments=[{"therapy": "rituximab", "start": "2026-12-10", "dose_value": 1,
                             "dose_unit": "g", "route": "iv"}],
        allergies=["sulfonamide"], lab_results=[lab("egfr", 33, "mL/min/1.73m2")])
    text = " ".join(a.text for a in allergic.do_now)
    assert "co-trimoxazole at a dose reduced" not in text


def test_strong_patient_with_a_steady_ck_on_one_visit_is_stable_not_active() -> None:
    """Review Z57a P8: anti-HMGCR disease at MMT-8 76/80, physician global 1 cm, CK 430-450
    for months, called active on its single visit and given prednisolone 46-60 mg/day."""
    record = dict(
        antibodies={"hmgcr": {"status": "positive"}, "mi2": {"status": "negative"}},
        diagnosis={"subgroup": "imnm"},
        treatments=[{"therapy": "methotrexate", "start": "2024-05-01", "dose_value": 15,
                     "dose_unit": "mg/week", "outcome": "ongoing"}],
        visits=[{"date": "2026-11-20", "core_set": {
            "physician_global": 1, "patient_global": 2, "extramuscular_global": 0,
            "mmt8": 76, "mmt_max": 80, "haq": 0.25}}])
    steady = make_plan(**record, lab_results=[lab("ck", 430, "U/L", uln=200, date="2026-08-20"),
                                              lab("ck", 450, "U/L", uln=200, date="2026-11-20")])
    assert steady.state.of("muscle") == "stable"
    rising = make_plan(**record, lab_results=[lab("ck", 250, "U/L", uln=200, date="2026-08-20"),
                                              lab("ck", 450, "U/L", uln=200, date="2026-11-20")])
    assert rising.state.of("muscle") != "stable"


def test_checkpoint_inhibitor_planned_gets_baseline_and_monitoring() -> None:
    """Review Z57a P2 and P8: nivolumab booked in known myositis with no baseline troponin."""
    planned = make_plan(cancer={"treatment": [{"kind": "immune_checkpoint_inhibitor",
                                               "status": "planned", "start": "2026-12-10"}]})
    assert "checkpoint_inhibitor_planned_with_myositis" in do_now(planned)
    taken = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                      cancer={"treatment": [{"kind": "immune_checkpoint_inhibitor",
                                             "status": "planned", "start": "2026-12-10"}]})
    assert "checkpoint_inhibitor_planned_with_myositis" not in do_now(taken)


def test_statin_toxicity_line_stands_aside_on_a_checkpoint_inhibitor() -> None:
    """Review Z57a P3: 'not a myositis flare ... no myositis escalation on this CK alone' on
    nivolumab with severe weakness."""
    labs = [lab("ck", 3000, "U/L", uln=200), lab("egfr", 90, "mL/min/1.73m2")]
    plain = make_plan(other_medicines=["statin", "macrolide_antibiotic"], lab_results=labs)
    assert "statin_interaction_myotoxicity" in do_now(plain)
    ici = make_plan(other_medicines=["statin", "macrolide_antibiotic",
                                     "immune_checkpoint_inhibitor"], lab_results=labs)
    assert "statin_interaction_myotoxicity" not in do_now(ici)


def test_a_bisphosphonate_taken_is_reviewed_for_swallow_conception_and_kidney() -> None:
    """Review Z57d P3, P4 and P6: an oral bisphosphonate kept with dysphagia, while IVF was
    planned, and at eGFR 33."""
    bis = {"other_medicines": ["bisphosphonate"]}
    swallow = do_now(make_plan(**bis, organs={"dysphagia": "moderate"}))
    assert "bisphosphonate_taken_with_dysphagia" in swallow
    conception = do_now(make_plan(**bis, reproduction={"planning_conception": True,
                                                       "pregnant": False}))
    assert "bisphosphonate_taken_planning_conception" in conception
    kidney = do_now(make_plan(**bis, lab_results=[lab("egfr", 33, "mL/min/1.73m2")]))
    assert "bisphosphonate_taken_low_egfr" in kidney
    plain = do_now(make_plan(**bis))
    assert not {"bisphosphonate_taken_with_dysphagia", "bisphosphonate_taken_planning_conception",
                "bisphosphonate_taken_low_egfr"} & set(plain)


def test_comfort_care_weighs_endoscopy_and_physiotherapy_against_the_goals() -> None:
    """Review Z57b P4: GI endoscopy and strength physiotherapy for a nursing-home resident of
    89 with advanced dementia under comfort care."""
    goals = {"frailty_scale": 7, "treatment_ceiling": "comfort", "prognosis": "months"}
    base = dict(comorbidities={"falls": True},
                lab_results=[lab("haemoglobin", 95, "g/L"), lab("egfr", 60, "mL/min/1.73m2")])
    comfort = " ".join(a.text for a in make_plan(**base, care_goals=goals).do_now)
    assert "upper and lower GI endoscopy" not in comfort
    assert "physiotherapy for strength and balance" not in comfort
    full = " ".join(a.text for a in make_plan(**base).do_now)
    assert "physiotherapy for strength and balance" in full


def test_overdue_pjp_line_names_atovaquone_beside_methotrexate() -> None:
    """Review Z57c P7: co-trimoxazole advised beside methotrexate being withdrawn."""
    base = dict(treatments=[
        {"therapy": "glucocorticoids_oral", "start": "2026-06-01", "dose_value": 40,
         "dose_unit": "mg/day", "outcome": "ongoing"},
        {"therapy": "methotrexate", "start": "2026-08-01", "dose_value": 15,
         "dose_unit": "mg/week", "outcome": "ongoing"}])
    plan = make_plan(**base)
    line = next(a.text for a in plan.do_now if a.code == "pjp_prophylaxis_overdue_combination")
    assert "atovaquone with methotrexate taken or stopped in the last 2 weeks" in line


def test_a_bisphosphonate_on_dialysis_is_stopped_with_the_renal_team_not_switched() -> None:
    """Re-score of review Z58a P4: 'change it to IV zoledronic acid or denosumab' on
    haemodialysis with dysphagia."""
    plan = make_plan(other_medicines=["bisphosphonate"], organs={"dysphagia": "moderate"},
                     comorbidities={"dialysis": True})
    codes = do_now(plan)
    assert "bisphosphonate_taken_low_egfr" in codes
    assert "bisphosphonate_taken_with_dysphagia" not in codes
    line = next(a.text for a in plan.do_now if a.code == "bisphosphonate_taken_low_egfr")
    assert "stopped" in line and "renal team" in line

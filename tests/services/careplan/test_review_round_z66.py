"""Specialist review round Z66 (all patients SYNTHETIC): an adult myositis centre, paediatric
rheumatology, an ILD service and a neuromuscular clinic."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import (
    FLARE_VISITS,
    QUIET_VISITS,
    lab,
    make_plan,
    make_record,
    withheld,
)


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


def _text(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _regimen(plan: CarePlan, domain: str) -> list[str]:
    return next((r.first_choice for r in plan.regimens if r.domain == domain), [])


DRINKER_MISSING_MTX: dict[str, Any] = dict(
    sex="male", date_of_birth="1988-01-20", weight_kg=90, months_since_onset=26,
    comorbidities={"alcohol_excess": True, "liver_disease": "masld"},
    reproduction={"planning_conception": True},
    lab_results=[lab("ck", 250, "U/L", uln=200, date="2026-06-10"),
                 lab("ck", 5200, "U/L", uln=200, date="2026-11-28"),
                 lab("alt", 160, "U/L", uln=45, date="2026-11-28"),
                 lab("egfr", 95, "mL/min/1.73m2", date="2026-11-28")],
    visits=FLARE_VISITS,
    treatments=[{"therapy": "glucocorticoids_oral", "start": "2024-11-05", "dose_value": 5,
                 "dose_unit": "mg/day", "outcome": "ongoing"},
                {"therapy": "methotrexate", "start": "2025-01-10", "dose_value": 20,
                 "dose_unit": "mg/week", "outcome": "ongoing", "adherence": "partial"}])


def test_a_missed_methotrexate_held_for_alcohol_and_the_liver_is_not_restored() -> None:
    """Review Z66a P6 (dangerous): 'Restore Methotrexate at the full dose' led the muscle and
    skin regimens of a heavy drinker with ALT 3.6 x ULN, beside the plan's own 'hold it'."""
    plan = make_plan(**DRINKER_MISSING_MTX)
    assert not any(e.startswith("Restore Methotrexate") for r in plan.regimens
                   for e in r.first_choice)
    assert any(e.startswith("Hold Methotrexate") for e in _regimen(plan, "treatment changes"))
    assert "doses_missed_before_escalation" not in _codes(plan)


def test_a_man_fathering_a_child_may_be_offered_mycophenolate_for_the_liver() -> None:
    """Review Z66a P6: 'not mycophenolate here' for a man planning to father a child (ACR
    2020 allows it); a woman planning a pregnancy is still steered away from it."""
    man = _text(make_plan(**DRINKER_MISSING_MTX))
    assert "less liver toxicity (mycophenolate)" in man and "not mycophenolate here" not in man
    woman = _text(make_plan(**{**DRINKER_MISSING_MTX, "sex": "female"}))
    assert "not mycophenolate here" in woman


RITUXIMAB_THEN_MMF: dict[str, Any] = dict(
    months_since_onset=40, visits=QUIET_VISITS,
    labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
    lab_results=[lab("lymphocytes", 1.3, "10^9/L"), lab("igg", 11.5, "g/L"),
                 lab("egfr", 110, "mL/min/1.73m2")],
    treatments=[{"therapy": "mycophenolate", "start": "2023-10-25", "dose_value": 2,
                 "dose_unit": "g/day", "outcome": "effective", "response": "complete"},
                {"therapy": "rituximab", "start": "2024-03-01", "stop": "2025-09-15",
                 "outcome": "effective", "reason_stopped": "remission"}])


def test_no_pjp_line_14_months_after_rituximab_with_normal_counts() -> None:
    """Review Z66a P8 (moderate): co-trimoxazole advised 14 months after the last rituximab
    beside mycophenolate, lymphocytes 1.3, IgG 11.5 and prednisolone 5 mg."""
    assert "pjp_prophylaxis_after_rituximab_in_combination" not in _codes(
        make_plan(**RITUXIMAB_THEN_MMF))
    recent = [RITUXIMAB_THEN_MMF["treatments"][0],
              {**RITUXIMAB_THEN_MMF["treatments"][1], "stop": "2026-02-15"}]
    assert "pjp_prophylaxis_after_rituximab_in_combination" in _codes(
        make_plan(**{**RITUXIMAB_THEN_MMF, "treatments": recent}))
    low_igg = [lab("lymphocytes", 1.3, "10^9/L"), lab("igg", 4.2, "g/L"),
               lab("egfr", 110, "mL/min/1.73m2")]
    assert "pjp_prophylaxis_after_rituximab_in_combination" in _codes(
        make_plan(**{**RITUXIMAB_THEN_MMF, "lab_results": low_igg}))


def test_methotrexate_held_for_the_liver_in_remission_needs_no_replacement() -> None:
    """Review Z66b P8 (dangerous): 'in the meantime a steroid-sparing agent ... or IVIG' for
    a young man four years in remission off glucocorticoids."""
    plan = make_plan(
        sex="male", date_of_birth="1999-03-01", months_since_onset=60, visits=QUIET_VISITS,
        skin={"heliotrope_rash": False, "gottron_papules": False},
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        comorbidities={"alcohol_excess": True},
        lab_results=[lab("alt", 75, "U/L", uln=45, date="2026-11-20"),
                     lab("ck", 120, "U/L", uln=200, date="2026-11-20")],
        treatments=[{"therapy": "methotrexate", "start": "2021-01-01", "dose_value": 15,
                     "dose_unit": "mg/week", "outcome": "effective", "response": "complete"}])
    text = _text(plan)
    assert "methotrexate_alcohol_and_liver_alt" in _codes(plan)
    assert "the disease is quiet, so nothing replaces it while it is held" in text


def test_a_booked_glucocorticoid_waits_for_the_colchicine_recheck() -> None:
    """Review Z66d P8 (dangerous): prednisolone 60 mg booked for tomorrow passed with PJP and
    PPI advice beside the plan's own 'colchicine neuromyopathy is a likely cause' on dialysis."""
    plan = make_plan(
        sex="male", date_of_birth="1943-07-04", weight_kg=61,
        antibodies={"mi2": {"status": "negative"}},
        other_medicines=["colchicine", "allopurinol"],
        comorbidities={"dialysis": True},
        lab_results=[lab("egfr", 7, "mL/min/1.73m2"), lab("ck", 4200, "U/L", uln=200)],
        planned_treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-12-02",
                             "dose_value": 60, "dose_unit": "mg/day"}])
    assert "colchicine_toxicity_likely" in _codes(plan)
    line = next(a for a in plan.do_now
                if a.code == "planned_course_checks_glucocorticoids_oral")
    assert line.urgency == "urgent"
    assert line.text.split(" - ", 1)[1].startswith("Colchicine toxicity is a likely cause")
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any("glucocorticoids" in e.lower() for e in muscle.first_choice)
    assert any(a.startswith("once colchicine toxicity is excluded") for a in muscle.alternatives)


def _fired(therapy: str, **changes: Any) -> set[str]:
    from myositis.knowledge import load
    from myositis.services.careplan.facts import compute
    from myositis.services.careplan.rules import therapy_firings
    kb = load()
    facts = compute(make_record(**changes), kb, set(), frozenset({"dm"}), "active")
    return {f.rule.id for f in therapy_firings(kb, facts, kb.therapies[therapy])
            if f.action == "withhold" or f.rule.severity in ("high", "urgent")}


def test_car_t_is_withheld_under_a_ward_based_ceiling_or_moderate_frailty() -> None:
    """Review Z66c P8: CAR T-cell therapy listed for a frail 79-year-old with a ward-based
    ceiling of care."""
    rule = "cellular_therapy_outside_ceiling_or_frailty"
    assert rule in _fired("cd19_car_t", care_goals={"treatment_ceiling": "ward_based"})
    assert rule in _fired("cd19_car_t", care_goals={"frailty_scale": 6})
    assert rule not in _fired("cd19_car_t", care_goals={"frailty_scale": 3,
                                                        "treatment_ceiling": "full"})


def test_nintedanib_carries_a_caution_below_a_clearance_of_30() -> None:
    """Review Z66c P8: nintedanib 'without waiting' at a creatinine clearance of 21, its options
    row without a caution."""
    rule = "nintedanib_severe_renal_impairment"
    assert rule in _fired("nintedanib", lab_results=[lab("egfr", 21, "mL/min/1.73m2")])
    assert rule not in _fired("nintedanib")


def test_no_taper_of_the_lung_patient_s_glucocorticoid_while_azathioprine_is_held() -> None:
    """Review Z66c P6: 'Taper glucocorticoids to the lowest dose the lung treatment allows' and
    'Taper glucocorticoids to stop first' beside 'the glucocorticoid stays at its dose, no
    taper meanwhile' while azathioprine was held for a low white count."""
    plan = make_plan(
        months_since_onset=48, visits=[{**v, "glucocorticoid_mg_per_day": 5}
                                       for v in QUIET_VISITS],
        diagnosis={"subgroup": "asys", "confirmed_on": "2022-11-01"},
        antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-01", "fvc_percent_predicted": 82, "hrct_pattern": "nsip",
              "course": "stable"},
        lab_results=[lab("wbc", 3.1, "10^9/L", date="2026-11-20"),
                     lab("neutrophils", 1.6, "10^9/L", date="2026-11-20"),
                     lab("egfr", 90, "mL/min/1.73m2", date="2026-11-20")],
        treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-11-01", "dose_value": 5,
                     "dose_unit": "mg/day", "outcome": "ongoing"},
                    {"therapy": "azathioprine", "start": "2023-01-01", "dose_value": 150,
                     "dose_unit": "mg/day", "outcome": "effective", "response": "complete"}])
    assert "azathioprine" in withheld(plan)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("Taper glucocorticoids") for e in muscle.first_choice)
    assert not muscle.decision_point.startswith("Taper glucocorticoids")


def test_the_glucocorticoid_waiting_for_the_colchicine_recheck_keeps_its_frailty_cost() -> None:
    """Re-score of Z66d P8: the frailty wording ('the lowest dose and shortest course') was
    lost when prednisolone moved behind the colchicine recheck."""
    plan = make_plan(
        sex="male", date_of_birth="1943-07-04", weight_kg=61,
        antibodies={"mi2": {"status": "negative"}},
        other_medicines=["colchicine"], comorbidities={"dialysis": True},
        care_goals={"frailty_scale": 6},
        lab_results=[lab("egfr", 7, "mL/min/1.73m2"), lab("ck", 4200, "U/L", uln=200)])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any(a.startswith("any glucocorticoid course then given; with frailty")
               for a in muscle.alternatives)


def test_the_muscle_regimen_starts_the_agent_the_switch_names_first() -> None:
    """Re-score of Z66a P6: 'switch to mycophenolate or azathioprine' for the liver, and
    '+ azathioprine; alternatives mycophenolate' in the muscle regimen."""
    plan = make_plan(**DRINKER_MISSING_MTX)
    switch = next(e for e in _regimen(plan, "treatment changes") if e.startswith("switch to "))
    assert switch.startswith("switch to Mycophenolate mofetil")
    muscle = _regimen(plan, "muscle")
    assert any(e.removeprefix("add ").startswith("Mycophenolate mofetil") for e in muscle)
    assert not any(e.removeprefix("add ").startswith("Azathioprine") for e in muscle)


def test_weight_loss_brings_the_dietitian_now() -> None:
    """Reviews Z66a P3 and P7, Z66c P8, Z66d P3 and P8: 8-11 % weight loss with the dietitian
    only 'if intake is unsafe'."""
    plan = make_plan(organs={"weight_loss_percent": 8})
    line = next(a for a in plan.do_now if a.code == "weight_loss_dietitian_now")
    assert "dietitian referral now" in line.text and "paediatric" not in line.text
    assert "weight_loss_dietitian_now" not in _codes(make_plan(organs={"weight_loss_percent": 3}))


def test_co_trimoxazole_before_a_planned_pregnancy_carries_the_folate_caveat() -> None:
    """Reviews Z66a P8 and Z66d P2: co-trimoxazole for a woman about to conceive with no
    folate-antagonist caveat; not said for a man fathering a child."""
    quiet: dict[str, Any] = dict(
        months_since_onset=40, visits=QUIET_VISITS, other_medicines=["co_trimoxazole"],
        labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        reproduction={"planning_conception": True})
    assert "co_trimoxazole_conception_planned" in _codes(make_plan(**quiet))
    assert "co_trimoxazole_conception_planned" not in _codes(make_plan(**quiet, sex="male"))
    # with active disease the pregnancy waits for control: the active-disease line covers it
    active = make_plan(reproduction={"planning_conception": True},
                       other_medicines=["co_trimoxazole"])
    assert "conception_planned_during_active_disease" in _codes(active)
    assert "co_trimoxazole_conception_planned" not in _codes(active)


def test_the_lung_review_interval_follows_pregnancy_and_early_anti_mda5() -> None:
    """Review Z66c P3 and P7: 'every 3-6 months' in the lung decision point beside the plan's
    own 4-6-weekly spirometry in pregnancy, and for an anti-MDA5 lung at 7 months."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.regimen_lung import ROUTINE_LUNG_REVIEW, lung_review_interval
    lung = Regimen(domain="lung", state="stable", first_choice=["x"], alternatives=[],
                   decision_point=ROUTINE_LUNG_REVIEW + "; progression: escalate.")
    pregnant = lung_review_interval([lung], pregnant=True, mda5_first_year=False)[0]
    assert pregnant.decision_point.startswith("Lung function (spirometry")
    assert "every 4-6 weeks in pregnancy" in pregnant.decision_point
    early = lung_review_interval([lung], pregnant=False, mda5_first_year=True)[0]
    assert "first year of anti-MDA5 disease" in early.decision_point
    assert lung_review_interval([lung], pregnant=False, mda5_first_year=False)[0] == lung


def test_a_girl_of_eleven_given_a_teratogen_is_asked_about_menarche() -> None:
    """Review Z66b P7: cyclophosphamide booked for an 11-year-old girl with no menarche or
    pregnancy check (childbearing potential is read from 12)."""
    girl = make_plan(date_of_birth="2015-06-01", weight_kg=35, height_cm=140,
                     classification={"age_at_onset": 11},
                     planned_treatments=[{"therapy": "methotrexate", "start": "2026-12-03"}])
    assert "teratogen_girl_before_twelve_menarche" in _codes(girl)
    boy = make_plan(sex="male", date_of_birth="2015-06-01", weight_kg=35, height_cm=140,
                    classification={"age_at_onset": 11},
                    planned_treatments=[{"therapy": "methotrexate", "start": "2026-12-03"}])
    assert "teratogen_girl_before_twelve_menarche" not in _codes(boy)


def test_a_child_s_muscle_study_is_an_mri_soon_before_treatment() -> None:
    """Review Z66b P2: 'Muscle MRI and electromyography (routine)' for a 2-year-old about to
    receive pulses."""
    plan = make_plan(date_of_birth="2024-08-10", weight_kg=12, height_cm=88,
                     classification={"age_at_onset": 2}, workup_done=["muscle_enzymes"],
                     diagnosis={"subgroup": "jdm"})
    mri = next(w for w in plan.workup if w.code == "mri_emg")
    assert mri.title == "Muscle MRI (EMG rarely needed in a child)" and mri.urgency == "soon"


def test_no_dystrophy_panel_for_weakness_of_weeks_in_old_age() -> None:
    """Review Z66d P8: 'exclude a muscular dystrophy ... a limb-girdle gene panel' for an
    83-year-old with 2 months of weakness; a younger patient still gets it."""
    seronegative: dict[str, Any] = dict(
        diagnosis={"subgroup": "imnm"}, necrotising_biopsy=True,
        antibodies={"mi2": {"status": "negative"}, "srp": {"status": "negative"},
                    "hmgcr": {"status": "negative"}},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        classification={"skin": {"heliotrope_rash": False, "gottron_papules": False}})
    old = make_plan(**seronegative, date_of_birth="1943-07-04", months_since_onset=2)
    assert "antibody_negative_necrotising_myopathy" not in _codes(old)
    young = make_plan(**seronegative, date_of_birth="1990-01-01", months_since_onset=2)
    assert "antibody_negative_necrotising_myopathy" in _codes(young)


def test_the_glucocorticoid_start_line_leaves_calcium_to_the_kidney_team_on_dialysis() -> None:
    """Review Z66d P8: 'calcium, vitamin D' at the glucocorticoid start beside the dialysis
    bone line's 'no routine calcium supplement'."""
    booked = [{"therapy": "glucocorticoids_oral", "start": "2026-12-02", "dose_value": 40,
               "dose_unit": "mg/day"}]
    dialysis = _text(make_plan(comorbidities={"dialysis": True},
                               lab_results=[lab("egfr", 7, "mL/min/1.73m2")],
                               planned_treatments=booked))
    assert "calcium only as the kidney team advises" in dialysis
    assert "calcium only as the kidney team advises" not in _text(
        make_plan(planned_treatments=booked))

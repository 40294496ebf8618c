"""Findings of specialist review round Z46 (medical oncology, haematology and cellular therapy,
rehabilitation medicine, the emergency department), fixed in December 2026. SYNTHETIC patients
only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import lab, make_plan


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


TIF1_SWALLOW: dict[str, Any] = {
    "antibodies": {"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
    "classification": {"age_at_onset": 47}, "organs": {"dysphagia": "severe"},
    "cancer": {"red_flags": ["weight_loss"]}}


def test_full_treatment_agreed_outranks_a_frailty_score() -> None:
    """Z46c P2 (dangerous): a woman of 47 with a failing swallow, full ceiling agreed, given a
    'time-limited, proportionate trial' and no cancer screen because of a frailty score of 7
    taken during the acute illness."""
    full = make_plan(**TIF1_SWALLOW, care_goals={"frailty_scale": 7,
                                                 "treatment_ceiling": "full"})
    assert "proportionate trial" not in " ".join(e for r in full.regimens
                                                 for e in r.first_choice)
    assert full.cancer_screening.tests_due
    limited = make_plan(**TIF1_SWALLOW, care_goals={"frailty_scale": 7})
    assert not limited.cancer_screening.tests_due


def test_no_anabolic_bone_agent_after_a_cancer_without_excluding_metastases() -> None:
    """Z46a P6 (dangerous): 'consider anabolic treatment' after breast cancer with radiotherapy."""
    record: dict[str, Any] = {
        "comorbidities": {"osteoporosis": True}, "prophylaxis": {"bone_protection": True},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 10,
                        "dose_unit": "mg/day", "start": "2025-01-01", "outcome": "ongoing"}]}
    past = {a.code: a.text for a in make_plan(**record, cancer={
        "past_cancer": ["breast cancer 2024, radiotherapy"]}).do_now}
    assert "only once bone metastases and past skeletal radiotherapy are excluded" in \
        past["bone_protection_recorded_high_risk"]
    plain = {a.code: a.text for a in make_plan(**record).do_now}
    assert "consider anabolic treatment at very high risk" in \
        plain["bone_protection_recorded_high_risk"]


def test_a_barred_booked_course_still_names_its_other_cautions() -> None:
    """Z46b P2 (dangerous): IVIG barred for anti-IgA antibodies, with a clot 87 days ago, a low
    clearance and heart failure left unsaid."""
    plan = make_plan(planned_treatments=[{"therapy": "ivig", "start": "2026-12-07"}],
                     immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True},
                     comorbidities={"heart_failure": True, "thrombosis_history": True,
                                    "last_thrombosis": "2026-09-05"})
    text = {a.code: a.text for a in plan.do_now}["planned_course_barred_ivig"]
    assert "If it is given after all, also weigh:" in text
    assert "heart failure" in text.lower()


def test_no_new_antimetabolite_during_chemotherapy() -> None:
    """Z46b P4 (dangerous): methotrexate and mycophenolate offered during R-CHOP after a low
    neutrophil count."""
    chemo = make_plan(cancer={"active_cancer": True, "treatment": [
        {"kind": "chemotherapy", "status": "ongoing"}]})
    held = {w.therapy for w in chemo.withheld}
    assert {"methotrexate", "mycophenolate"} <= held
    assert "methotrexate" not in {w.therapy for w in make_plan().withheld}


def test_a_fever_with_mas_criteria_does_not_hold_the_mas_treatment() -> None:
    """Z46b P6 (dangerous): 'no new or intensified immunosuppression until it is treated' as the
    first urgent line for a girl whose fever was macrophage activation syndrome."""

    record: dict[str, Any] = {
        "date_of_birth": "2012-05-01", "diagnosis": {"subgroup": "jdm"},
        "classification": {"age_at_onset": 12}, "systemic": {"fever": True},
        "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                        "start": "2025-06-01", "outcome": "ongoing"}],
        "visits": [{"date": "2026-10-01", "core_set": {"cmas": 44, "physician_global": 2}},
                   {"date": "2026-11-30", "core_set": {"cmas": 30, "physician_global": 7}}],
        "lab_results": [lab("ferritin", 9000, "ng/mL", date="2026-11-30"),
                        lab("platelets", 92, "10^9/L", date="2026-11-30"),
                        lab("ast", 260, "U/L", 40, "2026-11-30"),
                        lab("triglycerides", 3.8, "mmol/L", date="2026-11-30"),
                        lab("fibrinogen", 1.2, "g/L", date="2026-11-30")]}
    plan = make_plan(**record)
    flare = {a.code: a.text for a in plan.do_now}["flare"]
    assert "no new or intensified immunosuppression until it is treated" not in flare
    assert "macrophage activation syndrome criteria met" in flare


def test_a_stem_cell_transplant_recipient_is_not_told_to_stop_tacrolimus() -> None:
    """Z46b P8 (dangerous): 'withhold tacrolimus today' for graft-versus-host disease after a
    stem-cell transplant (the exception named organ recipients only)."""
    from myositis.knowledge import load
    rule = next(r for r in load().rules.rules if r.text.startswith("Tacrolimus trough")
                and "withhold tacrolimus today" in r.text)
    assert "organ or stem-cell transplant recipient" in rule.text


def test_no_new_agent_for_steady_weakness_without_activity_in_a_frail_patient() -> None:
    """Z46c P7 (dangerous): azathioprine added for a frail woman of 84 (48 kg, clearance 28)
    with a normal CK and steady strength, after methotrexate caused low counts."""
    record: dict[str, Any] = {
        "date_of_birth": "1942-03-01", "weight_kg": 48, "months_since_onset": 60,
        "care_goals": {"frailty_scale": 7},
        "lab_results": [lab("ck", 90, "U/L", 170, "2026-11-10")],
        "visits": [{"date": "2026-05-12", "core_set": {"mmt8": 60, "physician_global": 2}},
                   {"date": "2026-11-10", "core_set": {"mmt8": 58, "physician_global": 2}}],
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                        "dose_unit": "mg/day", "start": "2024-01-01", "outcome": "ongoing"},
                       {"therapy": "methotrexate", "start": "2023-01-01", "stop": "2025-01-01",
                        "outcome": "not_tolerated", "reason_stopped": "adverse_event",
                        "reaction_severity": "moderate"}]}
    plan = make_plan(**record)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("add ") for e in muscle.first_choice), muscle.first_choice

"""Specialist review round Z74 (all patients SYNTHETIC, written by blind reviewers): men's health,
rehabilitation and exercise, and an endocrinology and bone clinic."""

from __future__ import annotations

import pathlib

import yaml

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan

RECORDS = pathlib.Path(__file__).parent / "records"


def _plan(name: str) -> CarePlan:
    record = PatientRecord.model_validate(yaml.safe_load((RECORDS / name).read_text()))
    return build_care_plan(record, load())


def _first(plan: CarePlan, domain: str) -> list[str]:
    return next(r.first_choice for r in plan.regimens if r.domain == domain)


def test_no_pulses_for_bulbar_weakness_that_is_improving_or_in_frailty() -> None:
    """Z74b P5 and P7 (dangerous): pulses for an improving man on insulin with a stable FVC of
    68 % and breathing-muscle weakness; pulses for a delirious woman of 81 at frailty 7."""
    improving = _first(_plan("z74b_p5_imnm_improving_respiratory.yaml"), "muscle")
    assert not any("methylprednisolone pulses" in e.lower() for e in improving)
    frail = _first(_plan("z74b_p7_frail_cancer_dysphagia.yaml"), "muscle")
    assert not any("methylprednisolone pulses" in e.lower() for e in frail)


def test_tacrolimus_holding_anti_mda5_lung_disease_is_kept_through_an_infection() -> None:
    """Z74b P6 (dangerous): 'hold tacrolimus while the serious infection is treated' five
    months into anti-MDA5 RP-ILD, on posaconazole for aspergillosis."""
    lung = _first(_plan("z74b_p6_mda5_tacrolimus_aspergillosis.yaml"), "lung")
    assert not any(e.startswith("Hold Tacrolimus") for e in lung)
    assert any(e.startswith("Keep Tacrolimus through the infection") for e in lung)


def test_a_course_booked_before_the_diagnosis_waits_for_the_work_up() -> None:
    """Z74a P8 (dangerous): prednisolone 60 mg booked for tomorrow, cleared with safety add-ons,
    for a bodybuilder on anabolic steroids with CK 9,400 and no antibodies, MRI or biopsy."""
    plan = _plan("z74a_p8_unclassified_prednisolone_booked.yaml")
    barred = next(a.text for a in plan.do_now
                  if a.code == "planned_course_barred_glucocorticoids_oral")
    assert "the diagnosis is not yet made" in barred
    data = yaml.safe_load((RECORDS / "z74a_p8_unclassified_prednisolone_booked.yaml").read_text())
    data["diagnosis"]["treatment_cannot_wait"] = True
    urgent = build_care_plan(PatientRecord.model_validate(data), load())
    assert not any("the diagnosis is not yet made" in a.text for a in urgent.do_now)


def test_a_low_calcium_is_corrected_before_an_overdue_denosumab_dose() -> None:
    """Z74d P3 (dangerous): 'an overdue dose is given now' beside 'no routine calcium
    supplement' at an adjusted calcium of 2.10 and eGFR 28."""
    plan = _plan("z74d_p3_denosumab_low_calcium.yaml")
    line = next(a.text for a in plan.do_now if a.code == "hypocalcaemia_before_antiresorptive")
    assert "correct it before any denosumab" in line

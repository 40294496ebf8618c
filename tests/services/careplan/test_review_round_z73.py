"""Specialist review round Z73 (all patients SYNTHETIC, written by blind reviewers): a postpartum
and breastfeeding clinic, palliative and supportive care, intensive care and a remote
telehealth service with sparse data."""

from __future__ import annotations

import pathlib

import yaml

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan
from tests.services.careplan.conftest import do_now

RECORDS = pathlib.Path(__file__).parent / "records"


def _plan(name: str) -> CarePlan:
    record = PatientRecord.model_validate(yaml.safe_load((RECORDS / name).read_text()))
    return build_care_plan(record, load())


def _line(plan: CarePlan, code: str) -> str:
    return next(a.text for a in plan.do_now if a.code == code)


def _first(plan: CarePlan, domain: str) -> list[str]:
    return next(r.first_choice for r in plan.regimens if r.domain == domain)


def test_a_combined_pill_ten_days_after_a_birth_is_changed() -> None:
    """Z73a P3 (dangerous omission): a combined pill 10 days after a caesarean, breastfeeding,
    counted as contraception; and her preventive heparin read as a treatment dose."""
    plan = _plan("z73a_p3_postpartum_combined_pill.yaml")
    assert "combined_contraception_postpartum" in do_now(plan)
    postpartum = _line(plan, "postpartum_care")
    assert "treatment-dose anticoagulation kept up" not in postpartum
    assert "for the time the obstetric team set" in postpartum


def test_chestfeeding_counts_whatever_the_sex_recorded() -> None:
    """Z73a P6 (dangerous): mycophenolate booked for a trans man who chestfeeds, 'no caution'."""
    plan = _plan("z73a_p6_chestfeeding_mycophenolate.yaml")
    assert "planned_course_barred_mycophenolate" in do_now(plan)


def test_a_barred_booked_course_is_not_the_first_choice() -> None:
    """Z73a P8 (dangerous): tofacitinib first choice for the lung beside its own urgent line
    barring it; an implant named as contraception beside rifampicin."""
    plan = _plan("z73a_p8_tofacitinib_barred_rifampicin.yaml")
    assert "planned_course_barred_tofacitinib" in do_now(plan)
    assert not any(e.startswith("Tofacitinib") for e in _first(plan, "lung"))
    contraception = _line(plan, "contraception_without_oestrogen")
    assert "makes the implant and the progestogen-only pill unreliable" in contraception
    assert "an implant or a progestogen-only pill" not in contraception


def test_a_flare_years_in_is_not_told_it_is_below_the_induction_range() -> None:
    """Z73a P5 (dangerous): 'below the usual induction range (1-2 mg/kg/day)' for a mild flare
    of six-year-old JDM in a young mother with suicide risk."""
    plan = _plan("z73a_p5_jdm_flare_postpartum.yaml")
    assert "gc_below_induction_child" not in do_now(plan)
    assert "gc_below_induction_adult" not in do_now(plan)


def test_no_tight_glucose_control_near_the_end_of_life() -> None:
    """Z73b P1 (dangerous): 'on insulin already, doses raised' for a dying man eating little."""
    line = _line(_plan("z73b_p1_dying_diabetes.yaml"), "diabetes_with_high_dose_glucocorticoids_now")
    assert "doses raised" not in line
    assert "insulin lowered (not raised)" in line


def test_anti_mda5_lung_disease_near_the_end_of_life_is_not_transferred() -> None:
    """Z73b P2 (dangerous): 'admit ... and transfer' for a dying inpatient with a no-ICU ceiling;
    'a calcineurin inhibitor that is working' for tacrolimus recorded as not working."""
    plan = _plan("z73b_p2_mda5_end_of_life.yaml")
    flag = _line(plan, "suspected_rp_ild")
    assert "transfer" in flag and "no transfer or escalation beyond the agreed ceiling" in flag
    assert "discuss today and transfer" not in flag
    assert not any("calcineurin inhibitor that is working" in a.text for a in plan.do_now)


def test_pneumocystis_treatment_is_not_delayed_by_a_high_inr() -> None:
    """Z73c P5 (dangerous): 'an interacting medicine this plan advises waits until the INR is
    back in range' beside full-dose co-trimoxazole for suspected PJP."""
    line = _line(_plan("z73c_p5_inr_pjp_treatment.yaml"), "warfarin_inr_above_range")
    assert "one that treats an infection now" in line and "is not" in line


def test_renal_crisis_with_myocarditis_on_ecmo() -> None:
    """Z73c P8 (dangerous): 'no pulses until renal crisis is excluded' in an established crisis
    with myocarditis on VA-ECMO; vasodilators for digital ulcers in cardiogenic shock."""
    plan = _plan("z73c_p8_renal_crisis_myocarditis_ecmo.yaml")
    texts = " ".join(a.text for a in plan.do_now)
    assert "until renal crisis is excluded" not in texts
    assert "takes IVIG first" in texts
    assert "once the blood pressure and the heart allow" in _line(
        plan, "scleroderma_overlap_digital_ulcers")


def test_heart_failure_takes_ivig_not_pulses_for_a_severe_imnm_flare() -> None:
    """Z73d P4 (borderline dangerous): IV pulses at an ejection fraction of 35 %, eGFR 24 and
    insulin-treated diabetes, with IVIG already booked."""
    muscle = _first(_plan("z73d_p4_imnm_heart_failure.yaml"), "muscle")
    assert not any(e.startswith("Intravenous methylprednisolone") for e in muscle)
    assert not any("methylprednisolone pulses, then" in e for e in muscle)


def test_a_minor_bleed_on_warfarin_is_weighed_not_simply_stopped() -> None:
    """Z73d P7 (dangerous): warfarin held for two spots of rectal blood in atrial fibrillation,
    with restart left to teams 300 km away."""
    plan = _plan("z73d_p7_minor_rectal_bleed_warfarin.yaml")
    texts = " ".join(a.text for a in plan.do_now)
    assert "anticoagulants and antiplatelets are held now and restarted only" not in texts
    assert "a minor one (streaks or spotting, haemoglobin steady)" in texts


def test_re_scores_of_round_z73() -> None:
    """Re-scores of Z73: the withheld-pulses reason said 'not until it is excluded' for an
    established renal crisis with myocarditis (Z73c P8, dangerous); 'keep the regimen at its
    target' for failed tacrolimus in a dying patient (Z73b P2, dangerous); a coil named for day
    10 after a caesarean (Z73a P3)."""
    ecmo = _plan("z73c_p8_renal_crisis_myocarditis_ecmo.yaml")
    pulses = next(w.reason for w in ecmo.withheld if w.therapy == "methylprednisolone_iv_pulse")
    assert "until it is excluded" not in pulses
    assert "takes IVIG first" in pulses
    dying = _plan("z73b_p2_mda5_end_of_life.yaml")
    assert not any("keep the regimen the disease needs" in a.text for a in dying.do_now)
    assert "within 48 hours of the birth" in _line(
        _plan("z73a_p3_postpartum_combined_pill.yaml"), "combined_contraception_postpartum")

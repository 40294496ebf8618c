"""Specialist review round Z72 (all patients SYNTHETIC: an emergency department, primary-care
shared care, perioperative assessment and a travel clinic), and the open finding of review Z71d
(hepatology): azathioprine that also treats an autoimmune hepatitis."""

from __future__ import annotations

import pathlib
from typing import Any

import yaml

from myositis.domain.record import PatientRecord
from myositis.knowledge import load
from myositis.services.careplan import CarePlan, build_care_plan
from myositis.services.careplan.assessment import assess
from tests.services.careplan.conftest import do_now, lab, make_plan

RECORDS = pathlib.Path(__file__).parent / "records"


def _record(name: str) -> PatientRecord:
    return PatientRecord.model_validate(yaml.safe_load((RECORDS / name).read_text()))


def _reviewer_plan(name: str) -> CarePlan:
    return build_care_plan(_record(name), load())


def _regimen(plan: CarePlan, domain: str) -> str:
    regimen = next(r for r in plan.regimens if r.domain == domain)
    return " ".join(regimen.first_choice + regimen.alternatives)


AZATHIOPRINE: dict[str, Any] = {"therapy": "azathioprine", "start": "2025-01-10",
                                "dose_value": 100, "dose_unit": "mg/day", "outcome": "ongoing",
                                "response": "partial"}
PRED: dict[str, Any] = {"therapy": "glucocorticoids_oral", "start": "2024-07-02",
                        "dose_value": 7.5, "dose_unit": "mg/day", "outcome": "ongoing"}
STABLE_ON_PRED: list[dict[str, Any]] = [
    {"date": d, "core_set": {"mmt8": 80, "mmt_max": 80, "physician_global": 1,
                             "patient_global": 2, "haq": 0.25},
     "glucocorticoid_mg_per_day": 7.5} for d in ("2026-08-01", "2026-11-20")]


def _aih(alt: float) -> CarePlan:
    return make_plan(months_since_onset=30, comorbidities={"liver_disease": "autoimmune_hepatitis"},
                     treatments=[AZATHIOPRINE, PRED], visits=STABLE_ON_PRED,
                     labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                     lab_results=[lab("alt", alt, "U/L", 35), lab("ck", 120, "U/L", 200),
                                  lab("egfr", 90, "mL/min/1.73m2")])


def test_azathioprine_for_autoimmune_hepatitis_is_not_held_for_its_relapse() -> None:
    """Review Z71d: 'hold azathioprine' for an ALT of 3 x ULN in the autoimmune hepatitis that
    azathioprine keeps in remission; the hepatology team decides, and the taper waits."""
    plan = _aih(110)
    assert "hepatotoxic_dmard_held_for_liver_alt" not in do_now(plan)
    assert "autoimmune_hepatitis_alt_on_azathioprine" in do_now(plan)
    assert "hepatic_impairment_other_agents" not in do_now(plan)
    muscle = _regimen(plan, "muscle")
    assert "Taper glucocorticoids" not in muscle
    assert "no taper until the hepatology team" in muscle
    # the same ALT without autoimmune hepatitis still holds it
    other = make_plan(months_since_onset=30, treatments=[AZATHIOPRINE, PRED],
                      visits=STABLE_ON_PRED, labs={"enzymes": {"ck": {"value": 120, "uln": 200}}},
                      lab_results=[lab("alt", 110, "U/L", 35), lab("ck", 120, "U/L", 200)])
    assert "hepatotoxic_dmard_held_for_liver_alt" in do_now(other)


def test_azathioprine_for_quiet_autoimmune_hepatitis_is_continued() -> None:
    """Review Z71d: 'Review azathioprine now (liver disease)' for the drug that treats it."""
    plan = _aih(30)
    assert "azathioprine_with_autoimmune_hepatitis" in do_now(plan)
    assert "hepatic_impairment_other_agents" not in do_now(plan)
    muscle = _regimen(plan, "muscle")
    assert "Continue Azathioprine" in muscle
    assert "Review Azathioprine" not in muscle


def test_life_threatening_flare_beside_a_cystitis_gets_its_pulses_now() -> None:
    """Review Z72a P4 (dangerous): anti-HMGCR disease after a statin restart, CK 110 x ULN,
    potassium 6.3 and a raised troponin I, with a cystitis: 'treat the infection first' left
    prednisolone 5 mg/day as the only treatment."""
    record = _record("z72a_p4_statin_rhabdo_cystitis.yaml")
    assert assess(record, load()).facts.get("organ_threatening") is True
    plan = build_care_plan(record, load())
    flare = next(a.text for a in plan.do_now if a.code == "flare")
    assert "treat both at once" in flare
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert any("methylprednisolone pulses" in e for e in muscle.first_choice)
    assert "IVIG and the conventional agents are withheld" in muscle.decision_point
    assert "with a conventional agent" not in muscle.decision_point


def test_heart_attack_symptoms_are_not_myositis_of_the_heart() -> None:
    """Review Z72c P7 (dangerous): IV pulses for a moderate statin-triggered relapse three weeks
    after an NSTEMI, on dialysis and insulin, before a sternotomy - cardiac symptoms with heart
    involvement recorded as none were read as a cardiac myositis."""
    record = _record("z72c_p7_nstemi_dialysis_relapse.yaml")
    assert "cardiac" not in assess(record, load()).present
    muscle = next(r for r in build_care_plan(record, load()).regimens if r.domain == "muscle")
    assert not any(e.startswith("Intravenous methylprednisolone") or
                   "Intravenous methylprednisolone pulses, then" in e for e in muscle.first_choice)
    # re-score: the oral rise 13 days before the bypass is agreed with the surgeon
    rise = next(e for e in muscle.first_choice if e.startswith("raise prednisolone"))
    assert "agreed with the surgeon and anaesthetist" in rise


def test_mild_improving_skin_on_two_agents_is_not_refractory() -> None:
    """Review Z72d P2 (dangerous): IVIG first choice for a skin improving from CDASI 14 to 10 on
    methotrexate and hydroxychloroquine, at 71 with an eGFR of 38 and an active cancer."""
    plan = _reviewer_plan("z72d_p2_mild_improving_skin.yaml")
    skin = next(r for r in plan.regimens if r.domain == "skin")
    assert skin.state == "active"
    assert not any("immunoglobulin" in e.lower() for e in skin.first_choice)


def test_joints_wait_for_the_team_while_the_steroid_sparing_agent_is_held() -> None:
    """Review Z72b P8 (dangerous): 'add tacrolimus' for an arthritis tick (a gout flare) beside
    azathioprine held for white cells of 3.0, in remission by the globals."""
    plan = _reviewer_plan("z72b_p8_gout_azathioprine_held.yaml")
    joints = next(r for r in plan.regimens if r.domain == "joints")
    assert not any(e.startswith("add ") for e in joints.first_choice)
    assert any("Azathioprine is held now" in e for e in joints.first_choice)


def test_severe_anti_srp_in_pregnancy_is_escalated_with_ivig_first() -> None:
    """Review Z72a P3 (wrong): an urgent line offering 'early rituximab' at 24 weeks."""
    plan = _reviewer_plan("z72a_p3_srp_pregnant.yaml")
    srp = next(a.text for a in plan.do_now if a.code == "severe_anti_srp")
    assert "compatible with pregnancy" in srp
    assert "with early rituximab or IVIG" not in srp


def test_adult_only_advice_is_not_given_for_a_child_or_a_man() -> None:
    """Review Z72a P5 and P7 (wrong): the health-worker exclusion after a chickenpox contact for
    a 9-year-old; bosentan's pregnancy test for a man."""
    child = " ".join(a.text for a in _reviewer_plan("z72a_p5_jdm_varicella_contact.yaml").do_now)
    assert "healthcare or care worker" not in child
    assert "keep out of shared waiting areas while incubating." in child
    man = " ".join(a.text for a in
                   _reviewer_plan("z72a_p7_renal_crisis_man_conception.yaml").do_now)
    assert "bosentan to prevent new ulcers, with a pregnancy test" not in man
    assert "bosentan to prevent new ulcers, with monthly liver tests" in man


def test_re_scores_of_round_z72() -> None:
    """Re-scores of Z72: 'the glucocorticoid stays at its dose' above IV pulses (Z72a P4);
    mycophenolate stopped 10 weeks before conception read as an exposure (Z72c P3); 'IgG unknown
    g/L' (Z72c P8)."""
    rhabdo = _reviewer_plan("z72a_p4_statin_rhabdo_cystitis.yaml")
    changes = next(r for r in rhabdo.regimens if r.domain == "treatment changes")
    assert not any("stays at its dose" in e for e in changes.first_choice)
    assert any("as the muscle line below sets it" in e for e in changes.first_choice)
    washout = " ".join(a.text for a in
                       _reviewer_plan("z72c_p3_mycophenolate_washout_pregnant.yaml").do_now)
    assert "fetal echocardiography after mycophenolate" not in washout
    rituximab = " ".join(a.text for a in
                         _reviewer_plan("z72c_p8_rituximab_igg_unknown.yaml").do_now)
    assert "IgG unknown" not in rituximab
    assert "(lymphocytes 0.9 x10^9/L)" in rituximab

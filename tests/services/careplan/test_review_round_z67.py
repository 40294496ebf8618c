"""Specialist review round Z67 (all patients SYNTHETIC): a dermatomyositis skin clinic, a
long-term follow-up clinic, a new-patient diagnostic clinic and an antisynthetase clinic."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan import CarePlan
from myositis.services.careplan.facts import compute
from myositis.services.careplan.rules import therapy_firings
from tests.services.careplan.conftest import lab, make_plan, make_record


def _codes(plan: CarePlan) -> set[str]:
    return {a.code for a in plan.do_now}


def _text(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


def _fired(therapy: str, **changes: Any) -> set[str]:
    kb = load()
    facts = compute(make_record(**changes), kb, set(), frozenset({"dm"}), "active")
    return {f.rule.id for f in therapy_firings(kb, facts, kb.therapies[therapy])}


def test_ciclosporin_beside_a_doac_carries_the_interaction() -> None:
    """Review Z67a P5 (dangerous): ciclosporin first choice for refractory skin beside a DOAC,
    its cautions cell empty."""
    assert "ciclosporin_with_doac" in _fired("ciclosporin", other_medicines=["doac"])
    assert "ciclosporin_with_doac" not in _fired("ciclosporin")


def test_calcineurin_inhibitors_carry_the_renal_crisis_risk_with_scleroderma() -> None:
    """Review Z67c P7 (dangerous): tacrolimus and ciclosporin offered as pregnancy-compatible
    options in early diffuse systemic sclerosis, with no word on renal crisis."""
    ssc = {"organs": {"sclerodactyly": True}}
    for drug in ("ciclosporin", "tacrolimus"):
        assert "calcineurin_inhibitor_with_scleroderma" in _fired(drug, **ssc)
        assert "calcineurin_inhibitor_with_scleroderma" not in _fired(drug)


def test_fever_with_latent_tb_asks_to_exclude_active_tb() -> None:
    """Review Z67d P8: fever, a positive IGRA and latent-TB treatment under way, with a
    glucocorticoid rise and tacrolimus planned, and no word on excluding active TB."""
    plan = make_plan(systemic={"fever": True},
                     infection_screening={"tb_test": {"result": "positive"},
                                          "latent_tb_treatment": "ongoing"})
    assert "fever_with_latent_tb_exclude_active" in _codes(plan)
    afebrile = make_plan(infection_screening={"tb_test": {"result": "positive"},
                                              "latent_tb_treatment": "ongoing"})
    assert "fever_with_latent_tb_exclude_active" not in _codes(afebrile)


def test_ivig_is_not_deferred_behind_the_lung_agent_with_bulbar_weakness() -> None:
    """Review Z67d P6: IVIG booked for an aspirating woman with respiratory-muscle weakness
    moved to 'once the lung agent has had time to work'."""
    record: dict[str, Any] = dict(
        diagnosis={"subgroup": "asys"},
        antibodies={"mi2": {"status": "negative"}, "ej": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True},
        lung={"date": "2026-11-20", "fvc_percent_predicted": 62, "hrct_pattern": "nsip",
              "course": "progressive"},
        organs={"dysphagia": "severe", "respiratory_muscle_weakness": True})
    muscle = next(r for r in make_plan(**record).regimens if r.domain == "muscle")
    assert any("immunoglobulin" in e.lower() for e in muscle.first_choice)


def test_a_progressing_uip_takes_the_antifibrotic_first() -> None:
    """Review Z67b P8: 'Rituximab + add nintedanib if HRCT shows fibrosis progressing' for a
    UIP recorded as progressing despite mycophenolate."""
    plan = make_plan(
        diagnosis={"subgroup": "asys"}, months_since_onset=120,
        antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
        systemic={"interstitial_lung_disease": True},
        lung_measures=[{"date": "2026-05-01", "fvc_percent_predicted": 78, "hrct_pattern": "uip"},
                       {"date": "2026-11-20", "fvc_percent_predicted": 66, "hrct_pattern": "uip",
                        "course": "progressive"}],
        treatments=[{"therapy": "mycophenolate", "start": "2022-01-01", "dose_value": 3,
                     "dose_unit": "g/day", "outcome": "ongoing"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("add Nintedanib (UIP-pattern fibrosis progressing")


def test_no_anabolic_bone_advice_beside_stopping_a_bisphosphonate_for_conception() -> None:
    """Review Z67b P3: 'consider anabolic treatment at very high risk' beside 'stop the
    bisphosphonate before conception'."""
    plan = make_plan(reproduction={"planning_conception": True},
                     other_medicines=["bisphosphonate"], prophylaxis={"bone_protection": True},
                     comorbidities={"osteoporosis": True},
                     treatments=[{"therapy": "glucocorticoids_oral", "start": "2025-01-01",
                                  "dose_value": 5, "dose_unit": "mg/day",
                                  "outcome": "ongoing"}],
                     lab_results=[lab("egfr", 95, "mL/min/1.73m2")])
    assert "bone_protection_recorded_high_risk" not in _codes(plan)


def test_a_diagnosis_without_a_confirmation_date_is_not_called_confirmed() -> None:
    """Review Z67d P8: 'Clinician-confirmed diagnosis: asys (suspected ASyS ...)' for a record
    with no confirmation date."""
    working = make_plan(diagnosis={"subgroup": "dm"})
    assert working.diagnosis is not None
    assert any(e.startswith("Clinician's working diagnosis") for e in working.diagnosis.explanation)
    confirmed = make_plan(diagnosis={"subgroup": "dm", "confirmed_on": "2026-10-01"})
    assert confirmed.diagnosis is not None
    assert any(e.startswith("Clinician-confirmed diagnosis") for e in
               confirmed.diagnosis.explanation)


def test_the_pregnancy_lung_line_names_tacrolimus_with_its_renal_crisis_watch() -> None:
    """Re-score of Z67c P7: 'keep the lung treated through pregnancy with a compatible agent
    (azathioprine, tacrolimus)' for early diffuse systemic sclerosis."""
    lung: dict[str, Any] = dict(reproduction={"planning_conception": True},
                                systemic={"interstitial_lung_disease": True})
    ssc = _text(make_plan(**lung, organs={"sclerodactyly": True}))
    assert "tacrolimus only with blood pressure and creatinine watched" in ssc
    assert "tacrolimus only with blood pressure" not in _text(make_plan(**lung))

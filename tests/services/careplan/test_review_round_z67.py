"""Specialist review round Z67 (all patients SYNTHETIC): a dermatomyositis skin clinic, a
long-term follow-up clinic, a new-patient diagnostic clinic and an antisynthetase clinic."""

from __future__ import annotations

from typing import Any

from myositis.knowledge import load
from myositis.services.careplan import CarePlan
from myositis.services.careplan.facts import compute
from myositis.services.careplan.rules import therapy_firings
from tests.services.careplan.conftest import FLARE_VISITS, lab, make_plan, make_record


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


def test_a_relapse_after_the_screening_window_is_investigated() -> None:
    """Review Z67b P7: 'prompt investigation of new symptoms or a relapse' printed beside an
    urgent DM flare at 52, with nothing asked for."""
    flare = make_plan(months_since_onset=60, visits=FLARE_VISITS,
                      lab_results=[lab("ck", 250, "U/L", uln=200, date="2026-06-10"),
                                   lab("ck", 5200, "U/L", uln=200, date="2026-11-28")],
                      treatments=[{"therapy": "glucocorticoids_oral", "start": "2022-01-01",
                                   "dose_value": 5, "dose_unit": "mg/day",
                                   "outcome": "ongoing"}])
    assert flare.state is not None and flare.state.of("muscle") == "flare"
    assert any("This relapse is such a trigger" in n for n in flare.cancer_screening.notes)
    quiet = make_plan(months_since_onset=60)
    assert not any("This relapse" in n for n in quiet.cancer_screening.notes)


def test_no_fortnightly_cmv_pcr_two_years_into_remission_on_one_agent() -> None:
    """Review Z67b P5: 'CMV PCR ... every 2-4 weeks' for anti-MDA5 disease two years into
    remission on tacrolimus and prednisolone 5 mg with lymphocytes 0.7."""
    base: dict[str, Any] = dict(
        months_since_onset=26,
        antibodies={"mda5": {"status": "positive"}, "mi2": {"status": "negative"}},
        treatments=[{"therapy": "tacrolimus", "dose_value": 4, "dose_unit": "mg/day",
                     "start": "2024-10-25", "outcome": "ongoing"},
                    {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
                     "start": "2024-10-25", "outcome": "ongoing"}])
    moderate = make_plan(**base, lab_results=[lab("lymphocytes", 0.7, "10^9/L")])
    assert "cmv_monitoring_anti_mda5_combination" not in _codes(moderate)
    severe = make_plan(**base, lab_results=[lab("lymphocytes", 0.4, "10^9/L")])
    assert "cmv_monitoring_anti_mda5_combination" in _codes(severe)


REFRACTORY_SKIN: dict[str, Any] = dict(
    months_since_onset=30, skin_refractory=True,
    skin={"heliotrope_rash": True, "gottron_papules": True},
    labs={"enzymes": {"ck": {"value": 140, "uln": 170}}},
    visits=[{"date": d, "core_set": {"mmt8": 80, "mmt_max": 80, "physician_global": 5,
                                     "patient_global": 8, "haq": 0.5},
             "cdasi_activity": c, "glucocorticoid_mg_per_day": 7.5}
            for d, c in (("2026-09-01", 28), ("2026-12-01", 31))],
    lab_results=[lab("egfr", 95, "mL/min/1.73m2"), lab("lymphocytes", 1.2, "10^9/L")],
    treatments=[{"therapy": "hydroxychloroquine", "start": "2020-11-01", "dose_value": 200,
                 "dose_unit": "mg/day", "outcome": "ongoing", "response": "none"},
                {"therapy": "methotrexate", "start": "2024-08-01", "stop": "2025-06-01",
                 "outcome": "ineffective", "reason_stopped": "inefficacy"},
                {"therapy": "mycophenolate", "start": "2025-06-15", "dose_value": 3,
                 "dose_unit": "g/day", "outcome": "ongoing", "response": "partial"},
                {"therapy": "glucocorticoids_oral", "start": "2024-07-02", "dose_value": 7.5,
                 "dose_unit": "mg/day", "outcome": "ongoing"}])


def test_ciclosporin_does_not_lead_the_skin_regimen_beside_a_doac() -> None:
    """Re-score of Z67a P5: ciclosporin still the skin's first choice beside a DOAC once its
    caution was shown (the caution's own advice is another agent first)."""
    def skin_first(plan: CarePlan) -> str:
        return " ".join(next(r for r in plan.regimens if r.domain == "skin").first_choice)
    import pathlib

    import yaml

    from myositis.domain.record import PatientRecord
    from myositis.services.careplan import build_care_plan
    path = pathlib.Path(__file__).parent / "records" / "z67a_p5_refractory_skin_doac.yaml"
    reviewer_record = PatientRecord.model_validate(yaml.safe_load(path.read_text()))
    assert "Ciclosporin" not in skin_first(build_care_plan(reviewer_record, load()))
    with_doac = make_plan(**REFRACTORY_SKIN, other_medicines=["doac"])
    assert "Ciclosporin" not in skin_first(with_doac)


def test_a_checkpoint_inhibitor_for_a_cancer_replaces_screening_orders() -> None:
    """Review Z67c P8: 'the basic cancer screen now' for checkpoint-inhibitor myositis on
    adjuvant pembrolizumab, beside 'replaced by oncology follow-up'."""
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"],
                     diagnosis={"subgroup": "unclassified", "treatment_cannot_wait": True})
    assert not plan.cancer_screening.applicable
    assert plan.cancer_screening.tests_due == []
    assert any(n.startswith("A checkpoint inhibitor is given for a cancer")
               for n in plan.cancer_screening.notes)


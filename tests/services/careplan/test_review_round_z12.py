"""Findings of blind specialist review round Z12 (a tertiary clinic week, JDM, raised-CK
referrals, follow-up and treatment changes) fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan

NO_DM_SKIN = {"heliotrope_rash": False, "gottron_papules": False}


def test_a_pulse_day_on_a_visit_is_not_an_oral_dose_to_continue() -> None:
    """Z12a P5 (dangerous): 'Continue and optimise oral glucocorticoids (now 500 mg/day)'."""
    plan = make_plan(visits=[{"date": "2026-11-28", "glucocorticoid_mg_per_day": 500,
                              "core_set": {"physician_global": 6, "mmt8": 100,
                                           "mmt_max": 150}}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    assert not any("now 500 mg/day" in e for e in entries)


def test_a_replacement_with_a_high_caution_is_not_named() -> None:
    """Z12a P8 (dangerous): 'if a replacement is needed, ciclosporin' at a clearance of 21 with
    heart failure."""
    plan = make_plan(comorbidities={"heart_failure": True, "hypertension": True},
                     lab_results=[lab("egfr", 22, "mL/min/1.73m2", None, "2026-11-25")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2022-01-01"}])
    changes = next((r for r in plan.regimens if r.domain == "treatment changes"), None)
    assert changes is not None
    assert not any("Ciclosporin" in e for e in changes.first_choice)


def test_a_flare_in_jdm_is_not_a_missed_target() -> None:
    """Z12b P6 (dangerous): a flare after a complete response called 'target missed - add a
    second-line agent'."""
    visits = [{"date": "2026-06-01", "core_set": {"physician_global": 0.5, "cmas": 51,
                                                  "patient_global": 1, "chaq": 0,
                                                  "mmt8": 80, "mmt_max": 80}},
              {"date": "2026-11-25", "core_set": {"physician_global": 4, "cmas": 40,
                                                  "patient_global": 5, "chaq": 0.75,
                                                  "mmt8": 70, "mmt_max": 80}}]
    plan = make_plan(date_of_birth="2010-04-01", weight_kg=60, diagnosis={"subgroup": "jdm"},
                     classification={"age_at_onset": 12}, months_since_onset=48, visits=visits,
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2023-01-01",
                                  "response": "complete"}])
    assert "jdm_target_missed_first_line" not in do_now(plan)


def test_a_failed_ivig_gives_way_to_cyclophosphamide_in_severe_jdm() -> None:
    """Z12b P7 (dangerous): IVIG ineffective for a year re-offered first for gut vasculopathy,
    cyclophosphamide only an alternative."""
    plan = make_plan(date_of_birth="2016-04-01", weight_kg=28, diagnosis={"subgroup": "jdm"},
                     classification={"age_at_onset": 7}, months_since_onset=36,
                     skin={"heliotrope_rash": True, "gottron_papules": True,
                           "cutaneous_ulceration": True},
                     organs={"gut_symptoms": True},
                     visits=[{"date": "2026-06-01", "core_set": {"physician_global": 4,
                                                                 "cmas": 40}},
                             {"date": "2026-11-25", "core_set": {"physician_global": 7,
                                                                 "cmas": 28}}],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/m2/week", "start": "2024-01-01"},
                                 {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                                  "start": "2025-05-01", "stop": "2026-05-01",
                                  "reason_stopped": "inefficacy"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(e.startswith("Intravenous immunoglobulin") for e in muscle.first_choice)


def test_a_not_myositis_label_gives_way_to_a_confirmed_specific_antibody() -> None:
    """Z12c P1 (dangerous): 'statin myopathy' as the working diagnosis with anti-HMGCR
    strongly positive by ELISA - no myositis treatment, work-up or screening."""
    plan = make_plan(diagnosis={"not_myositis": "statin myopathy"},
                     skin=NO_DM_SKIN, classification={"skin": NO_DM_SKIN},
                     antibodies={"mi2": {"status": "negative"}, "hmgcr": {"status": "positive"}},
                     antibody_tests=[{"antibody": "hmgcr", "result": "positive",
                                      "method": "elisa", "level": "strong",
                                      "date": "2026-11-01"}])
    assert "imnm" in plan.phenotypes
    assert any("outranks the label" in e for e in plan.diagnosis.explanation)


def test_a_young_adult_with_a_settling_exercise_ck_gets_the_hyperckemia_approach() -> None:
    """Z12c P3 (dangerous): biopsy 'soon' for a 24-year-old after leg training."""
    plan = make_plan(date_of_birth="2002-05-01", sex="male",
                     classification={"age_at_onset": 24, "skin": NO_DM_SKIN,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False}},
                     skin=NO_DM_SKIN, antibodies={"mi2": {"status": "negative"}},
                     labs={"enzymes": {"ck": {"value": 410, "uln": 200}}})
    assert "mild_hyperckemia_first" in do_now(plan)


def test_a_mild_flare_gets_no_pulses() -> None:
    """Z12d P4 (dangerous): IV pulses first for a flare its own line called mild, with IgG 3.8
    and two pneumonias."""
    visits = [{"date": "2026-06-01", "core_set": {"physician_global": 1, "patient_global": 2,
                                                  "mmt8": 148, "mmt_max": 150, "haq": 0.2},
               "labs": {"enzymes": {"ck": {"value": 300, "uln": 200}}}},
              {"date": "2026-11-25", "core_set": {"physician_global": 3, "patient_global": 4,
                                                  "mmt8": 140, "mmt_max": 150, "haq": 0.5},
               "labs": {"enzymes": {"ck": {"value": 900, "uln": 200}}}}]
    plan = make_plan(months_since_onset=40, visits=visits,
                     antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
                     treatments=[{"therapy": "azathioprine", "start": "2024-01-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-01-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    assert not any(e.removeprefix("add ").startswith("Intravenous methylprednisolone")
                       for e in muscle.first_choice)


def test_a_taper_with_no_steroid_sparing_agent_names_one() -> None:
    """Z12d P6 (dangerous): methotrexate failed, azathioprine stopped for hepatitis, 'taper
    glucocorticoids, no new agent' at 10 mg/day."""
    quiet = {"physician_global": 1, "mmt8": 146, "mmt_max": 150, "patient_global": 2}
    plan = make_plan(months_since_onset=30, labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": quiet,
                              "glucocorticoid_mg_per_day": 10}],
                     treatments=[{"therapy": "methotrexate", "start": "2024-06-01",
                                  "stop": "2026-05-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "azathioprine", "start": "2026-05-15",
                                  "stop": "2026-11-22", "reason_stopped": "adverse_event",
                                  "reaction_severity": "severe"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2024-06-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not muscle.first_choice[0].startswith("Taper glucocorticoids")
    assert any(e.removeprefix("add ").startswith(("Intravenous immunoglobulin",
                                                  "Mycophenolate"))
               or e.startswith("add a steroid-sparing agent not yet tried")
               for e in muscle.first_choice)
    assert not any("Azathioprine" in e or "Methotrexate" in e for e in muscle.first_choice)


def test_a_quiet_muscle_on_glucocorticoids_alone_names_a_steroid_sparing_agent() -> None:
    quiet = {"physician_global": 1, "mmt8": 146, "mmt_max": 150, "patient_global": 2}
    plan = make_plan(months_since_onset=30, labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": quiet,
                              "glucocorticoid_mg_per_day": 10}],
                     treatments=[{"therapy": "azathioprine", "start": "2026-05-15",
                                  "stop": "2026-11-22", "reason_stopped": "adverse_event",
                                  "reaction_severity": "severe"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2024-06-01"}])
    entries = [e for r in plan.regimens for e in r.first_choice]
    line = next((e for e in entries if e.startswith("add a steroid-sparing agent not yet tried")),
                None)
    assert line is not None and "Azathioprine" not in line


def test_the_taper_partner_skips_a_drug_with_a_high_caution() -> None:
    """Re-score of Z12a P8 (dangerous): azathioprine named as the taper partner beside
    allopurinol, an eGFR of 21 and low counts."""
    quiet = {"physician_global": 1, "mmt8": 146, "mmt_max": 150, "patient_global": 2}
    plan = make_plan(months_since_onset=30, other_medicines=["allopurinol"],
                     labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     visits=[{"date": "2026-11-20", "core_set": quiet,
                              "glucocorticoid_mg_per_day": 10}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2024-06-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    line = next((e for e in muscle.first_choice
                 if e.startswith("add a steroid-sparing agent")), None)
    assert line is not None and "Azathioprine" not in line
    assert "no new agent; continue the current treatment" not in muscle.decision_point


def test_refractory_disease_keeps_rituximab_as_the_step_after_the_count_recovers() -> None:
    """Re-score of Z10d P5 (dangerous): rituximab withheld for neutropenia left a refractory
    anti-SRP myopathy with a trial referral alone."""
    failed = [{"therapy": t, "start": "2023-01-01", "stop": "2024-01-01",
               "outcome": "ineffective"} for t in ("methotrexate", "mycophenolate", "ivig")]
    visits = [{"date": d, "glucocorticoid_mg_per_day": 20,
               "core_set": {"physician_global": 5, "mmt8": 100, "mmt_max": 150}}
              for d in ("2026-06-01", "2026-11-20")]
    plan = make_plan(months_since_onset=40, visits=visits,
                     antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
                     lab_results=[lab("neutrophils", 1.2, "10^9/L", None, "2026-11-28")],
                     treatments=[*failed, {"therapy": "glucocorticoids_oral", "dose_value": 20,
                                           "dose_unit": "mg/day", "start": "2023-01-01"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "inadequate_response"
    assert any(e.startswith("Rituximab once the neutrophils are above 1.5")
               for e in muscle.first_choice)


def test_mild_hyperckemia_defers_the_antibody_panel() -> None:
    """Re-score of Z12c P3: a 'soon' myositis antibody panel beside the hyperCKaemia approach."""
    base = {k: v for k, v in ADULT_DM.items() if k not in ("antibodies", "workup_done")}
    plan = make_plan(base, date_of_birth="2002-05-01", sex="male",
                     classification={"age_at_onset": 24, "skin": NO_DM_SKIN,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": False}},
                     skin=NO_DM_SKIN,
                     labs={"enzymes": {"ck": {"value": 410, "uln": 200}}})
    panel = next(w for w in plan.workup if w.code == "antibody_panel")
    assert panel.urgency == "routine" and panel.reason.startswith("only if the CK stays raised")

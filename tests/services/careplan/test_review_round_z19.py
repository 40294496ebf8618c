"""Specialist review round Z19 (SYNTHETIC patients): general adult rheumatology, JDM
follow-up, the myositis-obstetric clinic and frail older adults."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import lab, make_plan


def approach(plan: Any, domain: str | None = None) -> str:
    return " ".join(e for r in plan.regimens if domain in (None, r.domain)
                    for e in (*r.first_choice, *r.alternatives))


def test_severe_frailty_with_an_infection_and_heart_failure_gets_one_modest_change() -> None:
    """Z19d P5 (dangerous): IV pulses, oral glucocorticoid and 2 g/kg IVIG together, 'the full
    dose the threatened organ needs', for an 88-year-old at frailty 7 with heart failure and an
    untreated aspiration pneumonia."""
    plan = make_plan(date_of_birth="1938-05-01", weight_kg=45, treatments=[],
                     organs={"dysphagia": "severe"},
                     comorbidities={"active_infection": True, "infection_focus": "lung_focal",
                                    "heart_failure": True},
                     care_goals={"frailty_scale": 7, "treatment_ceiling": "ward_based",
                                 "lacks_capacity": True})
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    first = " ".join(muscle.first_choice)
    assert "Intravenous methylprednisolone pulses" not in first
    assert "Intravenous immunoglobulin" not in first
    assert "the full dose the threatened organ needs" not in first
    assert any("Intravenous immunoglobulin" in a for a in muscle.alternatives)


def test_pjp_prophylaxis_due_names_atovaquone_for_a_low_count() -> None:
    """Z19a P7 (dangerous): 'co-trimoxazole unless contraindicated (check eGFR and
    interactions)' at neutrophils 0.9 on azathioprine."""
    plan = make_plan(lab_results=[lab("neutrophils", 0.9, "10^9/L"), lab("egfr", 80, "mL/min/1.73m2")],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-09-01"}])
    line = next(a for a in plan.do_now if a.code == "pjp_prophylaxis_due_glucocorticoid_dose")
    assert "atovaquone while neutrophils are below 1.5" in line.text


def test_a_stopped_drug_is_not_restored_for_missed_doses() -> None:
    """Z19b P6 (dangerous): 'restore the drug at full dose' beside 'Stop Methotrexate' for a
    fatty liver, with glucocorticoid doses missed as well."""
    plan = make_plan(comorbidities={"hepatic_impairment": True},
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2020-12-15",
                                  "adherence": "poor"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2020-12-10",
                                  "adherence": "partial"}])
    line = next(a for a in plan.do_now if a.code == "doses_missed_before_escalation")
    assert "Methotrexate: stopped in this plan, not restored" in line.text


def test_a_stable_visit_is_not_sustained_remission_for_stopping_without_a_replacement() -> None:
    """Z19b P6 (dangerous): 'in sustained remission, stop without a replacement' for a
    steroid-dependent 17-year-old whose only steroid-sparing agent was stopped."""
    visits = [{"date": d, "core_set": {"physician_global": 3, "mmt8": m, "mmt_max": 80,
                                       "extramuscular_global": 4},
               "glucocorticoid_mg_per_day": 7.5}
              for d, m in (("2026-05-30", 74), ("2026-11-28", 73))]
    plan = make_plan(visits=visits, comorbidities={"hepatic_impairment": True},
                     labs={"enzymes": {"ck": {"value": 240, "uln": 200}}},
                     lab_results=[lab("ck", 240, "U/L", 200), lab("egfr", 100, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 20,
                                  "dose_unit": "mg/week", "start": "2020-12-15"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2020-12-10"}])
    assert plan.state is not None and plan.state.of("muscle") == "stable"
    assert "Stop Methotrexate" in approach(plan, "treatment changes")
    assert "in sustained remission, stop without a replacement" not in approach(plan)


def test_rituximab_is_not_started_in_pregnancy_without_an_organ_threat() -> None:
    """Z19c P6 (dangerous): rituximab first choice at 32 weeks for a worsening anti-SRP
    myopathy; then 'clinical trial' once it was withheld."""
    plan = make_plan(diagnosis={"subgroup": "imnm"},
                     antibodies={"mi2": {"status": "negative"}, "srp": {"status": "positive"}},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"skin": {"heliotrope_rash": False,
                                              "gottron_papules": False}},
                     reproduction={"pregnant": True, "gestation_weeks": 32},
                     persistent_high_activity=True,
                     treatments=[{"therapy": "azathioprine", "dose_value": 100,
                                  "dose_unit": "mg/day", "start": "2025-06-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 10,
                                  "dose_unit": "mg/day", "start": "2025-06-01"}])
    assert "rituximab" in {w.therapy for w in plan.withheld}
    muscle = approach(plan, "muscle")
    assert not muscle.startswith("Rituximab") and "clinical trial" not in muscle


def test_gadolinium_in_pregnancy_is_only_if_essential() -> None:
    """Z19c P2 (dangerous): cardiac MRI with gadolinium advised at 24 weeks without a word on
    pregnancy."""
    from myositis.knowledge import load
    kb = load()
    texts = [r.text for r in kb.rules.rules if "macrocyclic gadolinium" in r.text]
    # the pregnancy clause stands whole since the re-wording of review Z47b P8
    assert texts and all("in pregnancy the MRI uses non-contrast sequences first" in t
                         for t in texts)


def test_an_inflammatory_biopsy_is_treated_not_re_examined_first() -> None:
    """Z19c P8 (dangerous): a flare with endomysial inflammation and MHC-I on the biopsy held
    for a dystrophy and Pompe work-up because the criteria 'do not classify' it."""
    plan = make_plan(diagnosis={"subgroup": "pm"},
                     skin={"heliotrope_rash": False, "gottron_papules": False},
                     classification={"age_at_onset": 32,
                                     "skin": {"heliotrope_rash": False, "gottron_papules": False}},
                     antibodies={"mi2": {"status": "negative"}},
                     biopsy={"endomysial_infiltrate": True, "mhc1_upregulation": True},
                     labs={"enzymes": {"ck": {"value": 4200, "uln": 170}}},
                     visits=[{"date": "2026-03-01", "core_set": {"physician_global": 1,
                                                                 "mmt8": 76, "mmt_max": 80}},
                             {"date": "2026-11-25", "core_set": {"physician_global": 6,
                                                                 "mmt8": 56, "mmt_max": 80}}],
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2019-12-01",
                                  "response": "partial"}])
    muscle = approach(plan, "muscle")
    assert not muscle.startswith("Re-examine the diagnosis before any new agent")


def test_age_alone_does_not_lower_the_dose_for_an_organ_threat() -> None:
    """Re-score of Z19d P7 (dangerous): checkpoint-inhibitor myocarditis at 79 told 'the
    lowest dose and shortest course' for the IV pulses."""
    from myositis.services.careplan.patient_limits import full_dose_despite_risks
    from tests.services.careplan.conftest import make_record
    old = make_record(date_of_birth="1947-01-01")
    assert full_dose_despite_risks(old, {"organ_threatening": True}, ["age 75 or more"])
    frail = make_record(date_of_birth="1938-01-01", care_goals={"frailty_scale": 7})
    assert not full_dose_despite_risks(frail, {"organ_threatening": True},
                                       ["frailty (scale 7)", "age 75 or more"])
    assert not full_dose_despite_risks(old, {"organ_threatening": False}, ["age 75 or more"])


def test_one_glucocorticoid_instruction_when_the_taper_pauses() -> None:
    """Re-scores of Z19b P6 and Z19c P6 (dangerous): 'tapering as the response allows' and 'no
    new agent ... taper glucocorticoids' beside 'no taper meanwhile'."""
    from myositis.services.careplan.model import Regimen
    from myositis.services.careplan.pass_treatment import HELD_DECISION, no_taper_while_held
    regimens = [
        Regimen(domain="treatment changes", state="now", decision_point="", alternatives=[],
                first_choice=["Continue Oral glucocorticoids at the lowest effective dose, "
                              "tapering as the response allows (taken now)"]),
        Regimen(domain="muscle", state="stable", alternatives=[],
                first_choice=["Pause the glucocorticoid taper at this dose while the "
                              "steroid-sparing agent is held"],
                decision_point="Muscle inactive or low activity at the latest visit: no new "
                               "agent; continue the current treatment")]
    out = no_taper_while_held(regimens)
    assert "tapering as the response allows" not in out[0].first_choice[0]
    assert out[1].decision_point == HELD_DECISION


def test_azathioprine_target_with_liver_disease_is_set_with_hepatology() -> None:
    """Re-score of Z19c P8 (dangerous): 'Azathioprine: 150-190 mg/day ... target dose' with
    liver impairment and HBsAg positive."""
    plan = make_plan(comorbidities={"hepatic_impairment": True}, weight_kg=75,
                     persistent_high_activity=True,
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-06-01"}])
    for d in plan.doses:
        if d.therapy == "azathioprine":
            assert "set with hepatology" in d.text


def test_a_flare_rise_beside_a_steroid_sparing_agent_brings_pjp_prophylaxis() -> None:
    """Re-score of Z19a P5: prednisolone raised to 0.5 mg/kg/day for a flare on methotrexate,
    with no PJP line because the dose rules read the dose taken now (5 mg/day)."""
    visits = [{"date": "2026-08-20", "core_set": {"physician_global": 1, "patient_global": 2,
                                                  "extramuscular_global": 1, "mmt8": 78,
                                                  "mmt_max": 80, "haq": 0.2}},
              {"date": "2026-11-16", "core_set": {"physician_global": 5, "patient_global": 6,
                                                  "extramuscular_global": 4, "mmt8": 60,
                                                  "mmt_max": 80, "haq": 1.2}}]
    plan = make_plan(visits=visits, prophylaxis={"pjp": False},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2026-01-05"},
                                 {"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2026-01-15"}])
    assert plan.state is not None and plan.state.of("muscle") == "flare"
    assert "pjp_prophylaxis_with_flare_rise" in {a.code for a in plan.do_now}


def test_a_paused_taper_drops_the_taper_lines_of_do_now() -> None:
    """Final safety check of Z19c P6 and Z19b P6: 'set a written taper target' and 'taper
    slowly' beside 'no taper meanwhile'."""
    visits = [{"date": "2026-11-20", "core_set": {"physician_global": 1, "mmt8": 79,
                                                  "mmt_max": 80},
               "glucocorticoid_mg_per_day": 12.5}]
    plan = make_plan(visits=visits, labs={"enzymes": {"ck": {"value": 150, "uln": 200}}},
                     lab_results=[lab("alt", 110, "U/L", 40), lab("egfr", 90, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2025-08-01"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 12.5,
                                  "dose_unit": "mg/day", "start": "2025-08-01"}])
    assert "Pause the glucocorticoid taper" in approach(plan)
    assert not {"long_term_glucocorticoid_exit", "glucocorticoid_taper_adrenal"} & {
        a.code for a in plan.do_now}


def test_missed_azathioprine_with_an_intermediate_genotype_restores_the_genotype_dose() -> None:
    """Final safety check of Z18b P6: 'restore the drug at full dose' for a TPMT-intermediate
    patient after months without bloods."""
    plan = make_plan(immunogenetics={"tpmt": "intermediate", "nudt15": "normal"},
                     lab_results=[lab("neutrophils", 1.7, "10^9/L", date="2026-01-15")],
                     treatments=[{"therapy": "azathioprine", "dose_value": 125,
                                  "dose_unit": "mg/day", "start": "2021-03-01",
                                  "adherence": "partial"}])
    line = next(a for a in plan.do_now if a.code == "doses_missed_before_escalation")
    assert "the reduced dose its TPMT or NUDT15 result allows" in line.text

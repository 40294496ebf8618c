"""The recommended approach obeys the plan's own flags, withheld list and state (reviewed as a
specialist would read it)."""

from __future__ import annotations

import datetime as dt

import pytest

from myositis.domain.record import PatientRecord
from myositis.errors import InputError
from myositis.knowledge import load
from myositis.services.careplan import build_care_plan
from myositis.services.scenarios import load_scenarios
from tests.services.careplan.conftest import do_now, make_plan
from tests.services.careplan.test_safety_rules import HMGCR_TEXTBOOK, visit


def _regimen(plan, domain: str):  # type: ignore[no-untyped-def]
    return next(g for g in plan.regimens if g.domain == domain)


@pytest.mark.parametrize("scenario", [s.id for s in load_scenarios()])
def test_regimen_never_names_a_withheld_or_investigational_option(scenario: str) -> None:
    plan = build_care_plan(next(s for s in load_scenarios() if s.id == scenario))
    offered = {o.name: o for o in plan.options}
    withheld = {w.name for w in (*plan.withheld, *plan.not_recommended)}
    for regimen in plan.regimens:
        for entry in regimen.first_choice + regimen.alternatives:
            name = entry.removeprefix("add ").split(" (caution")[0].split(" (also covers")[0] \
                .split(" (a teratogen")[0].split(" then daily from the day after")[0] \
                .split(" (after the")[0].split(" (after a confirmed")[0] \
                .removesuffix(" (adjunct)")
            if entry.startswith(("Continue", "Stop", "re-escalate", "No ", "no second",
                                 "Exercise", "Swallowing", "Clinical trial", "ILD specialist",
                                 "Falls", "immunosuppression as in", "switch to",
                                 "clinical trial", "systemic treatment", "control of")):
                continue
            assert name not in withheld, (scenario, entry)
            assert name in offered, (scenario, entry)
            assert not offered[name].investigational, (scenario, entry)


def test_child_on_glucocorticoid_alone_is_offered_methotrexate() -> None:
    plan = make_plan(sex="male", classification={"age_at_onset": 9}, weight_kg=28,
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None},
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                  "dose_unit": "mg/day", "start": "2026-09-01",
                                  "outcome": "ongoing"}])
    muscle = _regimen(plan, "muscle")
    assert any("Methotrexate" in entry for entry in muscle.first_choice)


def test_interacting_drug_does_not_lead() -> None:
    plan = make_plan(other_medicines=["allopurinol"], immunogenetics={"tpmt": "normal"})
    first = _regimen(plan, "muscle").first_choice
    assert not any(entry.startswith("Azathioprine") for entry in first[1:2])


def test_severe_anti_srp_regimen_leads_with_rituximab() -> None:
    plan = make_plan(HMGCR_TEXTBOOK, antibodies={"srp": {"status": "positive"},
                                                 "hmgcr": {"status": "negative"}},
                     statin_exposure=False, organs={"dysphagia": "severe",
                                                    "respiratory_muscle_weakness": True})
    first = _regimen(plan, "muscle").first_choice
    assert "Rituximab" in first
    assert "IMNM" in _regimen(plan, "muscle").decision_point


def test_statin_anti_hmgcr_ivig_early_and_statin_stop_urgent() -> None:
    plan = make_plan(HMGCR_TEXTBOOK)
    assert any("immunoglobulin" in e.lower() for e in _regimen(plan, "muscle").first_choice)
    assert do_now(plan)["statin_anti_hmgcr"] == "urgent"


def test_ild_progressing_on_mmf_escalates_and_adds_nintedanib() -> None:
    plan = make_plan({"id": "SYN-ILD", "sex": "female", "today": "2026-12-01",
                      "months_since_onset": 30, "classification": {"age_at_onset": 50},
                      "antibodies": {"jo1": {"status": "positive"}},
                      "systemic": {"interstitial_lung_disease": True},
                      "lung": {"hrct_pattern": "nsip", "course": "progressive",
                               "fvc_percent_predicted": 62},
                      "treatments": [{"therapy": "mycophenolate", "outcome": "ongoing",
                                      "start": "2025-01-01"}]})
    lung = _regimen(plan, "lung")
    assert lung.state == "inadequate_response"
    assert lung.first_choice[0].split(" (after the")[0] in ("Rituximab", "Tacrolimus")
    assert any("Nintedanib" in e for e in lung.first_choice)


def test_new_rp_ild_is_not_called_treatment_failure() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "rapidly_progressive", "oxygen": "at_rest"},
                     treatments=[{"therapy": "methylprednisolone_iv_pulse", "outcome": "ongoing",
                                  "start": "2026-11-29"}])
    assert plan.state is not None and plan.state.of("lung") != "inadequate_response"


def test_skin_with_cdasi_zero_is_in_remission() -> None:
    plan = make_plan(months_since_onset=50,
                     visits=[{**visit("2026-01-10", 0.5, 80, 100, 0), "cdasi_activity": 0},
                             {**visit("2026-11-20", 0.5, 80, 100, 0), "cdasi_activity": 0}],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2022-01-01"}])
    assert plan.state is not None and plan.state.of("skin") == "remission"


def test_pregnancy_defers_radiation_based_screening() -> None:
    plan = make_plan(classification={"age_at_onset": 45}, reproduction={"pregnant": True})
    assert not any("CT" in t or "Mammography" in t for t in plan.cancer_screening.tests_due)
    assert any("deferred" in n for n in plan.cancer_screening.notes)


def test_unclassified_gets_no_cancer_screening_orders() -> None:
    plan = make_plan({"id": "SYN-U", "sex": "female", "today": "2026-12-01",
                      "classification": {"age_at_onset": 60,
                                         "weakness": {"proximal_lower": True}}})
    assert not plan.cancer_screening.applicable and not plan.cancer_screening.tests_due


def test_flare_is_a_do_now() -> None:
    plan = make_plan(months_since_onset=50,
                     visits=[visit("2026-06-01", 0.9, 76, 115, 5),
                             visit("2026-11-20", 3.2, 70, 640, 15, pt=4.0, haq=1.0)],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2022-05-01"}])
    assert "flare" in do_now(plan)


def test_glucocorticoid_dose_in_mg_per_week_is_refused() -> None:
    record = PatientRecord.model_validate({
        "id": "SYN-W", "classification": {"age_at_onset": 40},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 70,
                        "dose_unit": "mg/week"}]})
    with pytest.raises(InputError, match="mg/day or mg/kg/day"):
        build_care_plan(record, load())


def test_pjp_and_bone_planned_from_the_start_of_high_dose() -> None:
    plan = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                  "dose_unit": "mg/day", "start": "2026-11-20",
                                  "outcome": "ongoing"}])
    # at 60 mg/day from the start, osteoporosis medication, not only an assessment (specialist
    # review Z69c P1)
    assert {"pjp_prophylaxis_soon", "giop_very_high_dose"} <= set(do_now(plan))
    low = make_plan(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 20,
                                 "dose_unit": "mg/day", "start": "2026-11-20",
                                 "outcome": "ongoing"}])
    assert "bone_protection_start" in do_now(low)


def test_varicella_susceptible_patient() -> None:
    plan = make_plan(infection_screening={"vzv_igg": {"result": "negative"}})
    assert "vzv_seronegative" in do_now(plan)


def test_no_two_drugs_of_one_class_across_domains() -> None:
    plan = make_plan(persistent_high_activity=True, skin_refractory=True,
                     treatments=[{"therapy": "methotrexate", "outcome": "ineffective"},
                                 {"therapy": "mycophenolate", "outcome": "ineffective"}],
                     immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True})
    classes = {"Tacrolimus": "cni", "Ciclosporin (cyclosporine A)": "cni",
               "Tofacitinib": "jak", "Brepocitinib": "jak", "Baricitinib": "jak"}
    chosen: dict[str, set[str]] = {}
    for regimen in plan.regimens:
        for entry in regimen.first_choice:
            name = entry.removeprefix("add ").split(" (")[0]
            if name in classes:
                chosen.setdefault(classes[name], set()).add(name)
    assert all(len(names) == 1 for names in chosen.values()), chosen


def test_conception_planned_in_remission_stops_mmf_and_names_the_switch() -> None:
    plan = make_plan(months_since_onset=60, reproduction={"planning_conception": True},
                     visits=[visit("2025-06-01", 0.5, 80, 100, 0),
                             visit("2026-11-20", 0.4, 80, 100, 0)],
                     treatments=[{"therapy": "mycophenolate", "outcome": "ongoing",
                                  "start": "2023-01-01"},
                                 {"therapy": "hydroxychloroquine", "outcome": "ongoing",
                                  "start": "2023-01-01"}])
    entries = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e.startswith("Continue Mycophenolate") for e in entries)
    assert any(e.startswith("Stop Mycophenolate") for e in entries)
    assert any(e.startswith("switch to") and "Azathioprine" in e for e in entries)


def test_hiv_positive_is_co_managed() -> None:
    plan = make_plan(infection_screening={"hiv": {"result": "positive"}})
    assert "hiv_positive" in do_now(plan)


def test_seronegative_imnm_after_statin_gets_statin_advice() -> None:
    plan = make_plan(HMGCR_TEXTBOOK, antibodies={"hmgcr": {"status": "negative"},
                                                 "srp": {"status": "negative"}},
                     necrotising_biopsy=True)
    assert "imnm" in plan.phenotypes
    assert "statin_in_imnm" in do_now(plan)


def test_anaemia_is_a_cancer_red_flag() -> None:
    plan = make_plan(lab_results=[{"analyte": "haemoglobin", "value": 96, "unit": "g/L",
                                   "date": "2026-11-20"},
                                  {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-20"}],
                     cancer={"red_flags": ["weight_loss"]})
    assert do_now(plan)["cancer_red_flags"] == "urgent"


def test_severe_jdm_starts_with_iv_methylprednisolone() -> None:
    plan = make_plan(sex="male", classification={"age_at_onset": 5}, weight_kg=18,
                     skin={"cutaneous_ulceration": True},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    muscle = _regimen(plan, "muscle")
    assert muscle.first_choice[0] == "Intravenous methylprednisolone pulses"
    assert "Severe JDM" in muscle.decision_point


def test_failed_drug_never_leads_and_low_igg_is_flagged() -> None:
    plan = make_plan(HMGCR_TEXTBOOK, antibodies={"srp": {"status": "positive"},
                                                 "hmgcr": {"status": "negative"}},
                     statin_exposure=False,
                     lab_results=[{"analyte": "igg", "value": 5.1, "unit": "g/L",
                                   "date": "2026-11-20"}],
                     treatments=[{"therapy": "rituximab", "reason_stopped": "inefficacy",
                                  "start": "2025-01-01", "stop": "2025-09-01"}])
    first = [e for g in plan.regimens for e in g.first_choice]
    assert not any(e.startswith("Rituximab") for e in first)


def test_rp_ild_regimen_covers_the_muscle() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "rapidly_progressive"})
    muscle = _regimen(plan, "muscle")
    assert "immunosuppression as in the lung regimen" in muscle.first_choice
    assert not any("Mycophenolate" in e or "Methotrexate" in e for e in muscle.first_choice)


def test_stable_ild_on_treatment_is_stable_and_continued() -> None:
    plan = make_plan({"id": "SYN-S", "sex": "female", "today": "2026-12-01",
                      "months_since_onset": 30, "classification": {"age_at_onset": 50},
                      "antibodies": {"pl12": {"status": "positive"}},
                      "systemic": {"interstitial_lung_disease": True},
                      "lung": {"hrct_pattern": "nsip", "course": "stable"},
                      "treatments": [{"therapy": "mycophenolate", "outcome": "ongoing",
                                      "start": "2024-01-01"}]})
    lung = _regimen(plan, "lung")
    assert lung.state == "stable" and lung.first_choice == ["Continue Mycophenolate mofetil"]


def test_current_glucocorticoid_dose_is_the_latest() -> None:
    from myositis.services.careplan.exposure import gc_dose_now
    from tests.services.careplan.conftest import make_record
    record = make_record(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 60,
                                      "dose_unit": "mg/day", "start": "2026-01-10",
                                      "outcome": "ongoing"}],
                         visits=[visit("2026-11-20", 2.0, 70, 300, 15)])
    assert gc_dose_now(record) == 15


def test_a_drug_taken_now_with_a_safety_finding_is_reviewed_not_continued() -> None:
    plan = make_plan(immunogenetics={"tpmt": "intermediate"}, other_medicines=["allopurinol"],
                     lab_results=[{"analyte": "neutrophils", "value": 1.1, "unit": "10^9/L",
                                   "date": "2026-11-25"},
                                  {"analyte": "egfr", "value": 90, "unit": "mL/min/1.73m2",
                                   "date": "2026-11-25"}],
                     treatments=[{"therapy": "azathioprine", "outcome": "ongoing",
                                  "start": "2026-01-01"}])
    actions = do_now(plan)
    # with the count already low the interaction is named as the likely cause of a cytopenia
    # to stop for, not a dose to cut (review V)
    assert {"azathioprine_cytopenia_cause", "neutropenia_on_immunosuppression"} <= set(actions)
    # the genotype's start dose is moot while the drug is held (specialist review Z23c P7, H797)
    assert "thiopurine_intermediate" not in actions
    entries = [e for g in plan.regimens for e in g.first_choice]
    # neutropenia holds it (H82); the interaction alone would ask for a review
    # a hold for a low count is a pause, restarted lower once it recovers (review Z18c P3)
    assert any(e.startswith("Hold Azathioprine: Neutrophils below 1.5") for e in entries)
    assert "restart at a reduced dose" in " ".join(entries)
    assert not any(e.startswith("Continue and optimise Azathioprine") for e in entries)
    assert "myelotoxic_drug_during_cytopenia" not in do_now(plan)  # said once, by the alarm


def test_screening_done_matches_whatever_the_wording() -> None:
    plan = make_plan(classification={"age_at_onset": 60}, sex="male",
                     reproduction={"pregnant": None, "breastfeeding": None},
                     cancer={"screening_done": [
                         {"test": "CT chest/abdomen/pelvis", "date": "2026-11-15"},
                         {"test": "PSA", "date": "2026-11-15"}]})
    due = " ".join(plan.cancer_screening.tests_due)
    assert "CT neck" not in due and "PSA" not in due


def test_statin_entered_as_treatment_points_to_other_medicines() -> None:
    record = PatientRecord.model_validate({
        "id": "SYN-ST", "classification": {"age_at_onset": 60},
        "treatments": [{"therapy": "atorvastatin"}]})
    with pytest.raises(InputError, match=r"other_medicines: \[statin\]"):
        build_care_plan(record, load())


def test_ild_surveillance_in_high_risk_antibodies() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     lung={"hrct_pattern": "normal"})
    assert "ild_surveillance" in {f.code for f in plan.flags}
    assert "hrct_pft" in {w.code for w in plan.workup}


def test_jdm_in_remission_discusses_stopping_the_steroid_sparing_drug() -> None:
    from tests.services.careplan.test_safety_rules import visit as remission_visit
    plan = make_plan(sex="male", classification={"age_at_onset": 9}, weight_kg=50,
                     months_since_onset=48,
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None},
                     visits=[remission_visit(d, 0.3, 80, 90, 0) for d in
                             ("2025-06-01", "2025-12-01", "2026-06-01", "2026-11-20")],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2022-01-01"}])
    muscle = _regimen(plan, "muscle")
    assert muscle.state == "remission"
    assert "stopping the steroid-sparing drug" in muscle.decision_point


def _inactive_visit(date: str) -> dict[str, object]:
    return {"date": date, "core_set": {"physician_global": 0, "patient_global": 0.5,
                                       "extramuscular_global": 0, "mmt8": 80, "mmt_max": 80,
                                       "haq": 0},
            "labs": {"enzymes": {"ck": {"value": 95, "uln": 200}}}}


def test_effective_course_without_stop_date_is_taken_now() -> None:
    """A dated methotrexate course that worked and has no stop date is current: conception
    planned makes it a Do now item, and one inactive visit makes the muscle stable, never an
    'add azathioprine' state (specialist review, December 2026)."""
    plan = make_plan(months_since_onset=84, visits=[_inactive_visit("2026-11-10")],
                     reproduction={"pregnant": False, "planning_conception": True,
                                   "breastfeeding": False},
                     treatments=[{"therapy": "methotrexate", "dose_value": 15,
                                  "dose_unit": "mg/week", "start": "2019-12-15",
                                  "outcome": "effective", "response": "complete"}])
    assert "conception_teratogen_taken_now" in do_now(plan)
    muscle = _regimen(plan, "muscle")
    assert muscle.state == "stable"
    assert not any(e.startswith("add ") for e in muscle.first_choice)
    changes = next(g for g in plan.regimens if g.first_choice[0].startswith("Stop"))
    assert any("without a replacement" in e for e in changes.first_choice)


def test_quiet_muscle_is_not_refractory_because_skin_agents_failed() -> None:
    plan = make_plan(months_since_onset=18, skin_refractory=True,
                     visits=[_inactive_visit("2026-05-20"), _inactive_visit("2026-11-20")],
                     treatments=[{"therapy": "methotrexate", "start": "2025-06-01",
                                  "stop": "2025-12-01", "reason_stopped": "inefficacy"},
                                 {"therapy": "mycophenolate", "start": "2026-01-01",
                                  "response": "none"},
                                 {"therapy": "glucocorticoids_oral", "dose_value": 7.5,
                                  "dose_unit": "mg/day", "start": "2025-06-01"}])
    assert plan.state is not None
    assert plan.state.of("muscle") in ("stable", "remission")
    assert plan.state.of("skin") == "inadequate_response"
    assert _regimen(plan, "muscle").first_choice[0].startswith("Taper glucocorticoids")


def test_early_rituximab_leaves_the_conventional_agent_among_alternatives() -> None:
    plan = make_plan(HMGCR_TEXTBOOK, antibodies={"srp": {"status": "positive"},
                                                 "hmgcr": {"status": "negative"}},
                     statin_exposure=False)
    muscle = _regimen(plan, "muscle")
    assert "Rituximab" in [e.split(" (after the")[0] for e in muscle.first_choice]
    conventional = {"Methotrexate", "Azathioprine", "Mycophenolate mofetil"}
    assert not any(e.split(" (")[0] in conventional for e in muscle.first_choice)
    assert any(e.split(" (")[0] in conventional for e in muscle.alternatives)


def test_pregnant_rp_ild_puts_pregnancy_compatible_agents_first() -> None:
    plan = make_plan(antibodies={"mda5": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True,
                               "rapidly_progressive_ild_suspected": True},
                     reproduction={"pregnant": True, "gestation_weeks": 20})
    lung = _regimen(plan, "lung")
    assert "Intravenous immunoglobulin" in lung.first_choice
    assert "Rituximab" not in lung.first_choice
    assert "cyclophosphamide" not in {o.therapy for o in plan.options}


def test_ibm_regimen_covers_swallowing_falls_and_lung() -> None:
    from tests.services.careplan.test_safety_rules import IBM_UNTESTED_CN1A
    plan = make_plan(IBM_UNTESTED_CN1A)
    muscle = _regimen(plan, "muscle")
    text = " ".join(muscle.first_choice) + muscle.decision_point
    for needed in ("videofluoroscopy", "myotomy", "orthosis", "FVC", "anti-cN1A"):
        assert needed in text


def test_pre_treatment_checks_already_recorded_are_not_repeated() -> None:
    plan = make_plan()  # ADULT_DM records HBV, TB, TPMT and NUDT15 results
    assert not {"hbv_screening", "tb_screening", "tpmt_nudt15"} & {c.id for c in
                                                                    plan.shared_checks}
    bare = make_plan(infection_screening={"hbsag": None, "anti_hbc": None, "tb_test": None,
                                          "hcv": None})
    assert {"hbv_screening", "tb_screening"} <= {c.id for c in bare.shared_checks}


def test_severe_jdm_pulses_are_followed_by_daily_oral_glucocorticoid() -> None:
    plan = make_plan(sex="female", classification={"age_at_onset": 6}, weight_kg=20,
                     height_cm=115, organs={"dysphagia": "severe"},
                     reproduction={"pregnant": None, "planning_conception": None,
                                   "breastfeeding": None})
    first = _regimen(plan, "muscle").first_choice
    assert first[0].startswith("Intravenous methylprednisolone")
    assert any(e.startswith("Oral glucocorticoids") for e in first)


def test_nothing_to_taper_is_not_told_to_taper() -> None:
    from tests.services.careplan.test_safety_rules import visit as v
    plan = make_plan(months_since_onset=60,
                     visits=[v(d, 0.3, 80, 90, 0) for d in ("2025-06-01", "2025-12-01",
                                                           "2026-06-01", "2026-11-20")],
                     treatments=[{"therapy": "mycophenolate", "start": "2022-01-01"}])
    assert "glucocorticoid" not in _regimen(plan, "muscle").decision_point.lower()


def test_active_disease_on_glucocorticoid_gets_a_taper_target() -> None:
    plan = make_plan(treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
         "start": "2026-08-01"},
        {"therapy": "methotrexate", "start": "2026-08-01", "dose_value": 15,
         "dose_unit": "mg/week"}])
    first = _regimen(plan, "muscle").first_choice
    assert any("now 20 mg/day" in e and "7.5 mg/day or less by 6 months" in e for e in first)


def test_glucocorticoid_dose_series_steps_through_courses_and_visit_doses() -> None:
    from myositis.services.careplan.exposure import gc_dose_series
    from tests.services.careplan.conftest import make_record
    record = make_record(today="2026-12-01", weight_kg=60, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 1, "dose_unit": "mg/kg/day",
         "start": "2026-01-10", "stop": "2026-03-09"},
        {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-03-10", "stop": "2026-06-30"}],
        visits=[visit("2026-11-20", 2.0, 70, 300, 15)])
    assert gc_dose_series(record) == [
        (dt.date(2026, 1, 10), 60.0), (dt.date(2026, 3, 9), 60.0),  # mg/kg/day x 60 kg
        (dt.date(2026, 3, 10), 30.0), (dt.date(2026, 6, 30), 30.0),
        (dt.date(2026, 7, 1), 0.0), (dt.date(2026, 11, 19), 0.0),  # off, then a visit dose
        (dt.date(2026, 11, 20), 15.0), (dt.date(2026, 12, 1), 15.0)]
    assert gc_dose_series(make_record(treatments=[])) == []

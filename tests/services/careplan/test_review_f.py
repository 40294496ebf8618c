"""Scenarios from specialist review F (December 2026, SYNTHETIC): a fortnight of follow-up
visits and a neuromuscular and respiratory clinic week; the tests hold the fixes for what the
review found wrong or unsafe (H342-H347)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, make_plan
from tests.services.careplan.test_review_v2 import _flare_visits

VACUOLAR = {
    "id": "SYN-F-V", "sex": "male", "today": "2026-12-01", "months_since_onset": 48,
    "diagnosis": {"subgroup": "unclassified", "criteria": "referred as polymyositis; under review"},
    "classification": {"age_at_onset": 48,
                       "weakness": {"proximal_upper": True, "proximal_lower": True},
                       "elevated_muscle_enzymes": True,
                       "biopsy": {"rimmed_vacuoles": True}, "improved_with_treatment": False},
    "biopsy": {"date": "2023-11-10", "rimmed_vacuoles": True, "endomysial_infiltrate": False},
    "organs": {"respiratory_muscle_weakness": True},
}


def test_a_clinician_s_unclassified_stands_against_the_criteria() -> None:
    plan = make_plan(VACUOLAR)
    assert plan.diagnosis.followed == "unclassified" and plan.diagnosis.mimics_to_exclude
    assert any("Recorded as unclassified by the clinician" in e for e in plan.diagnosis.explanation)
    codes = do_now(plan)
    assert "respiratory_muscle_weakness_not_for_immunotherapy" in codes
    assert "respiratory_muscle_weakness" not in codes
    text = next(a.text for a in plan.do_now
                if a.code == "respiratory_muscle_weakness_not_for_immunotherapy")
    assert "no escalation of immunosuppression" in text and "IVIG or rituximab" not in text


def test_a_recorded_biopsy_is_reviewed_not_asked_for_again() -> None:
    suspected = {k: v for k, v in VACUOLAR.items() if k != "diagnosis"}
    plan = make_plan(suspected)
    assert any("review the recorded biopsy" in e for e in plan.diagnosis.explanation)
    assert not any("muscle biopsy needed to confirm" in e for e in plan.diagnosis.explanation)


def test_a_flare_in_scleroderma_overlap_keeps_prednisolone_low() -> None:
    plan = make_plan(months_since_onset=30, weight_kg=64,
                     antibodies={"pmscl": {"status": "positive"}, "mi2": {"status": "negative"}},
                     visits=_flare_visits(80, 78, 64),
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 25,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2024-06-01",
                                  "outcome": "ongoing"}])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.state == "flare"
    text = " ".join(muscle.first_choice)
    assert "at or below 15 mg/day" in text and "0.5 mg/kg/day" not in text
    assert "it flared on" not in text


def test_fever_with_oxygen_at_rest_after_rituximab_is_treated_as_possible_pjp() -> None:
    plan = make_plan(months_since_onset=40,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True, "fever": True},
                     comorbidities={"active_infection": True},
                     lung={"course": "progressive", "oxygen": "at_rest", "hrct_pattern": "nsip"},
                     prophylaxis={"pjp": False},
                     treatments=[{"therapy": "rituximab", "start": "2026-06-01",
                                  "stop": "2026-06-15", "outcome": "effective",
                                  "reason_stopped": "other"},
                                 {"therapy": "mycophenolate", "dose_value": 2,
                                  "dose_unit": "g/day", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    line = next(a.text for a in plan.do_now if a.code == "pjp_pneumonia_suspected")
    assert "treatment-dose co-trimoxazole" in line
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.first_choice[0].startswith("treat the infection first")
    assert any(f.startswith("Hold Mycophenolate") for f in lung.first_choice)
    assert not any(f.startswith("add ") for f in lung.first_choice)


def test_conception_planned_on_a_teratogen_asks_about_contraception() -> None:
    plan = make_plan(reproduction={"pregnant": False, "planning_conception": True,
                                   "effective_contraception": None, "breastfeeding": False},
                     treatments=[{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                                  "start": "2025-01-01", "outcome": "ongoing"}])
    assert "teratogen_conception_planned_contraception_unknown" in do_now(plan)
    known = make_plan(reproduction={"pregnant": False, "planning_conception": True,
                                    "effective_contraception": True, "breastfeeding": False},
                      treatments=[{"therapy": "mycophenolate", "dose_value": 2,
                                   "dose_unit": "g/day", "start": "2025-01-01",
                                   "outcome": "ongoing"}])
    assert "teratogen_conception_planned_contraception_unknown" not in do_now(known)


def test_rituximab_added_to_mycophenolate_brings_pjp_prophylaxis() -> None:
    from myositis.knowledge import load
    from myositis.services.careplan.rules import therapy_firings
    kb = load()
    firings = therapy_firings(kb, {"current_therapies": frozenset({"mycophenolate"}),
                                   "pjp_prophylaxis": None, "lymphocytes": None},
                              kb.therapies["rituximab"])
    assert "pjp_prophylaxis_with_rituximab_added" in {f.rule.id for f in firings}
    alone = therapy_firings(kb, {"current_therapies": frozenset(), "pjp_prophylaxis": None,
                                 "lymphocytes": 1.5}, kb.therapies["rituximab"])
    assert "pjp_prophylaxis_with_rituximab_added" not in {f.rule.id for f in alone}


def test_lymphocytosis_in_ibm_asks_for_lgl_flow_cytometry() -> None:
    from tests.services.careplan.test_review_v2 import _lab
    ibm = {"diagnosis": {"subgroup": "ibm"}, "classification": {"age_at_onset": 70},
           "skin": {"heliotrope_rash": False, "gottron_papules": False}}
    plan = make_plan(**ibm, lab_results=[_lab("lymphocytes", 4.8, "10^9/L")])
    assert "ibm_lymphocytosis_tlgl" in do_now(plan)
    assert "ibm_lymphocytosis_tlgl" not in do_now(
        make_plan(**ibm, lab_results=[_lab("lymphocytes", 2.0, "10^9/L")]))


def test_active_cancer_warns_about_checkpoint_inhibitors() -> None:
    plan = make_plan(cancer={"active_cancer": True})
    line = next(a.text for a in plan.do_now if a.code == "active_cancer_co_management")
    assert "immune-checkpoint inhibitor" in line and "myocarditis" in line


def test_intact_calcinosis_in_remission_is_watched_whatever_its_size() -> None:
    from tests.services.careplan.test_safety_rules import visit
    plan = make_plan(months_since_onset=50, organs={"calcinosis_lesions": [
        {"site": "knee", "size_mm": 35, "ulcerated": False}]},
        skin={"heliotrope_rash": False, "gottron_papules": False},
        visits=[visit(d, 0.3, 80, 90, 0, ext=0) for d in
                ("2025-06-01", "2025-12-01", "2026-06-01", "2026-11-20")],
        treatments=[{"therapy": "methotrexate", "outcome": "ongoing", "start": "2022-01-01"}])
    assert plan.state.of("muscle") == "remission", plan.state
    assert plan.state.of("skin") in ("remission", "stable", "not_involved"), plan.state
    calcinosis = next(r for r in plan.regimens if r.domain == "calcinosis")
    assert calcinosis.first_choice[0].startswith("observe")


def test_a_young_adult_with_juvenile_onset_gets_young_adult_care() -> None:
    plan = make_plan(classification={"age_at_onset": 16}, months_since_onset=50)
    assert "juvenile_onset_young_adult" in do_now(plan)
    assert "juvenile_onset_young_adult" not in do_now(make_plan())


def test_the_mimic_list_is_printed_for_an_unclassified_patient() -> None:
    from myositis.reports.careplan import to_markdown
    text = to_markdown(make_plan(VACUOLAR, workup_done=[
        "antibody_panel", "muscle_enzymes", "mri_emg", "muscle_biopsy", "capillaroscopy",
        "cardiac", "hrct_pft", "swallowing"]))
    assert "Mimics to exclude:" in text


def test_anti_u1rnp_alone_does_not_cap_a_flare_like_scleroderma() -> None:
    plan = make_plan(months_since_onset=30, weight_kg=64,
                     antibodies={"u1rnp": {"status": "positive"}, "mi2": {"status": "negative"}},
                     visits=_flare_visits(80, 78, 64),
                     treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 5,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"},
                                 {"therapy": "azathioprine", "dose_value": 125,
                                  "dose_unit": "mg/day", "start": "2024-06-01",
                                  "outcome": "ongoing"}])
    text = " ".join(next(r for r in plan.regimens if r.domain == "muscle").first_choice)
    assert "at or below 15 mg/day" not in text and "0.5 mg/kg/day" in text


def test_a_pjp_reminder_does_not_push_rituximab_down_the_lung_escalation() -> None:
    from tests.services.careplan.test_review_v2 import _lab
    plan = make_plan(months_since_onset=30,
                     antibodies={"jo1": {"status": "positive"}, "mi2": {"status": "negative"}},
                     systemic={"interstitial_lung_disease": True},
                     lung={"course": "progressive", "hrct_pattern": "nsip"},
                     lab_results=[_lab("lymphocytes", 0.8, "10^9/L")],
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2025-06-01",
                                  "outcome": "ongoing", "response": "partial"},
                                 {"therapy": "azathioprine", "outcome": "ineffective",
                                  "start": "2024-06-01", "stop": "2025-05-01",
                                  "reason_stopped": "inefficacy"}])
    lung = next(r for r in plan.regimens if r.domain == "lung")
    assert lung.state == "inadequate_response"
    assert lung.first_choice[0].startswith("Rituximab"), lung.first_choice

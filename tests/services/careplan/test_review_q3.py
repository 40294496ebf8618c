"""Specialist review Q (December 2026): a clinic with limited resources and high TB and HIV
prevalence (Q1) and a specialist centre's complex-case meeting (Q2). SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from tests.services.careplan.conftest import ADULT_DM, do_now, lab, make_plan, merge


def test_a_negative_skin_test_does_not_cancel_a_recorded_latent_tb() -> None:
    """Q1 P8 (dangerous): 'latent TB, untreated' silently overridden by a negative TST while
    prednisolone 60 mg and azathioprine were proposed."""
    plan = make_plan(comorbidities={"latent_tb": True},
                     infection_screening={"tb_test": {"result": "negative"}})
    assert any(a.code.startswith("latent_tb") for a in plan.do_now)


def test_with_hiv_a_negative_tb_test_is_not_reassurance() -> None:
    """Q1 P2 (dangerous): HIV with CD4 180 on prednisolone; the negative TST taken as
    reassurance, no TB preventive therapy or symptom screen."""
    plan = make_plan(infection_screening={"tb_test": {"result": "negative"},
                                          "hiv": {"result": "positive"}})
    line = next(a for a in plan.do_now if a.code == "tb_negative_test_with_hiv")
    assert line.urgency == "soon" and "preventive therapy" in line.text
    assert "tb_negative_test_with_hiv" not in do_now(make_plan())


def _visit(date: str, mmt: int, ck: float) -> dict[str, Any]:
    return {"date": date, "glucocorticoid_mg_per_day": 15,
            "core_set": {"physician_global": 5, "patient_global": 6, "mmt8": mmt,
                         "mmt_max": 80, "haq": 1.2},
            "labs": {"enzymes": {"ck": {"value": ck, "uln": 200}}}}


REFRACTORY_ON_MMF: dict[str, Any] = merge(ADULT_DM, {
    "months_since_onset": 46, "weight_kg": 70,
    "visits": [_visit("2026-06-01", 62, 1500), _visit("2026-11-20", 62, 1600)],
    "treatments": [
        {"therapy": "methotrexate", "start": "2023-01-01", "stop": "2023-09-01",
         "outcome": "ineffective"},
        {"therapy": "tacrolimus", "start": "2023-10-01", "stop": "2024-06-01",
         "outcome": "ineffective"},
        {"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
         "start": "2024-07-01", "outcome": "ongoing", "response": "partial"},
        {"therapy": "glucocorticoids_oral", "dose_value": 15, "dose_unit": "mg/day",
         "start": "2023-01-01", "outcome": "ongoing"}]})


def test_no_second_antimetabolite_is_added_to_mycophenolate() -> None:
    """Q2 P4 (dangerous): azathioprine first choice for the muscle while mycophenolate
    continued."""
    plan = make_plan(REFRACTORY_ON_MMF)
    assert plan.state is not None and plan.state.of("muscle") == "inadequate_response"
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert not any(f.startswith("Azathioprine") or f.startswith("add Azathioprine")
                   for f in muscle.first_choice)


def test_low_igg_with_infections_brings_ivig_and_no_other_new_agent() -> None:
    """Q2 P8 (dangerous): azathioprine added at IgG 4.2 with two pneumonias, beside the plan's
    own 'add no further agent'."""
    plan = make_plan(REFRACTORY_ON_MMF, comorbidities={"recurrent_infections": True},
                     lab_results=[lab("igg", 4.2, "g/L"), lab("egfr", 90, "mL/min/1.73m2")])
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0] == "Intravenous immunoglobulin"
    assert any("no other new immunosuppressant" in f for f in muscle.first_choice)
    assert all(a.startswith("once the infections are controlled") for a in muscle.alternatives)


def test_lung_falling_on_mycophenolate_escalates_and_does_not_swap_antimetabolites() -> None:
    """Q2 P2 (dangerous): FVC 79 to 64 % over a year on mycophenolate for three years, 'first
    choice mycophenolate', azathioprine first alternative."""
    lung = {"date": "2026-11-05", "fvc_percent_predicted": 64, "dlco_percent_predicted": 41,
            "hrct_pattern": "nsip", "course": "stable"}
    series = [{"date": "2025-11-03", "fvc_percent_predicted": 79, "dlco_percent_predicted": 56,
               "hrct_pattern": "nsip", "course": "stable"},
              {"date": "2026-05-10", "fvc_percent_predicted": 72, "dlco_percent_predicted": 49,
               "hrct_pattern": "nsip", "course": "stable"}]
    plan = make_plan(antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True}, lung=lung,
                     lung_measures=series, months_since_onset=36,
                     treatments=[{"therapy": "mycophenolate", "dose_value": 3,
                                  "dose_unit": "g/day", "start": "2024-01-01",
                                  "outcome": "ongoing"}])
    assert plan.state is not None and plan.state.of("lung") == "inadequate_response"
    regimen = next(r for r in plan.regimens if r.domain == "lung")
    assert regimen.first_choice[0] in ("Rituximab", "Tacrolimus")
    assert "Azathioprine" not in regimen.alternatives


def test_a_recorded_positive_hbsag_is_not_cancelled_by_a_negative_elsewhere() -> None:
    """Re-score of Q1 (dangerous): HBsAg positive in the record silenced by an older negative
    screen; no antiviral, no hepatology, azathioprine continued."""
    plan = make_plan(comorbidities={"hbv_surface_antigen": True},
                     infection_screening={"hbsag": {"result": "negative", "date": "2024-01-10"}})
    assert any(a.code.startswith("hbsag_positive") and not a.code.endswith("not_recorded")
               for a in plan.do_now)


def _lung_plan(fvc_then: float, fvc_now: float, on: str) -> Any:
    lung = {"date": "2026-11-05", "fvc_percent_predicted": fvc_now,
            "dlco_percent_predicted": 50, "hrct_pattern": "nsip", "course": "stable"}
    series = [{"date": "2025-11-03", "fvc_percent_predicted": fvc_then,
               "dlco_percent_predicted": 50, "hrct_pattern": "nsip", "course": "stable"}]
    return make_plan(antibodies={"mi2": {"status": "negative"}, "jo1": {"status": "positive"}},
                     systemic={"interstitial_lung_disease": True}, lung=lung,
                     lung_measures=series, months_since_onset=36,
                     treatments=[{"therapy": on, "dose_value": 2,
                                  "dose_unit": "g/day" if on == "mycophenolate" else "mg/kg/day",
                                  "start": "2024-01-01", "outcome": "ongoing"}])


def test_a_small_fvc_fall_is_reassessed_and_azathioprine_may_step_to_mycophenolate() -> None:
    """Re-score of Q2: FVC 79 to 74 % alone went straight to rituximab; re-score of Q1: the
    antimetabolite rule dropped mycophenolate after failing azathioprine."""
    small = _lung_plan(79, 74, "mycophenolate")
    assert small.state is not None and small.state.of("lung") == "active"
    on_aza = _lung_plan(79, 64, "azathioprine")
    regimen = next(r for r in on_aza.regimens if r.domain == "lung")
    assert "Mycophenolate mofetil" in [*regimen.first_choice, *regimen.alternatives]

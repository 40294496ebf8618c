"""Scenarios from specialist review K2 (December 2026, SYNTHETIC; review K of an earlier session is
test_review_k.py): older multimorbid patients and a neuromuscular clinic; the tests hold the fixes
for what the review found wrong or unsafe (H382-)."""

from __future__ import annotations

from tests.services.careplan.conftest import do_now, lab, make_plan

NO_RASH = {"heliotrope_rash": False, "gottron_papules": False}


def test_a_pm_label_the_criteria_reject_is_re_examined_before_any_new_agent() -> None:
    failed = [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
               "start": "2025-02-20", "outcome": "ongoing"},
              {"therapy": "methotrexate", "start": "2025-03-01", "stop": "2025-09-01",
               "outcome": "ineffective"},
              {"therapy": "azathioprine", "start": "2025-09-01", "outcome": "ineffective",
               "stop": "2026-09-01"}]
    plan = make_plan(diagnosis={"subgroup": "pm"}, months_since_onset=20, skin=NO_RASH,
                     classification={"age_at_onset": 15, "skin": NO_RASH,
                                     "weakness": {"proximal_upper": False,
                                                  "proximal_lower": True},
                                     "elevated_muscle_enzymes": True},
                     antibodies={"mi2": {"status": "negative"}}, treatments=failed)
    assert plan.classification.category in ("not_iim", "biopsy_required")
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Re-examine the diagnosis")
    assert not any("Rituximab" in f or "Cyclophosphamide" in f for f in muscle.first_choice)
    assert all(a.startswith("once the diagnosis is confirmed") for a in muscle.alternatives)
    assert "rituximab" not in {d.therapy for d in plan.doses}  # no dose for a deferred agent


def test_no_thromboprophylaxis_when_anticoagulated_or_in_ibm() -> None:
    on_doac = make_plan(organs={"dysphagia": "severe"}, other_medicines=["doac"])
    assert "vte_prophylaxis_severe_weakness" not in do_now(on_doac)
    ibm = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 70},
                    organs={"dysphagia": "severe"})
    assert "vte_prophylaxis_severe_weakness" not in do_now(ibm)


def test_methotrexate_toxicity_with_trimethoprim_stops_both() -> None:
    plan = make_plan(months_since_onset=20, other_medicines=["trimethoprim"],
                     systemic={"fever": True},
                     lab_results=[lab("neutrophils", 0.5, "10^9/L"),
                                  lab("egfr", 28, "mL/min/1.73m2")],
                     treatments=[{"therapy": "methotrexate", "start": "2025-01-01",
                                  "outcome": "ongoing"}])
    codes = do_now(plan)
    assert "methotrexate_trimethoprim_toxicity" in codes
    assert "methotrexate_trimethoprim" not in codes  # 'until the course has ended' gone
    assert codes.get("febrile_neutropenia") == "urgent"


def test_a_very_high_ck_with_no_kidney_function_is_checked_today() -> None:
    plan = make_plan(labs={"enzymes": {"ck": {"value": 14200, "uln": 200}}}, lab_results=[])
    codes = do_now(plan)
    assert codes.get("very_high_ck_kidney_unknown") == "urgent"
    assert "very_high_ck_kidney_safety" not in codes


def test_glucocorticoids_with_heart_failure_or_an_anticoagulant_are_cautioned() -> None:
    plan = make_plan(comorbidities={"heart_failure": True}, other_medicines=["doac"])
    option = next(o for o in plan.options if o.therapy == "glucocorticoids_oral")
    conditions = {c.condition for c in option.cautions}
    assert {"glucocorticoids_heart_failure", "glucocorticoids_with_anticoagulant"} <= conditions


def test_respiratory_weakness_in_ibm_is_assessed_without_an_emergency_escalation() -> None:
    plan = make_plan(diagnosis={"subgroup": "ibm"}, classification={"age_at_onset": 65},
                     months_since_onset=60, organs={"respiratory_muscle_weakness": True})
    codes = do_now(plan)
    assert codes.get("respiratory_muscle_weakness_ibm") == "soon"
    assert not {"respiratory_muscle_weakness",
                "respiratory_muscle_weakness_not_for_immunotherapy"} & set(codes)


def test_potassium_5_8_on_an_ace_inhibitor_holds_it() -> None:
    plan = make_plan(other_medicines=["ace_inhibitor_or_arb"],
                     lab_results=[lab("potassium", 5.8, "mmol/L")])
    assert do_now(plan).get("hyperkalaemia_on_ace_inhibitor") == "soon"

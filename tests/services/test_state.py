"""Disease state and response labelling (clinical-safety principles 5 and 10)."""

from __future__ import annotations

from tests.services.careplan.conftest import make_plan, make_record
from tests.services.careplan.test_safety_rules import visit


def test_incomplete_latest_visit_is_named_not_hidden() -> None:
    incomplete = {"date": "2026-11-25", "core_set": {"physician_global": 2.0}}
    plan = make_plan(visits=[visit("2026-01-10", 6.0, 50, 3000, 40),
                             visit("2026-06-01", 2.0, 70, 300, 10), incomplete],
                     treatments=[{"therapy": "methotrexate", "outcome": "ongoing",
                                  "start": "2026-01-10"}])
    assert plan.state is not None
    notes = [r.compared for r in plan.state.responses if r.measure == "note"]
    assert notes and "2026-11-25 lacks a complete core set" in notes[0]
    assert all("2026-06-01 vs" in r.compared for r in plan.state.responses
               if r.measure != "note")


def test_two_failed_agents_is_inadequate_response_one_is_not() -> None:
    one = make_plan(treatments=[{"therapy": "methotrexate", "reason_stopped": "inefficacy",
                                 "start": "2025-01-01", "stop": "2025-06-01"}])
    two = make_plan(treatments=[
        {"therapy": "methotrexate", "reason_stopped": "inefficacy", "start": "2025-01-01",
         "stop": "2025-06-01"},
        {"therapy": "mycophenolate", "reason_stopped": "inefficacy", "start": "2025-06-01",
         "stop": "2026-01-01"},
        {"therapy": "glucocorticoids_oral", "outcome": "ongoing", "start": "2025-01-01"}])
    assert one.state is not None and one.state.of("muscle") == "active"
    assert two.state is not None and two.state.of("muscle") == "inadequate_response"
    assert "ivig" in {o.therapy for o in two.options if o.line == "refractory"}


def test_summary_names_the_facts_it_used() -> None:
    plan = make_plan()
    used = "; ".join(plan.inputs_used)
    assert "antibodies positive: mi2" in used and "eGFR 90" in used


def test_old_visit_dose_is_not_assumed_current_forever() -> None:
    from myositis.services.careplan.facts import gc_dose_now
    record = make_record(visits=[visit("2024-01-10", 3.0, 60, 900, 30)])
    assert gc_dose_now(record) == 0.0

"""Disease state and response labelling (clinical-safety principles 5 and 10)."""

from __future__ import annotations

from myositis.services.muscle_trend import muscle_improving
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
    from myositis.services.careplan.exposure import gc_dose_now
    record = make_record(visits=[visit("2024-01-10", 3.0, 60, 900, 30)])
    assert gc_dose_now(record) == 0.0


def _visit(day: str, pga: float, mmt8: int, haq: float) -> dict[str, object]:
    return {"date": day, "core_set": {"physician_global": pga, "patient_global": pga,
                                      "extramuscular_global": 0.5, "mmt8": mmt8,
                                      "mmt_max": 80, "haq": haq}}


def test_a_flare_is_seen_when_ck_is_only_in_the_lab_series() -> None:
    """Specialist review X: a flare on taper called 'inadequate response' because the CK rise
    was in the dated labs, not on the visit form."""
    plan = make_plan(
        months_since_onset=14,
        treatments=[{"therapy": "methotrexate", "start": "2025-10-01", "dose_value": 20,
                     "dose_unit": "mg/week"},
                    {"therapy": "glucocorticoids_oral", "start": "2025-10-01",
                     "dose_value": 5, "dose_unit": "mg/day"}],
        # strength unchanged and the skin worse too: only the CK gives the muscle evidence
        # that makes this a muscle flare rather than an extramuscular one
        visits=[_visit("2026-08-18", 2.0, 76, 0.5),
                {**_visit("2026-11-10", 4.0, 76, 1.0),
                 "core_set": {"physician_global": 4.0, "patient_global": 4.0,
                              "extramuscular_global": 2.5, "mmt8": 76, "mmt_max": 80,
                              "haq": 1.0}}],
        lab_results=[
            {"analyte": "ck", "value": 150, "unit": "U/L", "uln": 200, "date": "2026-08-15"},
            {"analyte": "ck", "value": 1400, "unit": "U/L", "uln": 200, "date": "2026-11-08"},
            {"analyte": "egfr", "value": 80, "unit": "mL/min/1.73m2", "date": "2026-11-08"}])
    assert plan.state is not None and plan.state.of("muscle") == "flare"


def test_a_steady_recovery_over_three_visits_is_still_improving() -> None:
    """Specialist review X: MMT-8 64, 67, 70/80 with CK 1400, 900, 650 - each last step just
    short of the thresholds - is improving, not an inadequate response."""
    record = make_record(
        visits=[_visit("2026-06-09", 4.0, 64, 1.25), _visit("2026-09-08", 3.5, 67, 1.0),
                _visit("2026-11-10", 3.0, 70, 0.875)],
        lab_results=[
            {"analyte": "ck", "value": 1400, "unit": "U/L", "uln": 200, "date": "2026-06-09"},
            {"analyte": "ck", "value": 900, "unit": "U/L", "uln": 200, "date": "2026-09-08"},
            {"analyte": "ck", "value": 650, "unit": "U/L", "uln": 200, "date": "2026-11-10"}])
    why = muscle_improving(record)
    assert why is not None and "64 to 70/80" in why
    dip = make_record(
        visits=[_visit("2026-06-09", 4.0, 64, 1.25), _visit("2026-09-08", 3.5, 62, 1.0),
                _visit("2026-11-10", 3.0, 65, 0.875)],
        lab_results=[
            {"analyte": "ck", "value": 1400, "unit": "U/L", "uln": 200, "date": "2026-06-09"},
            {"analyte": "ck", "value": 1300, "unit": "U/L", "uln": 200, "date": "2026-09-08"},
            {"analyte": "ck", "value": 1250, "unit": "U/L", "uln": 200, "date": "2026-11-10"}])
    assert muscle_improving(dip) is None  # strength fell between visits: a plateau


def test_no_improvement_indices_before_treatment_or_in_ibm() -> None:
    """Specialist review X: a TIS printed for an untreated patient and for IBM."""
    visits = [_visit("2026-10-01", 5.0, 60, 1.5), _visit("2026-11-20", 4.0, 62, 1.25)]
    ck = [{"analyte": "ck", "value": v, "unit": "U/L", "uln": 200, "date": d}
          for d, v in (("2026-10-01", 3000), ("2026-11-20", 2500))]
    untreated = make_plan(visits=visits, lab_results=ck)
    assert untreated.state is not None
    assert [r.measure for r in untreated.state.responses] == ["note"]
    assert "no treatment recorded" in untreated.state.responses[0].compared
    treated = make_plan(visits=visits, lab_results=ck, treatments=[
        {"therapy": "methotrexate", "start": "2026-09-01", "dose_value": 15,
         "dose_unit": "mg/week"}])
    assert treated.state is not None
    assert any(r.measure != "note" for r in treated.state.responses)

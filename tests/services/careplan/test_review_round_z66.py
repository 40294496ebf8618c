"""Specialist review round Z66 (all patients SYNTHETIC): an adult myositis centre, paediatric
rheumatology, an ILD service and a neuromuscular clinic; and the kidney figure's name."""

from __future__ import annotations

from myositis.services.careplan.record_readers import kidney_figure_name
from tests.services.careplan.conftest import lab, make_record


def test_the_kidney_line_names_the_clearance_when_it_set_the_threshold() -> None:
    """From 75 the Cockcroft-Gault clearance sets the renal thresholds where it is lower: a
    line saying 'eGFR below 30' beside a reported eGFR of 34 misnames the figure."""
    results = [lab("creatinine", 130, "umol/L", date="2026-11-20"),
               lab("egfr", 34, "mL/min/1.73m2", date="2026-11-20")]
    old = make_record(date_of_birth="1938-02-01", weight_kg=45, lab_results=results)
    assert kidney_figure_name(old) == "creatinine clearance"
    young = make_record(date_of_birth="1976-02-01", weight_kg=45, lab_results=results)
    assert kidney_figure_name(young) == "eGFR"

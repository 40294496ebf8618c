"""The kidney figure the renal thresholds read (all records SYNTHETIC)."""

from __future__ import annotations

from myositis.services.careplan.kidney_function import kidney_figure_name, read_egfr
from tests.services.careplan.conftest import lab, make_record

SAME_DAY = [lab("creatinine", 130, "umol/L", date="2026-11-20"),
            lab("egfr", 34, "mL/min/1.73m2", date="2026-11-20")]


def test_the_egfr_is_read_from_the_dated_results() -> None:
    assert read_egfr(make_record(lab_results=[lab("egfr", 42, "mL/min/1.73m2")])) == 42


def test_from_75_the_lower_clearance_doses_and_the_egfr_stages() -> None:
    old = make_record(date_of_birth="1938-02-01", weight_kg=45, lab_results=SAME_DAY)
    dosing = read_egfr(old)
    assert dosing is not None and dosing < 25
    assert read_egfr(old, clearance=False) == 34


def test_the_kidney_line_names_the_clearance_when_it_set_the_threshold() -> None:
    """A line saying 'eGFR below 30' beside a reported eGFR of 34 misnames the figure."""
    old = make_record(date_of_birth="1938-02-01", weight_kg=45, lab_results=SAME_DAY)
    assert kidney_figure_name(old) == "creatinine clearance"
    young = make_record(date_of_birth="1976-02-01", weight_kg=45, lab_results=SAME_DAY)
    assert kidney_figure_name(young) == "eGFR"

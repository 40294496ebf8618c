"""Diabetes and thyroid readings (all records SYNTHETIC)."""

from __future__ import annotations

from myositis.services.careplan.endocrine_readers import (
    read_hypothyroidism_overt,
    read_tsh_raised,
)
from tests.services.careplan.conftest import lab, make_record


def test_a_tsh_without_its_limit_is_raised_above_the_default() -> None:
    assert read_tsh_raised(make_record(lab_results=[lab("tsh", 5.4, "mU/L")])) is False
    assert read_tsh_raised(make_record(lab_results=[lab("tsh", 5.6, "mU/L")])) is True
    assert read_tsh_raised(make_record(lab_results=[lab("tsh", 4.8, "mU/L", uln=4.5)])) is True
    assert read_tsh_raised(make_record(lab_results=[])) is None


def test_subclinical_hypothyroidism_is_not_overt() -> None:
    subclinical = make_record(lab_results=[lab("tsh", 6.8, "mU/L", date="2026-11-01"),
                                           lab("free_t4", 13, "pmol/L", date="2026-11-01")])
    assert read_hypothyroidism_overt(subclinical, 183) is False
    overt = make_record(lab_results=[lab("tsh", 10, "mU/L", date="2026-11-01")])
    assert read_hypothyroidism_overt(overt, 183) is True
    unknown_t4 = make_record(lab_results=[lab("tsh", 6.8, "mU/L", date="2026-11-01")])
    assert read_hypothyroidism_overt(unknown_t4, 183) is None

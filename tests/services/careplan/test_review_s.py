"""Scenarios from specialist review S (December 2026, SYNTHETIC): fifteen new patients, adult
clinic situations, safety-heavy cases, rare subgroups and children."""

from __future__ import annotations

from typing import Any

from myositis.domain.record import PatientRecord
from myositis.services.careplan.lab_trends import lung_function_decline
from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, make_record, merge

ASYS_ILD: dict[str, Any] = merge(ADULT_DM, {
    "id": "SYN-S-ASYS", "label": "SYNTHETIC anti-PL-7 antisynthetase syndrome with ILD",
    "antibodies": {"pl7": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "treatments": [{"therapy": "mycophenolate", "dose_value": 3, "dose_unit": "g/day",
                    "start": "2025-06-01", "outcome": "ongoing"}],
})


def _lung(date: str, fvc: float | None, dlco: float | None = None, **more: Any) -> dict[str, Any]:
    return {"date": date, "fvc_percent_predicted": fvc, "dlco_percent_predicted": dlco, **more}


def test_a_dated_lung_series_shows_the_ppf_decline() -> None:
    record = make_record(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60),
                                                  _lung("2026-05-20", 75, 58)],
                         lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip"))
    decline = lung_function_decline(record)
    assert decline == "FVC 78 -> 72 % predicted (2025-11-20 to 2026-11-25)"
    # 4 points of FVC and 5 of DLCO: below both thresholds
    assert lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2025-12-01", 76, 60), _lung("2026-11-25", 72, 55)])) is False
    # DLCO alone: 10 points within the year
    assert str(lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2026-01-10", None, 62), _lung("2026-11-25", None, 52)]))).startswith("DLCO 62")
    # more than a year (and a month) apart: the series cannot tell
    assert lung_function_decline(make_record(ASYS_ILD, lung_measures=[
        _lung("2025-09-01", 90), _lung("2026-11-25", 70)])) is None
    assert lung_function_decline(make_record(ASYS_ILD)) is None  # nothing dated


def test_a_lung_recorded_stable_while_fvc_falls_is_reviewed_now() -> None:
    plan = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60)],
                     lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip", course="stable"))
    assert do_now(plan).get("lung_function_declining") in ("urgent", "soon")
    item = next(a for a in plan.do_now if a.code == "lung_function_declining")
    assert "respiratory-muscle weakness" in item.text
    assert "raghu2022_ats_ers_ipf_ppf" in item.citations
    assert any("lung function fell: FVC 78 -> 72" in p for p in plan.inputs_used)
    steady = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 74, 56)],
                       lung=_lung("2026-11-25", 72, 55, hrct_pattern="nsip", course="stable"))
    assert "lung_function_declining" not in do_now(steady)
    # already recorded as progressing: the progression rule speaks instead, once
    progressing = make_plan(ASYS_ILD, lung_measures=[_lung("2025-11-20", 78, 60)],
                            lung=_lung("2026-11-25", 72, 55, course="progressive"))
    assert "lung_function_declining" not in do_now(progressing)
    assert "progressive_pulmonary_fibrosis" in do_now(progressing)


def test_the_lung_summary_repeating_a_series_entry_counts_once() -> None:
    entry = _lung("2026-11-25", 72, 55)
    record = PatientRecord.model_validate(merge(ASYS_ILD, {"lung": entry,
                                                           "lung_measures": [entry]}))
    assert len(record.lung_series()) == 1

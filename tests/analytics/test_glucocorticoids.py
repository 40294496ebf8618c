"""Glucocorticoid exposure: hand-computed cumulative doses, unknowns kept out, small cells hidden."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from myositis.analytics.glucocorticoids import exposure, glucocorticoid_summary, read_treatments
from myositis.errors import InputError


def _visits(rows: list[tuple[str, date]]) -> pl.DataFrame:
    return pl.DataFrame({"patient_id": [r[0] for r in rows], "visit_date": [r[1] for r in rows]})


def _treatments(rows: list[tuple[str, str, date, date | None, float | None]]) -> pl.DataFrame:
    return pl.DataFrame({"patient_id": [r[0] for r in rows], "therapy": [r[1] for r in rows],
                         "start": [r[2] for r in rows], "stop": [r[3] for r in rows],
                         "dose_mg_day": [r[4] for r in rows]},
                        schema={"patient_id": pl.String, "therapy": pl.String, "start": pl.Date,
                                "stop": pl.Date, "dose_mg_day": pl.Float64})


VISITS = _visits([("A", date(2024, 1, 1)), ("A", date(2025, 1, 10)),
                  ("B", date(2024, 1, 1)), ("B", date(2025, 1, 10)),
                  ("C", date(2024, 1, 1)), ("C", date(2025, 1, 10)),
                  ("D", date(2024, 1, 1)), ("D", date(2024, 3, 1))])
TREATMENTS = _treatments([
    ("A", "methylprednisolone_iv_pulse", date(2024, 1, 1), date(2024, 1, 4), 500.0),
    ("A", "glucocorticoids_oral", date(2023, 12, 1), date(2024, 3, 1), 40.0),
    ("A", "glucocorticoids_oral", date(2024, 3, 1), date(2024, 9, 1), 10.0),
    ("A", "methotrexate", date(2024, 1, 1), None, 15.0),
    ("C", "glucocorticoids_oral", date(2024, 1, 1), None, None),
    ("D", "glucocorticoids_oral", date(2024, 1, 1), None, 20.0),
])


def test_cumulative_dose_is_worked_out_by_hand() -> None:
    per = {(r["patient_id"], r["months"]): r for r in exposure(VISITS, TREATMENTS).iter_rows(
        named=True)}
    # 3 days x 500 mg methylprednisolone x 1.25 + 60 days x 40 mg + 122 days x 10 mg
    assert per[("A", 6)]["cumulative_mg"] == pytest.approx(1875 + 2400 + 1220)
    assert per[("A", 6)]["mg_day_at_horizon"] == 10.0
    assert per[("A", 12)]["cumulative_mg"] == pytest.approx(1875 + 2400 + 1840)
    assert per[("A", 12)]["mg_day_at_horizon"] == 0.0
    # B has no treatment rows (unknown), C a dose not recorded, D not followed to 6 months
    assert {p for p, _ in per} == {"A"}


def test_summary_hides_groups_and_shares_under_min_cell() -> None:
    visits, treatments, subgroup = [], [], []
    for i in range(14):
        pid = f"P{i}"
        visits += [(pid, date(2024, 1, 1)), (pid, date(2025, 1, 10))]
        taper = date(2024, 5, 1) if i < 8 else date(2024, 12, 1)  # 8 spared by 6 months
        treatments.append((pid, "glucocorticoids_oral", date(2024, 1, 1), taper, 30.0))
        treatments.append((pid, "glucocorticoids_oral", taper, None, 5.0))
        subgroup.append((pid, "dm" if i < 10 else "imnm"))
    patients = pl.DataFrame({"patient_id": [s[0] for s in subgroup],
                             "subgroup": [s[1] for s in subgroup]})
    rows = {r.group: r for r in glucocorticoid_summary(_visits(visits), _treatments(treatments),
                                                       patients, min_cell=5)}
    assert rows["all"].spared[6] == pytest.approx(8 / 14)
    assert rows["all"].median_mg[6] is not None
    assert rows["dm"].spared.get(6) is None  # 8 spared, 2 not: the 2 would be shown
    assert rows["imnm"].median_mg.get(6) is None  # 4 patients
    assert all(v is None for v in rows["imnm"].spared.values())


def test_bad_treatment_rows_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "treatments.csv"
    path.write_text("patient_id,therapy,start,stop,dose_mg_day\n"
                    "A,prednisone,2024-01-01,,10\nA,glucocorticoids_oral,2024-13-01,,-5\n"
                    "A,glucocorticoids_oral,2024-02-01,2024-01-01,x\n")
    with pytest.raises(InputError) as error:
        read_treatments(path, {"glucocorticoids_oral"})
    fields = [f for f, _ in error.value.problems]
    assert "treatments row 2.start" in fields and "treatments row 3.dose_mg_day" in fields
    assert "treatments.therapy" in fields and "treatments row 3.stop" in fields
    assert "treatments row 2.dose_mg_day" in fields

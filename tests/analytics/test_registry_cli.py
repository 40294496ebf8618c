"""`myositis registry score` on a SYNTHETIC visits CSV: scores, per-row errors, schema refusal."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from myositis.cli import app

runner = CliRunner()
HEADER = ("patient_id,visit_date,population,physician_global,patient_global,"
          "extramuscular_global,mmt8,mmt_max,cmas,haq,chaq,ck,ck_uln,aldolase,aldolase_uln,"
          "ldh,ldh_uln,ast,ast_uln,alt,alt_uln")
ROWS = [
    "SYN-1,2024-01-01,adult,7,7,3,50,80,,2,,4000,200,,,,,,,,",
    "SYN-1,2024-06-01,adult,1,1,0.5,76,80,,0.25,,115,200,,,,,,,,",
    "SYN-1,2024-09-01,adult,3.2,1.5,0.5,70,80,,0.25,,640,200,,,,,,,,",
    "SYN-2,2024-01-01,adult,12,7,3,50,80,,2,,4000,200,,,,,,,,",  # physician global > 10
    "SYN-2,2024-03-01,adult,five,7,3,50,80,,2,,4000,200,,,,,,,,",  # not a number
]


def test_scores_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    source = tmp_path / "visits.csv"
    source.write_text("\n".join([HEADER, *ROWS]) + "\n")
    out = tmp_path / "scores.parquet"
    result = runner.invoke(app, ["registry", "score", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(out)
    assert scored["tis_vs_baseline"].to_list() == [None, 92.5, 85.0]
    assert scored["response_vs_previous"].to_list() == [None, "major", "none"]
    assert "row 4, physician_global: outside 0-10" in result.output
    assert "row 5, physician_global: not a Float64" in result.output


def test_wrong_schema_exits_2_naming_every_column(tmp_path: Path) -> None:
    source = tmp_path / "visits.csv"
    source.write_text("patient_id,visit_date\nSYN-1,2024-01-01\n")
    out = tmp_path / "scores.parquet"
    result = runner.invoke(app, ["registry", "score", str(source), "--out", str(out)])
    assert result.exit_code == 2
    for column in ("physician_global", "mmt_max", "ck_uln", "population"):
        assert column in result.output
    assert not out.exists()

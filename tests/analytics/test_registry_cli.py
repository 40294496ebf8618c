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


def test_report_suppresses_small_cells_in_every_format(tmp_path: Path) -> None:
    import json

    rows = []
    people = ["patient_id,sex,subgroup,antibodies,age_at_onset"]
    for i in range(12):
        sex = "male" if i < 3 else "female"  # 3 men: a small cell
        people.append(f"SYN-{i},{sex},dm,{'mda5' if i < 2 else 'mi2'},{40 + i}")
        rows.append(f"SYN-{i},2024-01-01,adult,7,7,3,50,80,,2,,4000,200,,,,,,,,")
        rows.append(f"SYN-{i},2024-07-01,adult,{1 + i % 3},1,0.5,76,80,,0.25,,115,200,,,,,,,,")
    visits = tmp_path / "visits.csv"
    visits.write_text("\n".join([HEADER, *rows]) + "\n")
    patients = tmp_path / "patients.csv"
    patients.write_text("\n".join(people) + "\n")
    for suffix in ("json", "csv", "html"):
        out = tmp_path / f"report.{suffix}"
        result = runner.invoke(app, ["registry", "report", str(visits), "--patients",
                                     str(patients), "--out", str(out)])
        assert result.exit_code == 0, result.output
    body = json.loads((tmp_path / "report.json").read_text())
    sex = {r["group"]: r["patients"] for r in body["rows"] if r["dimension"] == "sex"}
    assert sex == {"female": None, "male": None}  # 3 men hidden, so 9 women hidden too
    antibody = {r["group"]: r["patients"] for r in body["rows"] if r["dimension"] == "antibody"}
    # 2 with anti-MDA5 would be 12 minus the 10 with anti-Mi-2: both are hidden
    assert antibody["mda5"] is None and antibody["mi2"] is None
    html = (tmp_path / "report.html").read_text()
    assert "Research use" in html and ">3<" not in html
    assert "Kaplan-Meier" in html
    km = {r["group"]: r for r in body["time_to_response"]}
    # all 12 respond by the 6-month visit, so none is left "not responded": hidden
    assert km["all patients"]["responded_by_6m"] is None


def test_import_redcap_writes_tables_the_report_reads(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "docs" / "examples" / "redcap"
    out = tmp_path / "registry"
    result = runner.invoke(app, ["registry", "import-redcap", str(example / "dictionary.csv"),
                                 str(example / "records.csv"), "--mapping",
                                 str(example / "mapping.yaml"), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "record SYN-002, instance 1, patient_global" in result.output
    report = runner.invoke(app, ["registry", "report", str(out / "visits.csv"), "--patients",
                                 str(out / "patients.csv"), "--out", str(tmp_path / "r.json")])
    assert report.exit_code == 0, report.output
    assert not list(out.glob("*.partial"))


def test_import_redcap_with_a_bad_mapping_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "docs" / "examples" / "redcap"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("visits:\n  columns:\n    mmt8: no_such_field\n")
    out = tmp_path / "registry"
    result = runner.invoke(app, ["registry", "import-redcap", str(example / "dictionary.csv"),
                                 str(example / "records.csv"), "--mapping", str(mapping),
                                 "--out-dir", str(out)])
    assert result.exit_code == 2 and "no_such_field" in result.output
    assert not out.exists()


def test_import_omop_prints_attrition_with_small_counts_suppressed(tmp_path: Path) -> None:
    from tests.analytics.test_omop import _write_cdm

    cdm = tmp_path / "cdm"
    cdm.mkdir()
    _write_cdm(cdm)
    result = runner.invoke(app, ["registry", "import-omop", str(cdm), "--out-dir",
                                 str(tmp_path / "out"), "--min-cell", "5"])
    assert result.exit_code == 0, result.output
    assert "first dermatomyositis condition: 7" in result.output
    assert "immunosuppressant -90 to +90 days: <5" in result.output
    assert pl.read_csv(tmp_path / "out" / "patients.csv").height == 2


def test_report_adds_glucocorticoid_exposure_from_a_treatments_table(tmp_path: Path) -> None:
    import json

    rows, people, courses = [], ["patient_id,sex,subgroup,antibodies,age_at_onset"], [
        "patient_id,therapy,start,stop,dose_mg_day"]
    for i in range(12):
        people.append(f"SYN-{i},female,dm,mi2,{40 + i}")
        rows.append(f"SYN-{i},2024-01-01,adult,7,7,3,50,80,,2,,4000,200,,,,,,,,")
        rows.append(f"SYN-{i},2025-01-01,adult,1,1,0.5,76,80,,0.25,,115,200,,,,,,,,")
        taper = "2024-05-01" if i < 6 else "2024-11-01"
        courses += [f"SYN-{i},glucocorticoids_oral,2024-01-01,{taper},40",
                    f"SYN-{i},glucocorticoids_oral,{taper},,5"]
    (tmp_path / "visits.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    (tmp_path / "patients.csv").write_text("\n".join(people) + "\n")
    (tmp_path / "treatments.csv").write_text("\n".join(courses) + "\n")
    for suffix in ("json", "html"):
        result = runner.invoke(app, ["registry", "report", str(tmp_path / "visits.csv"),
                                     "--patients", str(tmp_path / "patients.csv"),
                                     "--treatments", str(tmp_path / "treatments.csv"),
                                     "--out", str(tmp_path / f"r.{suffix}")])
        assert result.exit_code == 0, result.output
    gc = {r["group"]: r for r in json.loads((tmp_path / "r.json").read_text())["glucocorticoids"]}
    assert gc["all"]["at_or_below_7_5_mg_6m"] == 0.5
    flares = json.loads((tmp_path / "r.json").read_text())["flare_rates"]
    assert [r["group"] for r in flares] == ["all", "dm"]
    assert "Flare rates" in (tmp_path / "r.html").read_text()
    assert "Glucocorticoid exposure" in (tmp_path / "r.html").read_text()


def test_classify_writes_every_patient_or_names_every_bad_value(tmp_path: Path) -> None:
    from myositis.analytics.classification import BOOLEAN_COLUMNS

    header = ["patient_id", "age_at_onset", *BOOLEAN_COLUMNS, "improved_with_treatment"]
    good = ["SYN-1", "45", *["true" if c == "gottron_sign" else "false" for c in BOOLEAN_COLUMNS],
            ""]
    bad = ["SYN-2", "45", *["1" if c == "anti_jo1" else "false" for c in BOOLEAN_COLUMNS], ""]
    source = tmp_path / "criteria.csv"
    source.write_text("\n".join(",".join(r) for r in (header, good)) + "\n")
    out = tmp_path / "classified.csv"
    result = runner.invoke(app, ["registry", "classify", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["category"].to_list() == ["possible"]  # 2.1 + 3.3
    source.write_text("\n".join(",".join(r) for r in (header, good, bad)) + "\n")
    out.unlink()
    result = runner.invoke(app, ["registry", "classify", str(source), "--out", str(out)])
    assert result.exit_code == 2 and "row 2.anti_jo1" in result.output and not out.exists()

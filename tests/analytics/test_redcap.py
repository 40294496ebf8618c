"""REDCap import through a mapping file, on the SYNTHETIC example project in docs/examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from myositis.analytics import score_visits
from myositis.analytics.redcap import import_redcap
from myositis.errors import InputError

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "redcap"


def _paths(directory: Path = EXAMPLE) -> tuple[Path, Path, Path]:
    return directory / "dictionary.csv", directory / "records.csv", directory / "mapping.yaml"


def test_visits_are_the_repeating_instances_scaled_to_the_registry_units() -> None:
    result = import_redcap(*_paths())
    assert result.visits["patient_id"].to_list() == ["SYN-001", "SYN-001", "SYN-002"]
    first = result.visits.row(0, named=True)
    assert first["physician_global"] == pytest.approx(6.0)  # 60 mm is 6 cm
    assert first["mmt_max"] == 80 and first["population"] == "adult" and first["ck"] == 3200.0
    scored = score_visits(result.visits)
    assert scored.filter(pl.col("patient_id") == "SYN-001")["response_vs_baseline"].to_list()[
        -1] in ("moderate", "major")


def test_bad_values_are_named_by_record_and_instance_and_their_visits_left_out() -> None:
    result = import_redcap(*_paths())
    found = {(p.record, p.instance, p.field) for p in result.problems}
    assert found == {("SYN-002", "1", "patient_global"), ("SYN-003", "1", "physician_global")}
    assert result.visits.filter(pl.col("patient_id") == "SYN-002").height == 1


def test_patient_facts_come_from_the_coded_answers_and_checkboxes() -> None:
    patients = import_redcap(*_paths()).patients
    rows = {r["patient_id"]: r for r in patients.iter_rows(named=True)}
    assert rows["SYN-001"]["sex"] == "female" and rows["SYN-001"]["subgroup"] == "asys"
    assert rows["SYN-001"]["antibodies"] == "jo1" and rows["SYN-002"]["antibodies"] == "hmgcr"
    assert rows["SYN-001"]["ild"] == "true" and rows["SYN-003"]["ild"] is None


def test_every_mapping_problem_is_named_before_any_record_is_read(tmp_path: Path) -> None:
    for name in ("dictionary.csv", "records.csv"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    (tmp_path / "mapping.yaml").write_text(
        "visits:\n  instrument: visits\n  columns:\n    visit_date: vdate\n"
        "    physician_globl: md_vas\n    mmt8: mmt8_totl\n"
        "patients:\n  columns:\n    sex: {field: sex, choices: {1: female, 4: male}}\n"
        "    subgroup: diagnosis\n")
    (tmp_path / "records.csv").write_text("garbage that is never read")
    with pytest.raises(InputError) as error:
        import_redcap(*_paths(tmp_path))
    problems: dict[str, str] = {}
    for where, message in error.value.problems:
        problems[where] = problems.get(where, "") + message + "; "
    assert "visits.instrument" in problems
    assert "visits.columns.physician_globl" in problems
    assert "not in the data dictionary" in problems["visits.columns.mmt8"]
    assert "4 are not choices" in problems["patients.columns.sex"]
    assert "2, 3 of 'sex' are not mapped" in problems["patients.columns.sex"]
    assert "give its 'choices'" in problems["patients.columns.subgroup"]


def test_a_dictionary_without_its_columns_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dictionary.csv").write_text("name,form\nstudy_id,enrolment\n")
    with pytest.raises(InputError) as error:
        import_redcap(tmp_path / "dictionary.csv", EXAMPLE / "records.csv",
                      EXAMPLE / "mapping.yaml")
    assert [f for f, _ in error.value.problems] == [
        "dictionary.field_name", "dictionary.form_name", "dictionary.field_type",
        "dictionary.choices"]


def test_a_checkbox_code_missing_from_the_export_is_named(tmp_path: Path) -> None:
    for name in ("dictionary.csv", "mapping.yaml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    records = pl.read_csv(EXAMPLE / "records.csv", infer_schema_length=0).drop("msa___3")
    records.write_csv(tmp_path / "records.csv")
    with pytest.raises(InputError) as error:
        import_redcap(*_paths(tmp_path))
    assert [f for f, _ in error.value.problems] == ["msa___3"]

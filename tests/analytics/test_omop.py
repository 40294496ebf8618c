"""OMOP import: the transcribed adult-DM phenotype applied rule by rule to a SYNTHETIC CDM."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from myositis.analytics.omop import import_omop, phenotype
from myositis.analytics.registry_io import read_visits
from myositis.errors import InputError

DM, JUVENILE_DM = 80182, 4005037
MTX, PRED, TAC = 1305058, 1551099, 950637
MTX_TABLET, PRED_TABLET, TAC_TOPICAL = 9100, 9101, 35888457  # tablets are synthetic ids
CK_CONCEPT, AST_CONCEPT = 3_000_001, 3_000_002  # synthetic concept ids for LOINC 2157-6, 1920-8


def _write_cdm(directory: Path, *, ancestors: bool = True) -> None:
    """Eight SYNTHETIC persons, each failing one rule of the phenotype (P1 and P8 pass)."""
    persons = [  # id, gender, year of birth, obs start, condition code, 2nd dx days, drug, days
        (1, 8532, 1970, "2015-01-01", DM, 61, MTX_TABLET, -15),
        (2, 8532, 1970, "2015-01-01", JUVENILE_DM, 61, MTX_TABLET, 0),
        (3, 8507, 1960, "2015-01-01", DM, 20, MTX_TABLET, 0),
        (4, 8507, 1960, "2019-11-22", DM, 61, MTX_TABLET, 0),
        (5, 8532, 2003, "2015-01-01", DM, 61, MTX_TABLET, 0),
        (6, 8532, 1980, "2015-01-01", DM, 61, TAC_TOPICAL, 0),
        (7, 8532, 1980, "2015-01-01", DM, 61, MTX_TABLET, 200),
        (8, 8507, 1955, "2015-01-01", DM, 365, PRED_TABLET, 90),
    ]
    index = date(2020, 3, 1)
    pl.DataFrame({"person_id": [p[0] for p in persons], "gender_concept_id": [p[1] for p in persons],
                  "year_of_birth": [p[2] for p in persons]}).write_csv(directory / "person.csv")
    pl.DataFrame({"person_id": [p[0] for p in persons],
                  "observation_period_start_date": [p[3] for p in persons],
                  "observation_period_end_date": ["2024-12-31"] * len(persons)}
                 ).write_csv(directory / "observation_period.csv")
    conditions = [(p[0], p[4], index) for p in persons]
    conditions += [(p[0], p[4], date.fromordinal(index.toordinal() + p[5])) for p in persons]
    pl.DataFrame({"person_id": [c[0] for c in conditions],
                  "condition_concept_id": [c[1] for c in conditions],
                  "condition_start_date": [c[2] for c in conditions]}
                 ).write_parquet(directory / "condition_occurrence.parquet")
    pl.DataFrame({"person_id": [p[0] for p in persons], "drug_concept_id": [p[6] for p in persons],
                  "drug_exposure_start_date": [date.fromordinal(index.toordinal() + p[7])
                                               for p in persons],
                  "drug_exposure_end_date": [date(2021, 1, 1)] * len(persons)}
                 ).write_csv(directory / "drug_exposure.csv")
    pl.DataFrame({
        "PERSON_ID": [1, 1, 1, 1, 8],  # upper-case names, as some exports write them
        "MEASUREMENT_CONCEPT_ID": [CK_CONCEPT, CK_CONCEPT, AST_CONCEPT, CK_CONCEPT, CK_CONCEPT],
        "MEASUREMENT_DATE": ["2020-03-01", "2020-03-01", "2020-03-01", "2020-09-01",
                             "2020-03-02"],
        "VALUE_AS_NUMBER": [2400.0, 1800.0, 1.5, 300.0, 90.0],
        "RANGE_HIGH": [200.0, 200.0, 0.58, 200.0, 190.0],
        "UNIT_CONCEPT_ID": [8645, 8645, None, None, 8645],
        "UNIT_SOURCE_VALUE": ["U/L", "U/L", "ukat/L", "mg/dL", "U/L"],
    }).write_csv(directory / "measurement.csv")
    pl.DataFrame({"concept_id": [CK_CONCEPT, AST_CONCEPT], "concept_code": ["2157-6", "1920-8"],
                  "vocabulary_id": ["LOINC", "LOINC"]}).write_csv(directory / "concept.csv")
    if ancestors:
        pl.DataFrame({"ancestor_concept_id": [MTX, PRED, TAC, DM],
                      "descendant_concept_id": [MTX_TABLET, PRED_TABLET, TAC_TOPICAL, DM]}
                     ).write_csv(directory / "concept_ancestor.csv")


def test_each_rule_of_the_phenotype_removes_its_person(tmp_path: Path) -> None:
    _write_cdm(tmp_path)
    result = import_omop(tmp_path)
    assert result.patients["patient_id"].to_list() == ["1", "8"]
    assert [n for _, n in result.attrition] == [7, 6, 5, 4, 2]
    assert result.deviations == []
    assert result.patients.row(0, named=True) | {"index_date": None} == {
        "patient_id": "1", "sex": "female", "subgroup": "dm", "antibodies": "",
        "age_at_onset": 50.0, "index_date": None}
    assert result.patients["sex"].to_list() == ["female", "male"]


def test_enzymes_are_read_by_loinc_in_units_per_litre(tmp_path: Path) -> None:
    _write_cdm(tmp_path)
    result = import_omop(tmp_path)
    first = result.visits.filter((pl.col("patient_id") == "1")
                                 & (pl.col("visit_date") == date(2020, 3, 1))).row(0, named=True)
    assert first["ck"] == 2400.0 and first["ck_uln"] == 200.0  # the higher of two CKs that day
    assert first["ast"] == pytest.approx(90.0) and first["ast_uln"] == pytest.approx(34.8)
    assert first["mmt8"] is None and first["population"] == "adult"
    assert result.unit_problems == 1  # the CK in mg/dL is left out and counted
    assert result.visits.filter(pl.col("patient_id") == "1").height == 1


def test_treatments_map_drug_concepts_to_knowledge_base_therapies(tmp_path: Path) -> None:
    _write_cdm(tmp_path)
    result = import_omop(tmp_path)
    rows = result.treatments.select("patient_id", "therapy").rows()
    assert rows == [("1", "methotrexate"), ("8", "glucocorticoids_oral")]
    from myositis.knowledge import load
    known = set(load().therapies)
    for entry in phenotype()["immunosuppressants"]["include"].values():
        assert entry["therapy"] in known


def test_without_concept_ancestor_the_import_says_what_it_could_not_match(tmp_path: Path) -> None:
    _write_cdm(tmp_path, ancestors=False)
    result = import_omop(tmp_path)
    assert result.patients.height == 0  # the tablets are not matched to their ingredients
    assert any("concept_ancestor" in d for d in result.deviations)


def test_visits_written_by_the_import_are_a_valid_registry_table(tmp_path: Path) -> None:
    _write_cdm(tmp_path)
    visits = tmp_path / "visits.csv"
    import_omop(tmp_path).visits.write_csv(visits)
    loaded = read_visits(visits)
    assert loaded.problems == [] and loaded.frame.height == 2


def test_missing_tables_and_columns_are_named_at_once(tmp_path: Path) -> None:
    pl.DataFrame({"person_id": [1]}).write_csv(tmp_path / "person.csv")
    with pytest.raises(InputError) as error:
        import_omop(tmp_path)
    fields = [f for f, _ in error.value.problems]
    assert fields == ["person.gender_concept_id", "person.year_of_birth", "condition_occurrence",
                      "drug_exposure", "measurement"]


def test_the_concept_sets_are_the_published_definition() -> None:
    spec = phenotype()
    assert spec["cohort"]["atlas_id"] == 1787425
    assert set(spec["condition"]["include"]) == {80182, 4270868, 4081250, 4344161}
    assert 4005037 in spec["condition"]["exclude"]
    assert len(spec["immunosuppressants"]["include"]) == 11
    assert len(spec["immunosuppressants"]["exclude"]) == 35

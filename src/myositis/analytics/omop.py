"""OMOP CDM 5.4 import: adult dermatomyositis case-finding and the registry tables it feeds.

The phenotype is the OHDSI Myositis Network Study's "Adult Dermatomyositis, specific,
incident" cohort (ATLAS 1787425), transcribed as data in ``data/omop_dermatomyositis.yaml``
with its source. A person enters on the first dermatomyositis condition (the concept set with
its descendants, the juvenile and neonatal concepts excluded) when that condition has 365 days
of observation before it, and stays when:

* age at index is 18 or more (year of index minus year of birth, as ATLAS computes it);
* a second dermatomyositis condition starts 30-365 days after the index;
* an immunosuppressant of the set (ingredients with their descendants, topical and other local
  products excluded) starts from 90 days before to 90 days after the index.

Descendants come from the ``concept_ancestor`` table. Without it only the listed concepts are
matched, which misses the clinical-drug concepts that ``drug_exposure`` normally holds; the
import then says so in ``deviations`` rather than returning a silently smaller cohort. The
same holds for ``observation_period`` (the prior-observation rule).

Muscle enzymes are read from ``measurement`` by LOINC (the record's own table,
``domain.loinc``, alternates included), via the ``concept`` table or, without it, the source
value; ``range_high`` is the ULN. The output tables are the registry's documented ones
(visits with the enzymes and empty core-set measures, patients, treatments), so the cohort
report and scoring read them as they read any registry; a routine-care database rarely holds
MMT-8 or the global assessments, and the TIS needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from myositis.analytics.response import ENZYMES
from myositis.domain.loinc import LOINC
from myositis.errors import InputError

REQUIRED = {
    "person": ("person_id", "gender_concept_id", "year_of_birth"),
    "condition_occurrence": ("person_id", "condition_concept_id", "condition_start_date"),
    "drug_exposure": ("person_id", "drug_concept_id", "drug_exposure_start_date"),
    "measurement": ("person_id", "measurement_concept_id", "measurement_date",
                    "value_as_number"),
}
OPTIONAL = ("observation_period", "concept", "concept_ancestor", "observation")


@cache
def phenotype() -> dict[str, Any]:
    """The transcribed cohort definition (concept sets, windows, units)."""
    path = Path(__file__).with_name("data") / "omop_dermatomyositis.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@dataclass
class OmopImport:
    patients: pl.DataFrame
    visits: pl.DataFrame
    treatments: pl.DataFrame
    attrition: list[tuple[str, int]]
    deviations: list[str] = field(default_factory=list)
    unit_problems: int = 0


def _read_table(directory: Path, name: str) -> pl.DataFrame | None:
    """A CDM table as CSV or Parquet, column names in lower case (exports differ)."""
    for suffix in (".parquet", ".csv"):
        path = directory / f"{name}{suffix}"
        if path.exists():
            frame = (pl.read_parquet(path) if suffix == ".parquet"
                     else pl.read_csv(path, infer_schema_length=10_000, try_parse_dates=True))
            return frame.rename({c: c.lower() for c in frame.columns})
    return None


def _dates(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return frame.with_columns(*[pl.col(c).cast(pl.String).str.slice(0, 10)
                                .str.to_date("%Y-%m-%d", strict=False) for c in columns])


def read_cdm(directory: Path) -> dict[str, pl.DataFrame]:
    """The CDM tables the import uses; every missing table or column is named at once."""
    if not directory.is_dir():
        raise InputError([("input", f"no such directory: {directory}")])
    tables: dict[str, pl.DataFrame] = {}
    problems: list[tuple[str, str]] = []
    for name, columns in REQUIRED.items():
        frame = _read_table(directory, name)
        if frame is None:
            problems.append((name, "missing table (name.csv or name.parquet)"))
            continue
        problems += [(f"{name}.{c}", "missing column") for c in columns if c not in frame.columns]
        tables[name] = frame
    if problems:
        raise InputError(problems)
    for name in OPTIONAL:
        frame = _read_table(directory, name)
        if frame is not None:
            tables[name] = frame
    return tables


def _with_descendants(ids: set[int], tables: dict[str, pl.DataFrame]) -> set[int]:
    ancestors = tables.get("concept_ancestor")
    if ancestors is None:
        return set(ids)
    found = ancestors.filter(pl.col("ancestor_concept_id").is_in(list(ids)))
    return set(ids) | set(found["descendant_concept_id"].to_list())


def _ingredient_of(tables: dict[str, pl.DataFrame]) -> dict[int, int]:
    """Each matching drug concept mapped to the ingredient of the set it descends from."""
    spec = phenotype()["immunosuppressants"]
    ingredients = {int(k) for k in spec["include"]}
    excluded = _with_descendants({int(k) for k in spec["exclude"]}, tables)
    mapping = {i: i for i in ingredients}
    ancestors = tables.get("concept_ancestor")
    if ancestors is not None:
        rows = ancestors.filter(pl.col("ancestor_concept_id").is_in(list(ingredients)))
        for ancestor, descendant in rows.select("ancestor_concept_id",
                                                "descendant_concept_id").iter_rows():
            mapping.setdefault(int(descendant), int(ancestor))
    return {k: v for k, v in mapping.items() if k not in excluded}


def _condition_set(tables: dict[str, pl.DataFrame]) -> set[int]:
    spec = phenotype()["condition"]
    included = _with_descendants({int(k) for k in spec["include"]}, tables)
    return included - {int(k) for k in spec["exclude"]}


def _cohort(tables: dict[str, pl.DataFrame], deviations: list[str]
            ) -> tuple[pl.DataFrame, list[tuple[str, int]]]:
    """Persons meeting the phenotype, with their index date; the attrition at each rule."""
    rules = phenotype()["cohort"]
    events = _dates(tables["condition_occurrence"].filter(
        pl.col("condition_concept_id").is_in(list(_condition_set(tables)))),
        "condition_start_date").drop_nulls("condition_start_date")
    index = events.group_by("person_id").agg(pl.col("condition_start_date").min().alias("index"))
    attrition = [("first dermatomyositis condition", index.height)]

    periods = tables.get("observation_period")
    if periods is None:
        deviations.append("no observation_period table: the 365 days of prior observation and "
                          "the observation-period limits were not checked")
    else:
        periods = _dates(periods, "observation_period_start_date", "observation_period_end_date")
        index = index.join(periods, on="person_id").filter(
            (pl.col("observation_period_start_date")
             <= pl.col("index") - timedelta(days=rules["prior_observation_days"]))
            & (pl.col("observation_period_end_date") >= pl.col("index"))
        ).select("person_id", "index", "observation_period_end_date").unique("person_id")
        attrition.append((f"{rules['prior_observation_days']} days observed before it",
                          index.height))

    people = tables["person"].select("person_id", "gender_concept_id", "year_of_birth")
    index = index.join(people, on="person_id").filter(
        pl.col("index").dt.year() - pl.col("year_of_birth") >= rules["min_age_years"])
    attrition.append((f"aged {rules['min_age_years']} or more at index", index.height))

    low, high = rules["second_diagnosis_days"]
    later = events.select("person_id", "condition_start_date").join(
        index.select("person_id", "index", *(["observation_period_end_date"]
                                             if periods is not None else [])), on="person_id")
    window = ((pl.col("condition_start_date") >= pl.col("index") + timedelta(days=low))
              & (pl.col("condition_start_date") <= pl.col("index") + timedelta(days=high)))
    if periods is not None:
        window &= pl.col("condition_start_date") <= pl.col("observation_period_end_date")
    second = later.filter(window).select("person_id").unique()
    index = index.join(second, on="person_id", how="semi")
    attrition.append((f"second diagnosis {low}-{high} days later", index.height))

    ingredient = _ingredient_of(tables)
    if "concept_ancestor" not in tables:
        deviations.append("no concept_ancestor table: conditions and drugs were matched on the "
                          "listed concepts only, without their descendants")
    before, after = rules["immunosuppressant_days"]
    drugs = _dates(tables["drug_exposure"].filter(
        pl.col("drug_concept_id").is_in(list(ingredient))), "drug_exposure_start_date")
    treated = drugs.join(index.select("person_id", "index"), on="person_id").filter(
        (pl.col("drug_exposure_start_date") >= pl.col("index") + timedelta(days=before))
        & (pl.col("drug_exposure_start_date") <= pl.col("index") + timedelta(days=after))
    ).select("person_id").unique()
    index = index.join(treated, on="person_id", how="semi")
    attrition.append((f"immunosuppressant {before} to +{after} days", index.height))
    return index.select("person_id", "index", "gender_concept_id", "year_of_birth"), attrition


def _loinc_analytes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for analyte in ENZYMES:
        entry = LOINC[analyte]
        for code in (entry.code, *entry.alternates):
            if code:
                codes[code] = analyte
    return codes


def _enzyme_rows(tables: dict[str, pl.DataFrame], cohort: pl.DataFrame,
                 deviations: list[str]) -> tuple[pl.DataFrame, int]:
    """Enzyme results of the cohort in U/L with their ULN; the count of rows left out for a unit
    that cannot be converted."""
    codes = _loinc_analytes()
    measurement = tables["measurement"].join(cohort.select("person_id"), on="person_id",
                                             how="semi")
    concept = tables.get("concept")
    if concept is not None:
        loinc = concept.filter(pl.col("vocabulary_id") == "LOINC").filter(
            pl.col("concept_code").cast(pl.String).is_in(list(codes)))
        keyed = loinc.select(pl.col("concept_id").alias("measurement_concept_id"),
                             pl.col("concept_code").cast(pl.String).replace_strict(
                                 codes).alias("analyte"))
        rows = measurement.join(keyed, on="measurement_concept_id")
    elif "measurement_source_value" in measurement.columns:
        deviations.append("no concept table: measurements matched by LOINC code in "
                          "measurement_source_value")
        rows = measurement.filter(pl.col("measurement_source_value").cast(pl.String).is_in(
            list(codes))).with_columns(pl.col("measurement_source_value").cast(pl.String)
                                       .replace_strict(codes).alias("analyte"))
    else:
        deviations.append("no concept table and no measurement_source_value: no enzymes read")
        return pl.DataFrame(schema={"person_id": pl.Int64, "visit_date": pl.Date,
                                    "analyte": pl.String, "value": pl.Float64,
                                    "uln": pl.Float64}), 0
    units = phenotype()["enzyme_units"]
    factor = pl.lit(None, dtype=pl.Float64)
    if "unit_concept_id" in rows.columns:
        factor = pl.col("unit_concept_id").replace_strict(
            {int(k): float(v) for k, v in units["concepts"].items()}, default=None,
            return_dtype=pl.Float64)
    if "unit_source_value" in rows.columns:
        factor = pl.coalesce(factor, pl.col("unit_source_value").cast(pl.String).replace_strict(
            {str(k): float(v) for k, v in units["source_values"].items()}, default=None,
            return_dtype=pl.Float64))
    rows = _dates(rows.with_columns(factor.alias("factor")), "measurement_date")
    unreadable = rows.filter(pl.col("factor").is_null() & pl.col("value_as_number").is_not_null())
    high = pl.col("range_high") if "range_high" in rows.columns else pl.lit(None)
    usable = rows.filter(pl.col("factor").is_not_null() & pl.col("value_as_number").is_not_null()
                         ).select("person_id", pl.col("measurement_date").alias("visit_date"),
                                  "analyte",
                                  (pl.col("value_as_number") * pl.col("factor")).alias("value"),
                                  (high.cast(pl.Float64) * pl.col("factor")).alias("uln"))
    return usable, unreadable.height


def import_omop(directory: Path) -> OmopImport:
    """The cohort and its registry tables from an OMOP CDM export (a directory of tables)."""
    tables = read_cdm(directory)
    deviations: list[str] = []
    cohort, attrition = _cohort(tables, deviations)
    gender = {int(k): v for k, v in phenotype()["gender"].items()}
    patients = cohort.select(
        pl.col("person_id").cast(pl.String).alias("patient_id"),
        pl.col("gender_concept_id").replace_strict(gender, default="unknown",
                                                   return_dtype=pl.String).alias("sex"),
        pl.lit("dm").alias("subgroup"), pl.lit("").alias("antibodies"),
        (pl.col("index").dt.year() - pl.col("year_of_birth")).cast(pl.Float64)
        .alias("age_at_onset"),
        pl.col("index").alias("index_date")).sort("patient_id")

    enzymes, unit_problems = _enzyme_rows(tables, cohort, deviations)
    # one value per analyte and day: the highest, as a clinic reads a repeated CK
    wide = enzymes.group_by("person_id", "visit_date", "analyte").agg(
        pl.col("value").max(), pl.col("uln").max())
    visits = wide.pivot(on="analyte", index=["person_id", "visit_date"],
                        values=["value", "uln"]) if wide.height else pl.DataFrame(
        schema={"person_id": pl.Int64, "visit_date": pl.Date})
    renamed = {f"value_{a}": a for a in ENZYMES} | {f"uln_{a}": f"{a}_uln" for a in ENZYMES}
    visits = visits.rename({k: v for k, v in renamed.items() if k in visits.columns})
    visits = visits.join(cohort.select("person_id", "year_of_birth"), on="person_id")
    empty = ["physician_global", "patient_global", "extramuscular_global", "mmt8", "cmas",
             "haq", "chaq"]
    visits = visits.select(
        pl.col("person_id").cast(pl.String).alias("patient_id"), "visit_date",
        pl.when(pl.col("visit_date").dt.year() - pl.col("year_of_birth") < 18)
        .then(pl.lit("juvenile")).otherwise(pl.lit("adult")).alias("population"),
        *[pl.lit(None, dtype=pl.Float64).alias(c) for c in empty],
        pl.lit(None, dtype=pl.Int64).alias("mmt_max"),
        *[(pl.col(c) if c in visits.columns else pl.lit(None, dtype=pl.Float64)).alias(c)
          for a in ENZYMES for c in (a, f"{a}_uln")],
    ).sort("patient_id", "visit_date")

    ingredient = _ingredient_of(tables)
    therapies = {int(k): v["therapy"] for k, v in
                 phenotype()["immunosuppressants"]["include"].items()}
    exposure = tables["drug_exposure"].filter(pl.col("drug_concept_id").is_in(list(ingredient)))
    end = ("drug_exposure_end_date",) if "drug_exposure_end_date" in exposure.columns else ()
    exposure = _dates(exposure.join(cohort.select("person_id"), on="person_id", how="semi"),
                      "drug_exposure_start_date", *end)
    treatments = exposure.select(
        pl.col("person_id").cast(pl.String).alias("patient_id"),
        pl.col("drug_concept_id").replace_strict(ingredient).replace_strict(therapies)
        .alias("therapy"),
        pl.col("drug_exposure_start_date").alias("start"),
        (pl.col(end[0]) if end else pl.lit(None, dtype=pl.Date)).alias("stop"),
    ).sort("patient_id", "start", "therapy")
    return OmopImport(patients=patients, visits=visits, treatments=treatments,
                      attrition=attrition, deviations=deviations, unit_problems=unit_problems)


__all__ = ["OmopImport", "import_omop", "phenotype", "read_cdm"]

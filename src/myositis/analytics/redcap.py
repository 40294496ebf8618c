"""REDCap import: a project's data dictionary and records export, through a mapping file, to
the registry's documented visits and patients tables.

Every registry names its REDCap fields its own way, so the mapping file (YAML) says which field
feeds which column, with a scale (a 0-100 mm VAS to the registry's 0-10 cm), a constant, or a
choice list (REDCap's coded answers to our words). Checkbox fields are exported one column per
code (``field___code``) and become a ``;``-separated list. The mapping is checked against the
data dictionary before any record is read, and every problem is named at once:

* each mapped field exists, on the named instrument;
* each code of a choice mapping exists in the dictionary, and every code the dictionary allows
  is mapped (an unmapped answer would otherwise become an empty cell without a word);
* each mapped target column is one the registry tables know.

Records come from the "raw" CSV export (codes, not labels). Visits are the instances of the
repeating instrument named in the mapping (or, in a longitudinal project without repeating
instruments, the rows of the named events); patient facts come from each record's
non-repeating row. A value that is not a number, or is outside the column's range, is reported
by record, instance and field, and that visit is left out; the other visits are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from myositis.analytics.cohort import PATIENT_COLUMNS
from myositis.analytics.registry_io import NUMERIC_RANGES, POPULATIONS, SCHEMA
from myositis.errors import InputError

DICTIONARY_COLUMNS = {  # the CSV download's headers and the API's metadata names
    "field_name": ("variable / field name", "field_name"),
    "form_name": ("form name", "form_name"),
    "field_type": ("field type", "field_type"),
    "choices": ("choices, calculations, or slider labels", "select_choices_or_calculations"),
}
CHOICE_TYPES = {"radio", "dropdown", "checkbox", "yesno", "truefalse"}
FIXED_CHOICES = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}


@dataclass
class RecordProblem:
    record: str
    instance: str
    field: str
    reason: str


@dataclass
class RedcapImport:
    visits: pl.DataFrame
    patients: pl.DataFrame
    problems: list[RecordProblem] = field(default_factory=list)


@dataclass
class _Field:
    form: str
    kind: str
    choices: dict[str, str]


def read_dictionary(path: Path) -> dict[str, _Field]:
    """The data dictionary: each field's instrument, type and coded choices."""
    if not path.exists():
        raise InputError([("dictionary", f"no such file: {path}")])
    raw = pl.read_csv(path, infer_schema_length=0)
    lower = {c.strip().lower(): c for c in raw.columns}
    names: dict[str, str] = {}
    missing = []
    for key, options in DICTIONARY_COLUMNS.items():
        found = next((lower[o] for o in options if o in lower), None)
        if found is None:
            missing.append((f"dictionary.{key}", f"missing column ({' or '.join(options)})"))
        else:
            names[key] = found
    if missing:
        raise InputError(missing)
    fields: dict[str, _Field] = {}
    for row in raw.iter_rows(named=True):
        kind = (row[names["field_type"]] or "").strip()
        choices = FIXED_CHOICES.get(kind) or _parse_choices(row[names["choices"]] or "",
                                                            kind)
        fields[row[names["field_name"]].strip()] = _Field(
            (row[names["form_name"]] or "").strip(), kind, choices)
    return fields


def _parse_choices(text: str, kind: str) -> dict[str, str]:
    """REDCap's '1, Female | 2, Male' choice list."""
    if kind not in CHOICE_TYPES:
        return {}
    pairs = [part.split(",", 1) for part in text.split("|") if part.strip()]
    return {code.strip(): label.strip() for code, label in (p for p in pairs if len(p) == 2)}


def read_mapping(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError([("mapping", f"no such file: {path}")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError([("mapping", f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict) or "visits" not in data:
        raise InputError([("mapping", "needs a 'visits' section (and optionally 'patients')")])
    return data


def _targets(section: str) -> set[str]:
    if section == "visits":
        return set(SCHEMA) - {"patient_id"}
    return set(PATIENT_COLUMNS) - {"patient_id"} | {"ild", "first_treatment", "site"}


def check_mapping(mapping: dict[str, Any], fields: dict[str, _Field]) -> list[tuple[str, str]]:
    """Every problem of the mapping against the dictionary (empty when it can be used)."""
    problems: list[tuple[str, str]] = []
    for section in ("visits", "patients"):
        spec = mapping.get(section)
        if spec is None:
            continue
        instrument = spec.get("instrument")
        forms = {f.form for f in fields.values()}
        if instrument is not None and instrument not in forms:
            problems.append((f"{section}.instrument", f"{instrument!r} is not an instrument of "
                             f"the dictionary ({', '.join(sorted(forms))})"))
        for target, rule in (spec.get("columns") or {}).items():
            where = f"{section}.columns.{target}"
            if target not in _targets(section):
                problems.append((where, f"not a column of the {section} table "
                                 f"({', '.join(sorted(_targets(section)))})"))
                continue
            rule = rule if isinstance(rule, dict) else {"field": rule}
            if "value" in rule:
                continue
            name = rule.get("field") or rule.get("checkbox")
            if name not in fields:
                problems.append((where, f"field {name!r} is not in the data dictionary"))
                continue
            entry = fields[name]
            if instrument is not None and entry.form != instrument and not rule.get("any_form"):
                problems.append((where, f"field {name!r} is on instrument {entry.form!r}, not "
                                 f"{instrument!r}"))
            if "checkbox" in rule and entry.kind != "checkbox":
                problems.append((where, f"field {name!r} is a {entry.kind} field, not a "
                                 "checkbox"))
            if "choices" in rule:
                given = {str(k) for k in rule["choices"]}
                unknown = sorted(given - set(entry.choices))
                unmapped = sorted(set(entry.choices) - given)
                if unknown:
                    problems.append((where, f"codes {', '.join(unknown)} are not choices of "
                                     f"{name!r} ({', '.join(entry.choices)})"))
                if unmapped:
                    problems.append((where, f"codes {', '.join(unmapped)} of {name!r} are not "
                                     "mapped (map each to a value, or to null)"))
            elif entry.kind in CHOICE_TYPES:
                problems.append((where, f"field {name!r} is coded ({entry.kind}): give its "
                                 "'choices'"))
    return problems


def _column(records: pl.DataFrame, rule: Any, target: str) -> pl.Expr:
    rule = rule if isinstance(rule, dict) else {"field": rule}
    if "value" in rule:
        return pl.lit(None if rule["value"] is None else str(rule["value"])).alias(target)
    if "checkbox" in rule:
        name = rule["checkbox"]
        parts = [pl.when(pl.col(f"{name}___{code}") == "1").then(pl.lit(str(word)))
                 for code, word in rule["choices"].items()
                 if word is not None and f"{name}___{code}" in records.columns]
        if not parts:
            return pl.lit("").alias(target)
        return pl.concat_str(parts, separator=";", ignore_nulls=True).alias(target)
    expr = pl.col(rule["field"]).cast(pl.String).str.strip_chars()
    expr = pl.when(expr == "").then(None).otherwise(expr)
    if "choices" in rule:
        words = {str(k): (None if v is None else str(v)) for k, v in rule["choices"].items()}
        expr = expr.replace_strict(words, default=None, return_dtype=pl.String)
    if "scale" in rule:  # an unreadable value stays as it is, so that it is reported
        number = expr.cast(pl.Float64, strict=False)
        expr = pl.when(number.is_null()).then(expr).otherwise(
            (number * float(rule["scale"])).cast(pl.String))
    return expr.alias(target)


def import_redcap(dictionary: Path, records_path: Path, mapping_path: Path) -> RedcapImport:
    fields = read_dictionary(dictionary)
    mapping = read_mapping(mapping_path)
    problems = check_mapping(mapping, fields)
    if problems:
        raise InputError(problems)
    if not records_path.exists():
        raise InputError([("records", f"no such file: {records_path}")])
    records = pl.read_csv(records_path, infer_schema_length=0)
    record_id = mapping.get("record_id") or next(iter(fields))
    if record_id not in records.columns:
        raise InputError([("record_id", f"column {record_id!r} is not in the records export")])
    needed = []
    for section in ("visits", "patients"):
        for rule in ((mapping.get(section) or {}).get("columns") or {}).values():
            rule = rule if isinstance(rule, dict) else {"field": rule}
            if "field" in rule:
                needed.append(rule["field"])
            elif "checkbox" in rule:  # exported one column per code: field___code
                needed += [f"{rule['checkbox']}___{code}" for code in rule["choices"]]
    needed = [c for c in dict.fromkeys(needed) if c not in records.columns]
    if needed:
        raise InputError([(c, "mapped field has no column in the records export")
                          for c in needed])
    for column in ("redcap_repeat_instrument", "redcap_repeat_instance", "redcap_event_name"):
        if column not in records.columns:
            records = records.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    records = records.with_columns(pl.col("redcap_repeat_instrument").fill_null(""))

    visits_spec = mapping["visits"]
    rows = records
    if visits_spec.get("instrument") and (records["redcap_repeat_instrument"]
                                          == visits_spec["instrument"]).any():
        rows = records.filter(pl.col("redcap_repeat_instrument") == visits_spec["instrument"])
    elif visits_spec.get("events"):
        rows = records.filter(pl.col("redcap_event_name").is_in(visits_spec["events"]))
    visits = rows.select(
        pl.col(record_id).alias("patient_id"),
        pl.col("redcap_repeat_instance").fill_null(pl.col("redcap_event_name")).fill_null("")
        .alias("_instance"),
        *[_column(rows, rule, target) for target, rule in visits_spec["columns"].items()])
    for column in SCHEMA:
        if column not in visits.columns:
            visits = visits.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    visits, problems_found = _typed_visits(visits)

    patients = pl.DataFrame()
    if "patients" in mapping:
        base = records.filter(pl.col("redcap_repeat_instrument") == "")
        spec = mapping["patients"]
        patients = base.select(pl.col(record_id).alias("patient_id"),
                               *[_column(base, rule, target)
                                 for target, rule in spec["columns"].items()])
        patients = (patients.group_by("patient_id", maintain_order=True)
                    .agg(pl.all().drop_nulls().first()))
    return RedcapImport(visits=visits, patients=patients, problems=problems_found)


def _problem(key: tuple[Any, ...], column: str, reason: str) -> RecordProblem:
    return RecordProblem(str(key[0]), str(key[1]), column, reason)


def _typed_visits(visits: pl.DataFrame) -> tuple[pl.DataFrame, list[RecordProblem]]:
    """The visits with the registry's types; each unreadable or out-of-range value reported by
    record and instance, and its visit left out."""
    problems: list[RecordProblem] = []
    casts: dict[str, pl.Expr] = {}
    for column, dtype in SCHEMA.items():
        text = pl.col(column).cast(pl.String)
        if dtype == pl.Date():
            casts[column] = text.str.to_date("%Y-%m-%d", strict=False)
        elif dtype == pl.String():
            casts[column] = text
        else:
            casts[column] = text.cast(pl.Float64, strict=False).cast(dtype, strict=False)
    typed = visits.with_columns(**casts)
    ids = visits.select("patient_id", "_instance").rows()
    for column in SCHEMA:
        given = visits[column].is_not_null().to_list()
        read = typed[column].is_not_null().to_list()
        for i, (g, r) in enumerate(zip(given, read, strict=True)):
            if g and not r:
                problems.append(_problem(ids[i], column, "not readable as "
                                              f"{SCHEMA[column]}"))
    for column, (low, high) in NUMERIC_RANGES.items():
        values = typed[column].to_list()
        for i, value in enumerate(values):
            if value is not None and not low <= value <= high:
                problems.append(_problem(ids[i], column,
                                              f"outside {low:g}-{high:g}"))
    for i, (date, population) in enumerate(typed.select("visit_date", "population").rows()):
        if date is None:
            problems.append(_problem(ids[i], "visit_date", "required"))
        if population not in POPULATIONS:
            problems.append(_problem(ids[i], "population",
                                          "adult or juvenile (map it, or give a value)"))
    bad = {(p.record, p.instance) for p in problems}
    keep = [(str(a), str(b)) not in bad for a, b in ids]
    good = typed.filter(pl.Series(keep, dtype=pl.Boolean)).select(list(SCHEMA))
    return good.sort("patient_id", "visit_date"), problems


__all__ = ["RecordProblem", "RedcapImport", "check_mapping", "import_redcap", "read_dictionary",
           "read_mapping"]

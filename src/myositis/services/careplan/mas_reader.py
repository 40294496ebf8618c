"""Macrophage activation syndrome read from the record with the 2016 criteria
(:mod:`myositis.domain.criteria.mas_2016`): the latest ferritin, platelets, AST, triglycerides
and fibrinogen, and recorded fever. Split out so the facts module only asks the question."""

from __future__ import annotations

from myositis.domain.criteria import mas_2016
from myositis.domain.record import PatientRecord


def mas_measures(record: PatientRecord) -> mas_2016.MasMeasures:
    """The latest value of each measure; fever only when recorded (its absence is unknown)."""
    def latest(analyte: str) -> float | None:
        result = record.latest_lab(analyte)
        return float(result.value) if result is not None else None

    ferritin = latest("ferritin")
    if ferritin is None and record.labs.ferritin_ng_ml is not None:
        ferritin = float(record.labs.ferritin_ng_ml)
    return mas_2016.MasMeasures(
        fever=True if record.systemic.fever else None, ferritin_ng_ml=ferritin,
        platelets_10e9_l=latest("platelets"), ast_u_l=latest("ast"),
        triglycerides_mmol_l=latest("triglycerides"), fibrinogen_g_l=latest("fibrinogen"))


def mas_suspected(record: PatientRecord) -> bool | None:
    """The 2016 criteria met (fever, ferritin above 684 and two laboratory criteria)."""
    return mas_2016.classified(mas_measures(record))


def mas_criteria_text(record: PatientRecord) -> str:
    """The criteria met, in words, for the rule's text."""
    measures = mas_measures(record)
    parts = []
    for name in mas_2016.criteria_met(measures):
        value = getattr(measures, name)
        label = {"platelets_10e9_l": "platelets", "ast_u_l": "AST",
                 "triglycerides_mmol_l": "triglycerides", "fibrinogen_g_l": "fibrinogen"}[name]
        parts.append(f"{label} {value:g}")
    return ", ".join(parts)

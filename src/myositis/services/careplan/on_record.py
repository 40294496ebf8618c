"""Results already on the record, said beside the do-now line that orders the test.

A rule text is fixed ('HBV DNA now', 'ECG, troponin I ...'), but the clinician reading it may
already hold the result: specialist reviews Z5 and Z6 read 'troponin I' ordered for a patient
whose raised troponin I was on the record the day before, and 'HBV DNA now' beside an
undetectable HBV DNA, as a tool that had not read the chart. The line keeps its text (the test
may need repeating) and gains the latest result with its date, so the clinician decides whether
to repeat it.

The table below is data: the words that name a test in a do-now line, and where the record keeps
its result (a dated lab analyte or an infection screen).
"""

from __future__ import annotations

import re
from typing import Literal

from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import Screen
from myositis.services.careplan.model import CarePlan

Source = tuple[Literal["lab", "screen", "antibody"], str, str]
"""(where, field, label): a lab analyte, an ``infection_screening`` field or a myositis antibody,
and its label."""

TESTS_NAMED: tuple[tuple[re.Pattern[str], Source], ...] = (
    (re.compile(r"\btroponin I\b"), ("lab", "troponin_i", "troponin I")),
    (re.compile(r"\btroponin T\b"), ("lab", "troponin_t", "troponin T")),
    (re.compile(r"\bHBV DNA\b"), ("screen", "hbv_dna", "HBV DNA")),
    (re.compile(r"\bCMV (?:PCR|DNA)\b"), ("screen", "cmv_pcr", "CMV PCR")),
    (re.compile(r"\bVZV (?:IgG|serology)\b|\bvaricella serology\b", re.IGNORECASE),
     ("screen", "vzv_igg", "VZV IgG")),
    (re.compile(r"\bTSH\b"), ("lab", "tsh", "TSH")),
    (re.compile(r"\bHbA1c\b"), ("lab", "hba1c", "HbA1c")),
    (re.compile(r"\btacrolimus (?:trough|level)"), ("lab", "tacrolimus_trough",
                                                    "tacrolimus trough")),
    # total IgG, not an antibody of one class (VZV IgG, hepatitis A IgG, CMV IgG): specialist
    # reviews Z38c P4 and Z39c P6 saw the total IgG quoted as varicella evidence
    (re.compile(r"(?<!VZV )(?<!CMV )(?<!EBV )(?<![A-Z] )\bIgG\b(?! [<>≤≥]| below| under| above)"),
     ("lab", "igg", "IgG")),
    (re.compile(r"\bferritin\b", re.IGNORECASE), ("lab", "ferritin", "ferritin")),
    # antibodies and serology asked for again when already on the record (specialist review
    # Z10c: 'ask for anti-cN1A' with anti-cN1A positive; 'HCV and HIV serology' done in 2022)
    (re.compile(r"\banti-cN1A\b"), ("antibody", "cn1a", "anti-cN1A")),
    (re.compile(r"\banti-HMGCR\b"), ("antibody", "hmgcr", "anti-HMGCR")),
    (re.compile(r"\bHIV\b"), ("screen", "hiv", "HIV")),
    (re.compile(r"\bHCV\b"), ("screen", "hcv", "HCV antibody")),
)
"""Do-now words that order a test, and where its result lives on the record."""

WORKUP_DONE_PHRASES: dict[str, tuple[str, str]] = {
    # a cardiac work-up recorded as done: the MRI is repeated only if it changes treatment
    # (specialist review Z48c P5: a cardiac MRI ordered again, urgently, for a man on NIV 16 hours
    # a day whose MRI was three months old)
    "cardiac": ("cardiac MRI (a macrocyclic",
                "cardiac MRI only if it would change the treatment now (a cardiac work-up is "
                "recorded as done; a macrocyclic"),
    "capillaroscopy": ("capillaroscopy and scleroderma antibodies if not yet done",
                       "scleroderma antibodies if not yet done (capillaroscopy is recorded as "
                       "done)"),
}
"""A work-up item recorded as done, and the fixed phrase that would ask for it again (specialist
review Z7c: 'capillaroscopy if not yet done' with capillaroscopy on the record)."""

TREND_DAYS = 2 * 365
"""How far back earlier results of the same test are shown beside the latest."""

VIRAL_LOADS = frozenset({"hbv_dna", "hcv_rna", "cmv_pcr"})
"""Screening fields that measure a virus itself, where a negative result is 'undetectable'."""
SCREEN_WORDS = {"positive": "positive", "negative": "negative (undetectable)",
                "indeterminate": "indeterminate"}


def _result(record: PatientRecord, source: Source) -> str | None:
    where, field, label = source
    if where == "antibody":
        status = getattr(record.all_antibodies(), field).status
        return None if status == "not_tested" else f"{label} {status}"
    if where == "lab":
        latest = record.latest_lab(field)
        if latest is None:
            return None
        uln = f" (ULN {latest.uln:g})" if latest.uln is not None else ""
        # the two results before it, in the same unit within 2 years: a falling IgG or a
        # rising ferritin is read as a trend, not one value (specialist review Z44c P6: IgG
        # 9.8, 6.1 and 3.9 g/L shown as 'IgG 3.9 g/L' four times)
        earlier = sorted((r for r in record.lab_results if r.analyte == field
                          and r.unit == latest.unit and r.date < latest.date
                          and (latest.date - r.date).days <= TREND_DAYS),
                         key=lambda r: r.date)[-2:]
        trend = (" (before: " + ", ".join(f"{r.value:g} on {r.date.isoformat()}"
                                          for r in reversed(earlier)) + ")") if earlier else ""
        return (f"{label} {latest.value:g} {latest.unit}{uln} on {latest.date.isoformat()}"
                f"{trend}")
    screen = getattr(record.infection_screening, field)
    if not isinstance(screen, Screen):
        return None
    # 'undetectable' belongs to a viral load, not to a serology (specialist review Z47a P6:
    # 'HIV negative (undetectable)' for an HIV antibody test)
    result = SCREEN_WORDS[screen.result] if field in VIRAL_LOADS or screen.result != "negative" \
        else "negative"
    when = f" on {screen.date.isoformat()}" if screen.date is not None else " (undated)"
    return f"{label} {result}{when}"


def note_results_on_record(plan: CarePlan, record: PatientRecord) -> None:
    """Each do-now line that names a test gains the latest result the record holds for it; a
    work-up recorded as done is not asked for again."""
    for action in plan.do_now:
        for code, (asks, instead) in WORKUP_DONE_PHRASES.items():
            if code in record.workup_done:
                action.text = action.text.replace(asks, instead)
        if "On record: " in action.text:
            continue
        found = []
        for pattern, source in TESTS_NAMED:
            if pattern.search(action.text):
                result = _result(record, source)
                if result is not None and result not in found:
                    found.append(result)
        if found:
            action.text = action.text.rstrip() + " On record: " + "; ".join(found) + "."

"""LOINC codes of the record's analytes, for lab-result rows, registry mapping and FHIR.

Each code was seen in a reference laboratory's catalogue or an HL7 value set (``seen_at``).
Laboratories differ: some list a method-specific code (LDH 14804-9 at ARUP, AST 30239-8 and
ferritin 20567-4 at Mayo), so an import should accept the alternates. Codes that were not seen in
a public page are ``None`` rather than remembered: KL-6 has no code found, and the eGFR
(CKD-EPI 2021, 98979-8) and bilirubin in umol/L (14631-6) codes were seen only in source files.
"""

from __future__ import annotations

from typing import NamedTuple


class Loinc(NamedTuple):
    code: str | None
    alternates: tuple[str, ...]
    seen_at: str


LOINC: dict[str, Loinc] = {
    "ck": Loinc("2157-6", (), "ltd.aruplab.com/Tests/Pub/3002030"),
    "aldolase": Loinc("1761-6", (), "ltd.aruplab.com/Tests/Pub/0020012; Mayo ALS"),
    "ldh": Loinc("2532-0", ("14804-9",), "labcatalog.net test 20668; ARUP 0020006 (14804-9)"),
    "ast": Loinc("1920-8", ("30239-8",), "kuhlab.testcatalog.org/show/AST; Mayo (30239-8)"),
    "alt": Loinc("1742-6", (), "nordx.testcatalog.org/show/ALT"),
    "ferritin": Loinc("2276-4", ("20567-4",), "labcorp.com test 25286; Mayo FERR1 (20567-4)"),
    "kl6": Loinc(None, (), "no code found"),
    "crp": Loinc("1988-5", (), "arupconsult.com 0050180; mml.testcatalog.org/show/CRP"),
    "creatinine": Loinc("14682-9", (), "hl7.org/fhir/uv/cpg ValueSet ckd-valueset-creatinine"),
    "egfr": Loinc(None, (), "98979-8 seen only in source files, not confirmed"),
    "bilirubin": Loinc(None, (), "14631-6 seen only in source files, not confirmed"),
    "igg": Loinc("2465-3", (), "labcorp test 203836"),
    "iga": Loinc("2458-8", (), "ltd.aruplab.com/Tests/Pub/0093149"),
    "haemoglobin": Loinc("718-7", (), "isj.testcatalog.org/show/HGB"),
    "wbc": Loinc("6690-2", (), "Quest CBC order information"),
    "neutrophils": Loinc("751-8", (), "secondary source only; verify before relying on it"),
    "lymphocytes": Loinc("731-0", (), "loinc.org/731-0"),
    "platelets": Loinc("777-3", (), "hl7.org/fhir/us/core Observation-cbc-platelets"),
    # added December 2026; candidate codes seen only in source files, not in a catalogue
    "troponin_i": Loinc(None, (), "10839-9 seen only in source files, not confirmed"),
    "troponin_t": Loinc(None, (), "6598-7 seen only in source files, not confirmed"),
    "tacrolimus_trough": Loinc(None, (), "not yet looked up"),
    "hba1c": Loinc(None, (), "4548-4 (%) seen only in source files; IFCC code not looked up"),
    "potassium": Loinc(None, (), "2823-3 seen only in source files, not confirmed"),
    "calcium": Loinc(None, (), "not yet looked up (albumin-adjusted calcium has no single code)"),
}


def loinc_code(analyte: str) -> str | None:
    entry = LOINC.get(analyte)
    return entry.code if entry else None

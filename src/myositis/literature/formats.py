"""Parse PubMed XML (EFetch output or baseline files) and ClinicalTrials.gov API v2 JSON into
:class:`~myositis.domain.evidence.EvidenceRecord`. A malformed record is skipped with its reason
(file, record, field); the rest of the file is parsed."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from myositis.domain.evidence import EvidenceRecord, TrialInfo

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"), start=1)}
NCT = re.compile(r"\bNCT\d{8}\b")
AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\s*$", re.IGNORECASE)
AGE_UNITS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read, and why."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: record {self.record}: {self.field}: {self.reason}"


Parsed = EvidenceRecord | Skipped


def _text(node: ET.Element | None) -> str:
    return "".join(node.itertext()).strip() if node is not None else ""


def _date(node: ET.Element | None) -> dt.date | None:
    if node is None:
        return None
    year = _text(node.find("Year"))
    if not year.isdigit():
        medline = _text(node.find("MedlineDate"))[:4]
        return dt.date(int(medline), 1, 1) if medline.isdigit() else None
    month_text = _text(node.find("Month")).lower()[:3]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text, 1)
    day_text = _text(node.find("Day"))
    day = int(day_text) if day_text.isdigit() else 1
    try:
        return dt.date(int(year), month, day)
    except ValueError:
        return dt.date(int(year), 1, 1)


def _pubmed_article(article: ET.Element, name: str) -> Parsed:
    pmid = _text(article.find("MedlineCitation/PMID"))
    if not pmid.isdigit():
        return Skipped(name, pmid or "?", "PMID", "missing or not a number")
    art = article.find("MedlineCitation/Article")
    title = _text(art.find("ArticleTitle")) if art is not None else ""
    if not title:
        return Skipped(name, pmid, "ArticleTitle", "missing")
    abstract = " ".join(_text(a) for a in art.findall("Abstract/AbstractText")) \
        if art is not None else ""
    types = [_text(t) for t in art.findall("PublicationTypeList/PublicationType")] \
        if art is not None else []
    published = _date(art.find("ArticleDate")) if art is not None else None
    published = published or (_date(art.find("Journal/JournalIssue/PubDate"))
                              if art is not None else None)
    entrez = next((_date(d) for d in article.findall("PubmedData/History/PubMedPubDate")
                   if d.get("PubStatus") in ("entrez", "pubmed")), None)
    ncts = {n for bank in article.iter("DataBank")
            if _text(bank.find("DataBankName")) == "ClinicalTrials.gov"
            for n in (_text(a) for a in bank.findall("AccessionNumberList/AccessionNumber"))}
    ncts |= set(NCT.findall(abstract))
    corrections = {c.get("RefType") for c in article.iter("CommentsCorrections")}
    retracted = "Retracted Publication" in types or "RetractionIn" in corrections
    correction = ("expression_of_concern" if "ExpressionOfConcernIn" in corrections
                  else "erratum" if "ErratumIn" in corrections else None)
    try:
        return EvidenceRecord(
            source="pubmed", key=f"PMID:{pmid}", title=title, abstract=abstract,
            journal=_text(art.find("Journal/Title")) or None if art is not None else None,
            published=published, entry_date=entrez, publication_types=types,
            mesh=[_text(m) for m in article.findall(
                "MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName")],
            linked_ncts=sorted(ncts), retracted=retracted, correction=correction)
    except ValidationError as exc:
        first = exc.errors()[0]
        return Skipped(name, pmid, ".".join(str(p) for p in first["loc"]), first["msg"])


def parse_pubmed_xml(source: str | Path | IO[bytes], name: str | None = None
                     ) -> Iterator[Parsed]:
    """Stream ``PubmedArticle`` elements (EFetch and baseline files share the format)."""
    label = name or str(source)
    try:
        for _event, element in ET.iterparse(source, events=("end",)):
            if element.tag == "PubmedArticle":
                yield _pubmed_article(element, label)
                element.clear()
    except ET.ParseError as exc:
        yield Skipped(label, "?", "xml", f"not well-formed: {exc}")


def _age(text: str | None) -> float | None:
    if not text:
        return None
    match = AGE.match(text)
    if not match:
        return None
    return round(float(match.group(1)) * AGE_UNITS[match.group(2).lower()], 2)


def ctgov_study(study: dict[str, Any], name: str) -> Parsed:
    """One study of the API v2 ``studies`` array (or a single-study JSON file)."""
    protocol = study.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    nct = str(ident.get("nctId") or "")
    if not NCT.fullmatch(nct):
        return Skipped(name, nct or "?", "protocolSection.identificationModule.nctId",
                       "missing or not an NCT number")
    status = protocol.get("statusModule") or {}
    design = protocol.get("designModule") or {}
    eligibility = protocol.get("eligibilityModule") or {}
    arms = protocol.get("armsInterventionsModule") or {}
    locations = (protocol.get("contactsLocationsModule") or {}).get("locations") or []
    last_update = (status.get("lastUpdatePostDateStruct") or {}).get("date")
    try:
        trial = TrialInfo(
            status=str(status.get("overallStatus") or "UNKNOWN"),
            phases=list(design.get("phases") or []),
            study_type=design.get("studyType"),
            allocation=(design.get("designInfo") or {}).get("allocation"),
            conditions=list((protocol.get("conditionsModule") or {}).get("conditions") or []),
            interventions=[i.get("name", "") for i in arms.get("interventions") or []]
            + [n for i in arms.get("interventions") or [] for n in i.get("otherNames") or []],
            eligibility=str(eligibility.get("eligibilityCriteria") or ""),
            sex=str(eligibility.get("sex") or "ALL").lower(),
            min_age_years=_age(eligibility.get("minimumAge")),
            max_age_years=_age(eligibility.get("maximumAge")),
            countries=sorted({str(loc.get("country")) for loc in locations
                              if loc.get("country")}),
            sites=[", ".join(str(loc[k]) for k in ("facility", "city", "country") if loc.get(k))
                   for loc in locations][:50],
            last_update=dt.date.fromisoformat(last_update[:10]) if last_update and
            len(last_update) >= 10 else None,
            has_results=bool(study.get("hasResults")),
        )
        start = (status.get("startDateStruct") or {}).get("date")
        return EvidenceRecord(
            source="ctgov", key=nct,
            title=str(ident.get("officialTitle") or ident.get("briefTitle") or ""),
            abstract=str((protocol.get("descriptionModule") or {}).get("briefSummary") or ""),
            published=dt.date.fromisoformat(start + "-01" if len(start) == 7 else start)
            if start and len(start) in (7, 10) else None,
            trial=trial)
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            return Skipped(name, nct, ".".join(str(p) for p in first["loc"]), first["msg"])
        return Skipped(name, nct, "date", str(exc))


def parse_ctgov_json(data: Any, name: str) -> Iterator[Parsed]:
    """An API v2 page (``{"studies": [...]}``), a list of studies, or one study."""
    studies: list[Any] = (data.get("studies") or [] if isinstance(data, dict) and "studies" in data
                          else data if isinstance(data, list) else [data])
    for index, study in enumerate(studies):
        if not isinstance(study, dict):
            yield Skipped(name, str(index), "study", "not a JSON object")
            continue
        yield ctgov_study(study, name)


def parse_file(path: Path) -> Iterator[Parsed]:
    """PubMed XML or ClinicalTrials.gov JSON, by content."""
    with path.open("rb") as handle:
        head = handle.read(512).lstrip()
    if head.startswith(b"<"):
        yield from parse_pubmed_xml(path, path.name)
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        yield Skipped(path.name, "?", "file", f"neither PubMed XML nor JSON: {exc}")
        return
    yield from parse_ctgov_json(data, path.name)

"""Gettext catalogues for the pages patients read (the portal), so that a clinic can offer them
in its patients' language without touching the templates.

The catalogues live in ``locale/<lang>/LC_MESSAGES/messages.po`` next to this module and are read
as text at start-up (no compiled ``.mo`` files in the repository). English is the source
language; its catalogue is complete (every message translated to itself), which a test checks
against a fresh extraction. ``myositis i18n update`` re-extracts the messages after a change to
the templates or the patient-facing data, and updates every catalogue.

What is extracted: the portal templates (``{% trans %}`` blocks and ``_()`` calls), the
patient-facing strings of the services (marked with :func:`myositis.domain.translatable.N_`),
the education pages, exercise programmes and patient organisations (their text fields), and the
HAQ-DI items as the portal shows them. A translated HAQ-DI must be a validated translation: the
catalogue's comment says so to translators.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

import yaml
from babel.core import negotiate_locale
from babel.dates import format_datetime, get_timezone
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LOCALE = "en"
PACKAGE_DIR = Path(__file__).parent.parent
UTC_ZONE = get_timezone("UTC")
COPYRIGHT = "the myositis contributors"

PATIENT_TEXT_KEYS = frozenset({
    # education.yaml
    "title", "summary", "heading", "text", "watch_for",
    # exercise.yaml
    "name", "how", "effort", "progression", "stop_signs",
    # support.yaml
    "region", "services",
})
"""The keys of the patient-facing YAML whose values patients read. Identifiers, sources, dates,
web addresses and curators' ``notes`` are never extracted: they are not text for patients."""

PATIENT_DATA = ("knowledge/data/education.yaml", "knowledge/data/exercise.yaml",
                "knowledge/data/support.yaml")

METHOD_MAP: list[tuple[str, str]] = [
    ("**/web/templates/portal*.html", "jinja2.ext:babel_extract"),
    ("**/web/templates/base.html", "jinja2.ext:babel_extract"),
    ("**/services/portal.py", "python"),
    ("**/services/diary.py", "python"),
    ("**/services/exercise.py", "python"),
    ("**/web/portal_pages.py", "python"),
    ("**/domain/instruments/haq.py", "myositis.web.i18n:extract_haq"),
    *((f"**/{path}", "myositis.web.i18n:extract_patient_yaml") for path in PATIENT_DATA),
]
"""Which files hold patient-facing text, and how to read them (Babel's method map)."""

OPTIONS_MAP: dict[str, dict[str, Any]] = {
    "**/web/templates/portal*.html": {"trimmed": "true"},
    "**/web/templates/base.html": {"trimmed": "true"},
}
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


@cache
def available() -> tuple[str, ...]:
    """The languages that have a catalogue."""
    return tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalogue of ``locale`` compiled in memory; an unknown language gets the source
    text unchanged, never an error page."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _preferred(accept_language: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first (RFC 9110 weights)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, index, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(accept_language: str | None, default: str) -> str:
    """The catalogue to use: the browser's most wanted language that has one, else the clinic's
    default, else English."""
    languages = available()
    if accept_language:
        chosen = negotiate_locale(_preferred(accept_language), languages, sep="_")
        if chosen:
            return chosen
    return default if default in languages else SOURCE_LOCALE


def template_context(locale: str) -> dict[str, Any]:
    """What a template needs to translate: ``gettext``/``ngettext`` (used by ``{% trans %}``),
    ``_`` and the page's ``lang``. Old-style gettext: ``_()`` returns plain text that Jinja
    escapes like any other value, so a translator's string can never inject markup."""
    catalogue = translations(locale)

    def when(value: dt.datetime, pattern: str = "EEEE d MMMM y, HH:mm") -> str:
        return format_datetime(value, pattern, tzinfo=UTC_ZONE, locale=locale)

    return {"gettext": catalogue.gettext, "_": catalogue.gettext,
            "ngettext": catalogue.ngettext, "lang": locale.replace("_", "-"), "when": when}


# ---- extraction (used by `myositis i18n update` and by the catalogue test) -------------------

Extracted = Iterator[tuple[int, str | None, str, list[str]]]


def _yaml_strings(node: yaml.Node, wanted: bool = False) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        if wanted and isinstance(node.value, str) and node.value.strip():
            yield node.start_mark.line + 1, node.value
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _yaml_strings(item, wanted)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _yaml_strings(value, str(key.value) in PATIENT_TEXT_KEYS)


def extract_patient_yaml(fileobj: IO[bytes], keywords: object, comment_tags: object,
                         options: object) -> Extracted:
    """Babel extractor for the patient-facing YAML: the values under :data:`PATIENT_TEXT_KEYS`,
    with their line numbers."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, text in _yaml_strings(root):
        yield line, None, text, []


def haq_strings() -> list[str]:
    """The HAQ-DI text as the portal shows it, in order."""
    from myositis.domain.instruments import haq

    out = list(haq.HAQ_CATEGORY_LABELS.values())
    for questions in haq.HAQ_ITEMS.values():
        out.extend(questions)
    out.extend(haq.HAQ_ANSWERS)
    out.append(haq.HAQ_LICENCE)
    return out


def extract_haq(fileobj: IO[bytes], keywords: object, comment_tags: object,
                options: object) -> Extracted:
    """Babel extractor for the HAQ-DI: its tables are data, so they are read from the module,
    not parsed from its source."""
    note = ("HAQ-DI text: use only a validated, licensed translation of the questionnaire, "
            "never a free translation.")
    for text in haq_strings():
        yield 0, None, text, [note]


def extract() -> Catalog:
    """Every patient-facing message of the package, freshly extracted."""
    catalogue = Catalog(project="myositis", domain=DOMAIN, charset="utf-8", fuzzy=False,
                        copyright_holder=COPYRIGHT)
    found: Iterable[tuple[str, int, Any, list[str], str | None]] = extract_from_dir(
        str(PACKAGE_DIR), method_map=METHOD_MAP, options_map=OPTIONS_MAP, keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",))
    for filename, lineno, message, comments, context in found:
        catalogue.add(message, None, [(f"myositis/{filename}", lineno)],
                      auto_comments=comments, context=context)
    return catalogue


def update(add: Iterable[str] = ()) -> dict[str, int]:
    """Rewrite the template (``messages.pot``) and bring every catalogue up to date with it,
    starting an empty one for each language in ``add``; English translates every message to
    itself. Returns the message count per language."""
    template = extract()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=100, sort_output=False, include_lineno=False)
    counts: dict[str, int] = {}
    for locale in sorted({*available(), SOURCE_LOCALE, *add}):
        po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.is_file():
            with po.open("rb") as handle:
                catalogue = read_po(handle, locale=locale)
            catalogue.update(template, no_fuzzy_matching=True)
        else:
            catalogue = Catalog(locale=locale, project="myositis", domain=DOMAIN, fuzzy=False,
                                copyright_holder=COPYRIGHT)
            catalogue.update(template, no_fuzzy_matching=True)
        if locale == SOURCE_LOCALE:
            for message in catalogue:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        catalogue.obsolete.clear()
        with po.open("wb") as handle:
            write_po(handle, catalogue, width=100, sort_output=False, ignore_obsolete=True,
                     include_lineno=False)
        counts[locale] = sum(1 for m in catalogue if m.id)
    available.cache_clear()
    translations.cache_clear()
    return counts


def problems() -> list[str]:
    """What is out of date: messages the code shows that a catalogue lacks, messages a catalogue
    keeps that nothing shows any more, and untranslated or fuzzy entries in English (the
    source language, which must be complete). Empty when every catalogue is current."""
    wanted = {m.id for m in extract() if m.id}
    found: list[str] = []
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    template_ids: set[Any] = set()
    if pot.is_file():
        with pot.open("rb") as handle:
            template_ids = {m.id for m in read_po(handle) if m.id}
    if template_ids != wanted:
        found.append(f"{DOMAIN}.pot: {len(wanted - template_ids)} new and "
                     f"{len(template_ids - wanted)} stale messages")
    for locale in sorted({*available(), SOURCE_LOCALE}):
        po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.is_file():
            found.append(f"{locale}: no catalogue")
            continue
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
        ids = {m.id for m in catalogue if m.id}
        for message in sorted(wanted - ids, key=str)[:5]:
            found.append(f"{locale}: missing {message!r}")
        if ids - wanted:
            found.append(f"{locale}: {len(ids - wanted)} messages no page shows")
        if locale == SOURCE_LOCALE:
            untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
            if untranslated:
                found.append(f"{locale}: {len(untranslated)} untranslated, e.g. "
                             f"{untranslated[0]!r}")
    return found

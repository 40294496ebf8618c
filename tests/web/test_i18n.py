"""The portal is ready for translation: every text a patient reads goes through the gettext
catalogue, the English catalogue is complete and current, a browser's language picks its
catalogue, and a translation can neither break a page nor inject markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient

from myositis.web import i18n
from tests.web.test_portal import FULL_HAQ, PASSWORD, invite

TEMPLATES = Path(i18n.__file__).parent / "templates"
PATIENT_TEMPLATES = sorted([*TEMPLATES.glob("portal*.html"), TEMPLATES / "base.html"])
ALLOWED_BARE_WORDS = {"myositis", "UTC"}
"""Words a template may show untranslated: the product's name, and the time zone's code."""


def test_the_catalogues_are_current_and_english_is_complete() -> None:
    assert i18n.problems() == []
    assert i18n.available() == ("en",)
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = read_po(handle, locale="en")
    ids = {m.id for m in english if m.id}
    # the catalogue holds the templates, the service strings, the content and the HAQ-DI
    assert "My symptom diary" in ids
    assert i18n.translations("en").gettext("My record") == "My record"
    from myositis.services.exercise import STOP_ADVICE
    from myositis.services.portal import URGENT_ADVICE, WARNING_TEXT
    assert {URGENT_ADVICE, STOP_ADVICE, *WARNING_TEXT.values()} <= ids
    assert "Dress yourself, including tying shoelaces and doing buttons?" in ids
    assert set(i18n.haq_strings()) <= ids


@pytest.mark.parametrize("template", PATIENT_TEMPLATES, ids=lambda p: p.name)
def test_no_patient_page_shows_text_outside_the_catalogue(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    stripped = re.sub(r"{%-? trans\b.*?endtrans -?%}", " ", source, flags=re.S)
    stripped = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", stripped, flags=re.S)
    stripped = re.sub(r"<[^>]*>|&\w+;", " ", stripped)
    words = set(re.findall(r"[A-Za-z]{2,}", stripped))
    assert words <= ALLOWED_BARE_WORDS, f"{template.name} shows untranslatable text: {words}"


def test_curators_notes_ids_and_sources_are_not_extracted() -> None:
    ids = {m.id for m in i18n.extract() if m.id}
    data = Path(i18n.__file__).parent.parent / "knowledge" / "data"
    education = yaml.safe_load((data / "education.yaml").read_text(encoding="utf-8"))
    programmes = yaml.safe_load((data / "exercise.yaml").read_text(encoding="utf-8"))
    for page in education["pages"]:
        assert page["title"] in ids and page["summary"] in ids
        assert page["id"] not in ids and page.get("notes", "<none>") not in ids
        for source in page["sources"]:
            assert source not in ids
    notes = [p["notes"] for p in programmes["programmes"] if p.get("notes")]
    assert notes and not set(notes) & ids
    assert {p["title"] for p in programmes["programmes"]} <= ids


@pytest.mark.parametrize(("header", "default", "expected"), [
    ("fr-CH, fr;q=0.9, en;q=0.8", "en", "en"),
    ("eo, en;q=0.5", "en", "eo"),
    ("en;q=0.4, eo;q=0.9", "en", "eo"),
    ("eo;q=0, en", "en", "en"),
    ("eo-XX", "en", "eo"),
    ("de", "eo", "eo"),
    (None, "eo", "eo"),
    ("", "xx", "en"),
    ("eo;q=bad, *;q=0.1", "en", "en"),
])
def test_the_browser_language_picks_a_catalogue(pseudo_locale: None, header: str | None,
                                                 default: str, expected: str) -> None:
    assert i18n.negotiate(header, default) == expected


def _pseudo(message: str) -> str:
    return f"⟪{message}⟫"


@pytest.fixture
def pseudo_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An Esperanto catalogue that brackets every message (a pseudo-translation), so that any
    text on a page that escaped the catalogue shows unbracketed. One message tries to inject
    markup, as a careless or hostile translation might."""
    english_po = i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
    with english_po.open("rb") as handle:
        english = read_po(handle, locale="en")
    pseudo = Catalog(locale="eo", domain=i18n.DOMAIN)
    for message in english:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            pseudo.add(message.id, tuple(_pseudo(m) for m in message.id))
        elif message.id == "Coming up":
            pseudo.add(message.id, "<script>alert(1)</script>")
        else:
            pseudo.add(message.id, _pseudo(message.id))
    for locale, catalogue in (("en", english), ("eo", pseudo)):
        po = tmp_path / locale / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        with po.open("wb") as handle:
            write_po(handle, catalogue)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.available.cache_clear()
    i18n.translations.cache_clear()
    yield
    i18n.available.cache_clear()
    i18n.translations.cache_clear()


def _portal_patient(client: TestClient) -> str:
    code = invite(client)
    client.post(f"/invite/{code}", data={"username": "syn-i18n", "password": PASSWORD,
                                         "password_again": PASSWORD})
    form = client.get("/portal/questionnaire")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    return csrf.group(1)


def test_a_translated_portal_shows_every_text_from_the_catalogue(
        pseudo_locale: None, client: TestClient) -> None:
    csrf = _portal_patient(client)
    client.headers["Accept-Language"] = "eo, en;q=0.5"
    home = client.get("/portal")
    assert home.status_code == 200
    assert '<html lang="eo">' in home.text
    assert "⟪My record⟫" in home.text and "⟪This page explains your own record" in home.text
    assert "⟪Skip to content⟫" in home.text
    # the translation cannot inject markup: it is escaped like any other value
    assert "<script>alert(1)</script>" not in home.text
    form = client.get("/portal/questionnaire")
    assert "⟪Dress yourself, including tying shoelaces and doing buttons?⟫" in form.text
    assert "⟪Without any difficulty⟫" in form.text
    answers = {"csrf_token": csrf, "warning_symptoms": "swallowing"}
    for name, cat in FULL_HAQ["categories"].items():
        for index, value in enumerate(cat["items"]):
            answers[f"haq.{name}.{index}"] = str(value)
    done = client.post("/portal/questionnaire", data=answers)
    assert done.status_code == 200
    assert "⟪Your HAQ score is 1.250 on a scale" in done.text
    assert "⟪Contact your clinic today." in done.text
    page = client.get("/portal/education/medicine_methotrexate")
    assert page.status_code == 200 and "⟪Methotrexate" in page.text
    exercise = client.get("/portal/exercise")
    assert "⟪My exercise⟫" in exercise.text
    support = client.get("/portal/support")
    assert "⟪Patient organisations⟫" in support.text


def test_a_language_without_a_catalogue_gets_english(client: TestClient) -> None:
    _portal_patient(client)
    client.headers["Accept-Language"] = "fr-FR, fr;q=0.9"
    home = client.get("/portal")
    assert home.status_code == 200 and '<html lang="en">' in home.text
    assert "My record" in home.text and "⟪" not in home.text


def test_a_new_language_starts_empty_and_english_stays_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(i18n.LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.available.cache_clear()
    try:
        counts = i18n.update(add=["fr"])
        assert counts["fr"] == counts["en"] > 300
        assert i18n.available() == ("en", "fr")
        with (tmp_path / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            french = read_po(handle, locale="fr")
        assert not any(any(m.string) if isinstance(m.string, tuple) else m.string
                       for m in french if m.id)
        # an untranslated message falls back to the English text
        assert i18n.translations("fr").gettext("My record") == "My record"
        assert i18n.problems() == []
    finally:
        i18n.available.cache_clear()
        i18n.translations.cache_clear()

"""`myositis evidence ...`, `trials find` and the surveillance part of `kb check`, offline on
SYNTHETIC records."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from myositis.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "literature" / "fixtures"
RETRACTED_KB_SOURCE = """<?xml version="1.0" ?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>23124935</PMID><Article>
<ArticleTitle>SYNTHETIC copy of a knowledge-base source, marked retracted for the test</ArticleTitle>
<PublicationTypeList><PublicationType>Retracted Publication</PublicationType></PublicationTypeList>
</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""
LATER_RCT = """<?xml version="1.0" ?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>99000010</PMID><Article>
<ArticleTitle>SYNTHETIC randomised trial of rituximab in anti-SRP myopathy</ArticleTitle>
<PublicationTypeList><PublicationType>Randomized Controlled Trial</PublicationType>
</PublicationTypeList></Article></MedlineCitation><PubmedData><History>
<PubMedPubDate PubStatus="entrez"><Year>2027</Year><Month>1</Month><Day>15</Day></PubMedPubDate>
</History></PubmedData></PubmedArticle></PubmedArticleSet>"""


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MYOSITIS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MYOSITIS_DATABASE_URL", raising=False)
    monkeypatch.setenv("MYOSITIS_CLINIC_COUNTRY", "United Kingdom")
    return tmp_path


def test_import_search_digest_and_review_due(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evidence", "import", str(FIXTURES / "pubmed.xml"),
                                 str(FIXTURES / "ctgov.json")])
    assert result.exit_code == 0, result.output
    assert "new 6" in result.output and "skipped 2" in result.output
    assert "record not-a-number: PMID" in result.output
    again = runner.invoke(app, ["evidence", "import", str(FIXTURES / "pubmed.xml")])
    assert "new 0, updated 0, unchanged 3" in again.output
    search = runner.invoke(app, ["evidence", "search", "inclusion body myositis"])
    assert "PMID:99000004" in search.output
    md, html = tmp_path / "digest.md", tmp_path / "digest.html"
    digest = runner.invoke(app, ["evidence", "digest", "--since", "2025-01-01",
                                 "--markdown", str(md), "--html", str(html)])
    assert digest.exit_code == 0 and "dazukibart" in digest.output
    assert "**review due**" in md.read_text() and "<h2>" in html.read_text()
    check = runner.invoke(app, ["kb", "check"])
    assert check.exit_code == 0 and "no knowledge-base entry is review due" in check.output
    later = tmp_path / "later.xml"
    later.write_text(LATER_RCT)
    runner.invoke(app, ["evidence", "import", str(later)])
    check = runner.invoke(app, ["kb", "check"])
    assert check.exit_code == 0, check.output  # review due warns, never fails
    assert "review due" in check.output and "rituximab (1 new" in check.output


def test_kb_check_fails_on_a_retracted_source(tmp_path: Path) -> None:
    xml = tmp_path / "retracted.xml"
    xml.write_text(RETRACTED_KB_SOURCE)
    assert runner.invoke(app, ["evidence", "import", str(xml)]).exit_code == 0
    check = runner.invoke(app, ["kb", "check"])
    assert check.exit_code == 2 and "oddis2013_rim" in check.output
    assert "retracted" in check.output


def test_trials_find_for_a_patient(tmp_path: Path) -> None:
    runner.invoke(app, ["evidence", "import", str(FIXTURES / "ctgov.json")])
    patient = tmp_path / "p.json"
    patient.write_text('{"id": "SYN-TRIAL", "sex": "female", "months_since_onset": 6, '
                       '"classification": {"age_at_onset": 50, "weakness": {"proximal_upper": '
                       'true}, "skin": {"heliotrope_rash": true, "gottron_papules": true}, '
                       '"elevated_muscle_enzymes": true}}')
    found = runner.invoke(app, ["trials", "find", str(patient)])
    assert found.exit_code == 0, found.output
    assert "NCT09990001" in found.output and "NCT09990002" not in found.output
    assert "site in United Kingdom" in found.output
    # the same matches in the care plan, when asked for
    plan = runner.invoke(app, ["plan", str(patient), "--trials", "--format", "markdown"])
    assert plan.exit_code == 0, plan.output
    section = plan.output.split("## Open trials that may fit")[1].split("## Detail")[0]
    assert "NCT09990001" in section and "NCT09990002" not in section
    assert "## Open trials that may fit" not in runner.invoke(
        app, ["plan", str(patient), "--format", "markdown"]).output


def test_import_missing_file_names_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evidence", "import", str(tmp_path / "nope.xml")])
    assert result.exit_code == 2 and "nope.xml" in result.output

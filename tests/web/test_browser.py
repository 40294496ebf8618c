"""End to end in Debian's Chromium (Playwright, no browser download): log in, add a patient,
add two visits, see the TIS and the chart, open the care plan. Saves a screenshot artefact."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web import live_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("MYOSITIS_TEST_ARTIFACTS", "test-artifacts"))

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian chromium not installed (CI installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = live_server.start(tmp_path_factory.mktemp("browser"))
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_clinician_journey(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1024, "height": 1366})  # tablet portrait
        page.goto(f"{server}/login")
        page.get_by_label("Username").fill("clinician")
        page.get_by_label("Password").fill("demo-clinician-2026")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Patients")).to_be_visible()

        page.get_by_role("link", name="Add patient").click()
        page.get_by_label("Pseudonym").fill("SYN-BROWSER-1")
        page.get_by_label("Age at onset of first symptom (years, 0-120)").fill("52")
        page.get_by_label("Date of symptom onset").fill("2025-01-15")
        for name in ("proximal upper", "proximal lower", "heliotrope rash", "Gottron's papules",
                     "muscle enzymes above ULN"):
            page.get_by_label(name).check()
        page.get_by_role("button", name="Save patient").click()
        expect(page.get_by_role("heading", name="SYN-BROWSER-1")).to_be_visible()

        visits = [("2025-03-01", "6", "7", "3", "60", "1.5", "3000"),
                  ("2025-09-01", "4", "5", "2", "66", "1.125", "1200")]
        for date, pga, ptga, ema, mmt, haq, ck in visits:
            page.get_by_role("link", name="Add visit").click()
            page.get_by_label("Visit date").fill(date)
            page.get_by_label("Physician global activity (VAS cm, 0-10)").fill(pga)
            page.get_by_label("Patient global activity (VAS cm, 0-10)").fill(ptga)
            page.get_by_label("Extramuscular global activity (VAS cm, 0-10)").fill(ema)
            page.get_by_label("MMT-8 (0-80)").fill(mmt)
            page.get_by_label("HAQ-DI (0-3)").fill(haq)
            page.get_by_label("CK (U/L)").fill(ck)
            page.get_by_role("button", name="Save visit").click()
            expect(page.get_by_role("heading", name="SYN-BROWSER-1")).to_be_visible()

        expect(page.locator("#latest-tis")).to_contain_text("50")
        expect(page.locator("#latest-tis")).to_contain_text("moderate")
        expect(page.locator("figure.chart svg").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "patient-page.png"), full_page=True)

        page.get_by_role("link", name="Open the full cited care plan").click()
        expect(page.get_by_text("does not prescribe")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "care-plan.png"))
        browser.close()
    assert (ARTIFACTS / "patient-page.png").stat().st_size > 10_000

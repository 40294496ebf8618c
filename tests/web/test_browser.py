"""End to end in Debian's Chromium (Playwright, no browser download): log in, add a patient,
add two visits, see the TIS and the chart, open the care plan. Saves a screenshot artefact."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web import live_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("MYOSITIS_TEST_ARTIFACTS", "test-artifacts"))

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason=f"BROWSER TESTS DID NOT RUN: {CHROMIUM} is missing (install Debian's chromium, as "
           ".ci/run does)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = live_server.start(tmp_path_factory.mktemp("browser"))
    yield url
    live_server.stop(process)


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "tablet": {"width": 768, "height": 1024}}
# Every page a user reaches; the care plan and its snapshot are standalone printable documents.
A11Y_PAGES = ["/login", "/patients", "/patients/1", "/patients/1/visits/new", "/patients/new",
              "/patients/1/letter", "/patients/1/plan", "/audit", "/worklist", "/admin/users",
              "/patients/1/edit", "/patients/1/visits/1/edit", "/patients/1/visits/1/delete",
              "/patients/1/delete", "/evidence?q=myositis", "/evidence/review",
              "/clinic/sessions"]
WCAG_AA = {"runOnly": {"type": "tag",
                       "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def _log_in(page: Any, server: str, username: str, password: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/patients")


def test_pages_meet_wcag_aa_by_axe(server: str) -> None:
    """axe-core (the engine behind Lighthouse's accessibility audit) on every page, at laptop
    and tablet widths, with WCAG 2.x A and AA rules: labels, names, contrast, landmarks..."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    report: list[str] = []
    failures = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
            # The checker itself must see a known fault: an unlabelled field.
            page.set_content('<html lang="en"><title>t</title><main><input></main></html>')
            assert axe.run(page, options=WCAG_AA).violations_count > 0
            page.goto(f"{server}/login")
            result = axe.run(page, options=WCAG_AA)
            failures += result.violations_count
            report.append(f"## {name} /login: {result.violations_count} violations\n"
                          + result.generate_report())
            _log_in(page, server, "admin", live_server.DEMO_PASSWORD)
            page.goto(f"{server}/patients/1")
            page.get_by_role("button", name="Save today's care plan").click()
            for path in [*A11Y_PAGES[1:], page.url.removeprefix(server)]:
                page.goto(f"{server}{path}")
                result = axe.run(page, options=WCAG_AA)
                failures += result.violations_count
                passed = len(result.response.get("passes", []))
                report.append(f"## {name} {path}: {result.violations_count} violations, "
                              f"{passed} rules passed\n" + result.generate_report())
            page.close()
        browser.close()
    (ARTIFACTS / "accessibility-axe.txt").write_text("\n".join(report))
    assert failures == 0, "\n".join(report)


def test_keyboard_only_journey(server: str) -> None:
    """Log in, skip to content, open a patient and the visit form without a mouse; the
    focused element is always visibly outlined."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport=VIEWPORTS["tablet"])  # type: ignore[arg-type]
        page.goto(f"{server}/login")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Tab")
        page.keyboard.type("clinician")
        page.keyboard.press("Tab")
        page.keyboard.type(live_server.DEMO_PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Patients")).to_be_visible()

        def tab_to(text: str, limit: int = 80) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                focused = page.evaluate("document.activeElement.textContent.trim()")
                if focused.startswith(text):
                    outline = page.evaluate(
                        "getComputedStyle(document.activeElement).outlineStyle")
                    assert outline != "none", f"no visible focus on {text!r}"
                    return
            raise AssertionError(f"{text!r} not reachable with Tab")

        tab_to("SYN-")
        page.keyboard.press("Enter")
        expect(page.locator("#since-last-visit")).to_be_visible()
        tab_to("Add visit")
        page.keyboard.press("Enter")
        expect(page.get_by_label("Visit date")).to_be_visible()
        browser.close()


def test_clinician_journey(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 1366})  # tablet portrait
        page.goto(f"{server}/login")
        page.get_by_label("Username").fill("clinician")
        page.get_by_label("Password").fill(live_server.DEMO_PASSWORD)
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
            page.get_by_label("MMT-8 total (0-80, or 0-150 bilateral)").fill(mmt)
            page.get_by_label("HAQ-DI (0-3)").fill(haq)
            page.get_by_label("CK", exact=True).fill(ck)
            page.get_by_role("button", name="Save visit").click()
            expect(page.get_by_role("heading", name="SYN-BROWSER-1")).to_be_visible()

        expect(page.locator("#responses")).to_contain_text("50")
        expect(page.locator("#responses")).to_contain_text("moderate")
        expect(page.locator("#responses")).to_contain_text("2025-09-01 vs baseline 2025-03-01")
        expect(page.locator("figure.chart svg").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "patient-page.png"), full_page=True)

        page.get_by_role("link", name="Open the full cited care plan").click()
        expect(page.get_by_text("does not prescribe")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "care-plan.png"))
        browser.close()
    assert (ARTIFACTS / "patient-page.png").stat().st_size > 10_000


def test_followup_journey(server: str) -> None:
    """A day in clinic: record a flare and see it red on the patient page and the worklist;
    acknowledge and resolve a flag; record screening tests and see the due item clear; enter a
    medication and see it on the timeline; correct and delete a visit and find the audit rows;
    print the letter."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport=VIEWPORTS["laptop"])  # type: ignore[arg-type]
        _log_in(page, server, "clinician", live_server.DEMO_PASSWORD)
        page.get_by_role("link", name="Add patient").click()
        page.get_by_label("Pseudonym").fill("SYN-DAY-1")
        page.get_by_label("Age at onset of first symptom (years, 0-120)").fill("55")
        for name in ("proximal upper", "heliotrope rash", "Gottron's papules",
                     "muscle enzymes above ULN"):
            page.get_by_label(name).check()
        page.get_by_label("Positive myositis antibody").select_option("tif1g")
        page.get_by_role("button", name="Save patient").click()
        expect(page.get_by_role("heading", name="SYN-DAY-1")).to_be_visible()
        patient_url = page.url

        for date, pga, mmt, ck, pred in (("2026-05-01", "0.9", "76", "115", "5"),
                                         ("2026-11-20", "3.2", "70", "640", "15")):
            page.get_by_role("link", name="Add visit").click()
            page.get_by_label("Visit date").fill(date)
            page.get_by_label("Physician global activity (VAS cm, 0-10)").fill(pga)
            page.get_by_label("MMT-8 total (0-80, or 0-150 bilateral)").fill(mmt)
            page.get_by_label("CK", exact=True).fill(ck)
            page.get_by_label("Glucocorticoid, prednisone equivalent (mg/day)").fill(pred)
            page.get_by_role("button", name="Save visit").click()
            expect(page.get_by_role("heading", name="SYN-DAY-1")).to_be_visible()
        since = page.locator("#since-last-visit")
        expect(since).to_have_class("since flare")
        expect(since).to_contain_text("Worse since the last visit")
        color = since.locator("strong.worse").first.evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(164, 0, 15)", color  # red
        page.goto(f"{server}/worklist?kind=flare")
        expect(page.locator("#worklist")).to_contain_text("SYN-DAY-1")

        # Flags: acknowledge one, resolve another with a reason.
        page.goto(patient_url)
        flags = page.locator("#active-flags li")
        flags.first.get_by_role("button", name="Acknowledge").click()
        expect(page.locator("#active-flags")).to_contain_text("acknowledged by clinician")
        worse = page.locator("#active-flags li", has_text="worse since last visit")
        worse.get_by_label("Reason").fill("reviewed: intercurrent infection")
        worse.get_by_role("button", name="Resolve").click()
        expect(page.locator("#active-flags")).not_to_contain_text("worse since last visit")

        # Screening tests done clear the cancer-screening item.
        tests = page.locator("#tests-due option").evaluate_all(
            "options => options.map(o => o.value)")
        for test in [t for t in tests if "DXA" not in t]:
            page.locator("#s-test").fill(test)
            page.locator("#s-date").fill("2026-11-25")
            page.get_by_role("button", name="Record test").click()
        expect(page.locator("#due")).not_to_contain_text("Cancer screening")

        # A medication appears on the timeline.
        page.get_by_label("Drug (knowledge-base list)").select_option("methotrexate")
        page.get_by_label("Dose", exact=True).fill("15")
        page.get_by_label("Unit", exact=True).select_option("mg/week")
        page.get_by_label("Start", exact=True).fill("2026-05-01")
        page.get_by_role("button", name="Add treatment").click()
        expect(page.locator("figure", has_text="Treatment timeline")).to_contain_text(
            "Methotrexate")
        expect(page.locator("#current-treatment")).to_contain_text("Methotrexate")

        # An oral glucocorticoid course appears on the glucocorticoid chart, not only at visits.
        page.get_by_label("Drug (knowledge-base list)").select_option("glucocorticoids_oral")
        page.get_by_label("Dose", exact=True).fill("25")
        page.get_by_label("Unit", exact=True).select_option("mg/day")
        page.get_by_label("Start", exact=True).fill("2026-06-01")
        page.get_by_role("button", name="Add treatment").click()
        expect(page.locator("figure", has_text="CK").first.locator("svg")).to_have_attribute(
            "aria-label", re.compile(r"Glucocorticoid: \d+ values"))

        # A whole antibody panel at once.
        page.get_by_label("anti-PL7", exact=True).select_option("positive")
        page.get_by_label("level of anti-PL7").select_option("strong")
        page.get_by_label("anti-MDA5", exact=True).select_option("negative")
        page.get_by_role("button", name="Save panel").click()
        results = page.locator("#antibody_results + table")
        expect(results).to_contain_text("anti-PL7")
        expect(results).to_contain_text("strong")

        # Correct a visit, delete it, and find both in the audit log (as the administrator).
        page.locator("#visits a", has_text="Edit").first.click()
        page.get_by_label("Physician global activity (VAS cm, 0-10)").fill("3.0")
        page.get_by_role("button", name="Save visit").click()
        expect(page.locator("#visits")).to_contain_text("3.0")
        page.locator("#visits a", has_text="Delete").first.click()
        page.get_by_role("button", name="Delete").click()
        expect(page.locator("#visits")).not_to_contain_text("2026-11-20")

        # The letter prints without the editing controls.
        page.goto(patient_url + "/letter")
        page.get_by_label("Clinician's comments (added to the letter; not stored)").fill(
            "Seen today; plan discussed.")
        page.get_by_role("button", name="Update the letter").click()
        expect(page.locator("#letter")).to_contain_text("Seen today; plan discussed.")
        page.emulate_media(media="print")
        assert not page.locator("form.letter-edit").is_visible()
        page.pdf(path=str(ARTIFACTS / "letter.pdf"))
        page.emulate_media(media="screen")

        admin = browser.new_page(viewport=VIEWPORTS["laptop"])  # type: ignore[arg-type]
        _log_in(admin, server, "admin", live_server.DEMO_PASSWORD)
        admin.goto(f"{server}/audit")
        audit = admin.locator("main").inner_text()
        assert "visit" in audit and "delete" in audit and "update" in audit
        browser.close()
    assert (ARTIFACTS / "letter.pdf").stat().st_size > 1000


PHONE = {"width": 390, "height": 844}  # the phone width issue 12 names
PORTAL_PAGES = ["/portal", "/portal/questionnaire", "/portal/education", "/portal/exercise",
                "/portal/diary", "/portal/support"]


def test_patient_portal_on_a_phone(server: str) -> None:
    """The clinic sets an exercise programme and invites a patient. On a 390-pixel phone the
    patient accepts the invitation and sets a password; every portal page passes axe (WCAG 2.x
    A and AA) at phone, tablet and laptop widths without sideways scrolling; the patient
    completes the HAQ-DI and sees the score, records a diary warning symptom and logs an
    exercise session; the clinic sees the warning flag and accepts the questionnaire into a
    visit."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        clinic = browser.new_page(viewport=VIEWPORTS["laptop"])  # type: ignore[arg-type]
        _log_in(clinic, server, "clinician", live_server.DEMO_PASSWORD)
        clinic.goto(f"{server}/patients/2")
        clinic.get_by_role("button", name="Set programme").click()
        clinic.goto(f"{server}/patients/2")
        clinic.get_by_role("button", name="Invite to the portal").click()
        code = clinic.locator("code").first.inner_text().strip()
        assert len(code) >= 8
        phone = browser.new_context(viewport=PHONE, is_mobile=True,  # type: ignore[arg-type]
                                    has_touch=True).new_page()
        phone.goto(f"{server}/invite/{code}")
        phone.get_by_label("Username").fill("syn-phone-patient")
        phone.get_by_label("Password (at least").fill("a-phone-portal-pass-2026")
        phone.get_by_label("The same password again").fill("a-phone-portal-pass-2026")
        phone.get_by_role("button").last.click()
        phone.wait_for_url(f"{server}/portal")
        report, failures = [], 0
        for width_name, viewport in (("phone", PHONE), *VIEWPORTS.items()):
            phone.set_viewport_size(viewport)  # type: ignore[arg-type]
            for path in PORTAL_PAGES:
                phone.goto(f"{server}{path}")
                result = axe.run(phone, options=WCAG_AA)
                failures += result.violations_count
                report.append(f"## {width_name} {path}: {result.violations_count} violations\n"
                              + result.generate_report())
                overflow = phone.evaluate(
                    "document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{path} scrolls sideways by {overflow}px ({width_name})"
        (ARTIFACTS / "axe-portal.md").write_text("\n\n".join(report), encoding="utf-8")
        assert failures == 0, f"{failures} axe violations; see {ARTIFACTS}/axe-portal.md"
        phone.set_viewport_size(PHONE)  # type: ignore[arg-type]

        # the HAQ-DI in full (the first answer of every item: no difficulty), then the score
        phone.goto(f"{server}/portal/questionnaire")
        for item in phone.locator("fieldset.answers").all():
            item.get_by_role("radio").first.check()
        phone.get_by_label("How active has your myositis been?").fill("4")
        phone.get_by_label("How much pain have you had?").fill("3")
        phone.get_by_label("How tired have you been?").fill("5")
        phone.get_by_role("button", name="Send to my clinic").click()
        expect(phone.get_by_role("status")).to_contain_text("sent to your clinic")
        expect(phone.get_by_text("Your HAQ score is 0.000")).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "portal-phone.png"), full_page=True)

        # a diary entry with a warning symptom, and an exercise session
        phone.goto(f"{server}/portal/diary")
        phone.get_by_label("How weak do your muscles feel?").fill("6")
        phone.get_by_label("Trouble swallowing, choking or food sticking").check()
        phone.get_by_role("button", name="Save today").click()
        phone.goto(f"{server}/portal/exercise")
        phone.get_by_label("Minutes of exercise").fill("20")
        phone.get_by_label("How hard did it feel?").fill("4")
        phone.get_by_role("button", name="Save this session").click()
        phone.goto(f"{server}/portal/exercise")
        expect(phone.locator("#history-h")).to_be_visible()

        # the clinic sees the warning and the session, and accepts the questionnaire
        clinic.goto(f"{server}/patients/2")
        expect(clinic.get_by_text("Patient reported through the portal").first).to_be_visible()
        expect(clinic.locator("#exercise-adherence")).to_contain_text("1 of")
        reports = clinic.locator("#portal-reports")
        expect(reports).to_contain_text("0.000")
        reports.locator("tr", has_text="0.000").get_by_role("button", name="Accept").click()
        clinic.goto(f"{server}/patients/2")
        expect(clinic.locator("#portal-reports tr", has_text="0.000")).to_contain_text(
            "accepted by")
        browser.close()

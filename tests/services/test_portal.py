"""Portal logic: reminders in plain words from the next visit and the plan's monitoring."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date.today()


def test_portal_reminders_for_questionnaire_and_monitoring() -> None:
    from myositis.services.portal import reminders

    visit = TODAY + dt.timedelta(days=10)
    due = reminders(visit, [], [("Methotrexate", f"by {(TODAY + dt.timedelta(days=5))}"),
                                ("Disease activity", "overdue since 2026-01-01"),
                                ("Azathioprine", f"by {TODAY + dt.timedelta(days=60)}")], TODAY)
    texts = [r.text for r in due]
    assert texts == ["Fill in the questions before your visit", "Blood tests for Methotrexate",
                     "Check-up with your myositis team"]
    assert due[2].overdue and not due[1].overdue
    assert reminders(TODAY + dt.timedelta(days=40), [], [], TODAY) == []

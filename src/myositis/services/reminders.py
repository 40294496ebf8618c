"""Reminder e-mails for patient accounts: which reminders are new, and the message.

The message says only that something is coming up and where to log in: an e-mail can be read
by others (a shared inbox, a lock screen), so it names no diagnosis, medicine or test. Each
reminder has a key (what and when); a reminder whose key was already sent is not sent again,
so the command can run every day.
"""

from __future__ import annotations

from email.message import EmailMessage

from myositis.services.portal import Reminder


def key(reminder: Reminder) -> str:
    when = reminder.due.isoformat() if reminder.due else "now"
    return f"{reminder.text}|{when}"[:200]


def new_reminders(reminders: list[Reminder], sent: set[str]) -> list[Reminder]:
    return [r for r in reminders if key(r) not in sent]


def message(to: str, sender: str, portal_url: str, count: int) -> EmailMessage:
    """A short, private message: how many things are coming up, and the portal link."""
    mail = EmailMessage()
    mail["To"] = to
    mail["From"] = sender
    mail["Subject"] = "Your myositis portal: something is coming up"
    things = "one thing" if count == 1 else f"{count} things"
    mail.set_content(
        f"Hello,\n\nThere {'is' if count == 1 else 'are'} {things} coming up for you in your "
        f"myositis portal (a visit, questions to answer before it, or tests).\n\n"
        f"Log in to see them: {portal_url}\n\n"
        "If you have trouble swallowing or breathing, or your weakness gets worse quickly, do "
        "not wait: contact your clinic now or call emergency services.\n\n"
        "You get this e-mail because you gave your address in the portal; remove it there to "
        "stop these e-mails.\n")
    return mail


__all__ = ["key", "message", "new_reminders"]

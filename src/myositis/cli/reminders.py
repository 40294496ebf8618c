"""`myositis reminders send`: e-mail patients who asked for reminders when something new is
coming up (a visit with its questions, tests the care plan lists as due)."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn

from myositis.cli.render import console
from myositis.cli.serve import _engine
from myositis.db.engine import session_factory
from myositis.db.portal_repository import ReminderRepository
from myositis.services import portal, reminders
from myositis.settings import Settings

reminders_app = typer.Typer(help="Portal reminders by e-mail.", no_args_is_help=True)


@reminders_app.command("send")
def send_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list what would be sent, send "
                                          "nothing and record nothing")] = False,
) -> None:
    """Send each patient with an e-mail address one short message when new reminders are due
    (never the same reminder twice; the message names no diagnosis, medicine or test)."""
    settings = Settings()
    if settings.smtp_host is None and not dry_run:
        console.print("[red]MYOSITIS_SMTP_HOST is not set[/]: nothing sent (use --dry-run to "
                      "see what would be sent)")
        raise typer.Exit(2)
    sessions = session_factory(_engine(settings))
    today = dt.date.today()
    sent = 0
    with sessions() as session:
        repo = ReminderRepository(session, actor="reminders")
        accounts = repo.reminder_accounts()
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), console=console,
                      transient=True) as progress:
            task = progress.add_task("checking accounts", total=len(accounts))
            for username, email, patient_id in accounts:
                progress.advance(task)
                view = portal.planned_view(repo.patient(patient_id), repo.visits(patient_id),
                                           repo.record_entries([patient_id])[patient_id],
                                           repo.reports(patient_id), today)
                new = reminders.new_reminders(view.reminders, repo.sent_keys(username))
                if not new:
                    continue
                if dry_run:
                    console.print(f"{username}: {len(new)} new reminder(s)")
                    sent += 1
                    continue
                mail = reminders.message(email, settings.smtp_from, settings.portal_url,
                                         len(new))
                assert settings.smtp_host is not None
                with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
                    if settings.smtp_starttls:
                        smtp.starttls()
                    if settings.smtp_username and settings.smtp_password:
                        smtp.login(settings.smtp_username, settings.smtp_password)
                    smtp.send_message(mail)
                repo.log_sent(username, [reminders.key(r) for r in new],
                              dt.datetime.now(dt.UTC))
                session.commit()  # one account at a time: a failure later resends nothing
                sent += 1
    console.print(f"dry run: {sent} e-mail(s) would be sent, nothing recorded" if dry_run
                  else f"sent {sent} reminder e-mail(s)")

"""Send today's reminders (what the daily beat task does), for a given date if asked."""

import smtplib
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications import services


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Find the reminders due today (milestones, waiting reviews, stale actions), record them "
        "and send each person their daily digest. Safe to run twice: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to remind as of (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be sent; record nothing"
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        today = iso_date(today) if today else None
        try:
            run = services.send_reminders(today=today, dry_run=dry_run)
        except (smtplib.SMTPException, OSError) as exc:
            raise CommandError(
                f"The mail server did not take the digests ({exc}). Nothing is lost: "
                "run the command again once it is back."
            ) from exc
        if dry_run:
            self.stdout.write(
                f"{run.owed} reminders due; {run.claimed} not sent before would be sent "
                "(dry run: nothing recorded or sent)."
            )
        else:
            self.stdout.write(
                f"{run.owed} reminders due; {run.claimed} new; {run.emails} digests sent."
            )

"""Announce the events since the last run: what the beat task does every minute."""

import smtplib

from django.core.management.base import BaseCommand, CommandError

from notifications import services


class Command(BaseCommand):
    help = (
        "Find the events not yet announced (updates submitted, returned or approved; reports "
        "ready or released), record them and send those wanted at once. Safe to run twice."
    )

    def handle(self, *args, **options):
        try:
            run = services.notify_events()
        except (smtplib.SMTPException, OSError) as exc:
            raise CommandError(
                f"The mail server did not take the e-mails ({exc}). Nothing is lost: "
                "run the command again once it is back."
            ) from exc
        self.stdout.write(f"{run.owed} notifications owed; {run.claimed} new; {run.emails} sent.")

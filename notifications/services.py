"""Every write of the notifications app: claiming what is owed, sending it, and people's choices.

Sending is claimed, not trusted: a Delivery row is inserted for each notification owed (a
conflict on the unique constraint means it was owed already), then each person's unsent rows are
locked (skipping rows another process holds), sent in one e-mail and marked sent in the same
transaction. A mail server that is down rolls the transaction back: the rows stay unsent and the
next run (or the task's retry) sends them. Two runs at once never send a row twice.
"""

import logging
import smtplib
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import events, mail, reminders
from notifications.models import EVENT_KINDS, REMINDER_KINDS, Delivery, Kind, Mode, Preferences
from notifications.people import People

logger = logging.getLogger(__name__)
RUN_LOCK = zlib.crc32(b"notifications: one run at a time")


@dataclass
class Run:
    owed: int = 0
    claimed: int = 0
    emails: int = 0


def _deliveries(people, owed, now):
    rows = {}
    for item in owed:
        mode = people.preferences(item.recipient_id).mode(item.kind)
        if mode == Mode.NONE or not people.reachable(item.recipient_id):
            continue
        key = (item.recipient_id, item.kind, item.key, item.threshold)
        rows[key] = Delivery(
            recipient_id=item.recipient_id,
            kind=item.kind,
            key=item.key,
            threshold=item.threshold,
            mode=mode,
            facts=item.facts,
            created_at=now,
        )
    return list(rows.values())


def claim(people, owed, *, now):
    """Record what is owed; rows recorded before (by this or another run) are left alone."""
    rows = _deliveries(people, owed, now)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # Every row this run inserted carries its moment (runs take turns: one_run_at_a_time); a
    # row already owed keeps the moment it was first claimed.
    return Delivery.objects.filter(created_at=now).exclude(kind=Delivery.DIGEST).count()


def not_yet_recorded(people, owed, *, now):
    """What a run would record now (for --dry-run): owed rows not recorded before."""
    rows = _deliveries(people, owed, now)
    kinds = {row.kind for row in rows}
    recorded = set(
        Delivery.objects.filter(kind__in=kinds).values_list(
            "recipient_id", "kind", "key", "threshold"
        )
    )
    return [r for r in rows if (r.recipient_id, r.kind, r.key, r.threshold) not in recorded]


def send_pending(*, mode, now=None, today=None):
    """Send each person their unsent notifications of `mode` in one e-mail; return how many
    e-mails went. A daily digest goes at most once a day per person (its own Delivery row)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    waiting = Delivery.objects.filter(sent_at__isnull=True, mode=mode)
    recipients = sorted(waiting.order_by().values_list("recipient_id", flat=True).distinct())
    if not recipients:
        return 0
    people = People()
    sent = 0
    with get_connection() as connection:
        for recipient_id in recipients:
            user = people.users.get(recipient_id)
            if user is None or not people.reachable(recipient_id):
                continue
            with transaction.atomic():
                items = list(
                    waiting.filter(recipient_id=recipient_id)
                    .select_for_update(skip_locked=True)
                    .order_by("kind", "created_at", "pk")
                )
                if not items or (mode == Mode.DIGEST and not _claim_digest(user, today, now)):
                    continue
                message = mail.compose(user, people.preferences(recipient_id), items, mode)
                message.connection = connection
                try:
                    message.send()
                except smtplib.SMTPRecipientsRefused:
                    # One address the server refuses must not hold up everyone after it.
                    logger.warning("The mail server refused %s; their e-mail waits.", user.email)
                    transaction.set_rollback(True)
                    continue
                Delivery.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
            sent += 1
    return sent


def _claim_digest(user, today, now):
    """Today's digest for this person, claimed; False if it was sent (or is being sent)."""
    try:
        with transaction.atomic():
            Delivery.objects.create(
                recipient=user,
                kind=Delivery.DIGEST,
                key=today.isoformat(),
                mode=Mode.DIGEST,
                created_at=now,
                sent_at=now,
            )
    except IntegrityError:
        return False
    return True


@contextmanager
def one_run_at_a_time():
    """Runs take turns (two beat processes, a retried task beside the next run): the second
    finds everything claimed and sent by the first. Without the lock a row claimed by one run
    after the other had sent that person's digest of the day would wait for the next day's. A
    PostgreSQL advisory lock, held by the session for the run; other databases have one writer."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])


def notify_events(*, now=None):
    """Find the events since the window opened, claim them, send those wanted at once."""
    now = now or timezone.now()
    with one_run_at_a_time():
        people = People()
        owed = events.find(people, now=now)
        return Run(
            owed=len(owed),
            claimed=claim(people, owed, now=now),
            emails=send_pending(mode=Mode.IMMEDIATE, now=now),
        )


def send_reminders(*, today=None, now=None, dry_run=False):
    """The daily run: find the reminders of `today`, claim them, send everyone's digest."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    people = People()
    owed = reminders.find(people, today=today)
    if dry_run:
        return Run(owed=len(owed), claimed=len(not_yet_recorded(people, owed, now=now)))
    with one_run_at_a_time():
        return Run(
            owed=len(owed),
            claimed=claim(people, owed, now=now),
            emails=send_pending(mode=Mode.DIGEST, now=now, today=today),
        )


@transaction.atomic
def set_language(*, user, language):
    """Save a person's language: the pages after they sign in and their e-mails use it."""
    preferences, _created = Preferences.objects.get_or_create(user=user)
    preferences.language = language
    preferences.full_clean()
    preferences.save(update_fields=["language"])
    return preferences


@transaction.atomic
def set_preferences(*, user, language, **modes):
    """Save a person's choices: their language and a mode for each kind."""
    preferences, _created = Preferences.objects.get_or_create(user=user)
    preferences.language = language
    for kind, mode in modes.items():
        if kind not in Kind.values:
            raise ValidationError(_("Unknown kind of notification."))
        if kind in REMINDER_KINDS and mode == Mode.IMMEDIATE:
            raise ValidationError({kind: _("Reminders come in the daily digest or not at all.")})
        setattr(preferences, kind, mode)
    preferences.full_clean()
    preferences.save()
    return preferences


@transaction.atomic
def unsubscribe(*, user, kind):
    """Stop one kind of e-mail for one person; every other choice stays as it was."""
    if kind not in EVENT_KINDS + REMINDER_KINDS:
        raise ValidationError(_("Unknown kind of notification."))
    preferences, _created = Preferences.objects.get_or_create(user=user)
    setattr(preferences, kind, Mode.NONE)
    preferences.save(update_fields=[kind])
    return preferences

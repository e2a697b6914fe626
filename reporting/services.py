"""Requesting, building, sweeping and releasing reports. Tasks and views only call these."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from partners.models import Side
from reporting.models import Report
from reporting.periods import Period
from reporting.rendering import render_pdf

log = logging.getLogger(__name__)
State = Report.State


class BrokerUnavailable(Exception):
    """The report is saved as queued; the workers will build it when the broker is back."""


def request_report(
    *, plan, kind, year, language, user=None, quarter=None, chapter=None, institution=None
):
    """Record a report to build and hand it to the workers; an identical pending one is reused."""
    today = timezone.localdate()
    period = Period(year, quarter)
    if period.start > today:
        raise ValidationError(_("This period has not started yet."))
    if period.end < plan.period_start or period.start > plan.period_end:
        raise ValidationError(_("The plan does not run in this period."))
    with transaction.atomic():
        pending = Report.objects.select_for_update().filter(
            plan=plan,
            kind=kind,
            year=year,
            quarter=quarter,
            chapter=chapter,
            institution=institution,
            language=language,
            state__in=[State.QUEUED, State.BUILDING],
        )
        report = pending.first()
        if report is None:
            report = Report(
                plan=plan,
                kind=kind,
                year=year,
                quarter=quarter,
                chapter=chapter,
                institution=institution,
                language=language,
                as_of=period.as_of_date(today),
                requested_by=user,
            )
            report.full_clean(validate_constraints=False)
            report._history_user = user
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError:  # the same request, made at the same moment, won
                report = pending.get()
    enqueue(report)
    return report


def enqueue(report):
    """Send the build to the workers. Without a broker the report stays queued and says so."""
    from reporting.tasks import build_report

    try:
        build_report.apply_async(args=[report.pk], retry=False)
    except (KombuOperationalError, ConnectionError) as exc:
        log.warning("Report %s stays queued: broker unavailable (%s)", report.pk, exc)
        raise BrokerUnavailable(str(exc)) from exc
    Report.objects.filter(pk=report.pk, state=State.QUEUED).update(enqueued_at=timezone.now())


def build(report_id):
    """Build one report. Safe to run twice: a ready report stays; of two runs of the same
    report, only the latest attempt may save, so a late or duplicate run never replaces a newer
    file (or a released one)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("plan").get(pk=report_id)
        if report.state == State.READY:
            return report
        report.state = State.BUILDING
        report.started_at = timezone.now()
        report.finished_at = None
        report.error = ""
        report.attempts += 1
        report.save(update_fields=["state", "started_at", "finished_at", "error", "attempts"])
        attempt = report.attempts
    try:
        pdf, pages, as_of = render_pdf(
            plan=report.plan,
            kind=report.kind,
            year=report.year,
            quarter=report.quarter,
            chapter=report.chapter,
            institution=report.institution,
            language=report.language,
            today=report.as_of,
        )
    except Exception as exc:
        log.exception("Report %s failed", report_id)
        message = _(
            "The report could not be drawn up: %(error)s. Retry it; if it fails again, tell "
            "the secretariat."
        ) % {"error": exc.__class__.__name__}
        Report.objects.filter(pk=report_id, attempts=attempt).exclude(state=State.READY).update(
            state=State.FAILED, error=message, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.state != State.BUILDING or report.attempts != attempt:
            return report  # settled meanwhile, or a newer attempt has taken over
        if report.file:
            report.file.delete(save=False)
        report.file.save(report.filename, ContentFile(pdf), save=False)
        report.pages = pages
        report.size = len(pdf)
        report.sha256 = hashlib.sha256(pdf).hexdigest()
        report.as_of = as_of
        report.state = State.READY
        report.finished_at = timezone.now()
        report.save()
    return report


def sweep(now=None):
    """Mark builds stuck past the time limit as failed; send on queued reports never sent."""
    now = now or timezone.now()
    limit = timedelta(seconds=settings.REPORT_BUILD_TIME_LIMIT)
    stuck = Report.objects.filter(state=State.BUILDING, started_at__lt=now - limit)
    minutes = settings.REPORT_BUILD_TIME_LIMIT // 60
    failed = stuck.update(
        state=State.FAILED,
        finished_at=now,
        error=_("The build did not finish within %(minutes)s minutes and was stopped. Retry it.")
        % {"minutes": minutes},
    )
    resent = 0
    waiting = Report.objects.filter(state=State.QUEUED).filter(
        enqueued_at__isnull=True
    ) | Report.objects.filter(state=State.QUEUED, enqueued_at__lt=now - limit)
    for report in waiting:
        try:
            enqueue(report)
        except BrokerUnavailable:
            break
        resent += 1
    return failed, resent


def retry(report, *, user):
    if report.state != State.FAILED:
        raise ValidationError(_("Only a failed report can be retried."))
    Report.objects.filter(pk=report.pk).update(
        state=State.QUEUED, error="", enqueued_at=None, started_at=None, finished_at=None
    )
    report.refresh_from_db()
    enqueue(report)
    return report


@transaction.atomic
def release(report, *, user, side):
    """One side releases a built report; officials see it once both sides have."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != State.READY:
        raise ValidationError(_("Only a ready report can be released."))
    if side not in (Side.DK, Side.MX):
        raise ValidationError(_("A report is released by the Danish or the Mexican side."))
    if report.released_on(side):
        raise ValidationError(_("Your side has already released this report."))
    now = timezone.now()
    if side == Side.DK:
        report.released_dk_by, report.released_dk_at = user, now
    else:
        report.released_mx_by, report.released_mx_at = user, now
    report._history_user = user
    report.save()
    return report

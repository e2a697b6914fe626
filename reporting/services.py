"""Requesting, building, sweeping and releasing reports. Tasks and views only call these."""

import hashlib
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError as KombuOperationalError

from actions import figures
from partners.models import Side
from plancore.history import stamp
from reporting.layout import PartFailed
from reporting.models import MEETING_KINDS, Report
from reporting.periods import Period
from reporting.rendering import DOCUMENTS, render_document, render_files

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
    return _request(
        Report(
            plan=plan,
            kind=kind,
            year=year,
            quarter=quarter,
            chapter=chapter,
            institution=institution,
            language=language,
            as_of=period.as_of_date(today),
            requested_by=user,
        ),
        user=user,
    )


def request_meeting_document(*, meeting, kind, language, as_of, user=None):
    """Record a meeting's agenda or minutes to build, like any report (an identical pending one
    is reused), and hand it to the workers."""
    if kind not in MEETING_KINDS:
        raise ValidationError(_("This is not a document of a meeting."))
    return _request(
        Report(
            plan_id=meeting.plan_id,
            kind=kind,
            year=meeting.date.year,
            meeting=meeting,
            language=language,
            as_of=as_of,
            requested_by=user,
        ),
        user=user,
    )


def _request(report, *, user):
    with transaction.atomic():
        pending = pending_builds(
            **{name: getattr(report, name) for name in SAME_REPORT}
        ).select_for_update()
        existing = pending.first()
        if existing is not None:
            report = existing
        else:
            report.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    stamp(report, user=user).save()
            except IntegrityError:  # the same request, made at the same moment, won
                report = pending.get()
    enqueue(report)
    return report


SAME_REPORT = (
    "plan_id",
    "kind",
    "year",
    "quarter",
    "chapter_id",
    "institution_id",
    "meeting_id",
    "language",
)


def pending_builds(**report):
    """Queued or building reports with these values of SAME_REPORT (at most one, by the
    constraint report_one_pending_build_of_each)."""
    return Report.objects.filter(**report, state__in=[State.QUEUED, State.BUILDING])


def identical_pending(report):
    """Another build of the same report (plan, kind, period, subject, language) still pending."""
    same = {name: getattr(report, name) for name in SAME_REPORT}
    return pending_builds(**same).exclude(pk=report.pk)


def enqueue(report):
    """Send the build to the workers, once: a queued report already sent is not sent again.

    The report is claimed (enqueued_at set) before the message goes out, so concurrent requests
    and sweeps send one task between them. If the broker cannot be reached the claim is undone,
    the report stays queued, and BrokerUnavailable says so; the sweep sends it later.
    """
    from reporting.tasks import build_report

    claimed = Report.objects.filter(
        pk=report.pk, state=State.QUEUED, enqueued_at__isnull=True
    ).update(enqueued_at=timezone.now())
    if not claimed:
        return False
    try:
        build_report.apply_async(args=[report.pk], retry=False)
    except (KombuOperationalError, ConnectionError) as exc:
        log.warning("Report %s stays queued: broker unavailable (%s)", report.pk, exc)
        Report.objects.filter(pk=report.pk, state=State.QUEUED).update(enqueued_at=None)
        raise BrokerUnavailable(str(exc)) from exc
    return True


def duration_text(seconds):
    """Say a duration as "15 minutes", "1 minute" or "45 seconds"; never as "0 minutes"."""
    seconds = int(seconds)
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


@contextmanager
def heartbeat(report_id, attempt):
    """While the body runs, record every REPORT_HEARTBEAT_SECONDS that this build is alive.

    The beat runs in a thread with its own database connection. It never waits for a row lock
    (skip_locked), so it cannot hold up the build it watches.
    """
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                try:
                    with transaction.atomic():
                        alive = (
                            Report.objects.select_for_update(skip_locked=True)
                            .filter(pk=report_id, attempts=attempt, state=State.BUILDING)
                            .values_list("pk", flat=True)
                        )
                        Report.objects.filter(pk__in=list(alive)).update(
                            heartbeat_at=timezone.now()
                        )
                except DatabaseError:
                    log.warning("Report %s: heartbeat not recorded", report_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def build(report_id):
    """Build one report. Safe to run twice: a ready report stays; of two runs of the same
    report, only the latest attempt may save, so a late or duplicate run never replaces a newer
    file (or a released one)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("plan").get(pk=report_id)
        if report.state == State.READY:
            return report
        report.state = State.BUILDING
        report.started_at = report.heartbeat_at = timezone.now()
        report.finished_at = None
        report.error = ""
        report.attempts += 1
        report.save(
            update_fields=[
                "state",
                "started_at",
                "heartbeat_at",
                "finished_at",
                "error",
                "attempts",
            ]
        )
        attempt = report.attempts
    try:
        with heartbeat(report_id, attempt):
            if report.kind in DOCUMENTS:
                files = render_document(report)
            else:
                files = render_files(
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
        if isinstance(exc, PartFailed):
            message = _(
                "The report could not be drawn up: its part “%(part)s” failed. Retry it; if it "
                "fails again, tell the secretariat."
            ) % {"part": exc.part}
        else:
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
        _keep_files(report, files)
        report.pages = files.pages
        report.size = len(files.pdf)
        report.sha256 = hashlib.sha256(files.pdf).hexdigest()
        report.as_of = files.as_of
        report.state = State.READY
        report.finished_at = timezone.now()
        report.save()
        figures.invalidate()  # it now waits for each side's release (people's inboxes)
    return report


def _keep_files(report, files):
    """Store the build's files in place of any earlier ones: the PDF and the DOCX, each clean
    (served once both sides have released the report) and marked as a draft (served before)."""
    stored = [
        (report.file, "pdf", "", files.pdf),
        (report.draft_file, "pdf", "draft-", files.draft_pdf),
        (report.docx_file, "docx", "", files.docx),
        (report.draft_docx_file, "docx", "draft-", files.draft_docx),
    ]
    for field_file, extension, prefix, data in stored:
        if field_file:
            field_file.delete(save=False)
        if data is not None:
            field_file.save(prefix + report.filename_for(extension), ContentFile(data), save=False)


def sweep(now=None):
    """Settle builds that will not finish on their own, and send queued reports never sent.

    - A build past REPORT_BUILD_TIME_LIMIT is failed (it can be retried).
    - A build whose heartbeat stopped lost its worker: it is queued again, unless it has had
      REPORT_BUILD_ATTEMPTS builds already, when it is failed with the reason.
    - A queued report that never reached the workers, or whose message was lost, is sent.

    Returns (failed, resent).
    """
    now = now or timezone.now()
    limit = timedelta(seconds=settings.REPORT_BUILD_TIME_LIMIT)
    silent_since = now - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT)
    building = Report.objects.filter(state=State.BUILDING)
    failed = building.filter(started_at__lt=now - limit).update(
        state=State.FAILED,
        finished_at=now,
        error=_("The build did not finish within %(duration)s and was stopped. Retry it.")
        % {"duration": duration_text(settings.REPORT_BUILD_TIME_LIMIT)},
    )
    stalled = building.alias(last_sign=Coalesce("heartbeat_at", "started_at")).filter(
        last_sign__lt=silent_since
    )
    failed += stalled.filter(attempts__gte=settings.REPORT_BUILD_ATTEMPTS).update(
        state=State.FAILED,
        finished_at=now,
        error=ngettext(
            "The build stopped answering (its worker was lost) %(count)d time. Retry it; if it "
            "fails again, tell the secretariat.",
            "The build stopped answering (its worker was lost) %(count)d times. Retry it; if it "
            "fails again, tell the secretariat.",
            settings.REPORT_BUILD_ATTEMPTS,
        )
        % {"count": settings.REPORT_BUILD_ATTEMPTS},
    )
    for report in stalled.filter(attempts__lt=settings.REPORT_BUILD_ATTEMPTS):
        log.warning("Report %s: its build went silent; queued again", report.pk)
        _requeue(report)
    lost = Report.objects.filter(state=State.QUEUED, enqueued_at__lt=now - limit)
    lost.update(enqueued_at=None)
    resent = 0
    for report in Report.objects.filter(state=State.QUEUED, enqueued_at__isnull=True):
        try:
            resent += enqueue(report)
        except BrokerUnavailable:
            break
    return failed, resent


def _requeue(report):
    """Back to the queue; if an identical build is already pending, this one is failed."""
    try:
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(
                state=State.QUEUED, error="", enqueued_at=None, started_at=None, heartbeat_at=None
            )
    except IntegrityError:
        Report.objects.filter(pk=report.pk).update(
            state=State.FAILED,
            finished_at=timezone.now(),
            error=_("The build stopped answering; an identical report is already queued."),
        )


def retry(report, *, user):
    """Queue a failed report again. Refused, with nothing changed, while an identical report is
    queued or building: that build will give the same file."""
    already_pending = ValidationError(
        _(
            "An identical report is already queued or being built; its state shows in the "
            "list. Nothing was changed."
        )
    )
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.state != State.FAILED:
            raise ValidationError(_("Only a failed report can be retried."))
        if identical_pending(report).exists():
            raise already_pending
        try:
            with transaction.atomic():
                Report.objects.filter(pk=report.pk).update(
                    state=State.QUEUED,
                    error="",
                    enqueued_at=None,
                    started_at=None,
                    heartbeat_at=None,
                    finished_at=None,
                )
        except IntegrityError as exc:  # an identical request won at the same moment
            raise already_pending from exc
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
    stamp(report, user=user).save()
    figures.invalidate()
    return report

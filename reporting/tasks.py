"""Celery tasks: thin wrappers that take ids and call the reporting services."""

import contextlib

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from plancore.models import Plan
from reporting import services
from reporting.models import Report
from reporting.periods import Period, last_complete_quarter


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def build_report(report_id):
    services.build(report_id)


@shared_task
def sweep_reports():
    services.sweep()


def _schedule(kind, period, languages):
    for plan in Plan.objects.all():
        if period.end < plan.period_start or period.start > plan.period_end:
            continue
        for language in languages:
            # Without a broker the report is saved as queued; the sweep sends it later.
            with contextlib.suppress(services.BrokerUnavailable):
                services.request_report(
                    plan=plan,
                    kind=kind,
                    year=period.year,
                    quarter=period.quarter,
                    language=language,
                )


@shared_task
def schedule_quarterly_reports(languages=("en", "es")):
    """Run a few days after a quarter ends: the quarter just closed, in both languages."""
    _schedule(Report.Kind.QUARTERLY, last_complete_quarter(timezone.localdate()), languages)


@shared_task
def schedule_annual_review(languages=("en", "es")):
    """Run in January: the calendar year just closed, in both languages."""
    _schedule(Report.Kind.ANNUAL, Period(timezone.localdate().year - 1), languages)

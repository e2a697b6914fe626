"""Celery tasks: thin wrappers around the notification services, safe to run twice.

A mail server that is down fails the send; the task is retried with a growing delay and the
unsent Delivery rows wait for it (or for the next run).
"""

import smtplib
from datetime import date

from celery import shared_task

from notifications import services

MAIL_DOWN = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=MAIL_DOWN, retry_backoff=30, retry_backoff_max=600, max_retries=5)
def notify_events():
    services.notify_events()


@shared_task(autoretry_for=MAIL_DOWN, retry_backoff=60, retry_backoff_max=1800, max_retries=8)
def send_reminders(today=None):
    services.send_reminders(today=date.fromisoformat(today) if today else None)

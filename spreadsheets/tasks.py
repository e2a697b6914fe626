"""Celery task: a thin wrapper that saves a confirmed large import by its id."""

from celery import shared_task

from spreadsheets import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_import(sheet_id):
    services.apply_import(sheet_id=sheet_id)

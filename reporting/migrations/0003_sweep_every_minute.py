"""The sweep runs every minute, so that a build whose worker was lost is queued again soon."""

from django.db import migrations

SWEEP = "Sweep report builds"
DESCRIPTION = (
    "Every minute: queues again builds whose worker was lost (heartbeat stopped), fails builds "
    "past the time limit, sends queued reports that never reached the workers."
)


def every(apps, minutes, description):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.filter(name=SWEEP).update(interval=interval, description=description)


def forward(apps, schema_editor):
    every(apps, 1, DESCRIPTION)


def backward(apps, schema_editor):
    every(apps, 5, "Marks builds stuck past the time limit as failed; sends on queued reports.")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_schedules")]
    operations = [migrations.RunPython(forward, backward)]

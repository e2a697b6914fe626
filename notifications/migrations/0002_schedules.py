"""The notification schedules, kept by django-celery-beat and editable in the admin."""

from django.db import migrations

EVENTS = {
    "name": "Notify of events",
    "task": "notifications.tasks.notify_events",
    "description": "Every minute: updates submitted, returned and approved; reports ready for "
    "release and released; sent at once to those who want them at once.",
}
REMINDERS = {
    "name": "Send reminders and daily digests",
    "task": "notifications.tasks.send_reminders",
    "crontab": {"minute": "0", "hour": "6", "day_of_month": "*", "month_of_year": "*"},
    "description": "Every morning: milestones due or overdue, reviews waiting, actions with no "
    "update for 90 days; each person's daily digest.",
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=EVENTS["name"],
        defaults={
            "task": EVENTS["task"],
            "interval": every_minute,
            "description": EVENTS["description"],
        },
    )
    crontab, _ = CrontabSchedule.objects.get_or_create(
        **REMINDERS["crontab"], day_of_week="*", timezone="UTC"
    )
    PeriodicTask.objects.update_or_create(
        name=REMINDERS["name"],
        defaults={
            "task": REMINDERS["task"],
            "crontab": crontab,
            "description": REMINDERS["description"],
        },
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[EVENTS["name"], REMINDERS["name"]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notifications_and_preferences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]

"""The report schedules, kept in the database by django-celery-beat and editable in the admin."""

from django.db import migrations

SCHEDULES = [
    {
        "name": "Quarterly progress reports (EN, ES)",
        "task": "reporting.tasks.schedule_quarterly_reports",
        "crontab": {"minute": "0", "hour": "6", "day_of_month": "5", "month_of_year": "1,4,7,10"},
        "description": "Five days after each quarter ends, the quarter's report in both languages.",
    },
    {
        "name": "Annual review (EN, ES)",
        "task": "reporting.tasks.schedule_annual_review",
        "crontab": {"minute": "0", "hour": "6", "day_of_month": "15", "month_of_year": "1"},
        "description": "On 15 January, the review of the year just closed, in both languages.",
    },
]
SWEEP = {
    "name": "Sweep report builds",
    "task": "reporting.tasks.sweep_reports",
    "description": "Marks builds stuck past the time limit as failed; sends on queued reports.",
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for item in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **item["crontab"], day_of_week="*", timezone="UTC"
        )
        PeriodicTask.objects.update_or_create(
            name=item["name"],
            defaults={"task": item["task"], "crontab": crontab, "description": item["description"]},
        )
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP["name"],
        defaults={
            "task": SWEEP["task"],
            "interval": every_five_minutes,
            "description": SWEEP["description"],
        },
    )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s["name"] for s in SCHEDULES] + [SWEEP["name"]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]

"""Updates still waiting for review, or returned to be revised, while a newer update on the same
action is jointly approved are marked superseded, as the review service now does when it
approves; history records it."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

REASON = "Superseded by a newer jointly approved update"


def supersede(apps, schema_editor):
    ProgressUpdate = apps.get_model("actions", "ProgressUpdate")
    Historical = apps.get_model("actions", "HistoricalProgressUpdate")
    latest_approved = dict(
        ProgressUpdate.objects.filter(review_state="approved")
        .values("action_id")
        .annotate(latest=Max("submitted_at"))
        .values_list("action_id", "latest")
    )
    now = timezone.now()
    fields = [f.attname for f in ProgressUpdate._meta.concrete_fields]
    for update in ProgressUpdate.objects.filter(
        review_state__in=["submitted", "returned"], action_id__in=list(latest_approved)
    ).order_by("pk"):
        if update.submitted_at >= latest_approved[update.action_id]:
            continue
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="superseded")
        update.review_state = "superseded"
        values = {name: getattr(update, name) for name in fields}
        values["evidence_file"] = update.evidence_file.name or ""
        Historical.objects.create(
            **values,
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("actions", "0005_update_revision_and_superseded")]

    operations = [migrations.RunPython(supersede, migrations.RunPython.noop)]

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def place_actions(apps, schema_editor):
    """Every action's plan order: Chapter.order_base + position."""
    Action = apps.get_model("actions", "Action")
    Chapter = apps.get_model("plancore", "Chapter")
    base = Chapter.objects.filter(pk=OuterRef("chapter_id")).annotate(
        base=F("plan_id") * 2**32 + F("number") * 2**16
    )
    Action.objects.update(plan_order=Subquery(base.values("base")[:1]) + F("position"))


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0007_content_in_english_and_spanish"),
        ("partners", "0003_content_in_english_and_spanish"),
        ("plancore", "0003_plan_signed_at_in_english_and_spanish"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="action",
            options={
                "ordering": ["plan_order"],
                "verbose_name": "action",
                "verbose_name_plural": "actions",
            },
        ),
        migrations.AddField(
            model_name="action",
            name="plan_order",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(place_actions, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["plan_order"], name="action_plan_order"),
        ),
    ]

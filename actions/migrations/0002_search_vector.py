"""A stored search vector for each action, under a GIN index, on PostgreSQL.

Other databases keep the (empty) column but no index: they have no full-text search.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_vector"], name="action_search_vector"
)


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Action = apps.get_model("actions", "Action")
    schema_editor.add_index(Action, INDEX)
    from actions.search import search_document

    Action.objects.update(search_vector=search_document(languages=()))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("actions", "Action"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("partners", "0002_country_government_es"),
        ("plancore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="action", index=INDEX)],
            database_operations=[migrations.RunPython(create_index_and_fill, drop_index)],
        ),
    ]

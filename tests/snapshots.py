"""Data that takes seconds to load (the plan, the demo), loaded once per test run.

`Snapshot.take` runs a loader in a transaction that is rolled back and keeps the rows it added or
changed; `restore` writes those rows again in a few statements, inside the transaction of the
module or test that needs them. Tests thus see exactly what the loader writes, without paying
for its validation and history on every module.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction


def _tables():
    """Every model with a table of its own (many-to-many tables and history tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _columns(model):
    return [f for f in model._meta.concrete_fields if not f.generated]


def _values(obj, columns):
    return tuple(getattr(obj, column.attname) for column in columns)


def _contents():
    """{model: {pk: row}} for every table, each row as the model instance."""
    return {
        model: {obj.pk: obj for obj in model._base_manager.order_by("pk")} for model in _tables()
    }


@dataclass(frozen=True)
class Snapshot:
    """The rows one loader added or changed, and what it returned (for example the plan's pk)."""

    value: object
    rows: list = field(repr=False)  # [(model, [instance, ...]), ...], in table order
    replaced: list = field(repr=False)  # [(model, [pk, ...]), ...]: rows the loader changed
    media: Path | None = None

    @classmethod
    def take(cls, load, *, base=None, media=None):
        """Run `load()` on the empty test database (or on `base` restored) and keep its rows.

        `media` is the folder the loader wrote its files to; `restore` copies them.
        """
        if connection.in_atomic_block:
            raise RuntimeError("A snapshot is taken on the committed test database, not in a test.")
        with transaction.atomic():
            if base is not None:
                base.restore()
            before = _contents()
            value = load()
            rows, replaced = [], []
            for model, now in _contents().items():
                columns = _columns(model)
                then = before[model]
                if then.keys() - now.keys():
                    raise RuntimeError(f"The loader deleted rows of {model._meta.label}.")
                changed = [
                    pk
                    for pk, obj in then.items()
                    if _values(obj, columns) != _values(now[pk], columns)
                ]
                written = [obj for pk, obj in now.items() if pk not in then or pk in changed]
                if written:
                    rows.append((model, written))
                if changed:
                    replaced.append((model, changed))
            transaction.set_rollback(True)
        return cls(value=value, rows=rows, replaced=replaced, media=media)

    def restore(self, *, media_root=None):
        """Write the rows (and copy the files to `media_root`) on the state the snapshot was
        taken on. Foreign keys are checked when the transaction commits, so table order and
        rows that point at each other do not matter."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for model, pks in self.replaced:
                pk_column = quote(model._meta.pk.column)
                cursor.executemany(
                    f"DELETE FROM {quote(model._meta.db_table)} WHERE {pk_column} = %s",
                    [[model._meta.pk.get_db_prep_value(pk, connection)] for pk in pks],
                )
            for model, objs in self.rows:
                columns = _columns(model)
                cursor.executemany(
                    f"INSERT INTO {quote(model._meta.db_table)} "
                    f"({', '.join(quote(c.column) for c in columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    [
                        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
                        for obj in objs
                    ],
                )
        if media_root is not None:
            self.copy_media(media_root)
        return self.value

    def copy_media(self, media_root):
        """Copy the files the loader wrote (if any) to `media_root`."""
        if self.media is not None:
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)

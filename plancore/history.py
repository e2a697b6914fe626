"""Writes whose history rows name who made them, when and why (django-simple-history reads
these attributes off the instance when it records the change), and the read of what stood at a
moment."""


def stamp(instance, *, user, at=None, reason=None):
    instance._history_user = user
    if at is not None:
        instance._history_date = at
    if reason:
        instance._change_reason = reason
    return instance


def snapshot(model, moment, **filters):
    """Each object of `model` as it stood at `moment` (deleted ones left out), from its history
    in one query."""
    rows = model.history.filter(history_date__lte=moment, **filters).latest_of_each()
    return [row for row in rows if row.history_type != "-"]


def save_with_history(instance, *, user, at=None, reason=None):
    """Validate and save, the history row dated `at` (default: now)."""
    instance.full_clean()
    stamp(instance, user=user, at=at, reason=reason).save()
    return instance


def delete_with_history(instance, *, user, at=None, reason=None):
    stamp(instance, user=user, at=at, reason=reason).delete()

"""Writes whose history rows name who made them, when and why: django-simple-history reads
these attributes off the instance when it records the change."""


def stamp(instance, *, user, at=None, reason=None):
    instance._history_user = user
    if at is not None:
        instance._history_date = at
    if reason:
        instance._change_reason = reason
    return instance


def save_with_history(instance, *, user, at=None, reason=None):
    """Validate and save, the history row dated `at` (default: now)."""
    instance.full_clean()
    stamp(instance, user=user, at=at, reason=reason).save()
    return instance


def delete_with_history(instance, *, user, at=None, reason=None):
    stamp(instance, user=user, at=at, reason=reason).delete()

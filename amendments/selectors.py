"""Reads of amendments, each in a fixed number of queries whatever the number of amendments."""

from django.db.models import Q

from amendments.models import Amendment
from plancore import permissions


def visible_to(user, queryset=None):
    """The amendments the user may see (plancore.permissions.visible_amendments)."""
    queryset = Amendment.objects.all() if queryset is None else queryset
    return queryset.filter(permissions.visible_amendments(user))


def for_list(user, *, state=None):
    amendments = visible_to(user).for_list().order_by("-proposed_at", "-number")
    return amendments.filter(state=state) if state else amendments


def for_detail(pk):
    """One amendment with what its page shows; raises Amendment.DoesNotExist."""
    return (
        Amendment.objects.for_list()
        .prefetch_related("action__responsibilities__institution__country")
        .get(pk=pk)
    )


def of_action(user, action):
    """The amendments that touch `action` and that the user may see, oldest first."""
    amendments = list(
        visible_to(user, Amendment.objects.filter(action=action))
        .select_related("milestone")
        .prefetch_related("decisions", "responsibilities__institution")
        .order_by("number")
    )
    for amendment in amendments:
        amendment.action = action
    return amendments


def in_force(plan):
    return list(
        Amendment.objects.in_force()
        .filter(plan=plan)
        .select_related("action", "chapter", "milestone")
        .prefetch_related("responsibilities__institution")
        .order_by("number")
    )


def in_force_between(*, plan, start, moment, action_ids=None):
    """Amendments that came into force from `start` (a date) up to `moment`, for report annexes;
    `action_ids` keeps those touching the report's actions."""
    found = Amendment.objects.in_force().filter(
        plan=plan, decided_at__date__gte=start, decided_at__lte=moment
    )
    if action_ids is not None:
        found = found.filter(Q(action_id__in=list(action_ids)))
    return list(
        found.select_related("action", "chapter", "milestone")
        .prefetch_related("responsibilities__institution")
        .order_by("decided_at", "number")
    )

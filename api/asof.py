"""`?as_of=` answers: the plan as it stood at the end of a past day, as the reports read it.

The rows come from reporting.content.plan_as_of, one implementation for reports and API. They
are paged by id with a cursor of their own (the last id sent), so a page costs the same few
queries whatever the size of the plan.
"""

import base64
import binascii
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from partners.models import display_name
from plancore.models import Plan
from reporting.content import plan_as_of
from reporting.periods import end_of_day

ACTION_FIELDS = (
    "id",
    "number",
    "chapter_id",
    "short_title",
    "text",
    "status",
    "progress",
    "start_date",
    "target_date",
    "version",
)
MILESTONE_FIELDS = (
    "id",
    "action_id",
    "title",
    "start_date",
    "due_date",
    "done_on",
    "responsible_id",
    "version",
)
UPDATE_FIELDS = (
    "id",
    "action_id",
    "submitted_at",
    "status",
    "progress",
    "narrative",
    "evidence_url",
    "review_state",
    "revision",
)


def parse_day(text):
    """The day asked for, or a 400 that says what is wrong."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise exceptions.ValidationError(
            {"as_of": _("Give the date as YYYY-MM-DD, for example 2024-12-31.")}
        ) from None
    if day > timezone.localdate():
        raise exceptions.ValidationError({"as_of": _("The date cannot be in the future.")})
    if day.year < 2000:
        raise exceptions.ValidationError({"as_of": _("The date is before the plan's records.")})
    return day


def _stood(request):
    """[PlanAsOf] for the plans asked about (`plan`, else every plan), and the day."""
    day = parse_day(request.query_params.get("as_of"))
    plans = Plan.objects.order_by("pk")
    plan_id = request.query_params.get("plan")
    if plan_id:
        if not plan_id.isdigit():
            raise exceptions.ValidationError({"plan": _("Give the plan's id, a whole number.")})
        plans = plans.filter(pk=plan_id)
    return [plan_as_of(plan=plan, moment=end_of_day(day)) for plan in plans], day


def _row(row, fields):
    data = {}
    for name in fields:
        value = getattr(row, name)
        key = name.removesuffix("_id") if name != "id" else name
        data[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _after(request):
    cursor = request.query_params.get("cursor")
    if not cursor:
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("after="))
    except (ValueError, UnicodeError, binascii.Error):
        raise exceptions.ValidationError({"cursor": _("This cursor is not valid.")}) from None


def _page(request, view, rows, represent):
    """One page of `rows` (history rows) after the cursor, in order of id."""
    size = view.paginator.get_page_size(request) or 100
    after = _after(request)
    ordered = sorted((r for r in rows if r.id > after), key=lambda r: r.id)
    page = ordered[:size]
    next_url = None
    if len(ordered) > size:
        cursor = base64.urlsafe_b64encode(f"after={page[-1].id}".encode()).decode()
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", cursor)
    return Response({"next": next_url, "previous": None, "results": [represent(r) for r in page]})


def _filtered(rows, request, **params):
    """Keep rows whose attribute equals each given query parameter (ids and states)."""
    for param, attribute in params.items():
        value = request.query_params.get(param)
        if value:
            rows = [r for r in rows if str(getattr(r, attribute)) == value]
    return rows


def actions(request, view):
    stood, _day = _stood(request)
    rows = [a for s in stood for a in s.actions.values()]
    rows = _filtered(rows, request, chapter="chapter_id", status="status")
    responsibilities, milestones = {}, {}
    for s in stood:
        for r in s.responsibilities:
            responsibilities.setdefault(r.action_id, []).append(r)
        for m in s.milestones:
            milestones.setdefault(m.action_id, []).append(m)

    def represent(action):
        data = _row(action, ACTION_FIELDS)
        data["responsibilities"] = [
            {"institution": r.institution_id, "side": r.side, "role": r.role}
            for r in sorted(
                responsibilities.get(action.id, []), key=lambda r: (r.side, r.role, r.id)
            )
        ]
        data["milestones"] = [
            _row(m, MILESTONE_FIELDS)
            for m in sorted(milestones.get(action.id, []), key=lambda m: (m.due_date, m.id))
        ]
        return data

    return _page(request, view, rows, represent)


def milestones(request, view):
    stood, _day = _stood(request)
    rows = [m for s in stood for m in s.milestones]
    rows = _filtered(rows, request, action="action_id", responsible="responsible_id")
    return _page(request, view, rows, lambda m: _row(m, MILESTONE_FIELDS))


def updates(request, view):
    stood, _day = _stood(request)
    rows = [u for s in stood for u in s.updates]
    rows = _filtered(rows, request, action="action_id", review_state="review_state")
    authors = get_user_model().objects.in_bulk({u.author_id for u in rows})

    def represent(update):
        data = _row(update, UPDATE_FIELDS)
        author = authors.get(update.author_id)
        data["author"] = display_name(author) if author else ""
        return data

    return _page(request, view, rows, represent)

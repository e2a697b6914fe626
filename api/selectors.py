"""The rows the API's action answers are made of, read in a fixed number of queries."""

import json
from collections import defaultdict

from django.db import connection
from django.db.models.expressions import RawSQL
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from actions.models import Action, Milestone, Responsibility

MILESTONE_FIELDS = ("id", "start_date", "due_date", "done_on", "responsible_id", "version")
DETAILS = ("responsibilities", "milestones", "sdgs", "agreements")


def actions_for_api():
    return Action.objects.select_related("chapter")


def actions_with_details():
    """actions_for_api(); on PostgreSQL each action also brings its details (what
    `with_details` reads) as JSON arrays that the database builds in the same query, in the
    order and with the keys `with_details` gives them."""
    actions = actions_for_api()
    if connection.vendor != "postgresql":
        return actions
    return actions.annotate(
        **{f"{name}_json": RawSQL(sql, ()) for name, sql in _details_sql().items()}
    )


def _details_sql():
    quote = connection.ops.quote_name
    action = f"{quote(Action._meta.db_table)}.{quote('id')}"
    title = (
        ", ".join(f"NULLIF(m.{quote(column)}, '')" for column in _milestone_title_columns())
        + f", m.{quote(_milestone_title_columns()[0])}"
    )
    return {
        "responsibilities": (
            "SELECT COALESCE(json_agg(json_build_object("
            "'institution', r.institution_id, 'side', r.side, 'role', r.role"
            f") ORDER BY r.side, r.role, r.id), '[]')::text FROM {Responsibility._meta.db_table} r "
            f"WHERE r.action_id = {action}"
        ),
        "milestones": (
            "SELECT COALESCE(json_agg(json_build_object("
            f"'id', m.id, 'action', m.action_id, 'title', COALESCE({title}), "
            "'start_date', m.start_date, 'due_date', m.due_date, 'done_on', m.done_on, "
            "'responsible', m.responsible_id, 'version', m.version"
            f") ORDER BY m.due_date, m.id), '[]')::text FROM {Milestone._meta.db_table} m "
            f"WHERE m.action_id = {action}"
        ),
        "sdgs": (
            "SELECT COALESCE(json_agg(g.number ORDER BY g.number), '[]')::text "
            f"FROM {Action.sdgs.through._meta.db_table} s "
            f"JOIN {Action.sdgs.field.related_model._meta.db_table} g "
            "ON g.id = s.sustainabledevelopmentgoal_id "
            f"WHERE s.action_id = {action}"
        ),
        "agreements": (
            "SELECT COALESCE(json_agg(x.agreement_id ORDER BY x.agreement_id), '[]')::text "
            f"FROM {Action.agreements.through._meta.db_table} x WHERE x.action_id = {action}"
        ),
    }


def _milestone_title_columns():
    """The milestone's title columns in the order the active language reads them."""
    return [
        build_localized_fieldname("title", language)
        for language in resolution_order(get_language(), Milestone.title.fallback_languages)
    ]


def with_details(actions):
    """The actions, each with `api_details`: its responsibilities, milestones, SDG numbers and
    agreement ids as plain values, in four queries whatever their number (none for actions
    read through `actions_with_details` on PostgreSQL). Model instances and Django's
    per-object prefetch querysets took most of a page of a hundred actions' time."""
    actions = list(actions)
    if actions and all(hasattr(action, "milestones_json") for action in actions):
        for action in actions:
            action.api_details = {name: _json(getattr(action, f"{name}_json")) for name in DETAILS}
        return actions
    ids = [action.pk for action in actions]
    details = defaultdict(
        lambda: {"responsibilities": [], "milestones": [], "sdgs": [], "agreements": []}
    )
    responsibilities = (
        Responsibility.objects.filter(action_id__in=ids)
        .order_by("side", "role", "pk")
        .values_list("action_id", "institution_id", "side", "role")
    )
    for action_id, institution, side, role in responsibilities:
        details[action_id]["responsibilities"].append(
            {"institution": institution, "side": side, "role": role}
        )
    titles = _milestone_title_columns()
    milestones = (
        Milestone.objects.rewrite(False)  # the language's title and its fallbacks, named
        .filter(action_id__in=ids)
        .order_by("due_date", "pk")
        .values_list("action_id", *MILESTONE_FIELDS, *titles)
    )
    for action_id, pk, start, due, done, responsible, version, *title in milestones:
        details[action_id]["milestones"].append(
            {
                "id": pk,
                "action": action_id,
                "title": next((text for text in title if text), title[0]),
                "start_date": iso_day(start),
                "due_date": iso_day(due),
                "done_on": iso_day(done),
                "responsible": responsible,
                "version": version,
            }
        )
    goals = (
        Action.sdgs.through.objects.filter(action_id__in=ids)
        .order_by("sustainabledevelopmentgoal__number")
        .values_list("action_id", "sustainabledevelopmentgoal__number")
    )
    for action_id, number in goals:
        details[action_id]["sdgs"].append(number)
    agreements = (
        Action.agreements.through.objects.filter(action_id__in=ids)
        .order_by("agreement_id")
        .values_list("action_id", "agreement_id")
    )
    for action_id, agreement in agreements:
        details[action_id]["agreements"].append(agreement)
    for action in actions:
        action.api_details = details[action.pk]
    return actions


def iso_day(value):
    return value.isoformat() if value is not None else None


def _json(text):
    """A JSON array the database wrote as text (parsed here: the driver's JSON loader took
    twice as long as the query)."""
    return json.loads(text)

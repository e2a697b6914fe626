"""The rows the API's action answers are made of, read in a fixed number of queries."""

from collections import defaultdict

from django.db import connection
from django.db.models.expressions import RawSQL
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from actions.models import Action, Milestone, Responsibility
from plancore.models import Chapter

MILESTONE_FIELDS = ("id", "start_date", "due_date", "done_on", "responsible_id", "version")


def actions_for_api():
    return Action.objects.select_related("chapter")


def answers(actions):
    """On PostgreSQL: the actions as {"id", "answer"} rows, each answer the action's JSON as
    ActionSerializer writes it (the same keys, values and order of details), built by the
    database in one query. The list then joins the answers as they come, instead of building a
    model, parsing its details and encoding them again for each of a page's hundred actions.
    tests/api/test_serializers.py holds the two equal on every demo action in every language."""
    return actions.annotate(answer=RawSQL(_answer_sql(), ())).values("id", "answer")


def _answer_sql():
    quote = connection.ops.quote_name
    table = quote(Action._meta.db_table)
    action = f"{table}.{quote('id')}"

    def column(name):
        return f"{table}.{quote(name)}"

    def in_language(columns, prefix=""):
        """The first non-empty of a field's columns in the order the language reads them."""
        names = [f"{prefix}{quote(name)}" for name in columns]
        return f"COALESCE({', '.join(f'NULLIF({n}, {EMPTY})' for n in names)}, {names[0]})"

    fields = {
        "id": action,
        "number": column("number"),
        "plan": (
            f"(SELECT c.plan_id FROM {quote(Chapter._meta.db_table)} c "
            f"WHERE c.id = {column('chapter_id')})"
        ),
        "chapter": column("chapter_id"),
        "short_title": in_language(_columns(Action, "short_title"), f"{table}."),
        "text": in_language(_columns(Action, "text"), f"{table}."),
        "status": column("status"),
        "progress": column("progress"),
        "start_date": column("start_date"),
        "target_date": column("target_date"),
        "version": column("version"),
        "responsibilities": (
            "(SELECT COALESCE(json_agg(json_build_object("
            "'institution', r.institution_id, 'side', r.side, 'role', r.role"
            f") ORDER BY r.side, r.role, r.id), '[]') FROM {Responsibility._meta.db_table} r "
            f"WHERE r.action_id = {action})"
        ),
        "milestones": (
            "(SELECT COALESCE(json_agg(json_build_object("
            "'id', m.id, 'action', m.action_id, "
            f"'title', {in_language(_columns(Milestone, 'title'), 'm.')}, "
            "'start_date', m.start_date, 'due_date', m.due_date, 'done_on', m.done_on, "
            "'responsible', m.responsible_id, 'version', m.version"
            f") ORDER BY m.due_date, m.id), '[]') FROM {Milestone._meta.db_table} m "
            f"WHERE m.action_id = {action})"
        ),
        "sdgs": (
            "(SELECT COALESCE(json_agg(g.number ORDER BY g.number), '[]') "
            f"FROM {Action.sdgs.through._meta.db_table} s "
            f"JOIN {Action.sdgs.field.related_model._meta.db_table} g "
            "ON g.id = s.sustainabledevelopmentgoal_id "
            f"WHERE s.action_id = {action})"
        ),
        "agreements": (
            "(SELECT COALESCE(json_agg(x.agreement_id ORDER BY x.agreement_id), '[]') "
            f"FROM {Action.agreements.through._meta.db_table} x WHERE x.action_id = {action})"
        ),
    }
    pairs = ", ".join(f"'{key}', {sql}" for key, sql in fields.items())
    return f"json_build_object({pairs})::text"


EMPTY = "''"


def _columns(model, field):
    """A translated field's columns in the order the active language reads them."""
    return [
        build_localized_fieldname(field, language)
        for language in resolution_order(get_language(), getattr(model, field).fallback_languages)
    ]


def with_details(actions):
    """The actions, each with `api_details`: its responsibilities, milestones, SDG numbers and
    agreement ids as plain values, in four queries whatever their number. Model instances and
    Django's per-object prefetch querysets took most of a page of a hundred actions' time."""
    actions = list(actions)
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
    titles = _columns(Milestone, "title")
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

"""The rows the API's action answers are made of, read in a fixed number of queries."""

from collections import defaultdict

from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from actions.models import Action, Milestone, Responsibility

MILESTONE_FIELDS = ("id", "start_date", "due_date", "done_on", "responsible_id", "version")


def actions_for_api():
    return Action.objects.select_related("chapter")


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
    titles = [
        build_localized_fieldname("title", language)
        for language in resolution_order(get_language(), Milestone.title.fallback_languages)
    ]
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

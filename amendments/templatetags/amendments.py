"""The amendments shown on the action and plan pages: `{% load amendments %}`."""

from django import template

from amendments import selectors
from amendments.describing import proposed_change
from amendments.models import Amendment
from plancore import permissions
from plancore.languages import content_language

register = template.Library()
Kind = Amendment.Kind


def _signed(amendments, kind, field):
    """The wording as signed: what the first amendment of that kind replaced, in the reader's
    language (English where the Spanish was missing); "" if none changed it."""
    first = next((a for a in amendments if a.kind == kind), None)
    if first is None:
        return ""
    previous = first.previous
    return previous.get(f"{field}_{content_language()}") or previous.get(f"{field}_en", "")


@register.simple_tag(takes_context=True)
def amendments_of_action(context, action):
    """`{% amendments_of_action action as amended %}`: the action's amendments the reader may
    see, and its wording as signed, to show beside the text as amended ("as signed 9 August 2023
    / as amended on …, amendment 4"); for the includes of templates/amendments/includes/."""
    user = context["request"].user
    amendments = selectors.of_action(user, action)
    for amendment in amendments:
        amendment.change = proposed_change(amendment)
    in_force = [a for a in amendments if a.in_force]
    rewording = [a for a in in_force if a.kind in (Kind.TITLE, Kind.TEXT)]
    return {
        "action": action,
        "signed_on": action.chapter.plan.signed_on,
        "amendments": amendments,
        "last_rewording": rewording[-1] if rewording else None,
        "signed_title": _signed(rewording, Kind.TITLE, "title"),
        "signed_text": _signed(rewording, Kind.TEXT, "text"),
        "reading": content_language(),
        "may_propose": permissions.can_propose_amendment(user),
    }


@register.inclusion_tag("amendments/includes/plan_amendments.html")
def plan_amendments(plan):
    """The amendments in force of the plan, for its page."""
    amendments = selectors.in_force(plan)
    for amendment in amendments:
        amendment.change = proposed_change(amendment)
    return {"amendments": amendments}

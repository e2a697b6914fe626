"""Template tags that ask the permission predicates and show statuses consistently."""

from django import template
from django.utils.html import format_html

from partners.models import display_name
from plancore import formats, permissions

register = template.Library()


@register.simple_tag
def permission(name, user, *objects):
    """`{% permission "can_update_action" request.user action as may_update %}`"""
    if not (name.startswith(("can_", "is_")) and hasattr(permissions, name)):
        raise template.TemplateSyntaxError(f"No permission predicate named {name!r}")
    return getattr(permissions, name)(user, *objects)


@register.simple_tag
def status_badge(status, label):
    return format_html('<span class="status status-{}">{}</span>', status, label)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def percent(value):
    """`{{ action.progress|percent }}`: "37%" or "37 %", as the language writes it."""
    return formats.percent(value)


@register.filter
def person(user):
    """`{{ update.author|person }}`: the name the portal shows for a user."""
    return display_name(user)


@register.filter
def side_label(side):
    from partners.models import Side

    return Side(side).label if side in Side.values else side

"""Template tags that ask the permission predicates and show statuses consistently."""

import collections

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.translation import get_language

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


# Fragments drawn by `{% drawn_once %}`, by their values; the oldest go first beyond the limit.
DRAWN_ONCE = collections.OrderedDict()
DRAWN_ONCE_LIMIT = 1024


class DrawnOnceNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist, self.values = nodelist, values

    def render(self, context):
        key = (
            self.origin.name,
            self.token.position,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            *(value.resolve(context) for value in self.values),
        )
        drawn = DRAWN_ONCE.get(key)
        if drawn is None:
            drawn = self.nodelist.render(context)
            DRAWN_ONCE[key] = drawn
            while len(DRAWN_ONCE) > DRAWN_ONCE_LIMIT:
                DRAWN_ONCE.popitem(last=False)
        return drawn


@register.tag
def drawn_once(parser, token):
    """`{% drawn_once value … %}…{% enddrawn_once %}`: the enclosed template drawn once per
    worker process for each combination of the values (and of the active language, script
    prefix and URLconf), then given again as drawn. Only for a fragment that depends on
    nothing else: the menu, which every page draws alike for readers with the same rights and
    count of what waits for them, is one. Unlike `{% cache %}`, nothing is asked of the cache
    server; what is kept never goes stale, since addresses and translations do not change
    while a process runs."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("enddrawn_once",))
    parser.delete_first_token()
    return DrawnOnceNode(nodelist, values)

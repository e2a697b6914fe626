"""`{% needs_me_count as n %}`: the header's count of what waits for the signed-in person.

A tag rather than a context processor, so that only the pages that show it pay for it.
"""

from django import template

from inbox.selectors import needs_me_count as count_for

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_me_count(context):
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return count_for(user)

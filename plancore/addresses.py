"""reverse(), remembered.

Every page names the same addresses on every request (the menu's, the user menu's, its own
links, one per row of a table), and Django's reverse() costs about 30 µs each time: over half a
millisecond for the menu alone. An address depends only on the view's name, its arguments, the
URLconf, the script prefix and the current application, so it is kept under all of them
(arguments that are plain numbers and strings only; anything else is reversed every time).
`{% url %}` reads the same cache (plancore/templatetags/addresses.py, a template builtin).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

KEPT = 4096  # addresses, a few hundred bytes each


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None):
    """django.urls.reverse, kept for arguments that are numbers and strings."""
    args = tuple(args or ())
    kwargs = tuple(sorted((kwargs or {}).items()))
    values = args + tuple(value for _name, value in kwargs)
    if not isinstance(viewname, str) or not all(type(v) in (int, str) for v in values):
        return django_reverse(
            viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
        )
    return _reverse(
        viewname,
        args,
        kwargs,
        urlconf or get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        current_app,
    )


@lru_cache(maxsize=KEPT)
def _reverse(viewname, args, kwargs, urlconf, _script_prefix, current_app):
    return django_reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def forget():
    """Drop every kept address (for tests that change the URLconf)."""
    _reverse.cache_clear()

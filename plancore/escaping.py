"""Django's `escape` and `conditional_escape` without their lazy-string wrappers.

The forms drawn in Python (plancore.rendering, plancore.widgets) escape a few hundred values per
page, and `django.utils.html.escape`'s `keep_lazy` wrapper, which looks through every argument
for a lazy string, costs more than the escaping itself. These give the same text: Django escapes
with `html.escape(str(text))` too. They always return a string, never a lazy one, which is all
the drawing code needs, since it formats the result at once.
"""

import html

from django.utils.functional import Promise


def escape(text):
    return html.escape(str(text))


def conditional_escape(text):
    """Escape `text` unless it is already safe HTML (has `__html__`), as Django does."""
    if isinstance(text, Promise):
        text = str(text)
    to_html = getattr(text, "__html__", None)
    return to_html() if to_html is not None else html.escape(str(text))

"""Which language a content text is read in.

The plan's content is kept in English (the text signed on 9 August 2023, authoritative) and
Spanish (plancore/translation.py and its siblings). A reader whose interface is in another
language reads English; a text missing in the reader's language is read in the other one, and the
pages say so (templatetags/content.py).
"""

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

SIGNED_LANGUAGE = "en"


def content_language(language=None):
    """The language content is read in for `language` (the active language by default)."""
    code = (language or translation.get_language() or SIGNED_LANGUAGE).split("-")[0]
    if code in settings.MODELTRANSLATION_LANGUAGES:
        return code
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def reading_order():
    """The content languages in the order a text is looked for: the reader's, then the others."""
    wanted = content_language()
    return [wanted, *(code for code in settings.MODELTRANSLATION_LANGUAGES if code != wanted)]


def shown_language(obj, field):
    """The language `obj.<field>` is shown in now: the reader's, or the one it falls back to."""
    return shown_language_of(lambda code: getattr(obj, f"{field}_{code}", None))


def shown_language_of(text_in, order=None):
    """The language a text is shown in now, given `text_in(code)`, its text in each language
    (and the reading order, when the caller has it already)."""
    order = order or reading_order()
    return next((code for code in order if text_in(code)), order[0])


def fallback_mark(shown):
    """ "(English text)" after a text shown in `shown`, another language than the reader's; else
    nothing."""
    if shown == content_language():
        return ""
    label = gettext("English text") if shown == "en" else gettext("Spanish text")
    return format_html(' <span class="text-language">({})</span>', label)


def other_language(language):
    """The other of the two content languages: what a translation of `language` text is in."""
    return next(code for code in settings.MODELTRANSLATION_LANGUAGES if code != language)


def is_unofficial_translation(obj, field):
    """Whether `obj.<field>` is shown in a translation of the signed plan rather than its text."""
    return shown_language(obj, field) != SIGNED_LANGUAGE

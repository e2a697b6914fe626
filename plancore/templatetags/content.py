"""The language a content text is shown in, for `lang` attributes and the marks that say a text
is a fallback or an unofficial translation (plancore/languages.py)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from plancore import languages

register = template.Library()


@register.filter
def lang_of(obj, field):
    """`lang="{{ action|lang_of:'short_title' }}"`: the language `obj.<field>` is shown in."""
    return languages.shown_language(obj, field)


@register.filter
def is_translation_of_plan(obj, field):
    """Whether the signed text `obj.<field>` is shown in an unofficial translation."""
    return languages.is_unofficial_translation(obj, field)


@register.simple_tag
def fallback_mark(obj, field):
    """"(English text)" after a text shown in another language than the reader's, else nothing."""
    shown = languages.shown_language(obj, field)
    if shown == languages.content_language():
        return ""
    label = gettext("English text") if shown == "en" else gettext("Spanish text")
    return format_html(' <span class="text-language">({})</span>', label)


@register.inclusion_tag("plancore/includes/translation_note.html")
def unofficial_translation_note(obj, field, original_label=""):
    """Once per page of the plan's text in Spanish: the text is an unofficial translation, and
    the signed English text, shown on request."""
    return {
        "shown": languages.is_unofficial_translation(obj, field),
        "original": getattr(obj, f"{field}_{languages.SIGNED_LANGUAGE}", ""),
        "original_label": original_label,
    }


@register.simple_tag
def content_lang():
    """`lang="{% content_lang %}"`: the language the plan's content is read in on this page."""
    return languages.content_language()

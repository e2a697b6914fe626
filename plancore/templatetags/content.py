"""The language a content text is shown in, for `lang` attributes and the marks that say a text
is a fallback or an unofficial translation (plancore/languages.py)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from partners.models import display_name
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
    """ "(English text)" after a text shown in another language than the reader's, else nothing."""
    return languages.fallback_mark(languages.shown_language(obj, field))


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


WRITTEN_IN = {"en": gettext_lazy("Written in English"), "es": gettext_lazy("Written in Spanish")}
TRANSLATED_INTO = {
    "en": gettext_lazy("Translated into English by %(name)s"),
    "es": gettext_lazy("Translated into Spanish by %(name)s"),
}


@register.simple_tag
def as_read(obj, text_field, translation_field=None):
    """What a reader of the active language reads of something a person wrote (an update's
    narrative, a milestone's title): {text, lang, label}, the label saying whether it is as
    written or translated and by whom."""
    wanted = languages.content_language()
    if translation_field is None:  # a content field kept in both languages (milestone titles)
        lang = languages.shown_language(obj, text_field)
        text = getattr(obj, text_field)
        translated = lang != obj.language
    else:
        translation = getattr(obj, translation_field)
        translated = wanted != obj.language and bool(translation)
        lang = wanted if translated else obj.language
        text = translation if translated else getattr(obj, text_field)
    if translated:
        label = TRANSLATED_INTO[lang] % {"name": display_name(obj.translated_by)}
    else:
        label = WRITTEN_IN[lang]
    return {"text": text, "lang": lang, "label": label, "translated": translated}


@register.filter
def written_in(obj):
    """ "(Written in Spanish)" after something a person wrote (a review comment) in another
    language than the reader's; nothing when it is in the reader's language."""
    if obj.language == languages.content_language():
        return ""
    return format_html(' <span class="written-in">({})</span>', WRITTEN_IN[obj.language])

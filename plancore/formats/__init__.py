"""Dates, times and numbers as each language writes them: Django reads the format modules of
plancore/formats/<language>/ (FORMAT_MODULE_PATH); `percent` adds how each writes a percentage,
for the pages, the e-mails, the charts and the reports alike."""

from functools import cache

from django.utils.formats import get_format_modules, number_format
from django.utils.translation import get_language

DEFAULT_PERCENT_FORMAT = "{}%"


@cache
def _percent_format(language):
    for module in get_format_modules(language):
        if hasattr(module, "PERCENT_FORMAT"):
            return module.PERCENT_FORMAT
    return DEFAULT_PERCENT_FORMAT


def percent(value):
    """`37` → "37%" in English, "37 %" (a no-break space) in Spanish and Danish; None → "–"."""
    if value is None or value == "":
        return "–"
    number = round(float(value))
    return _percent_format(get_language()).format(number_format(number))

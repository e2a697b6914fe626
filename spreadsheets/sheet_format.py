"""The bulk-update workbook: which columns it has and how its headers and statuses are read.

Headers and status labels are written in the interface language and read back in any of the
portal's languages (or as the status codes), so a sheet exported in Spanish may be uploaded from
an English page.
"""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from actions.models import Status

ACTION_COLUMNS = [
    ("id", _("ID"), 8),
    ("number", _("Number"), 9),
    ("title", _("Short title"), 50),
    ("version", _("Version"), 9),
    ("status", _("Status"), 14),
    ("progress", _("Progress (%)"), 12),
    ("narrative", _("Narrative"), 60),
]
MILESTONE_COLUMNS = [
    ("id", _("ID"), 8),
    ("action", _("Action"), 9),
    ("title", _("Title"), 50),
    ("version", _("Version"), 9),
    ("start_date", _("Start date"), 12),
    ("due_date", _("Due date"), 12),
    ("done_on", _("Done on"), 12),
]
REQUIRED = {
    "action": {"id", "version", "status", "progress", "narrative"},
    "milestone": {"id", "version", "start_date", "due_date", "done_on"},
}


def _in_every_language(texts):
    """{text in any language, folded: value} for pairs of (value, lazy text)."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, text in texts:
                found[str(text).strip().casefold()] = value
    return found


@functools.cache
def header_keys(kind):
    columns = ACTION_COLUMNS if kind == "action" else MILESTONE_COLUMNS
    return _in_every_language([(key, label) for key, label, _width in columns])


@functools.cache
def status_codes():
    codes = _in_every_language(Status.choices)
    codes.update({value: value for value in Status.values})
    return codes


def column_label(kind, key):
    columns = ACTION_COLUMNS if kind == "action" else MILESTONE_COLUMNS
    return next(str(label) for k, label, _width in columns if k == key)

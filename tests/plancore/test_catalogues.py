"""The Spanish and Danish catalogues: every message translated (no empty or fuzzy entry), the same
messages in both, and the Spanish words of the glossary (docs/glossary.md) kept throughout."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"
LANGUAGES = ["es", "da"]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="needs GNU gettext (Debian package `gettext`)"
)


def catalogue(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def entries(language):
    """(context, msgid, [msgstr…]) for every entry but the header: just enough of the .po format
    for these tests (quoted strings, continuation lines, plural forms)."""
    found, current, field = [], None, None
    for line in catalogue(language).read_text(encoding="utf-8").splitlines() + [""]:
        keyword = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if keyword:
            name, text = keyword.groups()
            if name in ("msgctxt", "msgid") and current and current.get("_done"):
                found.append(current)
                current = None
            current = current or {}
            field = name
            current[field] = unquote(text)
            if name.startswith("msgstr"):
                current["_done"] = True
        elif line.startswith('"') and current is not None:
            current[field] += unquote(line)
        elif not line.strip() and current and current.get("_done"):
            found.append(current)
            current = None
    return [
        (e.get("msgctxt"), e["msgid"], [v for k, v in e.items() if k.startswith("msgstr")])
        for e in found
        if e["msgid"]
    ]


def unquote(text):
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    for option in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            ["msgattrib", option, "--no-obsolete", str(catalogue(language))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        msgids = re.findall(r'^msgid "(.+)"$', left, flags=re.M)
        assert not msgids, f"{language}: {option[2:]} entries: {msgids[:10]}"


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_compiles_with_its_format_strings_checked(language):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file", "/dev/null", str(catalogue(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_parser_reads_every_entry_of_the_catalogue():
    parsed = entries("es")
    assert len(parsed) > 600
    assert ("action status", "On track", ["Conforme a lo previsto"]) in parsed


def test_spanish_and_danish_translate_the_same_messages():
    spanish = {(context, msgid) for context, msgid, _ in entries("es")}
    danish = {(context, msgid) for context, msgid, _ in entries("da")}
    assert spanish == danish, (sorted(spanish - danish)[:5], sorted(danish - spanish)[:5])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_left_empty(language):
    empty = [msgid for _, msgid, strings in entries(language) if not all(strings)]
    assert not empty, empty[:10]


def test_spanish_says_informe_for_a_report_never_reporte():
    for _, msgid, strings in entries("es"):
        for text in strings:
            assert not re.search(r"\breportes?\b", text, re.I), (msgid, text)


def test_spanish_says_actualizacion_for_an_update_never_informe():
    for _, msgid, strings in entries("es"):
        if re.search(r"\bupdates?\b", msgid, re.I) and not re.search(r"\breports?\b", msgid, re.I):
            for text in strings:
                assert not re.search(r"\binformes?\b", text, re.I), (msgid, text)


def test_spanish_status_names_follow_the_glossary():
    statuses = {
        msgid: strings[0] for context, msgid, strings in entries("es") if context == "action status"
    }
    assert statuses == {
        "Not started": "Sin iniciar",
        "On track": "Conforme a lo previsto",
        "At risk": "En riesgo",
        "Delayed": "Con retraso",
        "Completed": "Concluida",
        "Ongoing": "Continua",
        "Discontinued": "Suspendida",
    }


def test_spanish_calls_each_side_a_parte():
    for _, msgid, strings in entries("es"):
        for text in strings:
            assert not re.search(r"\blados?\b", text), (msgid, text)

"""Russian is the interface's first language: every string must be translated."""

import re
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parents[2] / "src/creative_regions"
CATALOGUE = PACKAGE / "locale/ru/LC_MESSAGES/django.po"

TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
PYTHON_STRING = re.compile(r"""\b_\(\s*(["'])((?:(?!\1).)+)\1\s*\)""")


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_plural_entries_have_the_three_russian_forms():
    catalogue = polib.pofile(str(CATALOGUE))

    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_strings_in_the_code_are_in_the_catalogue():
    known = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    found: set[str] = set()
    for template in PACKAGE.rglob("templates/**/*.html"):
        # makemessages doubles a template string's "%" into the msgid "%%".
        found |= {
            match[1].replace("%", "%%")
            for match in TEMPLATE_STRING.findall(template.read_text())
        }
    for module in PACKAGE.rglob("*.py"):
        if "migrations" not in module.parts:
            found |= {match[1] for match in PYTHON_STRING.findall(module.read_text())}

    assert len(found) > 100
    missing = sorted(found - known)
    assert missing == [], f"Run `make messages` and translate: {missing}"


def test_compiled_catalogue_is_up_to_date():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = polib.pofile(str(CATALOGUE))

    # Keyed by context too: "Organisations" is a count label and, in a context of
    # its own, a heading.
    def singular(catalogue):
        return {
            (e.msgctxt, e.msgid): e.msgstr
            for e in catalogue
            if e.msgid and not e.msgid_plural
        }

    assert singular(compiled) == singular(source), "Run `make messages`."

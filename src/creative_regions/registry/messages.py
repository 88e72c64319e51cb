"""What an import says about a file or about the whole run.

A message is a template and its values: the command line prints it in English, pages
translate the template into the reader's language (``message_text``). The import runs
in worker processes that never load Django, so the templates are marked for
translation with a local ``gettext_noop``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def gettext_noop(message: str) -> str:
    return message


FILE_EMPTY = gettext_noop("The file is empty.")
NOT_XML = gettext_noop("The file is not XML.")
DTD = gettext_noop(
    "The file declares a DTD or entities (<!DOCTYPE>); register files never do, so "
    "it is refused unread."
)
WRONG_ROOT = gettext_noop(
    "The root element is <{tag}>, not <{expected}>: not a file of the {dataset}."
)
WRONG_REGISTER_TYPE = gettext_noop(
    "ТипИнф is {found}, not {expected}: this file belongs to another dataset."
)
MISSING_ELEMENT = gettext_noop(
    "The documents have no <{element}>: not a file of the {dataset}."
)
ENCODING_MISMATCH = gettext_noop(
    "The bytes do not match the declared encoding: {detail}"
)
ENCODING_UNSUPPORTED = gettext_noop("The declared encoding is not supported: {detail}")
ENTITIES = gettext_noop(
    "The file uses entities, which register files never do: {detail}"
)
MALFORMED = gettext_noop("The XML is malformed or truncated: {detail}")
NO_SUCH_FILE = gettext_noop("No such file or folder.")
NOT_XML_MEMBER = gettext_noop("Not an XML file; left out.")
NOT_A_ZIP = gettext_noop("Not a readable zip archive ({detail}).")
NEITHER_ZIP_NOR_XML = gettext_noop("Neither a .zip archive nor an .xml file.")
CORRUPT_MEMBER = gettext_noop("The archive member is corrupt ({detail}).")
COUNT_MISMATCH = gettext_noop(
    "КолДок says {declared} documents, the file has {documents}; all {documents} "
    "were read."
)
NOTHING_IMPORTED = gettext_noop("Nothing could be imported.")
TABLE_ALREADY_IMPORTED = gettext_noop(
    "The file was imported before for this snapshot; the store is unchanged."
)
TABLE_NOTHING_VALID = gettext_noop(
    "Nothing could be imported: no row of the table is valid; see the quarantine."
)

# The datasets' names, which messages quote.
SME_REGISTER = gettext_noop("SME register")
HEADCOUNT_DATASET = gettext_noop("average headcount dataset")
FINANCE_DATASET = gettext_noop("income and expenses dataset")

# Values that are themselves words of the interface, translated with the template.
TRANSLATED_VALUES = ("dataset",)


@dataclass(frozen=True)
class Message:
    template: str
    values: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return self.template.format(**dict(self.values))

    def as_json(self) -> dict[str, Any]:
        return {"template": self.template, "values": dict(self.values)}


def message(template: str, **values: Any) -> Message:
    return Message(template, tuple(values.items()))


def message_text(template: str, values: dict[str, Any] | None = None) -> str:
    """The message in the active language; English when a translation does not fit
    its values."""
    from django.utils.translation import gettext

    values = dict(values or {})
    for key in TRANSLATED_VALUES:
        if isinstance(values.get(key), str):
            values[key] = gettext(values[key])
    try:
        return gettext(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)

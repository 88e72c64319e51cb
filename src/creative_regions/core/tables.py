"""Reading tables people upload: CSV (any of the usual delimiters) or XLSX.

Every importer of spreadsheets reads them here, so a file that opens for one opens
for all, and the messages about unreadable files are the same everywhere.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook


class TableFormatError(Exception):
    """The file cannot be read as a table at all."""


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableFormatError(
            _(
                "The file is not in UTF-8 (byte %(position)s). Save it as "
                "“CSV UTF-8” and upload it again."
            )
            % {"position": error.start + 1}
        ) from error
    try:
        return list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise TableFormatError(
            _("The CSV file is malformed: %(problem)s.") % {"problem": error}
        ) from error


def _delimiter(text: str) -> str:
    """The delimiter of the header line: Excel writes ";" where the decimal mark is
    a comma (Russian settings), "," elsewhere; headers rarely hold either. Guessing
    from the data instead would stumble on quoted values."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return max((",", ";", "\t"), key=header.count)


def _read_xlsx(content: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableFormatError(
            _("The file is not a readable XLSX workbook. Save it from Excel again.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(content: bytes, *, file_name: str) -> list[list[object]]:
    """The file's rows, header first, from a ``.csv`` or ``.xlsx`` file."""
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        rows: list[list[object]] = _read_xlsx(content)
    elif lower.endswith(".csv"):
        rows = list(_read_csv(content))
    else:
        raise TableFormatError(
            _("Upload a .csv or .xlsx file; “%(name)s” is neither.")
            % {"name": file_name}
        )
    # Trailing empty rows are what spreadsheets leave behind, not data.
    while rows and all(blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise TableFormatError(_("The file is empty."))
    return rows


def blank(cell: object) -> bool:
    return cell is None or str(cell).strip() == ""

"""XLSX exports of lists: one helper, so every list exports the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    capitalise_headers: bool = True,
) -> bytes:
    """An XLSX workbook with a bold, frozen header row and columns sized to fit;
    machine-readable tables keep their column names as they are."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(
        [capfirst(str(header)) if capitalise_headers else header for header in headers]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            # Whole numbers with thousands grouped, as in the tables on screen.
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(str(value or "")))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """An XLSX download (see ``xlsx_bytes``)."""
    content = xlsx_bytes(sheet_title=sheet_title, headers=headers, rows=rows)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

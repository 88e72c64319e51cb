"""The headcount (sshr2019) and income/expenses (revexp) datasets of the tax
service: same file skeleton as the register (``Файл/Документ/СведНП``), parsed by
the same streaming, hardened parser, one row per legal entity and year.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial

from lxml import etree

from creative_regions.registry import messages
from creative_regions.registry.identifiers import is_valid_inn
from creative_regions.registry.parsers import (
    Columns,
    QuarantinedRecord,
    Reason,
    XmlFormat,
    parse_date,
)
from creative_regions.registry.schema import FINANCE_SCHEMA, HEADCOUNT_SCHEMA

HUNDREDTHS = Decimal("0.01")

# Reads a dataset's figures from its element; ValueError(message) when unreadable.
FigureReader = Callable[[etree._Element], dict[str, object]]


def _parse_taxpayer_document(
    element: etree._Element,
    file_name: str,
    columns: Columns,
    quarantine: list[QuarantinedRecord],
    *,
    detail_element: str,
    read_figures: FigureReader,
) -> None:
    """One ``Документ``: the taxpayer (INN, name), the date and the dataset's
    figures, or the quarantine with the reason."""
    document_id = element.get("ИдДок") or ""
    inn = name = detail = None
    for child in element:
        if child.tag == "СведНП":
            inn, name = child.get("ИННЮЛ"), child.get("НаимОрг")
        elif child.tag == detail_element:
            detail = child

    def reject(reason: str, text: str) -> None:
        quarantine.append(
            QuarantinedRecord(file_name, document_id, inn or "", reason, text)
        )

    if not inn:
        return reject(Reason.MISSING_INN, "The INN is missing.")
    if not is_valid_inn(inn):
        return reject(Reason.INVALID_INN, f"INN {inn} fails its checksum or length.")
    try:
        snapshot_date = parse_date(element.get("ДатаСост"))
    except ValueError:
        return reject(Reason.BAD_DATE, f"ДатаСост is {element.get('ДатаСост')!r}.")
    if detail is None:
        return reject(Reason.BAD_NUMBER, f"The document has no {detail_element}.")
    try:
        figures = read_figures(detail)
    except ValueError as error:
        return reject(Reason.BAD_NUMBER, str(error))
    row = {
        "snapshot_date": snapshot_date,
        "inn": inn,
        "name": name,
        **figures,
        "document_id": document_id,
        "source_file": file_name,
    }
    for column, value in row.items():
        columns.data[column].append(value)
    return None


def _headcount(detail: etree._Element) -> dict[str, object]:
    value = detail.get("КолРаб")
    if value is None or not value.isdigit():
        raise ValueError(f"КолРаб is {value!r}, not a whole number.")
    return {"employees": int(value)}


def _money(value: str | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidOperation(value)
    return amount.quantize(HUNDREDTHS)


def _finance(detail: etree._Element) -> dict[str, object]:
    income, expenses = detail.get("СумДоход"), detail.get("СумРасход")
    try:
        return {"income": _money(income), "expenses": _money(expenses)}
    except InvalidOperation as error:
        raise ValueError(
            f"СумДоход {income!r} or СумРасход {expenses!r} is not an amount."
        ) from error


HEADCOUNT = XmlFormat(
    name=messages.HEADCOUNT_DATASET,
    register_type="ОТКРДАННЫЕ3",
    required_element="СведССЧР",
    schema=HEADCOUNT_SCHEMA,
    parse_document=partial(
        _parse_taxpayer_document, detail_element="СведССЧР", read_figures=_headcount
    ),
)

# The revexp files' ТипИнф is not documented; the element names identify them.
FINANCE = XmlFormat(
    name=messages.FINANCE_DATASET,
    register_type=None,
    required_element="СведДохРасх",
    schema=FINANCE_SCHEMA,
    parse_document=partial(
        _parse_taxpayer_document, detail_element="СведДохРасх", read_figures=_finance
    ),
)

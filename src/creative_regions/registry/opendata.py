"""The headcount (sshr2019) and income/expenses (revexp) datasets of the tax
service: same file skeleton as the register (``Файл/Документ/СведНП``), parsed by
the same streaming, hardened parser, one row per legal entity and year.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

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


def _taxpayer(
    element: etree._Element,
    file_name: str,
    quarantine: list[QuarantinedRecord],
    detail_element: str,
) -> tuple[str, str, str | None, date, etree._Element] | None:
    """The common part: document id, INN, name, date and the dataset's element;
    ``None`` when the record went to the quarantine."""
    document_id = element.get("ИдДок") or ""
    inn = name = None
    detail = None
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
    return document_id, inn, name, snapshot_date, detail


def _parse_headcount_document(
    element: etree._Element,
    file_name: str,
    columns: Columns,
    quarantine: list[QuarantinedRecord],
) -> None:
    common = _taxpayer(element, file_name, quarantine, "СведССЧР")
    if common is None:
        return
    document_id, inn, name, snapshot_date, detail = common
    value = detail.get("КолРаб")
    if value is None or not value.isdigit():
        quarantine.append(
            QuarantinedRecord(
                file_name,
                document_id,
                inn,
                Reason.BAD_NUMBER,
                f"КолРаб is {value!r}, not a whole number.",
            )
        )
        return
    data = columns.data
    data["snapshot_date"].append(snapshot_date)
    data["inn"].append(inn)
    data["name"].append(name)
    data["employees"].append(int(value))
    data["document_id"].append(document_id)
    data["source_file"].append(file_name)


def _money(value: str | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidOperation(value)
    return amount.quantize(HUNDREDTHS)


def _parse_finance_document(
    element: etree._Element,
    file_name: str,
    columns: Columns,
    quarantine: list[QuarantinedRecord],
) -> None:
    common = _taxpayer(element, file_name, quarantine, "СведДохРасх")
    if common is None:
        return
    document_id, inn, name, snapshot_date, detail = common
    try:
        income = _money(detail.get("СумДоход"))
        expenses = _money(detail.get("СумРасход"))
    except InvalidOperation:
        quarantine.append(
            QuarantinedRecord(
                file_name,
                document_id,
                inn,
                Reason.BAD_NUMBER,
                f"СумДоход {detail.get('СумДоход')!r} or СумРасход "
                f"{detail.get('СумРасход')!r} is not an amount.",
            )
        )
        return
    data = columns.data
    data["snapshot_date"].append(snapshot_date)
    data["inn"].append(inn)
    data["name"].append(name)
    data["income"].append(income)
    data["expenses"].append(expenses)
    data["document_id"].append(document_id)
    data["source_file"].append(file_name)


HEADCOUNT = XmlFormat(
    name="average headcount dataset",
    register_type="ОТКРДАННЫЕ3",
    required_element="СведССЧР",
    schema=HEADCOUNT_SCHEMA,
    parse_document=_parse_headcount_document,
)

# The revexp files' ТипИнф is not documented; the element names identify them.
FINANCE = XmlFormat(
    name="income and expenses dataset",
    register_type=None,
    required_element="СведДохРасх",
    schema=FINANCE_SCHEMA,
    parse_document=_parse_finance_document,
)

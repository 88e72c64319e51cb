"""Streaming parser of the tax service's SME register XML (dataset 7707329152-rsmp).

One file at a time, with lxml ``iterparse``: memory holds one ``Документ`` and a
batch of finished rows, whatever the file's size. Nothing from the file is trusted:
DTDs and entity declarations are refused before any expansion, network access is
off, and every record is validated; a record that fails goes to the quarantine with
its reason instead of the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import IO

import pyarrow as pa
from lxml import etree

from creative_regions.registry import messages
from creative_regions.registry.messages import Message, message

ROOT_TAG = "Файл"
DOCUMENT_TAG = "Документ"
REGISTER_TYPE = "РЕЕСТРМСП"
BATCH_ROWS = 20_000


class Reason:
    """Why a record was quarantined: stable codes, explained to users in the UI."""

    MISSING_INN = "missing_inn"
    INVALID_INN = "invalid_inn"
    MISSING_REGION = "missing_region"
    INVALID_REGION = "invalid_region"
    BAD_DATE = "bad_date"
    BAD_KIND = "bad_kind"
    BAD_NUMBER = "bad_number"
    NO_SUBJECT = "no_subject"


@dataclass(frozen=True)
class QuarantinedRecord:
    file_name: str
    document_id: str
    inn: str
    reason: str
    detail: str


class FileRejected(Exception):
    """The whole file cannot be read; ``text`` says why, for the user."""

    def __init__(self, template: str, **values: object) -> None:
        self.text: Message = message(template, **values)
        self.message = str(self.text)
        super().__init__(self.message)


@dataclass
class FileParse:
    """What one XML file gave: batches of rows, quarantined records and counts."""

    file_name: str
    declared_count: int | None = None
    document_count: int = 0
    quarantined: list[QuarantinedRecord] = field(default_factory=list)
    sha256: str = ""
    size: int = 0

    @property
    def count_mismatch(self) -> bool:
        return self.declared_count is not None and (
            self.declared_count != self.document_count
        )


class HashingReader:
    """Reads a binary stream and hashes and counts what passes through."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.hash.update(chunk)
        self.size += len(chunk)
        return chunk


@lru_cache(maxsize=65_536)
def parse_date(value: str | None) -> date | None:
    """``DD.MM.YYYY`` → date; raises ValueError on anything else. Cached: a register
    holds a few thousand distinct dates among millions of records."""
    if value is None:
        raise ValueError("missing")
    day, month, year = value.split(".")
    if len(day) != 2 or len(month) != 2 or len(year) != 4:
        raise ValueError(value)
    return date(int(year), int(month), int(day))


class Columns:
    """Column lists of the rows parsed so far, flushed to Arrow in batches."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.data: dict[str, list] = {name: [] for name in schema.names}

    def __len__(self) -> int:
        return len(self.data["inn"])

    def to_table(self) -> pa.Table:
        table = pa.table(self.data, schema=self.schema)
        self.data = {name: [] for name in self.schema.names}
        return table


DocumentParser = Callable[[etree._Element, str, Columns, list[QuarantinedRecord]], None]


@dataclass(frozen=True)
class XmlFormat:
    """One dataset of the tax service's open data: what its files declare, the
    columns it yields and how one ``Документ`` becomes a row."""

    name: str
    register_type: str | None
    schema: pa.Schema
    parse_document: DocumentParser
    # An element every document of the dataset has: tells it from its siblings.
    required_element: str | None = None


def _check_root(
    root: etree._Element | None, parse: FileParse, xml_format: XmlFormat
) -> None:
    if root is None:
        raise FileRejected(messages.FILE_EMPTY)
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise FileRejected(messages.DTD)
    if root.tag != ROOT_TAG:
        raise FileRejected(
            messages.WRONG_ROOT,
            tag=root.tag,
            expected=ROOT_TAG,
            dataset=xml_format.name,
        )
    register_type = root.get("ТипИнф")
    expected = xml_format.register_type
    if register_type is not None and expected is not None and register_type != expected:
        raise FileRejected(
            messages.WRONG_REGISTER_TYPE,
            found=repr(register_type),
            expected=repr(expected),
        )
    declared = root.get("КолДок")
    parse.declared_count = int(declared) if declared and declared.isdigit() else None


def _check_first_document(element: etree._Element, xml_format: XmlFormat) -> None:
    required = xml_format.required_element
    if required is not None and element.find(required) is None:
        raise FileRejected(
            messages.MISSING_ELEMENT, element=required, dataset=xml_format.name
        )


def iter_document_batches(
    stream: IO[bytes], *, file_name: str, parse: FileParse, xml_format: XmlFormat
) -> Iterator[pa.Table]:
    """Parses one open-data XML file, yielding Arrow tables of valid records.

    Fills ``parse`` with the counts, the quarantine and the checksum as it goes;
    raises ``FileRejected`` when the file as a whole is unusable (not XML, wrong root,
    DTD, truncated, wrong encoding).
    """
    reader = HashingReader(stream)
    # Only the ends of documents come back to Python: the rest stays in C.
    context = etree.iterparse(
        reader,
        events=("end",),
        tag=DOCUMENT_TAG,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    columns = Columns(xml_format.schema)
    quarantine = parse.quarantined
    parse_document = xml_format.parse_document
    checked = False
    try:
        for _event, element in context:
            if not checked:
                _check_root(element.getroottree().getroot(), parse, xml_format)
                _check_first_document(element, xml_format)
                checked = True
            parse.document_count += 1
            parse_document(element, file_name, columns, quarantine)
            element.clear(keep_tail=False)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
            if len(columns) >= BATCH_ROWS:
                yield columns.to_table()
    except etree.XMLSyntaxError as error:
        template, detail = _syntax_message(error, reader.size)
        raise FileRejected(template, detail=detail) from error
    if not checked:
        # A well-formed file without documents: still check what it is.
        _check_root(context.root, parse, xml_format)
    if len(columns):
        yield columns.to_table()
    parse.sha256 = reader.hash.hexdigest()
    parse.size = reader.size


def _syntax_message(error: etree.XMLSyntaxError, size: int) -> tuple[str, str]:
    """The message template for libxml2's complaint, and the complaint itself."""
    text = str(error.msg or error)
    if size == 0:
        return messages.FILE_EMPTY, text
    if "Document is empty" in text or "Start tag expected" in text:
        return messages.NOT_XML, text
    if "not proper UTF-8" in text or "encoding" in text.lower():
        return messages.ENCODING_MISMATCH, text
    if "Entity" in text or "entity" in text:
        return messages.ENTITIES, text
    return messages.MALFORMED, text


def iter_register_batches(
    stream: IO[bytes], *, file_name: str, parse: FileParse
) -> Iterator[pa.Table]:
    """Parses one SME register file: the same contract as ``iter_document_batches``
    (batches of valid rows; counts, quarantine and checksum in ``parse``;
    ``FileRejected`` for an unusable file), read by the compiled reader in
    ``_register_xml`` because the register is read by the million."""
    from creative_regions.registry import _register_xml

    return _register_xml.iter_register_batches(
        stream, file_name=file_name, parse=parse, batch_rows=BATCH_ROWS
    )

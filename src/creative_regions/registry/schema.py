"""The columns of the register store: one Arrow schema, shared by every importer,
the synthetic generator and research.

Bump ``SCHEMA_VERSION`` whenever a column changes; the manifest records it so a
store written by an older version is recognised.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1

SOURCE_FNS_RSMP = "fns-rsmp"
SOURCE_FNS_HEADCOUNT = "fns-sshr"
SOURCE_FNS_FINANCE = "fns-revexp"

KINDS = {"1": "legal_entity", "2": "sole_trader", "3": "farm_head"}
CATEGORIES = {"1": "micro", "2": "small", "3": "medium"}

RECORD_SCHEMA = pa.schema(
    [
        pa.field("snapshot_date", pa.date32(), nullable=False),
        pa.field("inn", pa.string(), nullable=False),
        pa.field("ogrn", pa.string()),
        pa.field("is_ogrn_valid", pa.bool_()),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("category", pa.string()),
        pa.field("name", pa.string()),
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("district", pa.string()),
        pa.field("city", pa.string()),
        pa.field("settlement", pa.string()),
        pa.field("okved_main", pa.string()),
        pa.field("is_okved_from_reports", pa.bool_()),
        pa.field("okved_version", pa.string()),
        pa.field("okved_extra", pa.list_(pa.string())),
        pa.field("employees", pa.int32()),
        pa.field("included_date", pa.date32()),
        pa.field("is_new", pa.bool_()),
        pa.field("is_social_enterprise", pa.bool_()),
        pa.field("document_id", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)
COLUMNS = tuple(RECORD_SCHEMA.names)

# Average headcount of legal entities (dataset 7707329152-sshr2019), one row per INN
# and reporting year; snapshot_date is the year's end (ДатаСост = 31.12.YYYY).
HEADCOUNT_SCHEMA = pa.schema(
    [
        pa.field("snapshot_date", pa.date32(), nullable=False),
        pa.field("inn", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("employees", pa.int32(), nullable=False),
        pa.field("document_id", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)

# Income and expenses of legal entities from their accounts (7707329152-revexp), in
# roubles with kopecks; income is total income, not revenue.
FINANCE_SCHEMA = pa.schema(
    [
        pa.field("snapshot_date", pa.date32(), nullable=False),
        pa.field("inn", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("income", pa.decimal128(20, 2)),
        pa.field("expenses", pa.decimal128(20, 2)),
        pa.field("document_id", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)

SCHEMAS = {
    SOURCE_FNS_RSMP: RECORD_SCHEMA,
    SOURCE_FNS_HEADCOUNT: HEADCOUNT_SCHEMA,
    SOURCE_FNS_FINANCE: FINANCE_SCHEMA,
}


def schema_for(source: str) -> pa.Schema:
    """The schema of a source: its own for the tax datasets, the register's for
    registers from elsewhere (regional lists share the register's columns)."""
    return SCHEMAS.get(source, RECORD_SCHEMA)

"""The tax service's open datasets the store can import, by the name the command
line and the web use."""

from __future__ import annotations

from dataclasses import dataclass

from creative_regions.registry.opendata import FINANCE, HEADCOUNT
from creative_regions.registry.parsers import SME_REGISTER, XmlFormat
from creative_regions.registry.schema import (
    SOURCE_FNS_FINANCE,
    SOURCE_FNS_HEADCOUNT,
    SOURCE_FNS_RSMP,
)


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    xml_format: XmlFormat


DATASETS = {
    "rsmp": Dataset("rsmp", SOURCE_FNS_RSMP, SME_REGISTER),
    "sshr": Dataset("sshr", SOURCE_FNS_HEADCOUNT, HEADCOUNT),
    "revexp": Dataset("revexp", SOURCE_FNS_FINANCE, FINANCE),
}

"""The tax service's open datasets the store can import, by the name the command
line and the web use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import IO

import pyarrow as pa

from creative_regions.registry.opendata import FINANCE, HEADCOUNT
from creative_regions.registry.parsers import (
    FileParse,
    iter_document_batches,
    iter_register_batches,
)
from creative_regions.registry.schema import (
    SOURCE_FNS_FINANCE,
    SOURCE_FNS_HEADCOUNT,
    SOURCE_FNS_RSMP,
)

# Reads one XML file of a dataset: (stream, *, file_name, parse) → Arrow batches.
BatchReader = Callable[..., Iterator[pa.Table]]


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    read_batches: BatchReader

    def iter_batches(
        self, stream: IO[bytes], *, file_name: str, parse: FileParse
    ) -> Iterator[pa.Table]:
        return self.read_batches(stream, file_name=file_name, parse=parse)


DATASETS = {
    "rsmp": Dataset("rsmp", SOURCE_FNS_RSMP, iter_register_batches),
    "sshr": Dataset(
        "sshr",
        SOURCE_FNS_HEADCOUNT,
        partial(iter_document_batches, xml_format=HEADCOUNT),
    ),
    "revexp": Dataset(
        "revexp", SOURCE_FNS_FINANCE, partial(iter_document_batches, xml_format=FINANCE)
    ),
}

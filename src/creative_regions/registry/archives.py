"""Reading members of the register's zip archives.

zipfile finds the members; their deflated bytes are inflated by zlib-ng, which does
it about four times faster than the zlib behind zipfile — a quarter of the time of
an import went there. The checks are zipfile's: the local header, the length, the
CRC-32; memory holds one chunk whatever the member's size.
"""

from __future__ import annotations

import struct
import zipfile
from typing import IO

from zlib_ng import zlib_ng

READ_BYTES = 1 << 20
LOCAL_HEADER = struct.Struct("<4s22xHH")
LOCAL_HEADER_MAGIC = b"PK\x03\x04"

# What a damaged member raises, here or in zipfile.
CORRUPT_MEMBER_ERRORS = (zipfile.BadZipFile, zlib_ng.error, EOFError)


class InflatingMember:
    """A deflated member as a binary stream with ``read(size)``."""

    def __init__(self, file: IO[bytes], info: zipfile.ZipInfo) -> None:
        file.seek(info.header_offset)
        header = file.read(LOCAL_HEADER.size)
        if len(header) != LOCAL_HEADER.size:
            raise zipfile.BadZipFile("The member's header is cut off.")
        magic, name_length, extra_length = LOCAL_HEADER.unpack(header)
        if magic != LOCAL_HEADER_MAGIC:
            raise zipfile.BadZipFile("Bad magic number for file header.")
        file.seek(name_length + extra_length, 1)
        self._file = file
        self._info = info
        self._remaining = info.compress_size
        self._inflater = zlib_ng.decompressobj(-15)
        self._crc = 0
        self._size = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(READ_BYTES), b""))
        while True:
            source = self._inflater.unconsumed_tail
            if not source and self._remaining > 0:
                source = self._file.read(min(self._remaining, READ_BYTES))
                if not source:
                    raise EOFError("The member's compressed data ends early.")
                self._remaining -= len(source)
            if source:
                data = self._inflater.decompress(source, size)
            else:
                # All input is in, but the inflater may hold output (and the end of
                # the stream) it had no room for.
                data = self._inflater.decompress(b"", size)
                if not data:
                    self._check_complete()
                    return b""
            if data:
                self._crc = zlib_ng.crc32(data, self._crc)
                self._size += len(data)
                return data

    def _check_complete(self) -> None:
        if not self._inflater.eof:
            raise EOFError("The member's compressed data ends early.")
        if self._size != self._info.file_size:
            raise zipfile.BadZipFile(
                f"The member holds {self._size} bytes, its header says "
                f"{self._info.file_size}."
            )
        if self._crc != self._info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._info.filename!r}.")


def is_plainly_deflated(info: zipfile.ZipInfo) -> bool:
    """Deflated and not encrypted: the members ``InflatingMember`` reads; anything
    else is left to zipfile."""
    return info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1

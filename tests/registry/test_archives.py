import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_regions.registry.archives import (
    CORRUPT_MEMBER_ERRORS,
    InflatingMember,
    is_plainly_deflated,
)


def zipped(content: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("member.xml", content)
    return buffer.getvalue()


def read_all(data: bytes, size: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("member.xml")
    member = InflatingMember(io.BytesIO(data), info)
    parts = []
    while chunk := member.read(size):
        assert len(chunk) <= size
        parts.append(chunk)
    return b"".join(parts)


@settings(max_examples=60)
@given(
    content=st.binary(max_size=5_000) | st.text(max_size=3_000).map(str.encode),
    size=st.integers(min_value=1, max_value=70_000),
)
def test_a_member_reads_back_exactly_whatever_the_read_size(content, size):
    assert read_all(zipped(content), size) == content


def test_a_wrong_crc_is_refused():
    content = "<Файл/>".encode() * 1000
    data = bytearray(zipped(content))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("member.xml")
    info.CRC ^= 1

    member = InflatingMember(io.BytesIO(bytes(data)), info)
    with pytest.raises(zipfile.BadZipFile, match=r"Bad CRC-32 for file 'member\.xml'"):
        member.read()


def test_a_member_cut_short_is_refused():
    content = bytes(range(256)) * 400
    data = zipped(content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("member.xml")
    end = info.header_offset + 30 + len("member.xml") + info.compress_size // 2

    member = InflatingMember(io.BytesIO(data[:end]), info)
    with pytest.raises(CORRUPT_MEMBER_ERRORS, match="ends early"):
        member.read()


def test_a_wrong_local_header_is_refused():
    data = bytearray(zipped(b"<x/>"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("member.xml")
    data[0:4] = b"JUNK"

    with pytest.raises(zipfile.BadZipFile, match="Bad magic number"):
        InflatingMember(io.BytesIO(bytes(data)), info)


def test_stored_and_other_members_are_left_to_zipfile():
    stored = zipfile.ZipFile(io.BytesIO(zipped(b"<x/>", zipfile.ZIP_STORED)))
    bzipped = zipfile.ZipFile(io.BytesIO(zipped(b"<x/>", zipfile.ZIP_BZIP2)))
    deflated = zipfile.ZipFile(io.BytesIO(zipped(b"<x/>")))

    assert [
        is_plainly_deflated(archive.getinfo("member.xml"))
        for archive in (stored, bzipped, deflated)
    ] == [False, False, True]

"""A minimal, deterministic ZIP writer that accepts members already compressed.

The DOCX parts that never change within a run (styles, theme, numbering, header, footer, logo) are
deflated once and their bytes reused for every document; only the body is compressed per document.
Python's ``zipfile`` cannot take pre-compressed data, and it stamps the current time; this writer
stamps 1980-01-01 so the same inputs give the same bytes on every machine.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DEFLATE = 8
_VERSION = 20


@dataclass(frozen=True)
class Member:
    name: str
    crc: int
    size: int
    data: bytes
    """The raw deflate stream."""


def deflate(name: str, content: bytes, level: int = 6) -> Member:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = packer.compress(content) + packer.flush()
    return Member(name, zlib.crc32(content) & 0xFFFFFFFF, len(content), data)


def build_zip(members: Iterable[Member]) -> bytes:
    """Local headers, data, then the central directory, in the order given."""
    return Shared.of(()).build(members)


@dataclass(frozen=True)
class Shared:
    """Members that open every file of a run, laid out once: their local headers and data are the
    same first bytes of each file, and their central directory entries (at the same offsets) the same
    bytes too. A document then packs only its own members (a batch makes thousands)."""

    head: bytes
    central: bytes
    count: int

    @classmethod
    def of(cls, members: Iterable[Member]) -> Shared:
        head, central = bytearray(), bytearray()
        count = 0
        for m in members:
            _add(head, central, m)
            count += 1
        return cls(bytes(head), bytes(central), count)

    def build(self, members: Iterable[Member]) -> bytes:
        """A whole zip: the shared members, then ``members``."""
        body = bytearray(self.head)
        central = bytearray(self.central)
        count = self.count
        for m in members:
            _add(body, central, m)
            count += 1
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
        return bytes(body + central + end)


def _add(body: bytearray, central: bytearray, m: Member) -> None:
    name = m.name.encode("utf-8")
    offset = len(body)
    # version needed, flags (UTF-8 names), method, time, date, CRC, sizes, name length: in both headers
    shared = (_VERSION, 0x0800, _DEFLATE, _DOS_TIME, _DOS_DATE, m.crc, len(m.data), m.size, len(name))
    body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *shared, 0)
    body += name
    body += m.data
    # version made by, the shared fields, then extra, comment, disk, attributes, the local header's offset
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, *shared, 0, 0, 0, 0, 0, offset)
    central += name

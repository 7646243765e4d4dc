"""The limits hrdocs holds its inputs to: each one here, with its value and why.

A limit turns an input that would exhaust memory or time (a 9 MB Word file that unpacks to 2 GiB, a
10 MB "name" in a spreadsheet cell) into one clear error that names the file and says what to do,
before any work is spent on it. The values are generous for any real document: each says what real
documents measure, and how far above that the limit sits.

Word files (``.docx`` templates, the reference document of ``brand.reference_docx``, a document given
to ``hrdocs lint``) are zip packages. :func:`open_package` refuses one from its central directory
alone, before anything is unpacked: the total unpacked size, the compression ratio of each large part,
the number of parts, part names that leave the package (``../``), encryption and compression methods
Word never writes. The directory may lie, so :func:`read_member` also stops unpacking a part at its
declared size. Sizes are in megabytes of 1,000,000 bytes, as Word and the file managers show them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hrdocs.errors import HrdocsError

MB = 1_000_000

# ------------------------------------------------------------------------------------ Word packages
PACKAGE_MAX_BYTES = 50 * MB
"""The most a Word package may unpack to, all parts together (and the most its file may weigh).
A letter template with a logo is well under 1 MB, a reference document with a few pictures a few MB;
every letter made from a template carries all of it, so ten thousand letters of a 50 MB template are
already 500 GB."""

PACKAGE_MAX_RATIO = 100
"""The most a part over :data:`PACKAGE_RATIO_FROM` may be compressed, unpacked size to packed size.
Word's XML parts pack 2 to 20 times, pictures not at all; deflate cannot pack better than about
1,000:1, which is what a zip bomb does."""

PACKAGE_RATIO_FROM = 1 * MB
"""Parts smaller than this unpack to little whatever their ratio (a short run of blank XML packs 200:1)."""

PACKAGE_MAX_MEMBERS = 1_000
"""The most parts a Word package may have: Word writes 10 to 40, plus one per picture."""

PACKAGE_MAX_DIRECTORY = 1 * MB
"""The most bytes its central directory (the list of parts) may take: 1,000 entries of about 100
bytes are 0.1 MB. Checked from the end record, before Python's zipfile reads every entry."""

_WORD_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
"""The compression methods of Word's packages (ECMA-376 Part 2, Open Packaging Conventions, allows
only these); bzip2 and lzma would unpack without the chunk bound :func:`read_member` relies on."""

_CHUNK = 64 * 1024

# ---------------------------------------------------------------------------------------- values
ONE_LINE_MAX_CHARS = 1_000
"""The longest one-line value (a name, a title, an e-mail address, a role, one address line): the
longest names in civil registers are under 200 characters, an e-mail address at most 254 (RFC 5321).
A longer cell is a column that slipped or a paste gone wrong."""

MANY_LINES_MAX_CHARS = 20_000
"""The longest multi-line value (a note, a paragraph of a letter, a list of items), about eight pages
of text: a letter's whole body is a few thousand characters."""


def too_long(length: int, limit: int) -> str:
    """Why a value of ``length`` characters is refused (its text is never shown: it may be personal)."""
    kind = "one-line" if limit == ONE_LINE_MAX_CHARS else "multi-line"
    return (
        f"is {length:,} characters long; a {kind} value may have at most {limit:,} "
        "(a column that slipped, or text pasted twice?)"
    )


class PackageRefused(HrdocsError):
    """A Word package is refused before (or while) it is unpacked; names the file and the fix."""

    def __init__(self, shown: str, problem: str, hint: str) -> None:
        self.shown, self.problem = shown, problem
        super().__init__(f"{shown}: {problem}", hint=hint)


_RESAVE = "open it in Word and save it again as a .docx"
_PICTURES = (
    "its pictures are probably too large: in Word, select a picture, choose Picture Format > Compress "
    "Pictures (Web, 150 ppi), and save it again"
)


def size_text(size: int) -> str:
    """``2147483648`` -> ``2.1 GB``; ``52428800`` -> ``52.4 MB``; ``4096`` -> ``4.1 KB``."""
    for unit, step in (("GB", MB * 1000), ("MB", MB), ("KB", 1000)):
        if size >= step:
            return f"{size / step:,.1f} {unit}"
    return f"{size} bytes"


def open_package(path: Path, shown: str | None = None) -> zipfile.ZipFile:
    """The Word package at ``path``, read into memory, its directory checked against the limits.

    Raises :class:`OSError` (unreadable) and :class:`zipfile.BadZipFile` (not a zip) for the caller
    to word, and :class:`PackageRefused` for a package over a limit; nothing is unpacked yet."""
    shown = shown or str(path)
    data = _load(path, shown)
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        check_directory(archive.infolist(), shown)
    except PackageRefused:
        archive.close()
        raise
    return archive


def check_package(path: Path, shown: str | None = None) -> None:
    """Check the Word package at ``path`` against the limits from its directory alone (cheap: only
    its end and its directory are read), e.g. when the settings that name it are loaded."""
    shown = shown or str(path)
    _check_file_size(path, shown)
    with path.open("rb") as stream:
        _check_end_record(stream, shown)
        with zipfile.ZipFile(stream) as archive:
            check_directory(archive.infolist(), shown)


def read_package(path: Path, shown: str | None = None) -> io.BytesIO:
    """The Word package at ``path`` made again from its parts as :func:`read_member` unpacks them
    (stored, not packed again: nothing to spend): for a reader that unpacks parts whole in one call
    (python-docx), which a directory that lies about a part's size would make unpack all of it."""
    shown = shown or str(path)
    out = io.BytesIO()
    with open_package(path, shown) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            copy.writestr(info.filename, read_member(archive, info, shown))
    out.seek(0)
    return out


def _load(path: Path, shown: str) -> bytes:
    _check_file_size(path, shown)
    data = path.read_bytes()
    _check_end_record(io.BytesIO(data), shown)
    return data


def _check_file_size(path: Path, shown: str) -> None:
    size = path.stat().st_size
    if size > PACKAGE_MAX_BYTES:
        raise PackageRefused(
            shown,
            f"is {size_text(size)}, more than the {size_text(PACKAGE_MAX_BYTES)} hrdocs opens",
            _PICTURES,
        )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    """One part, unpacked in chunks and never past the size its directory entry declares."""
    return b"".join(_chunks(archive, info, shown))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> Iterator[bytes]:
    damaged = PackageRefused(
        shown, f"is damaged: part {info.filename} does not match its directory entry", _RESAVE
    )
    left = info.file_size
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(min(_CHUNK, left + 1)):
                left -= len(chunk)
                if left < 0:  # zipfile stops at the declared size itself; never trust that alone
                    raise damaged
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise damaged from None
    if left:
        raise damaged


def check_directory(infos: list[zipfile.ZipInfo], shown: str) -> None:
    """Every limit a package's directory shows, before any part is unpacked."""
    if len(infos) > PACKAGE_MAX_MEMBERS:
        raise _too_many(len(infos), shown)
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if _escapes(name):
            raise PackageRefused(
                shown,
                f"has a part named `{name}`, which points outside the package; it is not opened",
                _RESAVE,
            )
        if name.casefold() in seen:  # part names compare without case (ECMA-376 Part 2, 6.2.2.3)
            raise PackageRefused(shown, f"has two parts named `{name}`", _RESAVE)
        seen.add(name.casefold())
        if info.flag_bits & 0x1:
            raise PackageRefused(
                shown,
                "is password-protected",
                "remove the password in Word (File > Info > Protect Document) and save it again",
            )
        if info.compress_type not in _WORD_METHODS:
            raise PackageRefused(shown, f"part {name} is packed with a method Word does not use", _RESAVE)
        packed = max(info.compress_size, 1)
        if info.file_size > PACKAGE_RATIO_FROM and info.file_size > PACKAGE_MAX_RATIO * packed:
            raise PackageRefused(
                shown,
                f"part {name} unpacks from {size_text(info.compress_size)} to {size_text(info.file_size)}, "
                f"packed more than {PACKAGE_MAX_RATIO}:1, which no Word document is (a zip bomb?); "
                "it is not unpacked",
                f"if it is a document of your own, {_RESAVE}",
            )
    total = sum(info.file_size for info in infos)
    if total > PACKAGE_MAX_BYTES:
        largest = sorted(infos, key=lambda i: i.file_size, reverse=True)[:3]
        parts = ", ".join(f"{i.filename} {size_text(i.file_size)}" for i in largest)
        raise PackageRefused(
            shown,
            f"unpacks to {size_text(total)}, more than the {size_text(PACKAGE_MAX_BYTES)} hrdocs opens "
            f"(largest parts: {parts})",
            _PICTURES,
        )


def _too_many(count: int, shown: str) -> PackageRefused:
    return PackageRefused(
        shown,
        f"has {count:,} parts; a Word document has a few dozen (at most {PACKAGE_MAX_MEMBERS:,} here)",
        _RESAVE,
    )


_DRIVE = re.compile(r"^[A-Za-z]:")


def _escapes(name: str) -> bool:
    """A part name that would leave a folder it is unpacked into: absolute, a drive, ``..``, a NUL."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or "\x00" in name:
        return True
    return ".." in re.split(r"[/\\]", name)


_END = b"PK\x05\x06"
_END_64_LOCATOR = b"PK\x06\x07"
_END_64 = b"PK\x06\x06"


def _check_end_record(stream: BinaryIO, shown: str) -> None:
    """The number of parts and the directory's size, from the end record, before zipfile reads the
    directory itself (it makes an object per entry, however many there are). A file with no end
    record is left to zipfile, which says it is no zip."""
    size = stream.seek(0, io.SEEK_END)
    start = max(0, size - 22 - 0xFFFF)  # the end record, after it a comment of at most 64 KB
    stream.seek(start)
    tail = stream.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) < at + 22:
        return
    _, _, _, entries, directory, _, _ = struct.unpack("<4HIIH", tail[at + 4 : at + 22])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and locator[:4] == _END_64_LOCATOR:
        (offset,) = struct.unpack("<Q", locator[8:16])
        stream.seek(offset)
        record = stream.read(56)
        if record[:4] == _END_64 and len(record) == 56:
            entries, directory = struct.unpack("<QQ", record[32:48])
    stream.seek(0)
    if entries > PACKAGE_MAX_MEMBERS:
        raise _too_many(entries, shown)
    if directory > PACKAGE_MAX_DIRECTORY:
        raise PackageRefused(
            shown,
            f"lists its parts in {size_text(directory)}; a Word document needs a few KB "
            f"(at most {size_text(PACKAGE_MAX_DIRECTORY)} here)",
            _RESAVE,
        )


# ------------------------------------------------------------------------------------------ pictures
PICTURE_MAX_BYTES = 10 * MB
"""A signature or a logo is tens of kilobytes; a photo straight from a camera a few megabytes."""
PICTURE_MAX_SIDE = 10_000
"""Pixels a side: a page-wide picture at 600 DPI is about 5,000."""
PICTURE_MAX_PIXELS = 40_000_000
"""Pixels in all: what a reader unpacks into memory (4 bytes each) to show the picture, so a small
file claiming a huge picture (LibreOffice would try, for the PDF) is refused from its header."""
_PNG = b"\x89PNG\r\n\x1a\n"
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


class PictureRefused(HrdocsError):
    """A picture (``image()``, the signatory's signature) that is no PNG or JPEG or is over a limit;
    ``problem`` says why, for the caller to name the file."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class PictureFacts:
    """What a picture's header says (PNG: ``IHDR`` and ``pHYs``; JPEG: the frame header and JFIF)."""

    ext: str
    content_type: str
    width: int
    height: int
    dpi: tuple[float, float]
    """96 DPI, as Word and browsers assume, when the file says none."""


def picture_facts(data: bytes) -> PictureFacts:
    """Check a picture by its first bytes and header, not its name; :class:`PictureRefused` if it is no
    PNG or JPEG or is over a limit. Sources: PNG, W3C Recommendation (https://www.w3.org/TR/png/,
    chunks IHDR and pHYs); JPEG, ITU-T T.81 Annex B (markers) and JFIF 1.02 (the APP0 density)."""
    if len(data) > PICTURE_MAX_BYTES:
        raise PictureRefused(f"is {size_text(len(data))}; a picture may have {size_text(PICTURE_MAX_BYTES)}")
    if data.startswith(_PNG):
        facts = PictureFacts("png", "image/png", *_png(data))
    elif data.startswith(b"\xff\xd8\xff"):
        facts = PictureFacts("jpeg", "image/jpeg", *_jpeg(data))
    else:
        raise PictureRefused("is not a PNG or JPEG picture (by its first bytes, whatever its name)")
    w, h = facts.width, facts.height
    if not (0 < w <= PICTURE_MAX_SIDE and 0 < h <= PICTURE_MAX_SIDE) or w * h > PICTURE_MAX_PIXELS:
        raise PictureRefused(
            f"says it is {w:,} × {h:,} pixels; a picture may have {PICTURE_MAX_SIDE:,} a side "
            f"and {PICTURE_MAX_PIXELS:,} in all"
        )
    return facts


def _png(data: bytes) -> tuple[int, int, tuple[float, float]]:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise PictureRefused("is a damaged PNG (no header)")
    width, height = struct.unpack(">II", data[16:24])
    dpi = (96.0, 96.0)
    pos = 33
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"pHYs" and length == 9 and pos + 17 <= len(data):
            x, y, unit = struct.unpack(">IIB", data[pos + 8 : pos + 17])
            if unit == 1 and x and y:  # pixels per metre: 11811 is 300 DPI, as Word rounds it
                dpi = (float(round(x * 0.0254)), float(round(y * 0.0254)))
        if kind in (b"IDAT", b"IEND"):
            break
        pos += 12 + length
    return width, height, dpi


def _jpeg(data: bytes) -> tuple[int, int, tuple[float, float]]:
    dpi = (96.0, 96.0)
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xE0 and body[:5] == b"JFIF\0" and len(body) >= 12:
            unit, x, y = body[7], *struct.unpack(">HH", body[8:12])
            if x and y and unit in (1, 2):  # dots per inch, per centimetre
                dpi = (float(x), float(y)) if unit == 1 else (float(round(x * 2.54)), float(round(y * 2.54)))
        elif marker in _SOF and len(body) >= 5:
            height, width = struct.unpack(">HH", body[1:5])
            return width, height, dpi
        elif marker == 0xDA:  # the picture's data starts: no frame header came
            break
        pos += 2 + length
    raise PictureRefused("is a damaged JPEG (no frame header)")

"""Pictures in Word templates: ``{{ image('signature.png', width='4cm') }}``.

A picture comes from the workspace only (through the jail of :mod:`hrdocs.workspace`: no absolute
path, no ``..`` or link that leads out), and only as a PNG or JPEG that says so in its first bytes
and whose header gives a sane size: a template folder is shared, and a renamed program, a picture
claiming a billion pixels (which LibreOffice would try to unpack for the PDF) or another file of the
machine must never reach a letter. Each file is read and checked once per session; a batch that
signs ten thousand letters with one signature reads it once, and the package stores it once.

The picture goes in as an inline drawing (``wp:inline``) the size asked for: one side given, the
other keeps the picture's proportions; none given, the size the picture's own resolution (DPI) says,
96 DPI when it says none.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import TemplateRuntimeError
from markupsafe import escape

from hrdocs.limits import PICTURE_MAX_BYTES, PictureRefused, picture_facts
from hrdocs.word.fragment import Sink
from hrdocs.word.sink import IMAGE
from hrdocs.workspace import Jail, OutsideWorkspace

MAX_CACHED = 256
"""Pictures kept per session: a batch with a signature per row reads each once in a while, not all."""
EMU_PER_INCH = 914_400
_UNITS = {"cm": 360_000, "mm": 36_000, "in": EMU_PER_INCH, "pt": 12_700, "px": 9_525}
"""English Metric Units per unit (ECMA-376 Part 1, 20.1.2.1); a pixel is 1/96 inch, as in CSS."""
MAX_EMU = 22 * EMU_PER_INCH
"""Word's largest page side."""
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(cm|mm|in|pt|px)\s*")
_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


_CHECKING: ContextVar[bool] = ContextVar("hrdocs_images_checking", default=False)
"""True while ``templates check`` renders with sample data (:meth:`Images.checking`)."""


def _blank_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1 x 1 px, 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


class ImageRefused(TemplateRuntimeError):
    """A picture a template asks for cannot be used; the message names the file and why
    (hrdocs.render locates it at the template's line or Word paragraph)."""


@dataclass(frozen=True)
class Picture:
    """A checked picture file: its bytes and what its header says."""

    name: str
    data: bytes
    ext: str
    content_type: str
    width: int
    height: int
    dpi: tuple[float, float]

    @property
    def file(self) -> str:
        return PurePosixPath(self.name).name


@dataclass(frozen=True)
class Image:
    """A picture placed at a size: a :class:`~hrdocs.word.fragment.Fragment`."""

    __hrdocs_fragment__ = True  # hrdocs.word.fragment.MARKER
    picture: Picture
    cx: int
    cy: int
    alt: str

    def runs(self, rpr: str, sink: Sink) -> str:
        name = sink.add_part("hrdocs", self.picture.ext, self.picture.data, self.picture.content_type)
        rid = sink.relate(IMAGE, name)
        n = sink.drawing_id()
        alt, file = escape(self.alt), escape(self.picture.file)
        ext = f'cx="{self.cx}" cy="{self.cy}"'
        return (
            f'<w:r>{rpr}<w:drawing><wp:inline {_NS} distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent {ext}/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{n}" name="Picture {n}" descr="{alt}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="{file}" descr="{alt}"/>'
            "<pic:cNvPicPr/></pic:nvPicPr>"
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext {ext}/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )

    def blocks(self, ppr: str, rpr: str, sink: Sink) -> str:
        return f"<w:p>{ppr}{self.runs(rpr, sink)}</w:p>"

    def plain(self) -> str:
        return self.alt

    def __str__(self) -> str:  # what a text template would print
        raise ImageRefused(
            "image() places a picture in Word templates only; a text template's letters show the "
            "signatory's signature_image (hrdocs.yaml) by themselves"
        )


class Images:
    """The template global ``image``: pictures of one workspace, each file checked once."""

    def __init__(self, root: Path) -> None:
        # private: a template sees this object, and its sandbox refuses only _-names (a Path reads files)
        self._root = Path(root)
        self._jail = Jail((self._root,))
        self._cache: OrderedDict[str, Picture] = OrderedDict()

    @staticmethod
    @contextmanager
    def checking() -> Iterator[None]:
        """While ``templates check`` renders with sample data: a picture whose file cannot be used
        stands in as a blank one. The sample of a field such as ``signature_file`` is a word, not a
        file, and the real file comes with each letter's data (checked then, as always); a literal
        name (``image('logo.png')``) is checked for real by :func:`check_literal`."""
        token = _CHECKING.set(True)
        try:
            yield
        finally:
            _CHECKING.reset(token)

    def __call__(self, name: Any, width: Any = None, height: Any = None, alt: Any = None) -> Image:
        try:
            picture = self._picture(name)
        except ImageRefused:
            if not _CHECKING.get():
                raise
            picture = replace(BLANK, name=name) if isinstance(name, str) and name.strip() else BLANK
        cx, cy = _size(picture, _emu(picture.name, "width", width), _emu(picture.name, "height", height))
        return Image(picture, cx, cy, picture.file.rsplit(".", 1)[0] if alt is None else str(alt))

    def _picture(self, name: Any) -> Picture:
        if not isinstance(name, str) or not name.strip():
            raise ImageRefused(
                "image(): give the picture's file, relative to the workspace, such as 'signature.png'"
            )
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = read_picture(self._root, self._jail, name)
            if len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return found


BLANK = Picture("sample.png", _blank_png(), "png", "image/png", 1, 1, (96.0, 96.0))
"""What a picture from sample data stands in as while a template is checked."""


def check_literal(images: Any, name: str, width: Any = None, height: Any = None) -> str | None:
    """Why the picture ``image('name', …)`` names, written in the template, cannot be used, or
    ``None``: a file the template itself names must be there, whatever the data."""
    if not isinstance(images, Images):
        return None
    try:
        token = _CHECKING.set(False)
        try:
            images(name, width, height)
        finally:
            _CHECKING.reset(token)
    except ImageRefused as exc:
        return str(exc.message)
    return None


def workspace_file(root: Path, jail: Jail, name: str, shown: str, refused: type[Exception]) -> Path:
    """The real path of a file a template names (a picture, a sub-document): relative to the
    workspace and inside it, through the jail, or ``refused`` saying why. One rule for every file a
    template may pull in, so a path that is refused for one is refused for all."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise refused(f"{shown}: give a path inside the workspace, not an absolute one")
    try:
        real = jail.check(root / relative)
    except OutsideWorkspace as exc:
        raise refused(f"{shown}: {exc.reason}; {exc.advice}") from None
    if not real.is_file():
        raise refused(f"{shown}: no such file in the workspace")
    return real


def read_picture(root: Path, jail: Jail, name: str) -> Picture:
    """Read and check ``name`` (relative to ``root``); :class:`ImageRefused` names it and why."""
    shown = f"image {name!r}"
    real = workspace_file(root, jail, name, shown, ImageRefused)
    if real.stat().st_size > PICTURE_MAX_BYTES:  # before reading it
        raise ImageRefused(f"{shown}: over the {PICTURE_MAX_BYTES:,} bytes a picture may have")
    data = real.read_bytes()
    try:
        facts = picture_facts(data)
    except PictureRefused as exc:
        raise ImageRefused(f"{shown}: {exc.problem}") from None
    return Picture(name, data, facts.ext, facts.content_type, facts.width, facts.height, facts.dpi)


def _emu(name: str, side: str, value: Any) -> int | None:
    if value is None:
        return None
    match = _LENGTH.fullmatch(str(value))
    emu = round(float(match.group(1)) * _UNITS[match.group(2)]) if match else 0
    if not 0 < emu <= MAX_EMU:
        raise ImageRefused(
            f"image {name!r}: {side}: a length such as '4cm', '35mm', '1.5in', '120pt' or '200px', "
            "at most 22in"
        )
    return emu


def _size(picture: Picture, cx: int | None, cy: int | None) -> tuple[int, int]:
    """The size asked for; the proportions kept when only one side is; else the picture's own."""
    if cx is None and cy is None:
        dpi_x, dpi_y = (d if 30 <= d <= 2400 else 96.0 for d in picture.dpi)
        cx, cy = round(picture.width / dpi_x * EMU_PER_INCH), round(picture.height / dpi_y * EMU_PER_INCH)
    elif cx is None:
        assert cy is not None
        cx = round(cy * picture.width / picture.height)
    elif cy is None:
        cy = round(cx * picture.height / picture.width)
    return min(cx, MAX_EMU), min(cy, MAX_EMU)

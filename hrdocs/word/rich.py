"""Rich values without Python objects: ``{{r candidate.name | bold | color('C00000') }}``.

docxtpl asks a program to build ``RichText`` objects and pass them in; a recruiter editing a template
has no program. Here the same effects are filters, so the template says what it wants, and one value
serves both engines: a :class:`Rich` gives Markdown to a text template (which prints ``**Ada**``,
escaped and fenced exactly as a plain value is, see :mod:`hrdocs.environment`) and is a
:class:`~hrdocs.word.fragment.Fragment` (so a Word template gets runs with the template run's own
properties plus the effects, and links as real ``w:hyperlink`` elements).

The meaning follows docxtpl's ``RichText`` (https://docxtpl.readthedocs.io/en/latest/#richtext):
bold, italic, underline, strike, colour, size, font, highlight, a link; ``size`` is in points here
(docxtpl takes half-points). Markdown has no colour, size, font, underline or highlight: text
templates keep the words and drop those (docs/templates.md says so).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from jinja2 import TemplateRuntimeError, pass_context
from lxml import etree
from markupsafe import escape

from hrdocs.docmodel import Container, Heading, ListBlock, Paragraph, Span, Table, parse_markdown
from hrdocs.environment import VALUE_END, VALUE_START, Md, WritesMarkdown, escape_md
from hrdocs.sandbox import refuse
from hrdocs.word.fragment import Sink, text_run
from hrdocs.word.sink import HYPERLINK

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W_NS}}}"
LINK_SCHEMES = ("http://", "https://", "mailto:")
"""The only addresses a link may have: a letter's reader clicks them, nothing else opens them."""
MAX_URL = 2_000
LINK_COLOUR = "0563C1"
"""Word's own colour for the Hyperlink style, used when the template's run gives none."""
_HIGHLIGHT_NAMES = (
    "yellow green cyan magenta blue red darkBlue darkCyan darkGreen darkMagenta darkRed darkYellow "
    "darkGray lightGray black white"
)
HIGHLIGHTS = frozenset(_HIGHLIGHT_NAMES.split())
"""Word's highlight colours (ECMA-376 Part 1, ST_HighlightColor); any other colour is a shading."""
_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")
_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
# The order of a run's properties (ECMA-376 Part 1, CT_RPr): Word refuses a document that mixes it.
_RPR_NAMES = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_RPR_ORDER = {name: i for i, name in enumerate(_RPR_NAMES.split())}
_WRAP_OPEN = f'<hd xmlns:w="{W_NS}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
_DECL = re.compile(r' xmlns:\w+="[^"]*"')
"""The part's root declares the prefixes a run's properties use; the copy must not repeat them."""
_SOFT_BREAK = re.compile(r"(?<=[^\n])\n(?=[^\n])")


@dataclass(frozen=True)
class Look:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    color: str | None = None
    size: int | None = None
    """Half-points, as Word counts."""
    font: str | None = None
    highlight: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Piece:
    text: str
    look: Look = Look()


Paragraphs = tuple[tuple[Piece, ...], ...]


class Rich(WritesMarkdown):
    """Text with a look: Markdown to text templates, runs to Word templates (each made only when
    printed: a Word letter never needs the Markdown)."""

    __slots__ = ("_md", "paragraphs")
    __hrdocs_fragment__ = True  # hrdocs.word.fragment.MARKER

    def __init__(self, paragraphs: Paragraphs) -> None:
        self.paragraphs = paragraphs
        self._md: str | None = None

    def markdown(self) -> str:
        if self._md is None:
            self._md = "\n\n".join(_markdown(p) for p in self.paragraphs)
        return self._md

    def __str__(self) -> str:  # joined with ~ or given to a string filter: the Markdown, as Md is
        return self.markdown()

    def __repr__(self) -> str:
        return f"Rich({self.plain()!r})"

    def with_look(self, **changes: Any) -> Rich:
        return Rich(
            tuple(
                tuple(replace(p, look=replace(p.look, **changes)) for p in para) for para in self.paragraphs
            )
        )

    def runs(self, rpr: str, sink: Sink) -> str:
        out = []
        for n, para in enumerate(self.paragraphs):
            if n:
                out.append(text_run("\n\n", rpr))
            out.extend(_piece_xml(p, rpr, sink) for p in para)
        return "".join(out)

    def blocks(self, ppr: str, rpr: str, sink: Sink) -> str:
        return "".join(
            f"<w:p>{ppr}{''.join(_piece_xml(p, rpr, sink) for p in para)}</w:p>" for para in self.paragraphs
        )

    def plain(self) -> str:
        return "\n\n".join("".join(p.text for p in para) for para in self.paragraphs)


# --------------------------------------------------------------------------------- making values
def rich(value: Any) -> Rich:
    """Any printable value as a :class:`Rich` (a rich one as it is; Markdown read as Markdown)."""
    if isinstance(value, Rich):
        return value
    if isinstance(value, Md):
        return from_markdown(str(value))
    if type(value) is not str:
        refuse(value)  # None, a list, a group: refused as a plain value is
        value = ("yes" if value else "no") if isinstance(value, bool) else str(value)  # Undefined raises
    return Rich(tuple((Piece(_clean(t)),) for t in value.split("\a")))  # \a: a new paragraph


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))


def from_markdown(text: str) -> Rich:
    """Inline Markdown (``**b**``, ``*i*``, ``[text](https://…)``, line breaks) as a rich value;
    block markup (headings, lists, tables) keeps its words; a link to anything but http(s) or mailto
    keeps only its text."""
    doc = parse_markdown(
        _SOFT_BREAK.sub("  \n", _clean(text.replace("\a", "\n\n")))
    )  # a note's lines stay lines
    paragraphs = [tuple(_piece(s) for s in spans) for spans in _spans_of(doc.blocks)]
    return Rich(tuple(p for p in paragraphs if p) or ((Piece(""),),))


def _spans_of(blocks: Any) -> list[tuple[Span, ...]]:
    out: list[tuple[Span, ...]] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(block.spans)
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.append(item.spans)
                out.extend(_spans_of(item.children))
        elif isinstance(block, Table):
            out.extend(cell for row in (block.header, *block.rows) for cell in row)
        elif isinstance(block, Container):
            out.extend(_spans_of(block.blocks))
    return out


def _piece(span: Span) -> Piece:
    href = span.href if span.href and _link_ok(span.href) else None
    return Piece(span.text, Look(bold=span.bold, italic=span.italic, href=href))


def _link_ok(url: str) -> bool:
    return url.lower().startswith(LINK_SCHEMES) and len(url) <= MAX_URL and not re.search(r"[\s<>\"]", url)


def _fail(message: str) -> TemplateRuntimeError:
    return TemplateRuntimeError(message)  # located by hrdocs.render.explain; never quotes the value


def _colour(name: str, colour: Any) -> str:
    match = _HEX.fullmatch(str(colour))
    if not match:
        raise _fail(f"{name}(): a colour is six hex digits, such as '1F4E79'")
    return match.group(1).upper()


def _size(points: Any) -> int:
    try:
        half = round(float(points) * 2)
    except (TypeError, ValueError):
        half = 0
    if not 2 <= half <= 3276:
        raise _fail("size(): a size is a number of points between 1 and 1638, such as 12")
    return half


def _font(name: Any) -> str:
    text = str(name).strip()
    if not text or len(text) > 64 or _ILLEGAL.search(text) or "\n" in text:
        raise _fail("font(): a font is a name such as 'Arial' (64 characters at most)")
    return text


def _highlight(colour: Any) -> str:
    if str(colour) in HIGHLIGHTS:
        return str(colour)
    return _colour("highlight", colour)


def _url(url: Any) -> str:
    text = str(url).strip()
    if not _link_ok(text):
        raise _fail("link(): a link's address starts with https://, http:// or mailto: (no spaces)")
    return text


_MADE: dict[str, Callable[..., Rich]] = {
    "bold": lambda v: rich(v).with_look(bold=True),
    "italic": lambda v: rich(v).with_look(italic=True),
    "underline": lambda v: rich(v).with_look(underline=True),
    "strike": lambda v: rich(v).with_look(strike=True),
    "color": lambda v, c: rich(v).with_look(color=_colour("color", c)),
    "size": lambda v, pt: rich(v).with_look(size=_size(pt)),
    "font": lambda v, name: rich(v).with_look(font=_font(name)),
    "highlight": lambda v, c="yellow": rich(v).with_look(highlight=_highlight(c)),
    "link": lambda v, url: rich(v).with_look(href=_url(url)),
    "markdown": lambda v: from_markdown(v if type(v) is str else str(rich(v))),
}


def _at_render(make: Callable[..., Rich]) -> Callable[..., Rich]:
    """The filter run when the template renders, never folded into the compiled template: Jinja folds
    a filter of a constant (``'our site' | link(url)``) and would keep only its text."""

    @pass_context
    def run(_context: Any, *args: Any, **kwargs: Any) -> Rich:
        return make(*args, **kwargs)

    return run


FILTERS: dict[str, Callable[..., Rich]] = {name: _at_render(make) for name, make in _MADE.items()}
"""Registered with the other filters (hrdocs.environment.filters); documented in docs/templates.md."""


# -------------------------------------------------------------------------------------- Markdown
def _markdown(pieces: tuple[Piece, ...]) -> str:
    return "".join(_md_piece(p) for p in pieces)


def _md_piece(piece: Piece) -> str:
    lines = piece.text.split("\n")
    return "\\\n".join(_md_line(line, piece.look) for line in lines)


def _md_line(text: str, look: Look) -> str:
    core = text.strip(" ")
    if not core:
        return escape_md(text) if text else ""
    lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
    out = VALUE_START + escape_md(core) + VALUE_END
    if look.href:
        out = f"[{out}](<{VALUE_START}{escape_md(look.href)}{VALUE_END}>)"
    if look.italic:
        out = f"*{out}*"
    if look.bold:
        out = f"**{out}**"
    return lead + out + trail


# ------------------------------------------------------------------------------------------ Word
def _piece_xml(piece: Piece, rpr: str, sink: Sink) -> str:
    look = piece.look
    if look.href:
        look = replace(
            look, href=None, color=look.color or LINK_COLOUR, underline=True
        )  # a link looks like one
    run = text_run(piece.text, _merged_rpr(rpr, look))
    if not piece.look.href:
        return run
    rid = sink.relate(HYPERLINK, piece.look.href, external=True)
    return f'<w:hyperlink xmlns:r="{R_NS}" r:id="{rid}" w:history="1">{run}</w:hyperlink>'


def _effects(look: Look) -> list[str]:
    out = []
    if look.font:
        f = escape(look.font)
        out.append(f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}" w:eastAsia="{f}"/>')
    if look.bold:
        out += ["<w:b/>", "<w:bCs/>"]
    if look.italic:
        out += ["<w:i/>", "<w:iCs/>"]
    if look.strike:
        out.append("<w:strike/>")
    if look.color:
        out.append(f'<w:color w:val="{look.color}"/>')
    if look.size:
        out += [f'<w:sz w:val="{look.size}"/>', f'<w:szCs w:val="{look.size}"/>']
    if look.highlight in HIGHLIGHTS:
        out.append(f'<w:highlight w:val="{look.highlight}"/>')
    if look.underline:
        out.append('<w:u w:val="single"/>')
    if look.highlight and look.highlight not in HIGHLIGHTS:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{look.highlight}"/>')
    return out


@functools.lru_cache(maxsize=1024)
def _merged_rpr(rpr: str, look: Look) -> str:
    """The template run's properties with the look's effects in place of its own, in Word's order.
    Remembered: a batch asks for the same few (run, look) pairs thousands of times."""
    effects = _effects(look)
    if not effects:
        return rpr
    if not rpr:
        return f"<w:rPr>{''.join(effects)}</w:rPr>"
    try:
        root = etree.fromstring(f"{_WRAP_OPEN}{rpr}</hd>")[0]
        new = etree.fromstring(f"{_WRAP_OPEN}{''.join(effects)}</hd>")
    except etree.XMLSyntaxError:
        return f"<w:rPr>{''.join(effects)}</w:rPr>"
    names = {el.tag for el in new}
    children = [el for el in root if el.tag not in names] + list(new)
    for el in list(root):
        root.remove(el)
    last = len(_RPR_ORDER) + 1

    def order(el: etree._Element) -> int:
        tag = str(el.tag)
        if tag == f"{_W}rPrChange":
            return last + 1
        return _RPR_ORDER.get(tag.removeprefix(_W), last) if tag.startswith(_W) else last

    for el in sorted(children, key=order):
        root.append(el)
    return _DECL.sub("", etree.tostring(root, encoding="unicode"))

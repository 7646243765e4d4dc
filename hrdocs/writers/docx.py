"""DOCX writer: the company's look is prepared once per run, each document adds only its body.

Preparation uses python-docx to build a real Word package from the brand settings (or from the
company's reference ``.docx``, pandoc-style): styles, fonts, colours, page size and margins, the
letterhead header with the logo, the footer with page numbers. Those parts are compressed once; for
each document we write ``word/document.xml`` from the document model with the real style ids of that
package (Title, Heading 1, List Bullet, …) and assemble the zip directly. This is what makes a batch of
thousands of letters fast, and every output byte-identical for the same input.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.parsers import expat
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as Paragraph_
from lxml import etree

from hrdocs import esign
from hrdocs.config import Config
from hrdocs.docmodel import (
    SIGNATURE_MARK,
    TOKEN,
    Block,
    Container,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Rule,
    Span,
    Table,
    with_signature,
)
from hrdocs.errors import HrdocsError
from hrdocs.limits import PackageRefused, read_package
from hrdocs.writers.zipfast import Member, Shared, deflate

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAGE = {
    "letter": (Inches(8.5), Inches(11)),
    "a4": (Length(7560310), Length(10692130)),
    "legal": (Inches(8.5), Inches(14)),
}
_SPARE_LISTS = 40
"""Numbered lists that restart at 1 get their own w:num; this many are prepared per run."""


def length(text: str) -> Length:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)", text.strip()).groups()  # type: ignore[union-attr]
    emu = {"in": 914400, "cm": 360000, "mm": 36000, "pt": 12700}[unit]
    return Length(int(float(number) * emu))


@dataclass(frozen=True)
class _Prepared:
    static: Shared
    """Every part but the body and the core properties, ``[Content_Types].xml`` first."""
    document_head: str
    sect_pr: str
    styles: dict[str, str]
    """Style name (as in Word's UI) -> style id in this package."""
    list_nums: tuple[int, ...]
    bullet_num: int | None
    signature: str = ""
    """The signatory's signature picture as a ``w:drawing`` (its part is in :attr:`static`), or ``""``."""


class DocxWriter:
    """Made once per run (per company settings); :meth:`render` then costs only the body."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._prepared = _prepare(config)
        self._signing = esign.of(config)
        """E-signature tags for acceptance blocks (``esign.provider``; hrdocs.esign)."""
        self._head = f"{self._prepared.document_head}<w:body>"
        self._tail = f"{self._prepared.sect_pr}</w:body></w:document>"
        self._memo: dict[tuple[int, bool], tuple[Block, str]] = {}
        """The XML of top-level blocks already written, by identity: the documents of a batch share
        their unchanged blocks (see hrdocs.mdcache), so each is turned into XML once."""
        self._plans: OrderedDict[tuple[int, ...], tuple[tuple[Block, ...], list[str], list[tuple[int, int]]]]
        self._plans = OrderedDict()
        """Documents with tokens, by their blocks' ids: see :meth:`_plan`."""

    def render(self, document: Document, *, when: date | None = None) -> bytes:
        return self.pack(self.parts(document, when=when))

    def pack(self, parts: Sequence[Member]) -> bytes:
        """The whole package: the prepared parts, then a document's own (see :meth:`parts`)."""
        return self._prepared.static.build(parts)

    def parts(
        self,
        document: Document,
        *,
        when: date | None = None,
        values: Sequence[tuple[str, ...]] | None = None,
    ) -> tuple[Member, Member]:
        """The parts that differ from one document to the next, compressed: the body and the core
        properties. A batch makes them while it checks the rows and keeps them (a tenth of the file)
        until it writes.

        ``values``: the document's blocks hold tokens (:class:`hrdocs.masking.Masked`), and each
        top-level block's values go into its XML here, escaped: the XML of a block with tokens is then
        the same for every letter, made and checked once."""
        if values is None:
            main = self._head + self._body(document.blocks) + self._tail
        else:
            chunks, slots = self._plan(document.blocks)
            filled = [_t_value(values[i][n]) for i, n in slots]
            main = chunks[0] + "".join(v + c for v, c in zip(filled, chunks[1:], strict=True))
        core = _core_xml(document, self.config, when).encode()
        return (
            deflate("word/document.xml", main.encode(), level=_BODY_LEVEL),
            deflate("docProps/core.xml", core, level=_BODY_LEVEL),
        )

    def _body(self, blocks: Sequence[Block]) -> str:
        return "".join(self._made(blocks))

    def _made(self, blocks: Sequence[Block]) -> list[str]:
        """Each top-level block's XML; those made now are checked, and remembered if they can be."""
        maker = _Body(self._prepared, self._memo, self._signing)
        made = [maker.block(b, i == 0) for i, b in enumerate(blocks)]
        self._check(maker.fresh)
        for key, block, xml in maker.fresh:
            if key is not None:
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[key] = (block, xml)
        return made

    def _plan(self, blocks: Sequence[Block]) -> tuple[list[str], list[tuple[int, int]]]:
        """The document's XML cut at each token: the pieces around the tokens, and for each token its
        block and its number there. A token stands in one span's text, and a span's text is escaped
        character by character, so escaping a value alone gives the XML that escaping the whole text
        would. A batch's letters share their blocks (see hrdocs.mdcache), so most find the plan
        made; the plan keeps its blocks, so their ids stay theirs."""
        key = tuple(map(id, blocks))
        found = self._plans.get(key)
        if found is not None:
            return found[1], found[2]
        chunks = [""]
        slots: list[tuple[int, int]] = []
        for i, xml in enumerate(self._made(blocks)):
            pieces = TOKEN.split(xml)  # text, a token's number, text, …
            chunks[-1] += pieces[0]
            for number, text in zip(pieces[1::2], pieces[2::2], strict=True):
                slots.append((i, int(number)))
                chunks.append(text)
        chunks[0] = self._head + chunks[0]
        chunks[-1] += self._tail
        self._plans[key] = (tuple(blocks), chunks, slots)
        if len(self._plans) > _PLANS:
            self._plans.popitem(last=False)
        return chunks, slots

    def _check(self, fresh: list[tuple[tuple[int, bool] | None, Block, str]]) -> None:
        """Parse the blocks made for this document, each in an element of its own, so that every one
        is whole: the rest of the body is the package's own (checked when prepared) or blocks
        remembered from earlier documents, checked when they were made. Expat, not lxml: it builds
        no tree, so it checks in half the time."""
        if not fresh:
            return
        inner = "".join(f"<c>{xml}</c>" for _, _, xml in fresh)
        try:
            expat.ParserCreate("utf-8").Parse(f"<body>{inner}</body>".encode(), True)
        except expat.ExpatError as exc:  # a bug of ours, never the user's: say so
            raise HrdocsError(
                f"internal error: generated document body is not well-formed XML ({exc})"
            ) from None


# ------------------------------------------------------------------------------------- preparation
def _prepare(config: Config) -> _Prepared:
    brand = config.settings.brand
    if config.reference_docx is not None:
        try:  # hrdocs.limits: a zip bomb is refused before python-docx unpacks it
            d = docx.Document(read_package(config.reference_docx))
        except PackageRefused:
            raise
        except Exception as exc:  # python-docx raises several kinds for a bad package
            raise HrdocsError(f"{config.reference_docx}: not a readable .docx ({exc})") from None
        body = d.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        _ensure_styles(d)
    else:
        d = docx.Document()
        _apply_brand(d, config)
        _drop_table_styles(d)
    _small_print_style(d, brand.sizes.small, brand.colours.muted)
    spare = _spare_numbering(d)
    _drop_leftovers(d)
    signature = _signature(d, config)

    buffer = io.BytesIO()
    d.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {n: z.read(n) for n in z.namelist()}

    for junk in ("docProps/thumbnail.jpeg",):
        if junk in parts:
            parts.pop(junk)
            parts["_rels/.rels"] = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", parts["_rels/.rels"])
    document_xml = parts.pop("word/document.xml").decode("utf-8")
    parts.pop("docProps/core.xml", None)
    head = document_xml[: document_xml.index("<w:body>")]
    sect = re.search(r"<w:sectPr[ >].*?</w:sectPr>", document_xml, re.DOTALL)
    styles = {s.name: s.style_id for s in d.styles if s.name is not None and s.style_id is not None}
    names = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    static = Shared.of(deflate(n, parts[n], level=9) for n in names)  # once per run: the smallest
    return _Prepared(
        static=static,
        document_head=head,
        sect_pr=sect.group(0) if sect else "",
        styles=styles,
        list_nums=spare[0],
        bullet_num=spare[1],
        signature=signature,
    )


def _signature(d: docx.document.Document, config: Config) -> str:
    """The signature picture, added to the package once (as the logo is) for every letter to show."""
    signatory = config.settings.voice.signatory
    if config.signature is None or signatory is None:
        return ""
    inline = d.part.new_pic_inline(str(config.signature), None, length(signatory.signature_height))
    inline.docPr.set("descr", f"Signature of {signatory.name}")
    return f"<w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing>"  # it declares its prefixes


def _set_font(
    element_style: ParagraphStyle,
    name: str,
    size: float | None,
    colour: str | None,
    bold: bool | None = None,
) -> None:
    font = element_style.font
    font.name = name
    rpr = element_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:eastAsia", "w:cs"):
            fonts.set(qn(attr), name)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    if size is not None:
        font.size = Pt(size)
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    if bold is not None:
        font.bold = bold


def _apply_brand(d: docx.document.Document, config: Config) -> None:
    brand = config.settings.brand
    fonts, sizes, colours = brand.fonts, brand.sizes, brand.colours
    normal = d.styles["Normal"]
    _set_font(normal, fonts.body, sizes.body, colours.text)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _set_font(d.styles["Title"], fonts.heading, sizes.title, colours.primary, bold=False)
    title_border = d.styles["Title"].element.find(qn("w:pPr"))
    if title_border is not None and title_border.find(qn("w:pBdr")) is not None:
        bottom = title_border.find(qn("w:pBdr")).find(qn("w:bottom"))
        if bottom is not None:
            bottom.set(qn("w:color"), colours.accent.lstrip("#"))
    _set_font(d.styles["Heading 1"], fonts.heading, sizes.heading1, colours.primary, bold=True)
    _set_font(d.styles["Heading 2"], fonts.heading, sizes.heading2, colours.accent, bold=True)
    _set_font(d.styles["Heading 3"], fonts.heading, sizes.body, colours.primary, bold=True)
    for name in ("Heading 1", "Heading 2"):
        d.styles[name].paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        d.styles[name].paragraph_format.space_after = Pt(4)
    for name in ("Header", "Footer"):
        _set_font(d.styles[name], fonts.body, sizes.small, colours.muted)

    section = d.sections[0]
    section.page_width, section.page_height = _PAGE[brand.page.size]
    m = brand.page.margins
    section.top_margin, section.bottom_margin = length(m.top), length(m.bottom)
    section.left_margin, section.right_margin = length(m.left), length(m.right)
    section.header_distance = section.footer_distance = Inches(0.45)
    _letterhead(section.header, config)
    _footer(section.footer, config)
    d.core_properties.author = config.settings.company.name


def _letterhead(header: docx.section._Header, config: Config) -> None:
    company = config.settings.company
    brand = config.settings.brand
    first = header.paragraphs[0]
    if config.logo is not None and brand.letterhead.logo:
        try:
            first.add_run().add_picture(str(config.logo), height=length(brand.letterhead.logo_height))
        except Exception as exc:  # python-docx: UnrecognizedImageError and friends
            raise HrdocsError(f"{config.source}: company.logo: cannot use the image ({exc})") from None
        name_paragraph = header.add_paragraph()
    else:
        name_paragraph = first
    run = name_paragraph.add_run(company.name)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(brand.colours.primary.lstrip("#").upper())
    run.font.size = Pt(brand.sizes.small + 2)
    if brand.letterhead.address:
        details = [*company.address, *(x for x in (company.phone, company.website) if x)]
        if details:
            header.add_paragraph(" · ".join(details))
    for paragraph in header.paragraphs:
        paragraph.paragraph_format.space_after = Pt(0)
    _bottom_border(header.paragraphs[-1], brand.colours.accent)


def _footer(footer: docx.section._Footer, config: Config) -> None:
    brand = config.settings.brand
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if brand.footer.text:
        paragraph.add_run(brand.footer.text)
    if brand.footer.page_numbers:
        if brand.footer.text:
            paragraph.add_run("    ")
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph_, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _bottom_border(paragraph: Paragraph_, colour: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "4"),
        ("w:color", colour.lstrip("#")),
    ):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _ensure_styles(d: docx.document.Document) -> None:
    """A reference document may lack styles we write; add plain ones rather than fail."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.name for s in d.styles}
    for name in (
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Bullet",
        "List Bullet 2",
        "List Number",
        "List Number 2",
        "Table Grid",
    ):
        if name not in names:
            kind = WD_STYLE_TYPE.TABLE if name == "Table Grid" else WD_STYLE_TYPE.PARAGRAPH
            d.styles.add_style(name, kind)


def _small_print_style(d: docx.document.Document, size: float, colour: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    if "Small Print" in {s.name for s in d.styles}:
        return
    style = d.styles.add_style("Small Print", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def _spare_numbering(d: docx.document.Document) -> tuple[tuple[int, ...], int | None]:
    """Give each numbered list of a document its own w:num so that each one starts again at 1."""
    try:
        numbering = d.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return (), None

    def num_of(style_name: str) -> int | None:
        try:
            ppr = d.styles[style_name].element.pPr
        except KeyError:
            return None
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        return int(ppr.numPr.numId.val)

    base = num_of("List Number")
    if base is None:
        return (), num_of("List Bullet")
    abstract = None
    for num in numbering.findall(qn("w:num")):
        if int(num.get(qn("w:numId"))) == base:
            abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    nums: list[int] = []
    for k in range(_SPARE_LISTS):
        num_id = max(used) + 1 + k
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract))
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        numbering.append(num)
        nums.append(num_id)
    return tuple(nums), num_of("List Bullet")


_LEFTOVER_PARTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)


def _drop_leftovers(d: docx.document.Document) -> None:
    """Drop the parts Word 2013 and later neither write nor need: Word 2010's copy of the styles
    (``stylesWithEffects.xml``, a third of python-docx's default package) and its sample bibliography
    (``customXml``). Every document carries the package, and a batch writes thousands: smaller files
    are written faster and take less disk."""
    part = d.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in _LEFTOVER_PARTS:
            part.drop_rel(rel_id)


_KEPT_TABLE_STYLES = ("Table Grid",)


def _drop_table_styles(d: docx.document.Document) -> None:
    """Keep of python-docx's hundred built-in table styles only the grid the writer uses and the
    default one: the rest are nine tenths of ``styles.xml`` (312 of 350 kB, 11 of a letter's 22 kB
    once compressed), written into every document and never used. Word and LibreOffice still offer
    every built-in table style: they make one from its name (the latent styles) when it is chosen."""
    root = d.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) != "table" or style.get(qn("w:default")) == "1":
            continue
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) not in _KEPT_TABLE_STYLES:
            root.remove(style)


# ---------------------------------------------------------------------------------------- the body
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTAINER_PPR = {
    "signature": "<w:keepLines/>",
    "acceptance": "<w:keepNext/><w:keepLines/>",
    "keep": "<w:keepNext/><w:keepLines/>",
    "center": '<w:jc w:val="center"/>',
    "letterhead-date": '<w:jc w:val="right"/>',
    "small": "",
}


def _t(text: str) -> str:
    return escape(_INVALID_XML.sub("", text))


_t_value = functools.lru_cache(maxsize=4096)(_t)
"""A letter's values, escaped: most (the company, the role, dates, amounts) recur from letter to letter."""

_MEMO_SIZE = 1024
_PLANS = 64
_BODY_LEVEL = 1
"""Deflate level of the parts made per document: level 6 costs three times as long for a tenth less."""


def _stateless(block: Block) -> bool:
    """Whether a block's XML is the same wherever it stands (a numbered list takes the next number)."""
    if isinstance(block, ListBlock):
        return not block.ordered
    if isinstance(block, Container):
        return all(_stateless(b) for b in block.blocks)
    return True


class _Body:
    def __init__(
        self,
        prepared: _Prepared,
        memo: dict[tuple[int, bool], tuple[Block, str]] | None = None,
        signing: esign.Signing | None = None,
    ) -> None:
        self.p = prepared
        self.signing = signing
        self.next_list = 0
        self.container: str | None = None
        self.memo = memo if memo is not None else {}
        self.fresh: list[tuple[tuple[int, bool] | None, Block, str]] = []
        """Top-level blocks made (not remembered) for this document: (memo key or None, block, XML)."""

    def style(self, name: str) -> str:
        return self.p.styles.get(name, self.p.styles.get("Normal", "Normal"))

    def blocks(self, blocks: list[Block] | tuple[Block, ...]) -> str:
        return "".join(self.block(b, i == 0) for i, b in enumerate(blocks))

    def block(self, block: Block, first: bool) -> str:
        if self.container is not None:
            return self._block(block, first)
        key = (id(block), first)
        found = self.memo.get(key)
        if found is not None and found[0] is block:  # the entry keeps the block alive: its id is its own
            return found[1]
        xml = self._block(block, first)
        self.fresh.append((key if _stateless(block) else None, block, xml))
        return xml

    def _block(self, block: Block, first: bool) -> str:
        match block:
            case Heading(level=1, spans=spans) if first:
                return self.paragraph(spans, "Title")
            case Heading(level=level, spans=spans):
                return self.paragraph(spans, f"Heading {max(1, level - 1)}", keep_next=True)
            case Paragraph(spans=spans):
                return self.paragraph(spans, None)
            case ListBlock():
                return self.list(block, 0)
            case Table():
                return self.table(block)
            case Rule():
                return (
                    '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    'w:color="auto"/></w:pBdr></w:pPr></w:p>'
                )
            case Container(name=name):
                if name == "signature" and self.p.signature:
                    block = with_signature(block)  # the signatory's signature picture above the name
                outer, self.container = self.container, name
                try:
                    return self.blocks(esign.container(block, self.signing))
                finally:
                    self.container = outer
        return ""

    def paragraph(
        self,
        spans: tuple[Span, ...],
        style: str | None,
        *,
        keep_next: bool = False,
        num: tuple[int, int] | None = None,
    ) -> str:
        ppr = ""
        if style is None and self.container == "small":
            style = "Small Print"
        if style:
            ppr += f'<w:pStyle w:val="{self.style(style)}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        if num is not None:
            ppr += f'<w:numPr><w:ilvl w:val="{num[0]}"/><w:numId w:val="{num[1]}"/></w:numPr>'
        if self.container:
            ppr += _CONTAINER_PPR.get(self.container, "")
        return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{self.runs(spans)}</w:p>"

    def runs(self, spans: tuple[Span, ...]) -> str:
        out = []
        for span in spans:
            if isinstance(span, esign.Tag):  # white, tiny: for the e-signature provider, not the reader
                half = round(span.size_pt * 2)
                out.append(
                    f'<w:r><w:rPr><w:color w:val="{esign.COLOUR}"/><w:sz w:val="{half}"/>'
                    f'<w:szCs w:val="{half}"/></w:rPr><w:t xml:space="preserve">{_t(span.text)}</w:t></w:r>'
                )
                continue
            if span.text == "\n":
                out.append("<w:r><w:br/></w:r>")
                continue
            if span.text == SIGNATURE_MARK and self.p.signature:
                out.append(f"<w:r>{self.p.signature}</w:r>")
                continue
            rpr = ("<w:b/>" if span.bold else "") + ("<w:i/>" if span.italic else "")
            if span.href:
                rpr += '<w:color w:val="0563C1"/><w:u w:val="single"/>'
            lines = span.text.split("\n")
            text = "<w:br/>".join(f'<w:t xml:space="preserve">{_t(line)}</w:t>' for line in lines)
            out.append(f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{text}</w:r>")
        return "".join(out)

    def list(self, block: ListBlock, level: int) -> str:
        base = "List Number" if block.ordered else "List Bullet"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        num: tuple[int, int] | None = None
        if block.ordered and level == 0 and self.p.list_nums:
            num = (0, self.p.list_nums[min(self.next_list, len(self.p.list_nums) - 1)])
            self.next_list += 1
        out = []
        for item in block.items:
            out.append(self.paragraph(item.spans, style, num=num))
            out.extend(self.list(child, level + 1) for child in item.children)
        return "".join(out)

    def table(self, table: Table) -> str:
        columns = max([len(table.header), *(len(r) for r in table.rows)])
        width = 5000 // columns
        grid = "".join(f'<w:gridCol w:w="{9360 // columns}"/>' for _ in range(columns))

        def row(cells: tuple[tuple[Span, ...], ...], head: bool) -> str:
            cells = tuple(cells) + ((),) * (columns - len(cells))
            tr_pr = (
                "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if head else "<w:trPr><w:cantSplit/></w:trPr>"
            )
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="E8EEF4"/>' if head else ""
            out = []
            for cell in cells:
                spans = tuple(Span(s.text, True, s.italic, s.href) for s in cell) if head else cell
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="pct"/>{shade}</w:tcPr>'
                    f"{self.paragraph(spans, None)}</w:tc>"
                )
            return f"<w:tr>{tr_pr}{''.join(out)}</w:tr>"

        rows = ([row(table.header, True)] if table.header else []) + [row(r, False) for r in table.rows]
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style("Table Grid")}"/>'
            f'<w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl><w:p/>"
        )


def _core_xml(document: Document, config: Config, when: date | None) -> str:
    stamp = datetime.combine(when or date(2000, 1, 1), time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    company = config.settings.company.name
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_t(document.title)}</dc:title><dc:subject>{_t(document.kind)}</dc:subject>"
        f"<dc:creator>{_t(company)}</dc:creator><cp:lastModifiedBy>hrdocs</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )

"""DOCX writer, first stage: the company's branded Word package, prepared once per run.

python-docx builds a real package from the brand settings (or from the company's reference ``.docx``,
pandoc-style): styles, fonts, colours, page size and margins, the letterhead header with the logo, the
footer with page numbers, a numbering of its own for each numbered list, the signature picture. Those
parts are compressed once here; :mod:`hrdocs.writers.docx_body` then writes each document's body with
the style ids this package really has, and :mod:`hrdocs.writers.docx` assembles the two.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as Paragraph_
from lxml import etree

from hrdocs.config import Config
from hrdocs.errors import HrdocsError
from hrdocs.limits import PackageRefused, read_package
from hrdocs.writers.zipfast import Shared, deflate

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
class Prepared:
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


def prepare(config: Config) -> Prepared:
    """The company's Word package, built and compressed once per run: every document shares it."""
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
    return Prepared(
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

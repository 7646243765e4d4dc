"""DOCX writer, second stage: a document's blocks as WordprocessingML, in the prepared package's terms.

Paragraphs, runs, lists, tables and containers (signature, acceptance, small print…) become the XML of
``word/document.xml`` as text, with the style ids and numbering that :mod:`hrdocs.writers.docx_package`
found or made; the signature picture and e-signature tags (:mod:`hrdocs.esign`) go in here. Text is
written as strings, not built with lxml: a batch writes thousands of bodies, and this is the hot path.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from xml.sax.saxutils import escape

from hrdocs import esign
from hrdocs.config import Config
from hrdocs.docmodel import (
    SIGNATURE_MARK,
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
from hrdocs.writers.docx_package import Prepared

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTAINER_PPR = {
    "signature": "<w:keepLines/>",
    "acceptance": "<w:keepNext/><w:keepLines/>",
    "keep": "<w:keepNext/><w:keepLines/>",
    "center": '<w:jc w:val="center"/>',
    "letterhead-date": '<w:jc w:val="right"/>',
    "small": "",
}


def escaped(text: str) -> str:
    """Text as XML character data: escaped, and without the characters XML 1.0 cannot hold at all."""
    return escape(_INVALID_XML.sub("", text))


def _stateless(block: Block) -> bool:
    """Whether a block's XML is the same wherever it stands (a numbered list takes the next number)."""
    if isinstance(block, ListBlock):
        return not block.ordered
    if isinstance(block, Container):
        return all(_stateless(b) for b in block.blocks)
    return True


class Body:
    """One document's body as WordprocessingML, with the style ids and numbering of the prepared
    package; top-level blocks already made for an earlier document are taken from ``memo``."""

    def __init__(
        self,
        prepared: Prepared,
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
                    f'<w:szCs w:val="{half}"/></w:rPr>'
                    f'<w:t xml:space="preserve">{escaped(span.text)}</w:t></w:r>'
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
            text = "<w:br/>".join(f'<w:t xml:space="preserve">{escaped(line)}</w:t>' for line in lines)
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


def core_xml(document: Document, config: Config, when: date | None) -> str:
    """The core properties, stamped with the document's date (never the clock), so the bytes repeat."""
    stamp = datetime.combine(when or date(2000, 1, 1), time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    company = config.settings.company.name
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escaped(document.title)}</dc:title><dc:subject>{escaped(document.kind)}</dc:subject>"
        f"<dc:creator>{escaped(company)}</dc:creator><cp:lastModifiedBy>hrdocs</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )

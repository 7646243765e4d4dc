"""Document model -> Typst markup: the same blocks and the same voice as the DOCX writer, for Typst to set.

Every piece of text goes into the markup as a Typst *string literal* (``#"…";``), never as markup:
inside a string only ``\\`` and ``"`` mean anything, so escaping those two (and writing line ends as
``\\n``) prints any value exactly — ``Tom & Jerry <Ltd>``, ``#``, ``$``, ``*``, ``_``, ``@``, ``[``,
``]``, ``//``, ``--``, a URL — with no smart quotes, no dashes made of hyphens, no maths, no labels
or references. Escaping markup character by character instead would have to know every one of
Typst's markup rules and keep up with new ones. The ``;`` after each embedded expression ends it, so
that text after it can never be read as a call (``(``) or a trailing content block (``[``).

The look is built once per writer (:class:`Look`: fonts, sizes, colours, letterhead, footer, paper and
margins, as :mod:`hrdocs.writers.docx` builds the Word package's styles), and each document adds its
title, author and date and its body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

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
    signed,
)
from hrdocs.writers.html import safe_href

PAPER = {"letter": "us-letter", "a4": "a4", "legal": "us-legal"}
HEADER_DISTANCE_PT = 0.45 * 72
"""From the page's edge to the letterhead and to the footer, as the DOCX sets them (0.45 in)."""
LINE = 1.25
"""A line of text, in ems, for the room the letterhead and the footer need (Carlito's is 1.22)."""

_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Control characters (they would print as boxes) and lone surrogates (not text at all)."""
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(in|cm|mm|pt)$")
_TO_PT = {"in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pt": 1.0}


def string(text: str) -> str:
    """``text`` as a Typst string literal that reads back as exactly ``text``."""
    return '"' + _DROPPED.sub("", text).translate(_ESCAPES) + '"'


def text(value: str) -> str:
    """``value`` printed literally in markup: one string literal per line, line breaks between."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "#linebreak();".join(f"#{string(line)};" if line else "" for line in lines)


def points(length: str) -> float:
    """A length of the settings (``1in``, ``2.5 cm``, ``25mm``, ``12pt``; models.LengthText) in points."""
    match = _LENGTH.fullmatch(length.strip())
    if match is None:
        raise ValueError(f"not a length: {length!r}")
    return float(match[1]) * _TO_PT[match[2]]


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


def _rgb(colour: str) -> str:
    return f'rgb("#{colour.lstrip("#").upper()}")'


def _fonts(names: Sequence[str]) -> str:
    return "(" + ", ".join(string(n) for n in names) + ("," if len(names) == 1 else "") + ")"


def language(locale: str) -> tuple[str, str | None]:
    """Typst's ``lang`` and ``region`` from a Babel locale (``en_US`` -> ``en``, ``US``): the PDF's
    language for readers and assistive technology, and the rules for line breaking."""
    parts = locale.replace("-", "_").split("_")
    lang = parts[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}", parts[0]) else "en"
    region = next((p.upper() for p in parts[1:] if re.fullmatch(r"[A-Za-z]{2}", p)), None)
    return lang, region


# ---------------------------------------------------------------------------------------- the look
_MEMO_SIZE = 1024


def _own_language(document: Document) -> str:
    """The document's own language (``meta["language"]``: hrdocs.language), over the locale's."""
    tag = document.meta.get("language")
    if not tag or not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", tag):
        return ""
    lang, _, region = tag.partition("-")
    region = region or ("US" if lang == "en" else "")
    return f'#set text(lang: "{lang}"' + (f', region: "{region}"' if region else ", region: none") + ")\n"


@dataclass
class Look:
    """What every document of a workspace shares: the Typst set and show rules, made once."""

    rules: str
    signing: esign.Signing | None = None
    """E-signature tags for acceptance blocks (``esign.provider``; :mod:`hrdocs.esign`)."""
    signature: str = ""
    """The signatory's signature picture, as markup for the signing space of ``::: signature``."""
    _memo: dict[tuple[int, bool], tuple[Block, str]] = field(default_factory=dict, repr=False)
    """The markup of top-level blocks already made, by identity: the letters of a batch share their
    blocks without values (hrdocs.mdcache), so each is written once. An entry keeps its block alive,
    so the id stays its own."""

    @classmethod
    def of(
        cls,
        config: Config,
        *,
        body_fonts: Sequence[str],
        heading_fonts: Sequence[str],
        logo: str | None,
        signature: str | None = None,
    ) -> Look:
        """``body_fonts``/``heading_fonts``: installed families, in the order Typst tries them for each
        character; ``logo``: the logo's path inside the compiler's root, when the letterhead shows it."""
        settings = config.settings
        brand = settings.brand
        sizes, c = brand.sizes, brand.colours
        margins = brand.page.margins
        lang, region = language(settings.voice.locale)

        header, header_height = _letterhead(config, logo)
        footer, footer_height = _footer(config)
        gap = 8.0
        top = max(points(margins.top), HEADER_DISTANCE_PT + header_height + gap)
        bottom = max(points(margins.bottom), HEADER_DISTANCE_PT + footer_height + gap)
        rules = f"""\
#set page(paper: "{PAPER[brand.page.size]}", margin: (top: {_pt(top)}, bottom: {_pt(bottom)}, \
left: {_pt(points(margins.left))}, right: {_pt(points(margins.right))}), \
header: {header}, header-ascent: {_pt(top - HEADER_DISTANCE_PT - header_height)}, \
footer: {footer}, footer-descent: {_pt(bottom - HEADER_DISTANCE_PT - footer_height)})
#set text(font: {_fonts(body_fonts)}, size: {sizes.body:g}pt, fill: {_rgb(c.text)}, \
lang: "{lang}"{f', region: "{region}"' if region else ""}, top-edge: "ascender", bottom-edge: "descender")
#set par(leading: 0.18em, spacing: 6pt)
#set block(spacing: 6pt)
#show title: set text(font: {_fonts(heading_fonts)}, size: {sizes.title:g}pt, fill: {_rgb(c.primary)}, \
weight: "regular")
#show title: it => block(width: 100%, stroke: (bottom: 0.75pt + {_rgb(c.accent)}), \
inset: (bottom: 5pt), below: 12pt, it.body)
#show heading: set text(font: {_fonts(heading_fonts)}, fill: {_rgb(c.primary)}, weight: "bold")
#show heading.where(level: 1): set text(size: {sizes.heading1:g}pt)
#show heading.where(level: 1): set block(above: 14pt, below: 6pt)
#show heading.where(level: 2): set text(size: {sizes.heading2:g}pt, fill: {_rgb(c.accent)})
#show heading.where(level: 2): set block(above: 10pt, below: 6pt)
#show heading.where(level: 3): set text(size: {sizes.body:g}pt)
#show link: set text(fill: rgb("#0563C1"))
#show link: underline
#set list(indent: 0.25in, body-indent: 0.6em)
#set enum(indent: 0.25in, body-indent: 0.6em)
#set table(stroke: 0.5pt + rgb("#000000"), inset: (x: 0.08in, y: 4pt))
#set table.cell(breakable: false)
#let hr-small(body) = {{ set text(size: {sizes.small:g}pt, fill: {_rgb(c.muted)}); body }}
"""
        signatory = settings.voice.signatory
        signed_by = ""
        if signature is not None and signatory is not None:  # its path inside the compiler's root
            height = _pt(points(signatory.signature_height))
            signed_by = f"#box(image({string(signature)}, height: {height}, alt: {string('Signature')}));"
        return cls(rules, esign.of(config), signed_by)

    def markup(self, document: Document, *, author: str, when: date) -> str:
        """The whole Typst source of ``document``: its metadata, the look, its body."""
        head = (
            f"#set document(title: {string(document.title or author)}, author: {string(author)}, "
            f"description: {string(document.kind)}, "
            f"date: datetime(year: {when.year}, month: {when.month}, day: {when.day}))\n"
        )
        items = signed(document.blocks) if self.signature else document.blocks
        body = "".join(self._block(b, i == 0) for i, b in enumerate(items))
        if self.signature:
            body = body.replace(f"#{string(SIGNATURE_MARK)};", self.signature)
        return head + self.rules + _own_language(document) + "\n" + body

    def _block(self, item: Block, first: bool) -> str:
        key = (id(item), first)
        found = self._memo.get(key)
        if found is not None and found[0] is item:
            return found[1]
        made = block(item, first=first, signing=self.signing)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = (item, made)
        return made


def _letterhead(config: Config, logo: str | None) -> tuple[str, float]:
    """The letterhead on every page (logo, company name, address line, the accent rule under them),
    as the DOCX's header; and its height in points, for the top margin."""
    settings = config.settings
    brand, company = settings.brand, settings.company
    small, c = brand.sizes.small, brand.colours
    rows: list[str] = []
    height = 0.0
    if logo is not None:
        logo_height = points(brand.letterhead.logo_height)
        rows.append(f"image({string(logo)}, height: {_pt(logo_height)})")
        height += logo_height + 3
    rows.append(f'text(weight: "bold", fill: {_rgb(c.primary)}, size: {small + 2:g}pt)[{text(company.name)}]')
    height += (small + 2) * LINE
    if brand.letterhead.address:
        details = [*company.address, *(x for x in (company.phone, company.website) if x)]
        if details:
            rows.append(f"text(size: {small:g}pt, fill: {_rgb(c.muted)})[{text(' · '.join(details))}]")
            height += small * LINE + 3
    stack = f"stack(spacing: 3pt, {', '.join(rows)})"
    header = f"block(width: 100%, stroke: (bottom: 0.5pt + {_rgb(c.accent)}), inset: (bottom: 4pt), {stack})"
    return header, height + 4.5


def _footer(config: Config) -> tuple[str, float]:
    """The footer's text and ``Page N of M``, centred, as the DOCX's; and its height in points."""
    brand = config.settings.brand
    parts = []
    if brand.footer.text:
        parts.append(text(brand.footer.text))
    if brand.footer.page_numbers:
        if brand.footer.text:
            parts.append("#h(2em)")
        parts.append(f"{text('Page ')}#counter(page).display();{text(' of ')}#counter(page).final().first();")
    if not parts:
        return "none", 0.0
    small = brand.sizes.small
    body = f"text(size: {small:g}pt, fill: {_rgb(brand.colours.muted)})[{''.join(parts)}]"
    return f"context align(center, {body})", small * LINE * 2


# ---------------------------------------------------------------------------------------- the body
def spans(runs: Sequence[Span]) -> str:
    """Inline text: bold, italic and links around literal strings."""
    out = []
    for span in runs:
        if isinstance(span, esign.Tag):  # white, tiny, on one line: for the provider, not the reader
            out.append(
                f"#box(text(fill: {_rgb(esign.COLOUR)}, size: {span.size_pt:g}pt, {string(span.text)}));"
            )
            continue
        if span.text == "\n":
            out.append("#linebreak();")
            continue
        markup = text(span.text)
        if span.italic:
            markup = f"#emph[{markup}];"
        if span.bold:
            markup = f"#strong[{markup}];"
        href = safe_href(span.href)
        if href is not None:
            markup = f"#link({string(href)})[{markup}];"
        out.append(markup)
    return "".join(out)


_CONTAINERS = {
    "signature": "#block(breakable: false)",
    "acceptance": "#block(breakable: false, above: 14pt)",
    "keep": "#block(breakable: false)",
    "center": "#align(center)",
    "letterhead-date": "#align(right)",
    "small": "#hr-small",
}


def blocks(items: Sequence[Block], *, top: bool = False, signing: esign.Signing | None = None) -> str:
    """Blocks, one paragraph of markup each; the first level-1 heading of a document is its title."""
    return "".join(block(b, first=top and i == 0, signing=signing) for i, b in enumerate(items))


def block(item: Block, *, first: bool = False, signing: esign.Signing | None = None) -> str:
    match item:
        case Heading(level=1, spans=runs) if first:
            return f"#title[{spans(runs)}];\n\n"
        case Heading(level=level, spans=runs):
            return f"#heading(level: {max(1, level - 1)})[{spans(runs)}];\n\n"
        case Paragraph(spans=runs):
            return f"{spans(runs)}\n\n" if runs else ""
        case ListBlock():
            return _list(item) + "\n\n"
        case Table():
            return _table(item) + "\n\n"
        case Rule():
            return "#line(length: 100%, stroke: 0.5pt);\n\n"
        case Container(name=name):
            opening = _CONTAINERS.get(name, "#block")
            inner = esign.container(item, signing)
            return f"{opening}[\n{blocks(inner, signing=signing)}];\n\n"
    return ""


def _list(item: ListBlock) -> str:
    entries = []
    for entry in item.items:
        children = "".join(_list(child) for child in entry.children)
        entries.append(f"[{spans(entry.spans)}{children}]")
    function = "enum" if item.ordered else "list"
    return f"#{function}({', '.join(entries)});"


def _table(table: Table) -> str:
    """Equal columns, a grid, the header row shaded and bold and repeated on each page, no row split
    across pages: the DOCX's ``Table Grid`` as its writer fills it."""
    columns = max([len(table.header), *(len(r) for r in table.rows)], default=1) or 1

    def cells(row: Sequence[tuple[Span, ...]], head: bool) -> list[str]:
        padded = list(row) + [()] * (columns - len(row))
        if head:
            return [f"[#strong[{spans(cell)}];]" for cell in padded]
        return [f"[{spans(cell)}]" for cell in padded]

    parts = [f"columns: ({', '.join(['1fr'] * columns)}{',' if columns == 1 else ''})"]
    if table.header:
        parts.append('fill: (_, y) => if y == 0 { rgb("#E8EEF4") }')
        parts.append(f"table.header({', '.join(cells(table.header, True))})")
    parts.extend(c for row in table.rows for c in cells(row, False))
    return f"#table({', '.join(parts)});"

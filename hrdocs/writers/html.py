"""HTML writer: one self-contained, semantic page per document, styled from the brand settings.

The page needs nothing else: the CSS is generated from the brand's fonts, sizes and colours (the same
settings the DOCX writer uses), the logo is embedded as a ``data:`` URL, and there is no JavaScript, so
it reads the same in a browser, a careers-site CMS, a mail client or a screen reader. Every piece of
text and every attribute is escaped; links keep only safe schemes (``http``, ``https``, ``mailto``,
``tel`` and relative ones).

:func:`blocks_html` is the semantic fragment alone (no page, no styles); the JSON-LD writer uses it for
a posting's ``description``. A page may carry structured data (schema.org JSON-LD) in its head: the
registry passes a function that returns it for the documents that have it (postings).
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

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
from hrdocs.language import LANGUAGE, PRIMARY, html_lang
from hrdocs.limits import picture_facts

StructuredData = Callable[[Document], "dict[str, Any] | None"]

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def esc(text: str) -> str:
    """Text for element content and (double-quoted) attribute values alike."""
    return html.escape(text, quote=True).replace("&#x27;", "'")


def safe_href(href: str | None) -> str | None:
    """The link target if its scheme is harmless (or it is relative); ``None`` drops the link."""
    if not href or not href.strip():
        return None
    match = _SCHEME.match(href)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return href.strip()


# ------------------------------------------------------------------------------------ the fragment
def spans_html(spans: Sequence[Span]) -> str:
    out = []
    for span in spans:
        if span.text == "\n":
            out.append("<br>")
            continue
        text = "<br>".join(esc(line) for line in span.text.split("\n"))
        if span.italic:
            text = f"<em>{text}</em>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        href = safe_href(span.href)
        if href is not None:
            text = f'<a href="{esc(href)}">{text}</a>'
        out.append(text)
    return "".join(out)


def blocks_html(blocks: Sequence[Block], *, indent: str = "") -> str:
    """Semantic HTML of blocks: headings, paragraphs, lists, tables; no classes but for containers."""
    return "".join(_block(b, indent) for b in blocks)


def _block(block: Block, ind: str) -> str:
    match block:
        case Heading(level=level, spans=spans):
            tag = f"h{min(max(level, 1), 6)}"
            return f"{ind}<{tag}>{spans_html(spans)}</{tag}>\n"
        case Paragraph(spans=spans):
            return f"{ind}<p>{spans_html(spans)}</p>\n"
        case ListBlock():
            return _list(block, ind)
        case Table():
            return _table(block, ind)
        case Rule():
            return f"{ind}<hr>\n"
        case Container(name=name, blocks=inner):
            return f'{ind}<div class="{esc(name)}">\n{blocks_html(inner, indent=ind + "  ")}{ind}</div>\n'
    return ""


def _list(block: ListBlock, ind: str) -> str:
    tag = "ol" if block.ordered else "ul"
    items = []
    for item in block.items:
        children = "".join(_list(child, ind + "    ") for child in item.children)
        if children:
            items.append(f"{ind}  <li>{spans_html(item.spans)}\n{children}{ind}  </li>\n")
        else:
            items.append(f"{ind}  <li>{spans_html(item.spans)}</li>\n")
    return f"{ind}<{tag}>\n{''.join(items)}{ind}</{tag}>\n"


def _table(table: Table, ind: str) -> str:
    """Tables of our documents are read by rows: the first cell of each row is that row's header.

    A two-column table (the facts at the top of a job description or posting) is a list of label and
    value pairs, so its Markdown header row is a pair like the others rather than column headings.
    """
    columns = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    pairs = columns == 2
    head = "" if pairs or not table.header else _row(table.header, columns, ind + "    ", head=True)
    body_rows = ([table.header] if pairs and table.header else []) + list(table.rows)
    body = "".join(_row(r, columns, ind + "    ", head=False) for r in body_rows)
    parts = [f'{ind}<table class="{"facts" if pairs else "grid"}">\n']
    if head:
        parts.append(f"{ind}  <thead>\n{head}{ind}  </thead>\n")
    parts.append(f"{ind}  <tbody>\n{body}{ind}  </tbody>\n{ind}</table>\n")
    return "".join(parts)


def _row(cells: Sequence[tuple[Span, ...]], columns: int, ind: str, *, head: bool) -> str:
    cells = list(cells) + [()] * (columns - len(cells))
    out = []
    for i, cell in enumerate(cells):
        if head:
            out.append(f'<th scope="col">{spans_html(cell)}</th>')
        elif i == 0:
            out.append(f'<th scope="row">{spans_html(cell)}</th>')
        else:
            out.append(f"<td>{spans_html(cell)}</td>")
    return f"{ind}<tr>{''.join(out)}</tr>\n"


def body_blocks(doc: Document) -> list[Block]:
    """The document without its title heading (for descriptions that sit under a title elsewhere)."""
    if doc.blocks and isinstance(doc.blocks[0], Heading) and doc.blocks[0].level == 1:
        return list(doc.blocks[1:])
    return list(doc.blocks)


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes, so ``</script>`` or
    ``<!--`` in any value cannot end or change the element; the parsed JSON is unchanged."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ----------------------------------------------------------------------------------------- the page
def _css_font(name: str, fallback: str) -> str:
    cleaned = re.sub(r'[\\"<>{};\n\r]', "", name).strip()
    return f'"{cleaned}", {fallback}' if cleaned else fallback


def _colour(value: str) -> str:
    return "#" + value.lstrip("#").upper()


def page_css(config: Config) -> str:
    brand = config.settings.brand
    fonts, sizes, c = brand.fonts, brand.sizes, brand.colours
    body_font = _css_font(fonts.body, "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif")
    heading_font = _css_font(fonts.heading, "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif")
    return f"""\
:root {{ --primary: {_colour(c.primary)}; --accent: {_colour(c.accent)}; --text: {_colour(c.text)};
  --muted: {_colour(c.muted)}; }}
html {{ font-family: {body_font}; font-size: {sizes.body:g}pt; color: var(--text); background: #fff; }}
body {{ max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; line-height: 1.5; }}
header.site {{ display: flex; align-items: center; gap: .75rem; padding-bottom: .6rem;
  border-bottom: 1px solid var(--accent); color: var(--primary); }}
header.site img {{ height: 2.4rem; width: auto; }}
header.site .company {{ font-weight: bold; margin: 0; }}
h1, h2, h3, h4 {{ font-family: {heading_font}; color: var(--primary); line-height: 1.25; }}
h1 {{ font-size: {sizes.title:g}pt; font-weight: normal; margin: 1.2rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--accent); }}
h2 {{ font-size: {sizes.heading1:g}pt; margin: 1.6rem 0 .4rem; }}
h3 {{ font-size: {sizes.heading2:g}pt; color: var(--accent); margin: 1.1rem 0 .3rem; }}
a {{ color: var(--accent); }}
table {{ border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; }}
th, td {{ border: 1px solid #C9D3DD; padding: .35rem .6rem; text-align: left; vertical-align: top; }}
thead th {{ background: #E8EEF4; }}
tbody th {{ font-weight: bold; }}
table.facts tbody th {{ width: 30%; background: #F4F7FA; }}
ul, ol {{ padding-left: 1.4rem; }}
li {{ margin: .15rem 0; }}
.small, footer.site {{ font-size: {sizes.small:g}pt; color: var(--muted); }}
.center {{ text-align: center; }}
.letterhead-date {{ text-align: right; }}
footer.site {{ margin-top: 2.5rem; padding-top: .6rem; border-top: 1px solid #C9D3DD; }}
@media print {{ body {{ max-width: none; padding: 0; }} a {{ color: inherit; }} }}
"""


def logo_data_url(config: Config) -> str | None:
    """The company logo as a ``data:`` URL (the page stays one file), if the brand shows a logo."""
    if config.logo is None or not config.settings.brand.letterhead.logo:
        return None
    data = config.logo.read_bytes()
    mime = next((m for magic, m in _IMAGE_TYPES.items() if data.startswith(magic)), None)
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def signature_img(config: Config) -> str:
    """The signatory's signature as an ``<img>`` with a ``data:`` URL, as the logo: the page stays one
    file that shows the same offline, mailed or archived, and fetches nothing."""
    signatory = config.settings.voice.signatory
    if config.signature is None or signatory is None:
        return ""
    data = config.signature.read_bytes()
    mime = picture_facts(data).content_type  # checked when the settings were loaded
    height = "".join(signatory.signature_height.split())  # "1.5 cm" in hrdocs.yaml, "1.5cm" in CSS
    return (
        f'<img class="signature-image" src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}" '
        f'alt="Signature of {esc(signatory.name)}" style="height: {esc(height)}">'
    )


class HtmlWriter:
    """Made once per run: the CSS and the embedded logo are prepared here, each page adds its body."""

    def __init__(self, config: Config, *, structured_data: StructuredData | None = None) -> None:
        settings = config.settings
        self.company = settings.company.name
        self.lang = html_lang(settings.voice.language or PRIMARY)
        self.css = page_css(config)
        self.logo = logo_data_url(config)
        self.signature = signature_img(config)
        self.footer = settings.brand.footer.text
        self.structured_data = structured_data

    def render(self, doc: Document) -> bytes:
        return self.page(doc).encode("utf-8")

    def _body(self, doc: Document) -> str:
        if not self.signature:
            return blocks_html(doc.blocks)
        return blocks_html(signed(doc.blocks)).replace(SIGNATURE_MARK, self.signature)

    def page(self, doc: Document) -> str:
        data = self.structured_data(doc) if self.structured_data else None
        script = (
            f'<script type="application/ld+json">\n{script_json(data)}\n</script>\n'
            if data is not None
            else ""
        )
        logo = f'<img src="{self.logo}" alt="{esc(self.company)} logo">' if self.logo else ""
        footer = f'<footer class="site"><p>{esc(self.footer)}</p></footer>\n' if self.footer else ""
        lang = html_lang(doc.meta[LANGUAGE]) if LANGUAGE in doc.meta else self.lang  # the document's own
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="hrdocs">\n'
            f"<title>{esc(doc.title or self.company)}</title>\n"
            f"<style>\n{self.css}</style>\n{script}</head>\n<body>\n"
            f'<header class="site">{logo}<p class="company">{esc(self.company)}</p></header>\n'
            f'<main>\n<article class="{esc(doc.kind)}">\n{self._body(doc)}</article>\n</main>\n'
            f"{footer}</body>\n</html>\n"
        )

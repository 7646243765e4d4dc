"""Writers turn the document model into file formats. One module per format; registered here.

Every writer is a function ``Document -> bytes``. Writers that prepare something per run (the DOCX
package, the HTML page's CSS and logo, the LibreOffice converter) are made once per session and kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from hrdocs.docmodel import Document
from hrdocs.writers import jsonld, markdown
from hrdocs.writers.html import HtmlWriter

if TYPE_CHECKING:
    from hrdocs.config import Config
    from hrdocs.writers.docx import DocxWriter
    from hrdocs.writers.pdf import PdfConverter

Writer = Callable[[Document], bytes]

PDF = "pdf"
"""Made from the DOCX by LibreOffice; :func:`hrdocs.pipeline.add_pdfs` converts many in one run."""

DATE = "date"
"""``Document.meta[DATE]``: the document's own date (ISO), e.g. a letter's. The DOCX core properties
(created, modified) carry it rather than the session's date, so that a letter's bytes depend on its data
only, whatever day it is written (as in ``hrdocs batch``). Documents without one (job descriptions,
postings) are stamped with the session's date, which ``--date`` sets."""


def stamp_date(doc: Document, default: date) -> date:
    """The date a writer stamps on ``doc``: its own (``meta[DATE]``) when it has one, else ``default``."""
    own = doc.meta.get(DATE)
    return date.fromisoformat(own) if own else default


def make_writers(
    config: Config, docx: Callable[[], DocxWriter], pdf: Callable[[], PdfConverter], today: date
) -> dict[str, Writer]:
    """Format name (the file suffix) -> a function making that file's bytes from a document. What is
    costly to prepare (the Word package, the page's CSS and logo, LibreOffice) is made on first use."""
    html: HtmlWriter | None = None

    def docx_file(doc: Document) -> bytes:
        return docx().render(doc, when=stamp_date(doc, today))

    def page(doc: Document) -> bytes:
        nonlocal html
        if html is None:
            html = HtmlWriter(config, structured_data=jsonld.job_posting)
        return html.render(doc)

    return {
        "docx": docx_file,
        "html": page,
        "md": markdown.render_markdown,
        "txt": markdown.render_text,
        PDF: lambda doc: pdf().convert_one(docx_file(doc)),
        "json": jsonld.render,
    }

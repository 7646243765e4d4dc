"""Writers turn the document model into file formats. One module per format; registered here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hrdocs.docmodel import Document

if TYPE_CHECKING:
    from hrdocs.api import Session


def registry(session: Session) -> dict[str, Callable[[Document], bytes]]:
    """Format name (the file suffix) -> a function making that file's bytes from a document."""
    return {
        "docx": lambda doc: session.docx.render(doc, when=session.today),
    }

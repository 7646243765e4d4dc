"""The contract between the Word engine and values that are more than text.

A plain value in ``{{ x }}`` becomes escaped text inside the run it was typed in. A *fragment*
(rich text, an image, a sub-document) is Word XML of its own, and where it goes decides what XML it
must give: inside a run's text (``{{ x }}``: close the text and run, give runs, reopen), in place of
the whole run (``{{r x }}``: runs) or in place of the whole paragraph (``{{p x }}``: paragraphs or
tables). Anything a fragment adds to the package (an image part, a relationship, a style, a
numbering definition) goes through the render's :class:`Sink`, so the template itself is never
changed and two renders never share state.

The sink of the render in progress is found through a context variable rather than passed through
Jinja: the compiled template code stays as it is, and a value made by a filter in a text template
(where there is no package) simply finds no sink.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Protocol, TypeVar, runtime_checkable

from markupsafe import Markup, escape

T = TypeVar("T")


class Sink(Protocol):
    """What one render of one Word document collects from its fragments."""

    part: str
    """The package part being rendered now (``word/document.xml``, ``word/header1.xml``…): a
    relationship belongs to the part that uses it."""

    def relate(self, rel_type: str, target: str, *, external: bool = False) -> str:
        """Add a relationship from the current part; return its id (deterministic per render)."""
        ...

    def add_part(self, stem: str, ext: str, data: bytes, content_type: str) -> str:
        """Add a new package member (an image, say); return its name inside the package. The same
        bytes added twice are stored once."""
        ...

    def drawing_id(self) -> int:
        """A number no other drawing of the document uses (a picture's ``wp:docPr`` id)."""
        ...

    def once(self, key: object, make: Callable[[], T]) -> T:
        """``make()`` the first time ``key`` is asked for in this render, the same result after (a
        sub-document's styles and list numbering, merged once however often it is included)."""
        ...


CURRENT_SINK: contextvars.ContextVar[Sink | None] = contextvars.ContextVar("hrdocs_word_sink", default=None)


MARKER = "__hrdocs_fragment__"
"""The class attribute (``__hrdocs_fragment__ = True``) by which the Word engine knows a fragment:
a check of one attribute of the value's class, where ``isinstance`` against the Protocol below looks
for each of its methods on every value printed."""


@runtime_checkable
class Fragment(Protocol):
    """A value that is Word XML of its own (rich text, an image, a sub-document). Its class also sets
    ``__hrdocs_fragment__ = True`` (:data:`MARKER`): without it, the value is printed as text."""

    def runs(self, rpr: str, sink: Sink) -> str:
        """One or more ``<w:r>`` elements. ``rpr`` is the ``<w:rPr>…</w:rPr>`` of the run the tag was
        typed in (or ``""``), for the fragment to start from."""
        ...

    def blocks(self, ppr: str, rpr: str, sink: Sink) -> str:
        """One or more ``<w:p>`` (or ``<w:tbl>``) elements, for ``{{p x }}``. ``ppr`` and ``rpr`` are
        the properties of the paragraph and of the first run the tag was typed in."""
        ...

    def plain(self) -> str:
        """The visible text, for text templates, linters and the document's plain text."""
        ...


_T_OPEN = '<w:t xml:space="preserve">'


def text_run(text: str, rpr: str = "") -> str:
    """One run holding plain ``text``, escaped (newlines and tabs as Word breaks and tabs)."""
    body = str(escape(text)).replace("\r\n", "\n").replace("\r", "\n")
    body = body.replace("\n", f"</w:t><w:br/>{_T_OPEN}").replace("\t", f"</w:t><w:tab/>{_T_OPEN}")
    return Markup(f"<w:r>{rpr}{_T_OPEN}{body}</w:t></w:r>")


def inside_text(fragment: Fragment, rpr: str, sink: Sink) -> Markup:
    """A fragment printed by a plain ``{{ x }}``: close the text and the run it is in, give the
    fragment's runs, and reopen a run with the same properties for whatever follows."""
    return Markup(f"</w:t></w:r>{fragment.runs(rpr, sink)}<w:r>{rpr}{_T_OPEN}")

"""DOCX writer: the company's look is prepared once per run, each document adds only its body.

Preparation uses python-docx to build a real Word package from the brand settings (or from the
company's reference ``.docx``, pandoc-style): styles, fonts, colours, page size and margins, the
letterhead header with the logo, the footer with page numbers. Those parts are compressed once; for
each document we write ``word/document.xml`` from the document model with the real style ids of that
package (Title, Heading 1, List Bullet, …) and assemble the zip directly. This is what makes a batch of
thousands of letters fast, and every output byte-identical for the same input.

The stages: :mod:`hrdocs.writers.docx_package` prepares the package, :mod:`hrdocs.writers.docx_body`
writes a body's blocks as XML; this module keeps them per run, fills tokens' values, checks what it
made and packs the zip.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from xml.parsers import expat

from hrdocs import esign
from hrdocs.config import Config
from hrdocs.docmodel import TOKEN, Block, Document
from hrdocs.errors import HrdocsError
from hrdocs.writers.docx_body import Body as _Body
from hrdocs.writers.docx_body import core_xml, escaped
from hrdocs.writers.docx_package import length, prepare
from hrdocs.writers.zipfast import Member, deflate

__all__ = ["W_NS", "DocxWriter", "length"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_t_value = functools.lru_cache(maxsize=4096)(escaped)
"""A letter's values, escaped: most (the company, the role, dates, amounts) recur from letter to letter."""

_MEMO_SIZE = 1024
_PLANS = 64
_BODY_LEVEL = 1
"""Deflate level of the parts made per document: level 6 costs three times as long for a tenth less."""


class DocxWriter:
    """Made once per run (per company settings); :meth:`render` then costs only the body."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._prepared = prepare(config)
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
        core = core_xml(document, self.config, when).encode()
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

"""E-signature tags: the provider's own anchor or text tags in an offer's acceptance block.

A letter sent through DocuSign, Dropbox Sign or Adobe Acrobat Sign needs fields where the candidate
signs, prints their name and dates it. Each provider finds those places by text in the document
(DocuSign's anchor strings, the others' text tags), so with ``esign.provider`` set the DOCX and PDF
writers print the provider's tags inside the ``::: acceptance`` block — white and tiny, so the printed
letter shows nothing, while the text stays in the DOCX and in the PDF's text layer for the provider
to find. HTML and Markdown get none: nobody sends those for signature, and hidden text in a web page
is read out by screen readers.

Where the tags go: a paragraph of the block with a blank line to fill in (``___``) is a place to
write. The candidate's signature tag goes before the first blank, the date tag before the last one
(when there are two or more), the printed-name tag at the end of the paragraph after the signature's
(the built-in template's ``Name:`` line). What finds no place — and the company signatory's tags, with
``esign.signatory: true`` — goes in one last hidden line of the block.

The tags are data (``hrdocs/data/esign/PROVIDER.yaml``, each with the public page it comes from); a
workspace's ``esign/PROVIDER.yaml`` replaces any of them, for what could not be confirmed there or an
account set up with other anchors (docs/pdf.md, "E-signature").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from hrdocs.config import Config
from hrdocs.docmodel import Block, Container, Paragraph, Span
from hrdocs.errors import Problem, ValidationFailed
from hrdocs.loader import read_yaml, validate
from hrdocs.models import Strict, Text
from hrdocs.workspace import PACKAGE_DIR, Jail, OutsideWorkspace

BUILTIN = PACKAGE_DIR / "data" / "esign"
FOLDER = "esign"
"""The workspace's own tag tables: ``esign/PROVIDER.yaml`` beside ``hrdocs.yaml``."""
ACCEPTANCE = "acceptance"
COLOUR = "FFFFFF"
"""White on the white page: invisible in print, still text."""
_BLANK = re.compile(r"_{3,}")


class TagSpec(Strict):
    text: Text
    source: Text
    """The public page that gives the syntax."""
    confirmed: bool = True
    """False: the syntax was not seen in the provider's own pages (docs/pdf.md says which)."""
    note: Text | None = None


class SignerTags(Strict):
    signature: TagSpec
    name: TagSpec | None = None
    date: TagSpec | None = None


class ProviderSpec(Strict):
    """One provider's file, as written."""

    provider: Text
    about: Text
    size_pt: float = Field(default=2.0, ge=1.0, le=12.0)
    """The tags' font size (Adobe Acrobat Sign reads tags of 2 pt or more)."""
    candidate: SignerTags
    signatory: SignerTags


@dataclass(frozen=True)
class Tag(Span):
    """A span the provider finds and the reader never sees: printed white, ``size_pt`` high, never
    broken across lines. Only the DOCX and PDF writers meet one (see :meth:`Signing.place`)."""

    size_pt: float = 2.0


@dataclass(frozen=True)
class Signing:
    """The tags of one provider, as the settings and the workspace give them."""

    provider: str
    spec: ProviderSpec
    signatory: bool

    def tag(self, text: str) -> Tag:
        return Tag(text, size_pt=self.spec.size_pt)

    def place(self, blocks: Sequence[Block]) -> tuple[Block, ...]:
        """An acceptance block's blocks with the tags in (see the module's docstring). The same
        blocks always get the same tags in the same places: a batch's masked letters and the plain
        render (``--verify``) agree."""
        candidate = self.spec.candidate
        blanks = [
            i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and _blank_at(b.spans) is not None
        ]
        before: dict[int, list[str]] = {}
        after: dict[int, list[str]] = {}
        rest: list[str] = []
        if blanks:
            before.setdefault(blanks[0], []).append(candidate.signature.text)
        else:
            rest.append(candidate.signature.text)
        if candidate.name is not None:
            spot = blanks[0] + 1 if blanks else None
            if (
                spot is not None
                and spot < len(blocks)
                and isinstance(blocks[spot], Paragraph)
                and spot not in blanks
            ):
                after.setdefault(spot, []).append(candidate.name.text)
            else:
                rest.append(candidate.name.text)
        if candidate.date is not None:
            if len(blanks) >= 2:
                before.setdefault(blanks[-1], []).append(candidate.date.text)
            else:
                rest.append(candidate.date.text)
        if self.signatory:
            company = self.spec.signatory
            rest.extend(t.text for t in (company.signature, company.name, company.date) if t is not None)
        out: list[Block] = []
        for i, item in enumerate(blocks):
            if isinstance(item, Paragraph) and (i in before or i in after):
                out.append(Paragraph(self._into(item.spans, before.get(i, []), after.get(i, []))))
            else:
                out.append(item)
        if rest:
            out.append(Paragraph(tuple(self._spaced(rest))))
        return tuple(out)

    def _into(self, spans: tuple[Span, ...], before: list[str], after: list[str]) -> tuple[Span, ...]:
        runs = list(spans)
        if before:
            found = _blank_at(spans)
            assert found is not None
            k, at = found
            span = runs[k]
            head = Span(span.text[:at], span.bold, span.italic, span.href)
            tail = Span(span.text[at:], span.bold, span.italic, span.href)
            runs[k : k + 1] = [*([head] if head.text else []), *self._spaced(before), tail]
        if after:
            runs.extend([Span(" "), *self._spaced(after)])
        return tuple(runs)

    def _spaced(self, texts: Sequence[str]) -> list[Span]:
        out: list[Span] = []
        for n, text in enumerate(texts):
            if n:
                out.append(self.tag(" "))
            out.append(self.tag(text))
        return out


def _blank_at(spans: Sequence[Span]) -> tuple[int, int] | None:
    """Where the first blank to fill in (``___``) starts: (span, character)."""
    for k, span in enumerate(spans):
        if span.href is None and not isinstance(span, Tag):
            match = _BLANK.search(span.text)
            if match is not None:
                return k, match.start()
    return None


def of(config: Config) -> Signing | None:
    """The tags the settings ask for (``esign.provider``), ``None`` for ``none``. A workspace's
    ``esign/PROVIDER.yaml`` is read once per settings file; a mistake in it is a located error."""
    settings = config.settings.esign
    if settings.provider == "none":
        return None
    own = config.source.parent / FOLDER / f"{settings.provider}.yaml"
    try:
        found = own.stat()
        stamp: tuple[int, int] | None = (found.st_mtime_ns, found.st_size)
    except OSError:
        stamp = None
    return _load(settings.provider, config.source.parent, settings.signatory, stamp)


@functools.lru_cache(maxsize=16)
def _load(provider: str, folder: Path, signatory: bool, stamp: tuple[int, int] | None) -> Signing:
    """Read once per file and version (``stamp``: the workspace file's mtime and size)."""
    path = BUILTIN / f"{provider}.yaml"
    data, lines = read_yaml(path)
    source = str(path)
    own = folder / FOLDER / f"{provider}.yaml"
    if own.is_file() and own.resolve() != path.resolve():
        try:
            Jail((folder,)).check(own)
        except OutsideWorkspace as exc:
            why = f"{exc.reason} ({exc.advice})"
            raise ValidationFailed([Problem(str(own), None, FOLDER, why)], what=str(own)) from None
        extra, lines = read_yaml(own)
        if not isinstance(extra, Mapping):
            raise ValidationFailed(
                [Problem(str(own), 1, FOLDER, "expected a mapping of keys")], what=str(own)
            )
        data, source = _merged(data, extra), str(own)
    spec = validate(ProviderSpec, data, source, lines)
    return Signing(provider, spec, signatory)


def _merged(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``, key by key at every depth: an override names only what it changes."""
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merged(base.get(key), value) if key in base else value
        return out
    return extra


def all_tags(signing: Signing) -> list[str]:
    """Every tag the letter carries with these settings, in the order :meth:`Signing.place` writes
    them when no line of the block can take one (for tests and ``templates check``)."""
    candidate, company = signing.spec.candidate, signing.spec.signatory
    found = [t.text for t in (candidate.signature, candidate.name, candidate.date) if t is not None]
    if signing.signatory:
        found += [t.text for t in (company.signature, company.name, company.date) if t is not None]
    return found


def container(item: Container, signing: Signing | None) -> tuple[Block, ...]:
    """The blocks a writer prints for ``item``: with the tags when it is the acceptance block."""
    if signing is None or item.name != ACCEPTANCE:
        return item.blocks
    return _placed(signing, item)


@functools.lru_cache(maxsize=256)
def _placed(signing: Signing, item: Container) -> tuple[Block, ...]:
    """Remembered by the block (blocks are frozen, so equal blocks get equal tags): the letters of a
    batch share their acceptance block's masked shape, placed once."""
    return signing.place(item.blocks)

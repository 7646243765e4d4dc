"""Sub-documents: ``{{p subdoc('clauses/benefits.docx') }}`` puts another Word file's body in place.

A clause or a benefits summary is often kept as its own ``.docx`` that legal or HR edits alone. Its
paragraphs and tables come in with their formatting: the styles they use are added to the letter's
``styles.xml`` (a style the template already has, by id, stays the template's, so the letter keeps
one look), its lists get list definitions of their own (renumbered ``abstractNumId``/``numId``, so
they stay lists and never continue or restyle the template's), and its pictures and links come
along through the render's sink. The file is held to the limits of a Word template
(:func:`hrdocs.limits.open_package`) and to the workspace jail, and read once per session.

What a sub-document cannot carry is refused when it is first read, naming the file: footnotes,
comments' replies, charts and embedded objects (their parts are not copied), and any picture linked
rather than embedded. Section breaks inside it are dropped: the letter's page setup stays.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import TemplateRuntimeError
from lxml import etree

from hrdocs.limits import PICTURE_MAX_BYTES, PackageRefused, open_package, read_member
from hrdocs.word.fragment import Sink
from hrdocs.word.images import workspace_file
from hrdocs.word.sink import CT_NS, HYPERLINK, IMAGE, REL_NS, PackageSink
from hrdocs.workspace import Jail, package_links_out

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W = f"{{{W_NS}}}"
STYLES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_DROPPED = {
    f"{_W}{t}"
    for t in ("sectPr", "commentRangeStart", "commentRangeEnd", "proofErr", "bookmarkStart", "bookmarkEnd")
}
_REFUSED = {f"{_W}footnoteReference": "footnotes", f"{_W}endnoteReference": "endnotes"}
_MARK = re.compile("\ue010(\\d+)\ue011|\ue012|\ue013(\\d+)\ue014")
"""Placeholders in a sub-document's prepared XML: a relationship, a drawing id, a list number."""


class SubdocRefused(TemplateRuntimeError):
    """A sub-document cannot be included; the message names the file and why."""


@dataclass(frozen=True)
class _Link:
    kind: str  # "image" or "hyperlink"
    target: str  # the URL, or the member's name in the sub-document
    data: bytes = b""
    content_type: str = ""


@dataclass(frozen=True)
class Subdoc:
    """A sub-document read and prepared once: a :class:`~hrdocs.word.fragment.Fragment`. A template
    sees it: what it holds (XML elements, which can write files) is private to the sandbox."""

    __hrdocs_fragment__ = True  # hrdocs.word.fragment.MARKER
    name: str
    _body: str
    _links: tuple[_Link, ...]
    _styles: tuple[etree._Element, ...]
    _abstracts: tuple[tuple[int, etree._Element], ...]
    _nums: tuple[tuple[int, int, etree._Element], ...]
    """(numId, abstractNumId, the ``w:num``)."""
    text: str
    _digest: str
    """Of the file's bytes: what its merged styles and lists depend on (made once for a batch)."""

    def blocks(self, ppr: str, rpr: str, sink: Sink) -> str:
        numbers = sink.once(("subdoc", self.name), lambda: self._merge(sink))
        rids: list[str] = []
        for link in self._links:
            if link.kind == "image":
                ext = PurePosixPath(link.target).suffix.lstrip(".") or "bin"
                rids.append(sink.relate(IMAGE, sink.add_part("hrdocs", ext, link.data, link.content_type)))
            else:
                rids.append(sink.relate(HYPERLINK, link.target, external=True))

        def put(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return rids[int(m.group(1))]
            if m.group(2) is not None:
                return str(numbers.get(int(m.group(2)), 0))
            return str(sink.drawing_id())

        return _MARK.sub(put, self._body)

    def runs(self, rpr: str, sink: Sink) -> str:
        raise SubdocRefused(
            f"subdoc({self.name!r}) fills whole paragraphs: write it as {{{{p subdoc(...) }}}}"
        )

    def plain(self) -> str:
        return self.text

    def __str__(self) -> str:
        raise SubdocRefused("subdoc() includes a Word file in Word templates only")

    def _merge(self, sink: Sink) -> dict[int, int]:
        """Give this render's package the sub-document's styles and lists (once per render)."""
        if not isinstance(sink, PackageSink):
            raise SubdocRefused("subdoc() needs the Word engine's package")
        abstract_ids = {old: sink.number("abstractNum") for old, _ in self._abstracts}
        numbers = {num_id: sink.number("num") for num_id, _, _ in self._nums}
        key = (self._digest, tuple(abstract_ids.items()), tuple(numbers.items()))
        if self._styles:
            merge = _style_merger(self._styles, numbers)
            sink.edit_part("word/styles.xml", merge, key=key, content_type=STYLES_CT)
        if self._nums:
            merge = _numbering_merger(self._abstracts, self._nums, abstract_ids, numbers)
            sink.edit_part("word/numbering.xml", merge, key=key, content_type=NUMBERING_CT)
        return numbers


class Subdocs:
    """The template global ``subdoc``: Word files of one workspace, each read once."""

    def __init__(self, root: Path) -> None:
        # private: a template sees this object, and its sandbox refuses only _-names (a Path reads files)
        self._root = Path(root)
        self._jail = Jail((self._root,))
        self._cache: dict[str, Subdoc] = {}

    def __call__(self, name: Any) -> Subdoc:
        if not isinstance(name, str) or not name.lower().endswith(".docx"):
            raise SubdocRefused(
                "subdoc(): give a .docx file relative to the workspace, such as 'clauses/benefits.docx'"
            )
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = read_subdoc(self._root, self._jail, name)
        return found


def read_subdoc(root: Path, jail: Jail, name: str) -> Subdoc:
    shown = f"subdoc {name!r}"
    real = workspace_file(root, jail, name, shown, SubdocRefused)
    try:
        with open_package(real, name) as archive:
            parts = {i.filename: read_member(archive, i, name) for i in archive.infolist() if not i.is_dir()}
    except PackageRefused as exc:
        raise SubdocRefused(f"{shown}: {exc.problem} ({exc.hint})") from None
    except (OSError, zipfile.BadZipFile):
        raise SubdocRefused(f"{shown}: not a Word .docx file") from None
    if "word/document.xml" not in parts:
        raise SubdocRefused(f"{shown}: not a Word .docx file (no word/document.xml)")
    for part, target in package_links_out(parts.items()):
        raise SubdocRefused(
            f"{shown}: {part} links to a file outside the document ({target}); embed it instead"
        )
    try:
        return _prepare(name, shown, parts, hashlib.sha256(real.read_bytes()).hexdigest())
    except etree.XMLSyntaxError as exc:
        raise SubdocRefused(f"{shown}: the XML is not well-formed ({exc})") from None


def _prepare(name: str, shown: str, parts: dict[str, bytes], digest: str) -> Subdoc:
    doc = etree.fromstring(parts["word/document.xml"], _PARSER)
    body = doc.find(f"{_W}body")
    if body is None:
        raise SubdocRefused(f"{shown}: the document has no body")
    rels = _rels(parts.get("word/_rels/document.xml.rels"))
    types = _content_types(parts.get("[Content_Types].xml"))
    links: list[_Link] = []
    index: dict[str, int] = {}
    for el in list(body.iter()):
        if el.tag in _DROPPED:
            el.getparent().remove(el)
        elif el.tag in _REFUSED:
            raise SubdocRefused(f"{shown}: holds {_REFUSED[el.tag]}, which a sub-document cannot carry yet")
        elif el.tag == f"{_W}commentReference":
            run = el.getparent()
            run.getparent().remove(run)
    for el in body.iter():
        for attr, value in list(el.attrib.items()):
            if attr.startswith(f"{{{R_NS}}}"):
                if value not in index:
                    index[value] = len(links)
                    links.append(_link(shown, value, rels, parts, types))
                el.set(attr, f"\ue010{index[value]}\ue011")
        if el.tag == f"{{{WP_NS}}}docPr":
            el.set("id", "\ue012")
        elif el.tag == f"{_W}numId" and el.get(f"{_W}val", "").isdigit():
            el.set(f"{_W}val", f"\ue013{el.get(f'{_W}val')}\ue014")
    blocks = [el for el in body if el.tag in (f"{_W}p", f"{_W}tbl", f"{_W}sdt")]
    xml = "".join(etree.tostring(el, encoding="unicode") for el in blocks)
    text = "\n".join("".join(t.text or "" for t in el.iter(f"{_W}t")) for el in blocks)
    styles = tuple(_root(parts.get("word/styles.xml")).iter(f"{_W}style"))
    numbering = _root(parts.get("word/numbering.xml"))
    abstracts = tuple(
        (int(el.get(f"{_W}abstractNumId", "0")), el) for el in numbering.iter(f"{_W}abstractNum")
    )
    nums = tuple(
        (int(el.get(f"{_W}numId", "0")), int(_val(el.find(f"{_W}abstractNumId"))), el)
        for el in numbering.iter(f"{_W}num")
    )
    return Subdoc(name, xml, tuple(links), styles, abstracts, nums, text, digest)


def _val(el: etree._Element | None) -> str:
    value = "" if el is None else el.get(f"{_W}val", "")
    return value if value.isdigit() else "0"


def _root(data: bytes | None) -> etree._Element:
    return etree.fromstring(data, _PARSER) if data else etree.Element("none")


def _rels(data: bytes | None) -> dict[str, tuple[str, str, bool]]:
    out: dict[str, tuple[str, str, bool]] = {}
    for el in _root(data).iter(f"{{{REL_NS}}}Relationship"):
        out[el.get("Id", "")] = (el.get("Type", ""), el.get("Target", ""), el.get("TargetMode") == "External")
    return out


def _content_types(data: bytes | None) -> dict[str, str]:
    root = _root(data)
    out = {
        f".{el.get('Extension', '').lower()}": el.get("ContentType", "")
        for el in root.iter(f"{{{CT_NS}}}Default")
    }
    out.update(
        {el.get("PartName", ""): el.get("ContentType", "") for el in root.iter(f"{{{CT_NS}}}Override")}
    )
    return out


def _link(
    shown: str,
    rid: str,
    rels: dict[str, tuple[str, str, bool]],
    parts: dict[str, bytes],
    types: dict[str, str],
) -> _Link:
    kind, target, external = rels.get(rid, ("", "", False))
    if kind.endswith("/hyperlink") and external:
        return _Link("hyperlink", target)
    if kind.endswith("/image") and not external:
        member = str(PurePosixPath("word", target)) if not target.startswith("/") else target.lstrip("/")
        member = _normal(member)
        data = parts.get(member)
        if data is None or len(data) > PICTURE_MAX_BYTES:
            raise SubdocRefused(
                f"{shown}: a picture is missing or over {PICTURE_MAX_BYTES:,} bytes ({member})"
            )
        ct = types.get(f"/{member}") or types.get(
            PurePosixPath(member).suffix.lower(), "application/octet-stream"
        )
        return _Link("image", member, data, ct)
    what = kind.rsplit("/", 1)[-1] or "an unknown reference"
    raise SubdocRefused(f"{shown}: holds a {what}, which a sub-document cannot carry yet")


def _normal(member: str) -> str:
    out: list[str] = []
    for piece in member.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


# ------------------------------------------------------------------------------- merging, at finish
def _style_merger(
    styles: tuple[etree._Element, ...], numbers: dict[int, int]
) -> Callable[[bytes | None], bytes]:
    def merge(data: bytes | None) -> bytes:
        root = etree.fromstring(data, _PARSER) if data else etree.Element(f"{_W}styles", nsmap={"w": W_NS})
        have = {el.get(f"{_W}styleId") for el in root.iter(f"{_W}style")}
        for style in styles:
            if style.get(f"{_W}styleId") in have:
                continue  # the template's look wins
            copy = etree.fromstring(etree.tostring(style))
            for num in copy.iter(f"{_W}numId"):
                old = num.get(f"{_W}val", "")
                num.set(f"{_W}val", str(numbers.get(int(old), 0)) if old.isdigit() else "0")
            root.append(copy)
            have.add(style.get(f"{_W}styleId"))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return merge


def _numbering_merger(
    abstracts: tuple[tuple[int, etree._Element], ...],
    nums: tuple[tuple[int, int, etree._Element], ...],
    abstract_ids: dict[int, int],
    numbers: dict[int, int],
) -> Callable[[bytes | None], bytes]:
    """The sub-document's list definitions added under new ids, in the order Word insists on (every
    ``w:abstractNum`` before every ``w:num``). Picture bullets are dropped (their pictures are not
    carried): such a list shows the level's text bullet."""

    def merge(data: bytes | None) -> bytes:
        root = etree.fromstring(data, _PARSER) if data else etree.Element(f"{_W}numbering", nsmap={"w": W_NS})
        taken_a = {el.get(f"{_W}abstractNumId") for el in root.iter(f"{_W}abstractNum")}
        taken_n = {el.get(f"{_W}numId") for el in root.iter(f"{_W}num")}
        if taken_a & {str(v) for v in abstract_ids.values()} or taken_n & {str(v) for v in numbers.values()}:
            raise SubdocRefused(
                "the template's own lists use the numbers hrdocs gives a sub-document's lists (9001 on)"
            )
        last_abstract = [
            i for i, el in enumerate(root) if el.tag in (f"{_W}abstractNum", f"{_W}numPicBullet")
        ]
        at = last_abstract[-1] + 1 if last_abstract else 0
        for old, el in abstracts:
            copy = etree.fromstring(etree.tostring(el))
            copy.set(f"{_W}abstractNumId", str(abstract_ids[old]))
            for pic in list(copy.iter(f"{_W}lvlPicBulletId")):
                pic.getparent().remove(pic)
            for nsid in list(copy.iter(f"{_W}nsid")):  # Word tells lists apart by it, too
                nsid.getparent().remove(nsid)
            root.insert(at, copy)
            at += 1
        cleanup = root.find(f"{_W}numIdMacAtCleanup")
        for num_id, abstract, el in nums:
            copy = etree.fromstring(etree.tostring(el))
            copy.set(f"{_W}numId", str(numbers[num_id]))
            ref = copy.find(f"{_W}abstractNumId")
            if ref is not None:
                ref.set(f"{_W}val", str(abstract_ids.get(abstract, 0)))
            if cleanup is not None:
                cleanup.addprevious(copy)
            else:
                root.append(copy)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return merge

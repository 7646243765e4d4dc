"""What one render of a Word template adds to its package: relationships, parts, part edits.

Fragments (rich text with links, images, sub-documents) cannot change the compiled template: it is
shared by every letter of a batch. They tell the render's sink what they need instead, and the sink
patches the finished list of members once, at the end: each used part's ``.rels`` file, the content
types, the new members. A render that used no fragment pays one ``if``.

Ids and names are deterministic (``rIdHd1``, ``word/media/hrdocs-1.png``), so the same letter gives
the same bytes every time.
"""

from __future__ import annotations

import functools
import posixpath
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from lxml import etree

from hrdocs.errors import HrdocsError
from hrdocs.writers.zipfast import Member, deflate

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE = f"{_OFFICE}/image"
HYPERLINK = f"{_OFFICE}/hyperlink"
NUMBERING = f"{_OFFICE}/numbering"
STYLES = f"{_OFFICE}/styles"
T = TypeVar("T")
_ID_PREFIX = "rIdHd"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class SinkError(HrdocsError):
    """The template's package already holds names the render's additions need."""


@dataclass(frozen=True)
class _Rel:
    rid: str
    rel_type: str
    target: str
    external: bool


@dataclass
class _PartRels:
    by_key: dict[tuple[str, str, bool], _Rel] = field(default_factory=dict)


Edit = Callable[[bytes | None], bytes]
"""Given a member's current bytes (``None`` if the package has none), its new bytes."""


class PackageSink:
    """Collects what the fragments of one render add; :meth:`finish` applies it to the members."""

    def __init__(self) -> None:
        self.part = "word/document.xml"
        self._rels: dict[str, _PartRels] = {}
        self._parts: dict[str, tuple[bytes, str]] = {}  # name -> (data, content type)
        self._by_data: dict[tuple[bytes, str], str] = {}
        self._edits: dict[str, tuple[list[tuple[Edit, Hashable]], str | None]] = {}
        self._count = 0
        self._rid_count = 0
        self._drawings = 0
        self._once: dict[object, object] = {}
        self._numbers: dict[str, int] = {}

    def relate(self, rel_type: str, target: str, *, external: bool = False) -> str:
        """A relationship from the current part. ``target`` is a URL when ``external``, otherwise a
        member name inside the package (as :meth:`add_part` returns it); the same relationship asked
        twice from one part gets the same id."""
        rels = self._rels.setdefault(self.part, _PartRels())
        key = (rel_type, target, external)
        rel = rels.by_key.get(key)
        if rel is None:
            self._rid_count += 1
            rel = _Rel(f"{_ID_PREFIX}{self._rid_count}", rel_type, target, external)
            rels.by_key[key] = rel
        return rel.rid

    def add_part(self, stem: str, ext: str, data: bytes, content_type: str) -> str:
        """A new member under ``word/media/`` (``stem`` and ``ext`` name it); identical bytes are
        stored once (told by the bytes themselves: a picture's bytes keep their hash)."""
        ext = ext.lower().lstrip(".")
        key = (data, ext)
        name = self._by_data.get(key)
        if name is None:
            self._count += 1
            name = f"word/media/{stem}-{self._count}.{ext}"
            self._by_data[key] = name
            self._parts[name] = (data, content_type)
        return name

    def drawing_id(self) -> int:
        """Numbered from 10001: a template's own pictures are numbered from 1 by Word."""
        self._drawings += 1
        return 10_000 + self._drawings

    def once(self, key: object, make: Callable[[], T]) -> T:
        if key not in self._once:
            self._once[key] = make()
        return cast(T, self._once[key])

    def number(self, kind: str) -> int:
        """A list number (``numId``, ``abstractNumId``) for a sub-document's list: from 9001, above
        what Word gives a template's own lists."""
        self._numbers[kind] = self._numbers.get(kind, 9000) + 1
        return self._numbers[kind]

    def edit_part(
        self, name: str, edit: Edit, *, key: Hashable = None, content_type: str | None = None
    ) -> None:
        """Change a member of the template (``word/styles.xml``, ``word/numbering.xml``) when the
        render finishes; a member the package lacks is created with ``content_type`` and related
        from the main document. ``key``: what the edit depends on, if it depends on nothing else, so
        that its result is made once for all the letters of a batch."""
        edits, ct = self._edits.setdefault(name, ([], content_type))
        edits.append((edit, key))
        if content_type and not ct:
            self._edits[name] = (edits, content_type)

    @property
    def used(self) -> bool:
        return bool(self._rels or self._parts or self._edits)

    def finish(self, members: list[Member]) -> list[Member]:
        """The members with the additions applied (the same list when there are none). Each patched
        member is remembered by what it was made from, so a batch patches its parts once."""
        if not self.used:
            return members
        index = {m.name: i for i, m in enumerate(members)}
        made: dict[str, Member] = {}  # members of the template patched, and new members, in order
        types: list[tuple[str, str]] = []  # (member, content type) to declare

        def current(name: str) -> Member | None:
            return made.get(name) or (members[index[name]] if name in index else None)

        for name, (edits, ct) in self._edits.items():
            if current(name) is None:
                if not ct:
                    raise SinkError(f"the template has no {name} to add to")
                types.append((name, ct))
                self.part = "word/document.xml"
                self.relate(_rel_type_for(name), name)
            made[name] = _edited(name, current(name), edits)
        for name, (data, ct) in self._parts.items():
            if name in index:
                raise SinkError(f"the template already holds a part named {name}; rename its images")
            made[name] = _deflated(name, data)
            types.append((name, ct))
        for part, rels in self._rels.items():
            name = _rels_name(part)
            made[name] = _related(name, current(name), part, tuple(rels.by_key.values()))
        if types and "[Content_Types].xml" in index:
            made["[Content_Types].xml"] = _typed(current("[Content_Types].xml"), tuple(types))
        out = [made.pop(m.name, m) for m in members]
        return out + list(made.values())


_EDITED: OrderedDict[tuple[str, Member | None, tuple[Hashable, ...]], Member] = OrderedDict()
_REMEMBERED = 256


def _edited(name: str, member: Member | None, edits: list[tuple[Edit, Hashable]]) -> Member:
    keys = tuple(key for _, key in edits)
    cacheable = None not in keys
    found = _EDITED.get((name, member, keys)) if cacheable else None
    if found is not None:
        return found
    data = _inflate(member) if member is not None else None
    for edit, _ in edits:
        data = edit(data)
    assert data is not None
    made = deflate(name, data)
    if cacheable:
        _EDITED[(name, member, keys)] = made
        if len(_EDITED) > _REMEMBERED:
            _EDITED.popitem(last=False)
    return made


@functools.lru_cache(maxsize=_REMEMBERED)
def _deflated(name: str, data: bytes) -> Member:
    return deflate(name, data)


@functools.lru_cache(maxsize=_REMEMBERED)
def _related(name: str, member: Member | None, part: str, rels: tuple[_Rel, ...]) -> Member:
    return deflate(name, _add_rels(_inflate(member) if member is not None else None, part, rels))


@functools.lru_cache(maxsize=_REMEMBERED)
def _typed(member: Member | None, types: tuple[tuple[str, str], ...]) -> Member:
    assert member is not None
    return deflate(member.name, _add_types(_inflate(member), list(types)))


def _rel_type_for(name: str) -> str:
    return NUMBERING if name.endswith("numbering.xml") else STYLES


def _inflate(member: Member) -> bytes:
    return zlib.decompress(member.data, -15)


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _add_rels(data: bytes | None, part: str, rels: tuple[_Rel, ...]) -> bytes:
    root = (
        etree.fromstring(data, _PARSER)
        if data
        else etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
    )
    taken = {el.get("Id") for el in root}
    folder = posixpath.dirname(part)
    for rel in rels:
        if rel.rid in taken:
            raise SinkError(
                f"{_rels_name(part)} already holds a relationship named {rel.rid} "
                "(the template was itself made by an hrdocs render?)",
            )
        el = etree.SubElement(root, f"{{{REL_NS}}}Relationship")
        el.set("Id", rel.rid)
        el.set("Type", rel.rel_type)
        if rel.external:
            el.set("Target", rel.target)
            el.set("TargetMode", "External")
        else:
            el.set("Target", posixpath.relpath(rel.target, folder or "."))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_types(data: bytes, types: list[tuple[str, str]]) -> bytes:
    """A ``Default`` per new extension; an ``Override`` where the extension already means another
    type or the member is XML (parts such as ``numbering.xml`` are always named)."""
    root = etree.fromstring(data, _PARSER)
    known = {
        el.get("Extension", "").lower(): el.get("ContentType") for el in root.iter(f"{{{CT_NS}}}Default")
    }
    named = {el.get("PartName") for el in root.iter(f"{{{CT_NS}}}Override")}
    for name, ct in types:
        ext = name.rsplit(".", 1)[-1].lower()
        if ext not in known and not ct.endswith("+xml"):
            root.insert(0, etree.Element(f"{{{CT_NS}}}Default", Extension=ext, ContentType=ct))
            known[ext] = ct
        elif known.get(ext) != ct and f"/{name}" not in named:
            etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=f"/{name}", ContentType=ct)
            named.add(f"/{name}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

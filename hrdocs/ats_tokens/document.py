"""Finding a system's tokens in a Word part, rewriting them into hrdocs tags, and saying what was found.

Word splits a token over runs as it likes (a spell-check mark, an edit in the middle); tokens are
found in a paragraph's joined text and the Jinja tag put whole into the run the token starts in, the
rest of the text left where it was, as :mod:`hrdocs.docx_template` does for its own tags.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from hrdocs.ats_tokens.tables import FOLDER, Entry, Family, Tables, builtin_tables
from hrdocs.errors import HrdocsError
from hrdocs.limits import open_package, read_member
from hrdocs.word.place import part_label

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _T, _TC = f"{_W}p", f"{_W}t", f"{_W}tc"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
"""The parts of a package that hold text a template writes: ``hrdocs.word.template.RENDERED``'s, which
cannot be imported here (that module imports this one); tests/test_ats_tokens.py holds them equal."""


@dataclass(frozen=True)
class Hit:
    """One token found in a paragraph: its family, name, span, and its entry (``None``: unknown)."""

    family: Family
    name: str
    start: int
    end: int
    fallback: str | None
    entry: Entry | None

    @property
    def written(self) -> str:
        return self.family.syntax.spelling % self.name


@dataclass(frozen=True)
class Note:
    """What ``templates check`` reports of a Word template's ATS tokens (its own Finding, made there)."""

    level: str
    where: str
    message: str
    hint: str | None = None
    order: int = 0


Fail = Callable[[str, str, str | None], Exception]
"""``fail(where, problem, hint)``: the caller's located error (a part's paragraph, as Word shows it)."""


def rewrite(root: etree._Element, fail: Fail, tokens: Tables | None = None) -> list[Hit]:
    """Rewrite every ATS token of one part's XML tree into an hrdocs Jinja tag, in place; return the
    tokens found. A token of its syntax that no table knows is ``fail(…)`` (the first one)."""
    found: list[Hit] = []
    for runs, text, where, hits in _scan(root, tokens or builtin_tables()):
        edits = []
        for hit in hits:
            if hit.entry is None:
                raise fail(*_unknown(hit, where, text))
            value = hit.entry.value
            if hit.fallback:  # Teamtailor's {first-name there}
                value = f"({value}) or {_literal(hit.fallback)}"
            edits.append((hit.start, hit.end, "{{ " + value + " }}"))
        if edits:
            _apply(runs, sorted(edits))
        found += hits
    return found


def check_package(path: Path, tokens: Tables | None = None) -> list[Note]:
    """What ``templates check`` says of a Word template's ATS tokens: per syntax found, which systems
    write it and how each token is read (a note), and every unknown token (an error, with its place).
    A package that cannot be read says nothing here: compiling it reports why."""
    tokens = tokens or builtin_tables()
    notes: list[Note] = []
    mapped: dict[str, dict[str, Hit]] = {}
    try:
        archive = open_package(Path(path), Path(path).name)
    except (OSError, zipfile.BadZipFile, HrdocsError):
        return []
    order = 0
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with archive:
        for info in archive.infolist():
            if not _PARTS.fullmatch(info.filename):
                continue
            try:
                root = etree.fromstring(read_member(archive, info, Path(path).name), parser)
            except (etree.XMLSyntaxError, HrdocsError):
                return []
            label = part_label(info.filename)
            for _, text, where, hits in _scan(root, tokens):
                order += 1
                for hit in hits:
                    if hit.entry is None:
                        place, problem, hint = _unknown(hit, where, text)
                        notes.append(Note("error", f"{label}, {place}", problem, hint, order))
                    else:
                        mapped.setdefault(hit.family.syntax.key, {}).setdefault(hit.name, hit)
    for family in tokens.families:
        seen = mapped.get(family.syntax.key)
        if seen:
            shown = "; ".join(f"{h.written} → {h.entry.value}" for h in seen.values() if h.entry)
            count = f"{len(seen)} token{'s' if len(seen) != 1 else ''}"
            systems = "/".join(family.systems)
            said = f"ATS tokens: {systems} syntax ({family.syntax.described}), {count} mapped: {shown}"
            notes.append(Note("note", "", said))
    return notes


def _scan(root: etree._Element, tokens: Tables) -> Iterable[tuple[list[etree._Element], str, str, list[Hit]]]:
    """Per paragraph with tokens: its ``w:t``, its text, its place, the tokens in it."""
    paragraphs = list(root.iter(_P))
    texts = [_own_texts(p) for p in paragraphs]
    joined = ["".join(t.text or "" for t in ts) for ts in texts]
    active = [
        f
        for f in tokens.families
        if f.syntax.reading != "guarded"
        or any(m[1] in f.tokens for j in joined for m in f.syntax.pattern.finditer(j))
    ]
    free = 0
    for p, runs, text in zip(paragraphs, texts, joined, strict=True):
        in_table = next(p.iterancestors(_TC), None) is not None
        free += not in_table
        hits: list[Hit] = []
        for family in active:
            for match in family.syntax.pattern.finditer(text):
                entry = family.tokens.get(match[1])
                if entry is None and family.syntax.reading == "open":
                    continue  # perhaps an hrdocs tag: Jinja reads it
                fallback = match[2] if family.syntax.pattern.groups > 1 else None
                hits.append(Hit(family, match[1], match.start(), match.end(), fallback, entry))
        if hits:
            yield runs, text, "a table cell" if in_table else f"paragraph {free}", hits


def _own_texts(p: etree._Element) -> list[etree._Element]:
    """The paragraph's own ``w:t`` (not those of a text box's paragraphs inside it), in order."""
    return [t for t in p.iter(_T) if next(t.iterancestors(_P)) is p]


def _apply(runs: list[etree._Element], edits: list[tuple[int, int, str]]) -> None:
    """Each edit's text into the run its span starts in; the span's characters out of every run."""
    spans, start = [], 0
    for t in runs:
        spans.append((start, start + len(t.text or "")))
        start = spans[-1][1]
    pieces: list[list[str]] = [[] for _ in runs]
    joined = "".join(t.text or "" for t in runs)

    def keep(a: int, b: int) -> None:
        for i, (lo, hi) in enumerate(spans):
            if max(a, lo) < min(b, hi):
                pieces[i].append(joined[max(a, lo) : min(b, hi)])

    done = 0
    for begin, end, tag in edits:
        if begin < done:  # two syntaxes matched the same text: the first one wins
            continue
        keep(done, begin)
        owner = next(i for i, (lo, hi) in enumerate(spans) if lo <= begin < hi)
        pieces[owner].append(tag)
        done = end
    keep(done, len(joined))
    for t, piece in zip(runs, pieces, strict=True):
        new = "".join(piece)
        if new != (t.text or ""):
            t.text = new
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _unknown(hit: Hit, where: str, text: str) -> tuple[str, str, str]:
    """The located error's place and words for a token no table knows: its systems, the known ones."""
    family = hit.family
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    listed = ", ".join(family.syntax.spelling % name for name in sorted(family.tokens)) or "none"
    systems = " or ".join(sorted(set(family.systems)))
    return (
        f'{where} ("{shown}")',
        f"the {systems} token {hit.written} has no value in hrdocs",
        f"the tokens hrdocs fills in: {listed}; or write the hrdocs name instead, or give the token a "
        f"value in the workspace's {FOLDER}/ (docs/ats.md)",
    )

"""The manifest: one JSON line per document written, an audit record of what was made from what.

Each line names the file (relative to the manifest), its kind and role, the input file and row, the
template and a hash of its content (with every template it extends or includes), a hash of the
company settings, a hash of the row's input and the file's own SHA-256. It holds no salary, address
or other value from the row. A line is added only after its file is in place, so the manifest of an
interrupted batch lists whole documents only, and ``--resume`` trusts it.

The lines carry no time stamp and come in row order: rerunning a batch gives the same manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, meta

from hrdocs.environment import template_name
from hrdocs.errors import HrdocsError
from hrdocs.templates import WORD

if TYPE_CHECKING:
    from hrdocs.session import Session

SUFFIX = ".manifest.jsonl"
KEYS = (
    "path",
    "kind",
    "format",
    "role",
    "input",
    "row",
    "template",
    "template_sha256",
    "settings_sha256",
    "input_sha256",
    "sha256",
    "bytes",
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hash(kind: str, fields: Mapping[str, Any]) -> str:
    """The row as read (after column mapping), in a stable form: equal rows, equal hashes."""
    return sha256(_STABLE.encode({"kind": kind, "fields": fields}).encode("utf-8"))


_STABLE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
"""Made once: ``json.dumps`` with options makes an encoder a call, and a batch hashes every row."""


def template_hash(session: Session, kind: str) -> str:
    """The Word template's bytes when one makes ``kind``; else the text template's source and that of
    every template it extends, includes or imports."""
    found = session.template_file(kind)
    if found.engine == WORD:
        return sha256(found.path.read_bytes())
    env: Environment = session.env
    sources: dict[str, str] = {}
    pending = [template_name(kind)]
    while pending:
        name = pending.pop()
        if name in sources or env.loader is None:
            continue
        source, _, _ = env.loader.get_source(env, name)
        sources[name] = source
        pending.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def template_label(session: Session, kind: str) -> str:
    """The template's file name, as the manifest records it."""
    found = session.template_file(kind)
    return found.path.name if found.engine == WORD else template_name(kind)


def line(entry: Mapping[str, Any]) -> str:
    return json.dumps({k: entry[k] for k in KEYS}, ensure_ascii=False, separators=(",", ":")) + "\n"


def read(path: Path) -> dict[str, dict[str, Any]]:
    """Entries by path. A last line cut short by an interruption is dropped from the file."""
    entries: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return entries
    good = 0
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            try:
                entry = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                break
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                break
            entries[entry["path"]] = entry
            good += len(raw)
    if good != path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(good)
    return entries


LINE_ROOM = 1024
"""Bytes kept free on the disk for each manifest line to come (a line is about 450 bytes)."""


class Writer:
    """Appends whole lines, a chunk's at a time; synced when closed.

    A line is the record that a file is whole, so the room for every line to come is taken on the
    disk before the first document is written (``reserve``): a disk that fills up with documents
    still takes the lines of every whole one. The room not used is given back on closing; a killed
    batch leaves it as a run of zero bytes, which :func:`read` cuts off."""

    def __init__(self, path: Path, *, append: bool, reserve: int = 0) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)  # never through a planted link
            self._fd = os.open(path, flags | (0 if append else os.O_TRUNC), 0o600)
            self._size = os.fstat(self._fd).st_size
            if reserve and hasattr(os, "posix_fallocate"):
                os.posix_fallocate(self._fd, self._size, reserve)
        except OSError as exc:
            raise HrdocsError(
                f"{path}: cannot write the manifest: {exc.strerror or exc} (nothing written)",
                hint="make room on the disk, or pass another --out",
            ) from None

    def write(self, entries: Iterable[Mapping[str, Any]]) -> None:
        data = "".join(line(e) for e in entries).encode("utf-8")
        view = memoryview(data)
        try:
            while view:
                view = view[os.pwrite(self._fd, view, self._size + len(data) - len(view)) :]
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.pwrite(self._fd, b"\0" * (len(data) - len(view)), self._size)  # no half line
            raise HrdocsError(
                f"{self.path}: cannot write the manifest: {exc.strerror or exc}",
                hint="make room, then run the same command with --resume: documents the manifest does "
                "not list yet are checked against what this batch makes, and kept if they match",
            ) from None
        self._size += len(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
        os.close(self._fd)


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

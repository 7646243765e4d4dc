"""Where things are found: the user's workspace first, the built-in set second.

A workspace is any folder (the current one, or ``--workspace``) that may hold ``hrdocs.yaml``,
``roles/`` and ``templates/``; each of these wins over the built-in one of the same name. The built-in
roles and templates ship inside the installed package (``hrdocs/builtin/``); in a source checkout they
are the repository's top-level ``roles/`` and ``templates/``.

**The jail.** Every file hrdocs reads through the workspace (templates and partials, roles, kind
declarations, ``hrdocs.yaml`` and the files it names) must really lie inside the workspace or the
built-ins: a symbolic link or a ``..`` path that leads out is refused, naming the link and where it
points. A template folder is often shared with people who do not run the batches; a link planted in
it must not print another file (someone's salary file, a key) into every letter. A link from one
place in the workspace to another is fine. Files the user names on the command line (``--data``, a
batch's input) are their own choice and may be anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from hrdocs.errors import HrdocsError

PACKAGE_DIR = Path(__file__).resolve().parent
SETTINGS_FILE = "hrdocs.yaml"


def builtin_dir() -> Path:
    """The folder holding the built-in ``roles/`` and ``templates/``."""
    installed = PACKAGE_DIR / "builtin"
    if (installed / "roles").is_dir():
        return installed
    return PACKAGE_DIR.parent  # a source checkout or an editable install


class OutsideWorkspace(HrdocsError):
    """A file read through the workspace leads out of it, by a symbolic link or a ``..`` path."""

    def __init__(self, path: Path, target: Path, link: Path | None, home: Path) -> None:
        self.path, self.target, self.link = path, target, link
        self.advice = "copy the file into the workspace instead of linking to it"
        if link is None:
            self.reason = f"leads outside the workspace (to {target})"
            self.advice = "copy the file into the workspace and name it from there"
        elif link == path:
            self.reason = f"a symbolic link to {target}, which is outside the workspace"
        else:
            self.reason = f"read through {link}, a symbolic link to {target}, which is outside the workspace"
        hint = f"hrdocs reads only files inside the workspace ({home}) and its built-in ones: {self.advice}"
        super().__init__(f"{path}: {self.reason}", hint=hint)


@dataclass(frozen=True)
class Jail:
    """The folders files may come from: the workspace and the built-ins (each by its real path)."""

    roots: tuple[Path, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "roots", tuple(Path(os.path.realpath(r)) for r in self.roots))

    def holds(self, real: Path) -> bool:
        return any(real == root or real.is_relative_to(root) for root in self.roots)

    def check(self, path: Path) -> Path:
        """The real path of ``path`` (every link followed), to read instead of ``path`` itself; raises
        :class:`OutsideWorkspace` when it is outside every root."""
        real = Path(os.path.realpath(path))
        if self.holds(real):
            return real
        raise OutsideWorkspace(path, real, self._link(Path(os.path.abspath(path))), self.roots[0])

    def _link(self, path: Path) -> Path | None:
        """The deepest symbolic link on ``path`` that leads out (``None``: a ``..`` path leads out)."""
        for step in (path, *path.parents):
            if step.is_symlink() and not self.holds(Path(os.path.realpath(step))):
                return step
        return None

    def links_out(self, folder: Path) -> list[OutsideWorkspace]:
        """Every entry of ``folder`` (at any depth) that leads out, the folder itself included: what
        ``templates check`` reports. Links are not followed into, so a loop of links ends."""
        try:
            self.check(folder)
        except OutsideWorkspace as exc:
            return [exc]
        found: list[OutsideWorkspace] = []
        for top, dirs, files in os.walk(folder):
            for name in sorted([*dirs, *files]):
                path = Path(top, name)
                if path.is_symlink():
                    try:
                        self.check(path)
                    except OutsideWorkspace as exc:
                        found.append(exc)
            dirs.sort()
        return found


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_LINKS_ALLOWED = ("/hyperlink", "/attachedTemplate")
"""What a Word package may point outside itself with: a link a reader clicks, and the template Word
says it was made from (neither is read when a document is opened or converted). Source: ECMA-376
Part 2, Open Packaging Conventions, the ``Relationship`` element and its ``TargetMode`` (schema
``opc-relationships.xsd``); the relationship types are those of ECMA-376 Part 1."""


def package_links_out(parts: Iterable[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """``(part, target)`` for each relationship of a Word package (given as its ``.rels`` parts) that
    makes a reader fetch a file from outside the package: a picture linked rather than embedded,
    a linked object or sub-document. LibreOffice fetches a linked picture when it makes a PDF, so a
    Word template (or the reference document) could otherwise print any file of the machine into
    every letter."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found: list[tuple[str, str]] = []
    for name, data in parts:
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            continue  # not ours to report: the reader of the package says it is damaged
        for rel in root.iter(_RELATIONSHIP):
            kind = rel.get("Type") or ""
            if rel.get("TargetMode") == "External" and not kind.endswith(_LINKS_ALLOWED):
                found.append((name, rel.get("Target") or ""))
    return found


@dataclass(frozen=True)
class Workspace:
    root: Path
    builtin: Path = field(default_factory=builtin_dir)

    @classmethod
    def at(cls, root: Path | str | None = None) -> Workspace:
        return cls(Path(root if root is not None else ".").resolve())

    @cached_property
    def settings_file(self) -> Path | None:
        """The workspace's ``hrdocs.yaml``; ``None`` means the built-in example company."""
        path = self.root / SETTINGS_FILE
        return path if path.is_file() else None

    @property
    def example_settings_file(self) -> Path:
        return PACKAGE_DIR / "data" / "example-company.yaml"

    def search_path(self, sub: str) -> list[Path]:
        """Folders to look in for ``roles`` or ``templates``, the workspace's first."""
        dirs = [self.root / sub, self.builtin / sub]
        unique: list[Path] = []
        for d in dirs:
            if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
                unique.append(d)
        return unique

    @cached_property
    def jail(self) -> Jail:
        """The workspace and the built-ins (with the package's own data, such as the example company)."""
        return Jail((self.root, self.builtin, PACKAGE_DIR))

    def inside(self, path: Path) -> Path:
        """``path``'s real path if it lies inside the workspace or the built-ins; else
        :class:`OutsideWorkspace`, naming the link and where it points."""
        return self.jail.check(path)

    def links_out(self, *subs: str) -> list[OutsideWorkspace]:
        """Every entry of the workspace's own ``subs`` folders that leads out of it."""
        found: list[OutsideWorkspace] = []
        for sub in subs:
            folder = self.root / sub
            if folder.is_dir() or folder.is_symlink():
                found += self.jail.links_out(folder)
        return found

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def origin(self, path: Path) -> str:
        """``workspace`` or ``built-in``, for listings that say where a thing comes from: where the
        file is found, not where a link in the workspace points."""
        try:
            (path.parent.resolve() / path.name).relative_to((self.root).resolve())
        except ValueError:
            return "built-in"
        if self.builtin.resolve() == self.root.resolve():
            return "built-in"
        return "workspace"

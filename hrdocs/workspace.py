"""Where things are found: the user's workspace first, the built-in set second.

A workspace is any folder (the current one, or ``--workspace``) that may hold ``hrdocs.yaml``,
``roles/`` and ``templates/``; each of these wins over the built-in one of the same name. The built-in
roles and templates ship inside the installed package (``hrdocs/builtin/``); in a source checkout they
are the repository's top-level ``roles/`` and ``templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SETTINGS_FILE = "hrdocs.yaml"


def builtin_dir() -> Path:
    """The folder holding the built-in ``roles/`` and ``templates/``."""
    installed = PACKAGE_DIR / "builtin"
    if (installed / "roles").is_dir():
        return installed
    return PACKAGE_DIR.parent  # a source checkout or an editable install


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

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def origin(self, path: Path) -> str:
        """``workspace`` or ``built-in``, for listings that say where a thing comes from."""
        try:
            path.resolve().relative_to((self.root).resolve())
        except ValueError:
            return "built-in"
        if self.builtin.resolve() == self.root.resolve():
            return "built-in"
        return "workspace"

"""The company and its voice, read once from ``hrdocs.yaml`` (or the built-in example company).

Paths inside the file (logo, reference document) are relative to the file itself, so a workspace can
be moved or run from any folder; they are checked here, at the edge, so that a missing logo is
reported with the line that names it rather than half-way through writing a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.loader import read_yaml, validate
from hrdocs.models import Settings
from hrdocs.workspace import Workspace

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif"}


@dataclass(frozen=True)
class Config:
    settings: Settings
    source: Path
    logo: Path | None
    reference_docx: Path | None

    @property
    def is_example(self) -> bool:
        return self.settings.company.example


def load_config(workspace: Workspace) -> Config:
    path = workspace.settings_file or workspace.example_settings_file
    data, lines = read_yaml(path)
    settings = validate(Settings, data, str(path), lines)
    problems: list[Problem] = []

    def existing(value: str | None, loc: tuple[str, ...], kind: str) -> Path | None:
        if not value:
            return None
        target = (path.parent / value).resolve()
        if not target.is_file():
            problems.append(Problem(str(path), lines.line(loc), ".".join(loc), f"{kind} not found: {target}"))
            return None
        return target

    logo = existing(settings.company.logo, ("company", "logo"), "logo image")
    if logo is not None:
        head = logo.read_bytes()[:8]
        if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
            problems.append(
                Problem(
                    str(path),
                    lines.line(("company", "logo")),
                    "company.logo",
                    "not a PNG, JPEG or GIF image",
                )
            )
    reference = existing(settings.brand.reference_docx, ("brand", "reference_docx"), "reference document")
    if problems:
        raise ValidationFailed(problems, what=str(path))
    return Config(settings=settings, source=path, logo=logo, reference_docx=reference)

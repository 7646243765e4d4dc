"""The library API: what the CLI, batch jobs, tests and other programs call.

A :class:`Session` loads and validates the workspace once (settings, catalogue, templates) and keeps the
prepared writers, so that generating the thousandth document costs only that document. Each function
returns data or paths and raises :class:`hrdocs.errors.HrdocsError`; nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from hrdocs.catalogue import Catalogue, Role
from hrdocs.config import Config, load_config
from hrdocs.context import jd_context
from hrdocs.docmodel import Document, parse_markdown
from hrdocs.environment import make_environment
from hrdocs.errors import UsageError
from hrdocs.formatting import Terms
from hrdocs.models import today as default_today
from hrdocs.output import inside, safe_file_name, write_atomic
from hrdocs.render import load_template, render_text
from hrdocs.workspace import Workspace
from hrdocs.writers.docx import DocxWriter

JD_KIND = "job-description"


@dataclass
class Written:
    """One document written, in every format asked for, and what was noticed on the way."""

    kind: str
    paths: list[Path]
    warnings: list[str] = field(default_factory=list)


Writer = Callable[[Document], bytes]


class Session:
    def __init__(self, workspace: Path | str | Workspace | None = None, *, today: date | None = None) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)
        self.today = today or default_today()

    # Each piece is loaded on first use: `hrdocs roles` must not need valid templates.
    @cached_property
    def config(self) -> Config:
        return load_config(self.workspace)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.workspace)

    @cached_property
    def terms(self) -> Terms:
        return Terms(self.config.settings.voice.preferred_terms)

    @cached_property
    def env(self) -> SandboxedEnvironment:
        return make_environment(self.workspace.search_path("templates"), self.config.settings)

    @cached_property
    def docx(self) -> DocxWriter:
        return DocxWriter(self.config)

    def writers(self) -> dict[str, Writer]:
        """Output formats by file suffix. Further writers register here."""
        from hrdocs.writers import registry

        return registry(self)

    # ------------------------------------------------------------------------------- documents
    def role(self, name: str) -> Role:
        return self.catalogue.get(name)

    def render(self, kind: str, context: Mapping[str, Any]) -> Document:
        """Template ``kind`` + context -> document model."""
        template = load_template(self.env, kind)
        text = render_text(template, context, self.terms)
        return parse_markdown(text, kind=kind, source=template.filename or kind)

    def job_description(self, role: Role | str) -> Document:
        role = role if isinstance(role, Role) else self.role(role)
        doc = self.render(JD_KIND, jd_context(role, self.config, self.terms, today=self.today))
        doc.meta["role"] = role.id
        return doc

    def voice_warnings(self, doc: Document) -> list[str]:
        """Words the company avoids, found in a generated document (a warning, never a failure)."""
        text = doc.plain_text()
        found = []
        for word in self.config.settings.voice.avoid:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
                found.append(f"{doc.kind} `{doc.title}`: uses `{word}`, which the company voice avoids")
        return found

    # ---------------------------------------------------------------------------------- output
    def write(
        self,
        doc: Document,
        folder: Path,
        stem: str,
        *,
        formats: Sequence[str] = ("docx",),
        force: bool = False,
        private: bool = False,
    ) -> Written:
        writers = self.writers()
        unknown = [f for f in formats if f not in writers]
        if unknown:
            raise UsageError(
                f"unknown format {', '.join(unknown)}",
                hint=f"choose from {', '.join(sorted(writers))}",
            )
        payloads = {fmt: writers[fmt](doc) for fmt in formats}  # render all before writing any
        paths = []
        for fmt, data in payloads.items():
            target = inside(folder, safe_file_name(stem, f".{fmt}"))
            paths.append(write_atomic(target, data, force=force, private=private))
        return Written(doc.kind, paths, self.voice_warnings(doc))


def generate_jd(
    role: str,
    *,
    workspace: Path | str | None = None,
    out: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> Written:
    """One role's job description, written to ``out`` (default: ``output/job-descriptions``)."""
    session = Session(workspace)
    return write_jd(session, session.role(role), out=out, formats=formats, force=force)


def write_jd(
    session: Session,
    role: Role,
    *,
    out: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> Written:
    folder = out or session.workspace.output_dir / "job-descriptions"
    return session.write(session.job_description(role), folder, role.id, formats=formats, force=force)

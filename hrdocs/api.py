"""The library API: what the CLI, batch jobs, tests and other programs call.

A :class:`Session` loads and validates the workspace once (settings, catalogue, templates) and keeps the
prepared writers, so that generating the thousandth document costs only that document. Each function
returns data or paths and raises :class:`hrdocs.errors.HrdocsError`; nothing here prints.
"""

from __future__ import annotations

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
from hrdocs.docx_template import DocxTemplate
from hrdocs.environment import make_environment
from hrdocs.errors import HrdocsError, OutputExists, UsageError
from hrdocs.formatting import Terms
from hrdocs.models import today as default_today
from hrdocs.output import inside, safe_file_name, write_atomic
from hrdocs.render import load_template, render_text
from hrdocs.templates import WORD, TemplateFile, find_template, visible_text, word_values
from hrdocs.workspace import Workspace
from hrdocs.writers import PDF
from hrdocs.writers.docx import DocxWriter
from hrdocs.writers.pdf import PdfConverter, PdfUnavailable

JD_KIND = "job-description"
_LINT_KINDS = {
    JD_KIND: "job-description",
    "posting": "posting",
    "offer-letter": "offer",
    "denial-letter": "denial",
}
"""Document kind -> the lint kind whose rules apply to it (others are linted as plain text)."""


@dataclass
class Written:
    """One document written, in every format asked for, and what was noticed on the way."""

    kind: str
    paths: list[Path]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    """One document to make with :meth:`Session.produce_many`: its template data and where it goes."""

    context: Mapping[str, Any]
    folder: Path
    stem: str
    meta: Mapping[str, str] = field(default_factory=dict)
    """Notes for the writers (``Document.meta``), e.g. ``{"role": "hr-generalist"}``."""


Writer = Callable[[Document], bytes]


class Session:
    def __init__(
        self,
        workspace: Path | str | Workspace | None = None,
        *,
        today: date | None = None,
        strict: bool = False,
    ) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)
        self.today = today or default_today()
        self.strict = strict
        """Lint warnings on generated documents stop generation (``--strict``)."""

    # Each piece is loaded on first use: `hrdocs roles` must not need valid templates.
    @cached_property
    def config(self) -> Config:
        return load_config(self.workspace)

    @cached_property
    def catalogue(self) -> Catalogue:
        # The company's locale decides which country a role's location like "Berlin, DE" is in.
        return Catalogue(self.workspace, locale=self.config.settings.voice.locale)

    @cached_property
    def terms(self) -> Terms:
        return Terms(self.config.settings.voice.preferred_terms)

    @cached_property
    def env(self) -> SandboxedEnvironment:
        return make_environment(self.workspace.search_path("templates"), self.config.settings)

    @cached_property
    def docx(self) -> DocxWriter:
        return DocxWriter(self.config)

    @cached_property
    def pdf(self) -> PdfConverter:
        """LibreOffice, found on first use; PDFs of a run are converted in batches (see write_many)."""
        return PdfConverter()

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

    def check(self, text: str, kind: str, label: str) -> list[str]:
        """The lint checks every generated document gets (see :mod:`hrdocs.lint`), as warnings.

        Generation never fails on them unless the session is strict; ``hrdocs lint`` shows the same
        findings with their levels. Informational findings (the gender balance, …) are left to lint.
        """
        from hrdocs.lint import Level, lint_text

        settings = self.config.settings
        findings = lint_text(
            text,
            source=label,
            kind=_LINT_KINDS.get(kind, "text"),
            settings=settings.lint,
            voice=settings.voice,
            employer_size=settings.postings.employer_size,
            on=self.today,
        )
        return [
            f"{label}:{f.line}: {f.rule}: {f.message} (`{f.match}`)"
            if f.line
            else f"{label}: {f.rule}: {f.message}"
            for f in findings
            if f.level is not Level.INFO
        ]

    def _checked(self, results: list[tuple[str, str, str]]) -> list[list[str]]:
        """Warnings for each (text, kind, label); a strict session refuses before anything is written."""
        warnings = [self.check(text, kind, label) for text, kind, label in results]
        found = [w for ws in warnings for w in ws]
        if self.strict and found:
            raise HrdocsError(
                f"--strict: {len(found)} warning{'s' if len(found) != 1 else ''}, nothing written:\n  "
                + "\n  ".join(found),
                hint="fix the wording, or change the rule's level in hrdocs.yaml (lint:)",
            )
        return warnings

    # ------------------------------------------------------------------------ templates of a kind
    @cached_property
    def _templates(self) -> dict[str, TemplateFile]:
        return {}

    @cached_property
    def _word_templates(self) -> dict[Path, DocxTemplate]:
        return {}

    def template_file(self, kind: str) -> TemplateFile:
        """The template that makes ``kind``: the workspace's before the built-in one and, within one
        folder, a Word template (``.docx``) before a text one (see :mod:`hrdocs.templates`)."""
        found = self._templates.get(kind)
        if found is None:
            found = self._templates[kind] = find_template(self.workspace, kind)
        return found

    def word_template(self, kind: str) -> DocxTemplate | None:
        """The Word template of ``kind``, compiled once per session, if a Word template wins for it."""
        found = self.template_file(kind)
        if found.engine != WORD:
            return None
        template = self._word_templates.get(found.path)
        if template is None:
            template = self._word_templates[found.path] = DocxTemplate.compile(found.path, self.env)
        return template

    def produce(
        self,
        kind: str,
        context: Mapping[str, Any],
        folder: Path,
        stem: str,
        *,
        formats: Sequence[str] = ("docx",),
        force: bool = False,
        private: bool = False,
        meta: Mapping[str, str] | None = None,
    ) -> Written:
        """Render ``kind`` with ``context`` and write it in every format asked for: through its Word
        template when one wins for the kind (DOCX, and PDF made from it), else through the text
        template and the writers. This is what every document command calls."""
        job = Job(context, folder, stem, dict(meta or {}))
        return self.produce_many(kind, [job], formats=formats, force=force, private=private)[0]

    def produce_many(
        self,
        kind: str,
        jobs: Sequence[Job],
        *,
        formats: Sequence[str] = ("docx",),
        force: bool = False,
        private: bool = False,
    ) -> list[Written]:
        """:meth:`produce` for many documents of one kind (their PDFs come from one LibreOffice batch)."""
        word = self.word_template(kind)
        if word is None:
            docs = []
            for job in jobs:
                doc = self.render(kind, job.context)
                doc.meta.update(job.meta)
                docs.append((doc, job.folder, job.stem))
            return self.write_many(docs, formats=formats, force=force, private=private)
        name = self.template_file(kind).path.name
        other = [f for f in formats if f not in ("docx", PDF)]
        if other:
            raise UsageError(
                f"{kind} is made from the Word template {name}, which gives docx (and pdf) only, "
                f"not {', '.join(other)}",
                hint=f"ask for docx, or remove templates/{name} to use the text template for other formats",
            )
        self._refuse_existing_pdfs([(job.folder, job.stem) for job in jobs], formats, force)
        results: list[Written] = []
        pending: list[tuple[int, Path, bytes]] = []
        rendered = [word.render(word_values(job.context)) for job in jobs]
        warnings = self._checked(
            [
                (visible_text(data), kind, f"{kind} {job.stem}")
                for job, data in zip(jobs, rendered, strict=True)
            ]
        )
        for job, data, found in zip(jobs, rendered, warnings, strict=True):
            paths = []
            if "docx" in formats:
                target = inside(job.folder, safe_file_name(job.stem, ".docx"))
                paths.append(write_atomic(target, data, force=force, private=private))
            results.append(Written(kind, paths, found))
            if PDF in formats:
                pending.append(
                    (len(results) - 1, inside(job.folder, safe_file_name(job.stem, f".{PDF}")), data)
                )
        self._convert_pdfs(results, pending, force=force, private=private)
        return results

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
        """One document in every format asked for (see :meth:`write_many`)."""
        return self.write_many([(doc, folder, stem)], formats=formats, force=force, private=private)[0]

    def write_many(
        self,
        jobs: Sequence[tuple[Document, Path, str]],
        *,
        formats: Sequence[str] = ("docx",),
        force: bool = False,
        private: bool = False,
    ) -> list[Written]:
        """Write each ``(document, folder, stem)`` in every format; PDFs last, in LibreOffice batches.

        Each document's files are rendered before any is written. PDFs are converted from the DOCX
        after every other file is written, so a missing LibreOffice (:class:`PdfUnavailable`, which
        carries the ``written`` list) or a failed conversion never costs the other formats.
        """
        writers = self.writers()
        unknown = [f for f in formats if f not in writers]
        if unknown:
            raise UsageError(
                f"unknown format {', '.join(unknown)}",
                hint=f"choose from {', '.join(sorted(writers))}",
            )
        want_pdf = PDF in formats
        self._refuse_existing_pdfs([(folder, stem) for _, folder, stem in jobs], formats, force)
        results: list[Written] = []
        pending: list[tuple[int, Path, bytes]] = []
        warnings = self._checked(
            [(doc.plain_text(), doc.kind, f"{doc.kind} {stem}") for doc, _, stem in jobs]
        )
        for (doc, folder, stem), found in zip(jobs, warnings, strict=True):
            payloads = {fmt: writers[fmt](doc) for fmt in formats if fmt != PDF}
            paths = []
            for fmt, data in payloads.items():
                target = inside(folder, safe_file_name(stem, f".{fmt}"))
                paths.append(write_atomic(target, data, force=force, private=private))
            results.append(Written(doc.kind, paths, found))
            if want_pdf:
                docx = payloads.get("docx") or writers["docx"](doc)
                pending.append((len(results) - 1, inside(folder, safe_file_name(stem, f".{PDF}")), docx))
        self._convert_pdfs(results, pending, force=force, private=private)
        return results

    def _refuse_existing_pdfs(
        self, targets: Sequence[tuple[Path, str]], formats: Sequence[str], force: bool
    ) -> None:
        """PDFs are written last: refuse an existing one before anything is written, as for the others."""
        if PDF in formats and not force:
            for folder, stem in targets:
                target = inside(folder, safe_file_name(stem, f".{PDF}"))
                if target.exists():
                    raise OutputExists(target)

    def _convert_pdfs(
        self, results: list[Written], pending: list[tuple[int, Path, bytes]], *, force: bool, private: bool
    ) -> None:
        """Convert the DOCX of ``pending`` (result index, target, docx) in one batch and write the PDFs."""
        if not pending:
            return
        try:
            pdfs = self.pdf.convert([docx for _, _, docx in pending])
        except PdfUnavailable as exc:
            exc.written = list(results)
            raise
        for (index, target, _), data in zip(pending, pdfs, strict=True):
            results[index].paths.append(write_atomic(target, data, force=force, private=private))


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
    return write_jds(session, [role], out=out, formats=formats, force=force)[0]


def write_jds(
    session: Session,
    roles: Sequence[Role],
    *,
    out: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> list[Written]:
    """Several job descriptions at once: their PDFs, if asked for, come from one LibreOffice batch."""
    folder = out or session.workspace.output_dir / "job-descriptions"
    jobs = [
        Job(
            jd_context(role, session.config, session.terms, today=session.today),
            folder,
            role.id,
            {"role": role.id},
        )
        for role in roles
    ]
    return session.produce_many(JD_KIND, jobs, formats=formats, force=force)

"""The loaded workspace: settings, catalogue, Jinja environment, templates and prepared writers.

A :class:`Session` loads and validates each piece once, on first use (``hrdocs roles`` must not need
valid templates), and keeps what is costly to prepare — the branded Word package, compiled Word
templates, LibreOffice — so that the thousandth document costs only that document. It knows no kind
of document: :mod:`hrdocs.kinds` builds its registry over a session, and :mod:`hrdocs.pipeline` makes
documents with both.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from jinja2.sandbox import SandboxedEnvironment
from pydantic import ValidationError

from hrdocs import ats_tokens, esign
from hrdocs.catalogue import Catalogue, Role
from hrdocs.config import Config, load_config
from hrdocs.docmodel import Document
from hrdocs.docx_template import DocxTemplate
from hrdocs.environment import make_environment
from hrdocs.errors import UsageError
from hrdocs.formatting import Terms
from hrdocs.models import PdfSettings
from hrdocs.models import today as default_today
from hrdocs.templates import WORD, TemplateFile, find_template
from hrdocs.word.esign_tags import EsignTags
from hrdocs.word.images import Images
from hrdocs.word.rich import FILTERS as RICH_FILTERS
from hrdocs.word.subdoc import Subdocs
from hrdocs.workspace import Workspace
from hrdocs.writers import make_writers
from hrdocs.writers.docx import DocxWriter
from hrdocs.writers.pdf import PdfConverter
from hrdocs.writers.pdf_typst import TypstPdf, fonts_folder

Writer = Callable[[Document], bytes]

LATEST_DATE = date.max - timedelta(days=365)
"""The latest document date: documents count forward from it (an offer's expiry, a sample start
date), and a year on from it must still be a date Python can hold."""


class Session:
    def __init__(
        self,
        workspace: Path | str | Workspace | None = None,
        *,
        today: date | None = None,
        strict: bool = False,
        pdf: Mapping[str, str | None] | None = None,
    ) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)
        self.pdf_overrides: dict[str, str | None] = dict(pdf or {})
        """``pdf:`` keys given by the caller (``--pdf-engine``, ``--pdf-standard``), over hrdocs.yaml's."""
        self.today = today or default_today()
        if self.today > LATEST_DATE:
            raise UsageError(
                f"--date {self.today.isoformat()}: too far ahead to date a document",
                hint=f"use a date before {LATEST_DATE.isoformat()}",
            )
        self.strict = strict
        """The checks' warnings on generated documents stop generation (``--strict``)."""
        self._templates: dict[str, TemplateFile] = {}
        self._word_templates: dict[Path, DocxTemplate] = {}

    @cached_property
    def config(self) -> Config:
        config = load_config(self.workspace)
        if not self.pdf_overrides:
            return config
        settings = config.settings
        try:
            pdf = PdfSettings.model_validate({**settings.pdf.model_dump(), **self.pdf_overrides})
        except ValidationError as exc:
            problems = "; ".join(f"pdf.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            hint = "engine: auto, typst or libreoffice; standard: a-2b or none"
            raise UsageError(problems, hint=hint) from None
        return dataclasses.replace(config, settings=settings.model_copy(update={"pdf": pdf}))

    @cached_property
    def catalogue(self) -> Catalogue:
        # The company's locale decides which country a role's location like "Berlin, DE" is in.
        settings = self.config.settings
        return Catalogue(self.workspace, locale=settings.voice.locale, builtin=settings.catalogue.builtin)

    @cached_property
    def terms(self) -> Terms:
        return Terms(self.config.settings.voice.preferred_terms)

    @cached_property
    def env(self) -> SandboxedEnvironment:
        env = make_environment(self.workspace.search_path("templates"), self.config.settings)
        # rich text for both engines, and Word-template values that read workspace files (hrdocs.word)
        env.filters.update(RICH_FILTERS)
        env.globals.update(image=Images(self.workspace.root), subdoc=Subdocs(self.workspace.root))
        env.globals["esign"] = EsignTags(esign.of(self.config))  # {{ esign.candidate_signature }}
        return env

    @cached_property
    def docx(self) -> DocxWriter:
        return DocxWriter(self.config)

    @cached_property
    def pdf(self) -> PdfConverter:
        """LibreOffice, found on first use; a run's PDFs are converted together (hrdocs.pipeline)."""
        return PdfConverter(standard=self.config.settings.pdf.standard)

    @cached_property
    def typst_pdf(self) -> TypstPdf:
        """Typst, its fonts found (the workspace's ``fonts/`` first) and the look built once; each PDF is
        then one compile in this process (hrdocs.pipeline routes each document to it or to LibreOffice)."""
        folder = fonts_folder(self.workspace.root)
        if folder is not None:
            folder = self.workspace.inside(folder)
        return TypstPdf(self.config, fonts_dir=folder, standard=self.config.settings.pdf.standard)

    @cached_property
    def _writers(self) -> dict[str, Writer]:
        return make_writers(self.config, lambda: self.docx, lambda: self.pdf, self.today)

    def writers(self) -> dict[str, Writer]:
        """Output formats by file suffix, prepared once per session (see :mod:`hrdocs.writers`)."""
        return self._writers

    def role(self, name: str) -> Role:
        return self.catalogue.get(name)

    def template_file(self, name: str) -> TemplateFile:
        """The template called ``name``: the workspace's before the built-in one and, within one
        folder, a Word template (``.docx``) before a text one (see :mod:`hrdocs.templates`)."""
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = find_template(self.workspace, name)
        return found

    def word_template(self, name: str) -> DocxTemplate | None:
        """The Word template called ``name``, compiled once per session, if a Word template wins."""
        found = self.template_file(name)
        if found.engine != WORD:
            return None
        template = self._word_templates.get(found.path)
        if template is None:
            tokens = ats_tokens.for_workspace(self.workspace)  # the workspace's tokens/ (docs/ats.md)
            template = self._word_templates[found.path] = DocxTemplate.compile(found.path, self.env, tokens)
        return template


T = TypeVar("T")


def per_session(make: Callable[[Session], T]) -> Callable[[Session], T]:
    """``make(session)`` once per session, kept as long as the session lives (and no longer)."""
    made: weakref.WeakKeyDictionary[Session, T] = weakref.WeakKeyDictionary()

    def get(session: Session) -> T:
        found = made.get(session)
        if found is None:
            found = made[session] = make(session)
        return found

    return get

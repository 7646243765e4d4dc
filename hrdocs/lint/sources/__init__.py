"""What ``hrdocs lint`` reads: roles (their documents as generated), templates and files.

Each source becomes one or more texts for :func:`hrdocs.lint.lint_text`, and each finding is pointed at
the place a person edits:

* a role's job description and posting are rendered as ``hrdocs jd`` / ``hrdocs posting`` would render
  them and linted as their visible text (:meth:`Document.plain_text`, one block per line; a finding's
  line is a line of that text). A finding whose text comes from a YAML file — the role file, the role
  it extends, ``_areas.yaml`` or ``hrdocs.yaml`` — is moved to that file, line and column, found by
  searching the document line's words in the file's values (never its keys), and reported once even
  when the job description and the posting (or several roles) share it;
* a template is linted as its raw source (kind ``template``); the engine blanks out Jinja tags;
* a file: Markdown and text as written; a DOCX as its paragraphs and table rows (body first, then
  headers and footers), one per line, so a finding's line is the n-th paragraph or table row.

Generated documents and DOCX files have no Markdown left to say where a block ends, so every line is
linted as a block of its own (as a heading, list item or table row would be): a list of duties without
full stops is not read as one long sentence.

The parts: :mod:`~hrdocs.lint.sources.files` (reading files as text, guessing their kind),
:mod:`~hrdocs.lint.sources.yaml_places` (finding a line's YAML value), and here, :class:`LintSources`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from hrdocs.catalogue import AREAS_FILE, Role
from hrdocs.compliance import PayRule
from hrdocs.engines import engines
from hrdocs.errors import HrdocsError
from hrdocs.kinds import registry
from hrdocs.kinds.job_description import NAME as JD_KIND
from hrdocs.kinds.localized import localize
from hrdocs.lint.engine import lint_text
from hrdocs.lint.findings import Finding
from hrdocs.lint.rules import KINDS, check_settings
from hrdocs.lint.sources.files import (
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    display_path,
    docx_lines,
    guess_kind,
    html_lines,
    read_file,
)
from hrdocs.lint.sources.yaml_places import YamlFile, locate, read_yaml_values
from hrdocs.models import Location
from hrdocs.postings import PostingRefused, Postings
from hrdocs.session import Session
from hrdocs.templates import visible_text

__all__ = [
    "DOCX_SUFFIXES",
    "HTML_SUFFIXES",
    "TEXT_SUFFIXES",
    "LintSources",
    "Linted",
    "display_path",
    "docx_lines",
    "guess_kind",
    "html_lines",
    "lint_file",
    "lint_role",
    "lint_templates",
    "read_file",
]

Linted = tuple[str, list[Finding]]
"""A source name (a path or ``hr-generalist (job description)``) and its findings."""

TEMPLATE_GLOB = "*.j2"

_BLOCK_MARK = "> "
"""Put before each line of a generated document or DOCX so the engine reads it as a block of its own."""


@dataclass
class LintSources:
    """Lints roles, templates and files of one session with its settings; see the module docstring.

    Findings moved to a YAML file are reported once per run (a duty that the job description and the
    posting share, or a parent role's duty that several roles inherit). ``notes`` collects what could
    not be linted and why (a role without locations has no posting), for the caller to show.
    """

    session: Session
    notes: list[str] = field(default_factory=list)
    _seen: set[tuple[str, int | None, int | None, str, str]] = field(default_factory=set)
    _yaml: dict[Path, YamlFile | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_settings(self.session.config.settings.lint)

    @cached_property
    def postings(self) -> Postings:
        return Postings(self.session)

    @cached_property
    def pay_rules(self) -> list[PayRule]:
        """The built-in rules with the company's ``extra_rules_file`` and ``disabled_rules``."""
        return self.postings.rules

    @property
    def today(self) -> date:
        return self.session.today

    def lint(
        self,
        text: str,
        *,
        source: str,
        kind: str,
        blocks: bool = False,
        locations: Sequence[Location] = (),
        has_pay_range: bool | None = None,
    ) -> list[Finding]:
        """:func:`lint_text` with the session's settings; ``blocks``: every line is a block of its own."""
        settings = self.session.config.settings
        if blocks:
            text = "\n".join(_BLOCK_MARK + line if line.strip() else line for line in text.split("\n"))
        findings = lint_text(
            text,
            source=source,
            kind=kind,
            settings=settings.lint,
            voice=settings.voice,
            locations=locations,
            has_pay_range=has_pay_range,
            employer_size=settings.postings.employer_size,
            on=self.today,
            pay_rules=self.pay_rules,
        )
        if blocks:
            shift = len(_BLOCK_MARK)
            findings = [replace(f, column=f.column - shift) if f.column else f for f in findings]
        return findings

    # ------------------------------------------------------------------------------------- roles
    def _generated(self, name: str, fields: dict[str, object]) -> str:
        """The text of a document exactly as the command writing it makes it, through the kind's
        winning template, Word or text (so lint reads what ``hrdocs jd`` writes)."""
        kind = registry(self.session).get(name)
        prepared = kind.prepare(self.session, kind, kind.validate(self.session, kind, fields, name, {}))
        template = localize(self.session, kind, prepared)  # the document's language, as produce() does
        rendered = engines(self.session).render(template, prepared.context, prepared.meta)
        return visible_text(rendered.docx) if rendered.docx is not None else rendered.document().plain_text()

    def role(self, role: Role | str) -> list[Linted]:
        """A role's job description and posting as they would be generated.

        The posting is made as with ``--no-pay-range``, so that a role without the pay range a law asks
        for is linted too (and ``compliance.pay-range`` says so); a role without locations has no
        posting (a note says so).
        """
        role = role if isinstance(role, Role) else self.session.role(role)
        has_pay = role.pay_range is not None
        docs = [(f"{role.id} (job description)", JD_KIND, self._generated(JD_KIND, {"role": role.id}))]
        try:
            posting = self._generated("posting", {"role": role.id, "no_pay_range": True})
        except PostingRefused as exc:
            self.notes.append(f"{role.id}: no posting linted: {exc.message.split(': ', 1)[-1]}")
        else:
            docs.append((f"{role.id} (posting)", "posting", posting))
        files = self._role_files(role)
        moved: dict[str, list[Finding]] = {}
        out: list[Linted] = []
        for source, kind, text in docs:
            lines = text.split("\n")
            kept = []
            for finding in self.lint(
                text, source=source, kind=kind, blocks=True, locations=role.locations, has_pay_range=has_pay
            ):
                place = None
                if finding.line is not None and finding.column and finding.match:
                    place = locate(files, lines[finding.line - 1], finding.column, finding.match)
                if place is None:
                    kept.append(finding)
                    continue
                file, offset = place
                line, column = file.position(offset)
                where = display_path(file.path)
                moved.setdefault(where, []).append(replace(finding, source=where, line=line, column=column))
            out.append((source, kept))
        return [*((where, self._once(found)) for where, found in moved.items()), *out]

    def _once(self, findings: list[Finding]) -> list[Finding]:
        """The findings not reported yet in this run, the most severe of each kept."""
        best: dict[tuple[str, int | None, int | None, str, str], Finding] = {}
        for f in findings:
            key = (f.source, f.line, f.column, f.rule, f.match.casefold())
            if key in self._seen:
                continue
            if key not in best or f.level.rank < best[key].level.rank:
                best[key] = f
        self._seen.update(best)
        return list(best.values())

    def _yaml_file(self, path: Path) -> YamlFile | None:
        if path not in self._yaml:
            self._yaml[path] = read_yaml_values(path)
        return self._yaml[path]

    def _role_files(self, role: Role) -> list[YamlFile]:
        """Where a role's text may be written: its file, those it extends, the areas, hrdocs.yaml."""
        paths: list[Path] = []
        path: Path | None = role.source
        while path is not None and path not in paths:
            paths.append(path)
            parent = self._yaml_file(path)
            path = None
            if parent is not None and parent.extends:
                try:
                    path = self.session.role(parent.extends).source
                except HrdocsError:
                    path = None
        paths += [folder / AREAS_FILE for folder in self.session.workspace.search_path("roles")]
        paths.append(self.session.config.source)
        found = [self._yaml_file(p) for p in paths if p.is_file()]
        return [f for f in found if f is not None]

    def roles(self, roles: Sequence[Role] | None = None) -> list[Linted]:
        out: list[Linted] = []
        for role in roles if roles is not None else self.session.catalogue.all():
            out += self.role(role)
        return out

    # --------------------------------------------------------------------------------- templates
    def template_files(self) -> list[Path]:
        """Every text template in use: the workspace's, then the built-in ones it does not replace."""
        seen: set[str] = set()
        files: list[Path] = []
        for folder in self.session.workspace.search_path("templates"):
            for path in sorted(folder.rglob(TEMPLATE_GLOB)):
                name = path.relative_to(folder).as_posix()
                if name not in seen and path.is_file():
                    seen.add(name)
                    self.session.workspace.inside(path)  # a link out of the workspace is refused
                    files.append(path)
        return files

    def templates(self) -> list[Linted]:
        out: list[Linted] = []
        for path in self.template_files():
            text, _ = read_file(path)
            where = display_path(path)
            out.append((where, self.lint(text, source=where, kind="template")))
        return out

    # ------------------------------------------------------------------------------------- files
    def file(self, path: Path, kind: str | None = None, locations: Sequence[Location] = ()) -> Linted:
        """A DOCX, Markdown or text file; ``kind`` defaults to :func:`guess_kind` of its name."""
        kind = kind or guess_kind(path, registry(self.session).all())
        if kind not in KINDS:
            raise HrdocsError(f"unknown document kind `{kind}`", hint=f"choose from {', '.join(KINDS)}")
        text, blocks = read_file(path)
        where = display_path(path)
        return where, self.lint(text, source=where, kind=kind, blocks=blocks, locations=locations)

    def everything(self) -> list[Linted]:
        """Every role's documents, then every template: what ``hrdocs lint`` with no argument reads."""
        return [*self.roles(), *self.templates()]


# ------------------------------------------------------------------------------- the short forms
def lint_role(session: Session, role: Role | str) -> list[Linted]:
    """A role's job description and posting, as generated; findings in YAML point at the YAML."""
    return LintSources(session).role(role)


def lint_templates(session: Session) -> list[Linted]:
    """Every template in use (workspace first, then built-in), as written."""
    return LintSources(session).templates()


def lint_file(
    session: Session, path: Path, kind: str | None = None, locations: Sequence[Location] = ()
) -> Linted:
    """One DOCX, Markdown or text file."""
    return LintSources(session).file(path, kind, locations)

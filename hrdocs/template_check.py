"""``hrdocs templates check``: every problem in the templates a workspace uses, each with its place.

For text templates the place is ``file:line``; for Word templates it is what a person finds in Word
(``offer-letter.docx: body, paragraph 7 ("Dear {{ candidate.frist_name }},")``). Each template is:

1. compiled (syntax errors, unknown filters and tests);
2. read statically against the data its kind really gets (:mod:`hrdocs.kinds`): every name and every
   ``a.b.c`` is looked up, in every branch of every ``{% if %}``, so a typo in a branch the sample data
   does not take is found too; names starting with ``_`` are refused (Python internals);
3. scanned for words the company voice avoids (``voice.avoid``: an error) and, in Word templates,
   for words it replaces (``voice.preferred_terms``: a warning, since a Word template's wording is
   printed as written);
4. rendered with each sample, once per tone (``formal``, ``warm``, ``plain``), to catch what only
   running finds (a ``by_tone`` without a phrasing for a tone, a filter given the wrong value).

Nothing is written. The CLI exits 1 when any error is found, so a company can run it in CI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, nodes

from hrdocs import ats_tokens
from hrdocs.clauses import check_clauses, render_problems
from hrdocs.context import View
from hrdocs.engines import render_plain
from hrdocs.errors import HrdocsError, TemplateError
from hrdocs.kinds import registry, sample_contexts
from hrdocs.models import Tone
from hrdocs.shapes import Shape, shape_of
from hrdocs.template_guards import Guards, optional_shape
from hrdocs.template_walk import ERROR, WARNING, Finding, _avoid_finding, _avoided, _syntax, _Walker, display
from hrdocs.templates import TEXT, TemplateFile, template_files, word_values
from hrdocs.workspace import OutsideWorkspace

if TYPE_CHECKING:
    from hrdocs.session import Session

_COMMENT = re.compile(r"\{#.*?#\}", re.S)


@dataclass
class Report:
    checked: list[TemplateFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]


# ------------------------------------------------------------------------------- text templates
class _TextCheck:
    """One kind's text template, with the templates it extends and includes."""

    def __init__(
        self, env: Environment, shape: Shape | None, findings: list[Finding], optional: Shape | None = None
    ) -> None:
        self.env, self.findings = env, findings
        self.file = ""
        self.walker = _Walker(env, shape, self.report)
        self.files: list[str] = []
        self.optional = optional
        """The shape with each optional value left out once (hrdocs.template_guards)."""
        self.noun = "documents"

    def report(self, line: int | None, message: str, hint: str | None = None, level: str = ERROR) -> None:
        where = f"{display(self.file)}:{line}" if line else display(self.file)
        self.findings.append(Finding(level, where, message, hint, display(self.file), line or 0))

    def warn(self, line: int, message: str, hint: str) -> None:
        self.report(line, message, hint, WARNING)

    def run(self, name: str, depth: int = 0) -> None:
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            self.report(None, f"template `{name}` not found")
            return
        except TemplateError as exc:  # a link out of the workspace: never read
            self.findings.append(_refused(exc))
            return
        outer, self.file = self.file, filename or name
        self.files.append(self.file)
        try:
            tree = self.env.parse(source, name, filename)
        except TemplateSyntaxError as exc:
            message, hint = _syntax(exc.message or "", self.env)
            self.report(exc.lineno, message, hint)
            self.file = outer
            return
        self.walker.visit(tree)
        if self.optional is not None:
            Guards(self.optional, self.warn, self.walker.skip_blocks, self.noun).run(tree)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
            target = node.template  # type: ignore[attr-defined]
            if isinstance(target, nodes.Const) and isinstance(target.value, str):
                if isinstance(node, nodes.Include):
                    self.walker.scopes.append({})
                    self.run(target.value, depth + 1)
                    self.walker.scopes.pop()
                else:
                    self._exists(target.value, node.lineno)
        extends = next(tree.find_all(nodes.Extends), None)
        if extends is not None and depth < 10:
            parent = extends.template
            if isinstance(parent, nodes.Const) and isinstance(parent.value, str):
                self.walker.skip_blocks |= {b.name for b in tree.find_all(nodes.Block)}
                self.run(parent.value, depth + 1)
        self.file = outer

    def _exists(self, name: str, line: int) -> None:
        try:
            self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            self.report(line, f"imports a template that does not exist: `{name}`")
        except TemplateError as exc:
            self.findings.append(_refused(exc))


def _refused(exc: HrdocsError) -> Finding:
    """A file that leads out of the workspace, as a finding at the file (the link) itself."""
    outside = exc if isinstance(exc, OutsideWorkspace) else exc.__cause__
    if not isinstance(outside, OutsideWorkspace):
        return Finding(ERROR, "templates", exc.message, exc.hint)
    where = str(Path(display(outside.path.parent)) / outside.path.name)  # the link, not its target
    return Finding(ERROR, where, outside.reason, outside.advice, where)


def _words_in_text_file(path: str, avoid: Sequence[str]) -> list[Finding]:
    try:
        source = Path(path).read_text(encoding="utf-8")
    except OSError:
        return []
    source = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    out = []
    for number, line in enumerate(source.splitlines(), 1):
        for word in _avoided(line, avoid):
            out.append(_avoid_finding(f"{display(path)}:{number}", word, display(path), number))
    return out


# -------------------------------------------------------------------------------------- checking
def _with_tones(samples: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for context in samples:
        voice = context.get("voice")
        for tone in Tone:
            if isinstance(voice, Mapping):
                out.append({**context, "voice": View({**voice, "tone": tone.value})})
            else:
                out.append(dict(context))
                break
    return out


def check_template(
    session: Session, item: TemplateFile, findings: list[Finding], walked: set[str] | None = None
) -> tuple[Shape | None, set[str]]:
    """Check one kind's winning template; returns the shape of its data and the names it uses.
    ``walked`` collects the text template files read on the way (the kind's and its partials)."""
    before = len(findings)
    kind = registry(session).find(item.kind)
    try:
        samples = sample_contexts(session, item.kind) if kind else []
        shape = shape_of(samples) if samples else None
        optional = optional_shape(session, kind, samples) if kind and samples else None
    except OutsideWorkspace:
        raise  # a file that leads out (a declaration, sample data): refused, never read
    except HrdocsError as exc:
        source = kind.source if kind is not None else None
        declared = source is not None and source.suffix == ".yaml"
        findings.append(
            Finding(
                ERROR if declared else WARNING,
                display(source if declared and source else item.path),
                f"no sample data for `{item.kind}`, so names are not checked: {exc.message}",
                exc.hint,
            )
        )
        samples, shape, optional = [], None, None
    if item.engine == TEXT:
        check = _TextCheck(session.env, shape, findings, optional)
        check.noun = f"{kind.title}s" if kind else "documents"
        check.run(item.name)
        used = check.walker.used
        if walked is not None:
            walked.update(str(Path(p).resolve()) for p in check.files)
        for path in check.files:
            findings.extend(_words_in_text_file(path, session.config.settings.voice.avoid))
        if len(findings) == before or all(f.level != ERROR for f in findings[before:]):
            for context in _with_tones(samples):
                try:
                    render_plain(session, item.kind, context, {})
                except TemplateError as exc:
                    m = re.match(r"^(.+?:\d+): (.*)$", exc.message, re.S)
                    where, message = (
                        (display(m.group(1)), m.group(2)) if m else (display(item.path), exc.message)
                    )
                    findings.append(Finding(ERROR, where, message, exc.hint))
                    break
        findings[before:] = sorted(findings[before:], key=lambda f: (f.file, f.order))
        return shape, used
    noun = f"{kind.title}s" if kind else "documents"
    shown = display(item.path)  # ATS tokens: the system found, each unknown token (hrdocs.ats_tokens)
    for n in ats_tokens.check_package(item.path, ats_tokens.for_workspace(session.workspace)):
        where = f"{shown}: {n.where}" if n.where else shown
        findings.append(Finding(n.level, where, n.message, n.hint, shown, n.order))
    from hrdocs.word_check import check_word  # the Word part: a module of its own

    template, used = check_word(session, item, shape, findings, optional, noun)
    findings[before:] = sorted(findings[before:], key=lambda f: (f.file, f.order))
    if template is not None and all(f.level != ERROR for f in findings[before:]):
        from hrdocs.docx_template import DocxTemplateError
        from hrdocs.word_check import checking_images

        for context in _with_tones(samples):
            try:
                with checking_images():  # a sample is no picture file: image(signature_file) passes
                    template.render(word_values(context))
            except DocxTemplateError as exc:
                where = f"{display(item.path)}: {exc.where}" if exc.where else display(item.path)
                findings.append(Finding(ERROR, where, exc.problem, exc.hint))
                break
    return shape, used


def check_templates(session: Session, kinds: Sequence[str] = ()) -> Report:
    """Check the templates that make each kind (all kinds by default) and the workspace's partials."""
    from hrdocs.templates import find_template

    files = template_files(session.workspace)
    outside = session.workspace.links_out("templates", "kinds", "roles")  # each refused where it is read
    report = Report(findings=[_refused(exc) for exc in outside])
    if kinds:
        targets = [find_template(session.workspace, k) for k in kinds if _usable(files, k)]
    else:
        targets = [f for f in files if f.used and not f.partial]
        for f in files:
            if not f.used and f.origin == "workspace":
                winner = next(t for t in files if t.kind == f.kind and t.used)
                message = f"not used: {display(winner.path)} makes `{f.kind}`"
                rule = "a workspace template wins over a built-in one; in one folder, .docx wins over .md.j2"
                report.findings.append(Finding(WARNING, display(f.path), message, rule))
    seen: set[str] = {str(f) for f in report.findings}
    walked: set[str] = set()
    for item in targets:
        report.checked.append(item)
        if item.refused is not None:  # reported above, with every other link out; never read
            continue
        findings: list[Finding] = []
        try:
            check_template(session, item, findings, walked)
        except OutsideWorkspace as exc:
            findings.append(_refused(exc))
        for finding in findings:
            if str(finding) not in seen:
                seen.add(str(finding))
                report.findings.append(finding)
    if not kinds:
        for f in files:
            if f.partial and f.origin == "workspace" and str(f.path.resolve()) not in walked:
                if f.refused:
                    continue  # reported above, with every other link out; never read
                report.checked.append(f)
                try:
                    session.env.get_template(f.name)
                except TemplateSyntaxError as exc:
                    message, hint = _syntax(exc.message or "", session.env)
                    report.findings.append(Finding(ERROR, f"{display(f.path)}:{exc.lineno}", message, hint))
                report.findings.extend(_words_in_text_file(str(f.path), session.config.settings.voice.avoid))
    names = [t.kind for t in targets]  # their language variants (hrdocs.clauses, docs/languages.md)
    for p in check_clauses(session.workspace, names, display) + render_problems(session, names, display):
        report.findings.append(Finding(ERROR, p.where, p.message, p.hint))
    return report


def _usable(files: Sequence[TemplateFile], kind: str) -> bool:
    """Whether the file that makes ``kind`` may be read (a link out is reported, not checked)."""
    return not any(f.kind == kind and f.used and f.refused for f in files)


def used_names(session: Session, kind: str) -> tuple[Shape | None, set[str]]:
    """The shape of ``kind``'s data and the names its winning template uses (for ``templates vars``)."""
    from hrdocs.templates import find_template

    return check_template(session, find_template(session.workspace, kind), [])

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

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, nodes

from hrdocs.context import View
from hrdocs.engines import render_plain
from hrdocs.errors import HrdocsError, TemplateError
from hrdocs.kinds import registry, sample_contexts
from hrdocs.models import Tone
from hrdocs.shapes import Shape, shape_of
from hrdocs.template_guards import Guards, optional_shape
from hrdocs.templates import TEXT, TemplateFile, template_files, word_values
from hrdocs.workspace import OutsideWorkspace

if TYPE_CHECKING:
    from hrdocs.docx_template import DocxTemplate
    from hrdocs.session import Session

ERROR, WARNING = "error", "warning"
_ALWAYS = {"loop", "super", "self", "caller", "varargs", "kwargs"}
_KEEP_SHAPE = {
    "sort",
    "unique",
    "reverse",
    "list",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "default",
    "d",
}
_ITEM_SHAPE = {"first", "last", "random", "min", "max"}
_SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_LEVEL = re.compile(r"^\{([%#])(-?)(tr|tc|p|r)(?=\s)")
_SCALAR_TYPES: dict[str, tuple[Any, ...]] = {
    "text": (str,),
    "number": (Decimal, int, float),
    "date": (dt.date,),
    "list": (tuple,),
    "object": (View,),
}


@dataclass(frozen=True)
class Finding:
    level: str
    where: str
    message: str
    hint: str | None = None
    file: str = field(default="", compare=False)
    order: int = field(default=0, compare=False)
    """Where in ``file`` (line, or paragraph number in a Word template), to list findings in order."""

    def __str__(self) -> str:
        text = f"{self.where}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


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


def display(path: str | Path) -> str:
    """A path as the user knows it: relative to the current folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _close(name: str, known: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.6)
    return f"did you mean {', '.join(f'`{c}`' for c in found)}?" if found else None


def _syntax(message: str, env: Environment) -> tuple[str, str | None]:
    """Jinja's words for an unknown filter or test, made plain."""
    for word, table in (("filter", env.filters), ("test", env.tests)):
        m = re.search(rf"No {word} named '([^']+)'", message)
        if m:
            return f"unknown {word} `{m.group(1)}`", _close(m.group(1), table)
    return f"syntax error: {message}", None


# ---------------------------------------------------------------------------------- the walker
Report_ = Callable[[int | None, str, str | None], None]


class _Walker:
    """Reads a template's syntax tree against the shape of its data; reports unknown names."""

    def __init__(self, env: Environment, top: Shape | None, report: Report_) -> None:
        self.env, self.top, self.report = env, top, report
        self.scopes: list[dict[str, Shape | None]] = [{}]
        self.soft = 0
        self.used: set[str] = set()
        self.skip_blocks: set[str] = set()

    def visit(self, node: nodes.Node) -> Shape | None:
        method = getattr(self, f"v_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        for child in node.iter_child_nodes():
            self.visit(child)
        return None

    def body(self, items: Iterable[nodes.Node], scope: dict[str, Shape | None] | None = None) -> None:
        self.scopes.append(scope or {})
        for item in items:
            self.visit(item)
        self.scopes.pop()

    def bind(self, target: nodes.Node, shape: Shape | None) -> None:
        if isinstance(target, nodes.Name):
            self.scopes[-1][target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, None)

    # names and attributes
    def v_Name(self, node: nodes.Name) -> Shape | None:
        if node.ctx != "load":
            return None
        for scope in reversed(self.scopes):
            if node.name in scope:
                return scope[node.name]
        if self.top is not None and node.name in self.top.fields:
            shape = self.top.fields[node.name]
            self.used.add(shape.path)
            return shape
        if node.name in self.env.globals or node.name in _ALWAYS or self.top is None or self.soft:
            return None
        known = [*self.top.fields, *self.env.globals, *(k for s in self.scopes for k in s)]
        self.report(node.lineno, f"unknown variable `{node.name}`", _close(node.name, known))
        return None

    def v_Getattr(self, node: nodes.Getattr) -> Shape | None:
        return self.attr(node, self.visit(node.node), node.attr)

    def v_Getitem(self, node: nodes.Getitem) -> Shape | None:
        base = self.visit(node.node)
        self.visit(node.arg)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self.attr(node, base, node.arg.value)
        if base is not None and "list" in base.types:
            return base.item
        return None

    def attr(self, node: nodes.Node, base: Shape | None, name: str) -> Shape | None:
        if name.startswith("_"):
            self.report(
                node.lineno,
                f"`{_text(node)}` is not allowed: templates cannot reach Python internals",
                "names starting with _ are refused by the sandbox",
            )
            return None
        if base is None:
            return None
        if name in base.fields:
            self.used.add(base.fields[name].path)
            return base.fields[name]
        types = base.types - {"empty"}
        if not types or self.soft:
            return None
        if any(hasattr(t, name) for kind in types for t in _SCALAR_TYPES.get(kind, ())):
            return None
        spelled = _text(node)
        parent = spelled[: -len(name) - 1] if spelled.endswith(f".{name}") else None
        close = difflib.get_close_matches(name, sorted(base.fields), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(f'`{parent}.{c}`' for c in close)}?" if close and parent else None
        self.report(node.lineno, f"unknown variable `{spelled}`", hint or _close(name, base.fields))
        return None

    # filters and tests
    def v_Filter(self, node: nodes.Filter) -> Shape | None:
        if node.name not in self.env.filters:
            self.report(node.lineno, f"unknown filter `{node.name}`", _close(node.name, self.env.filters))
        base = None
        if node.node is not None:
            if node.name in ("default", "d"):
                self.soft += 1
                base = self.visit(node.node)
                self.soft -= 1
            else:
                base = self.visit(node.node)
        for child in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
            if child is not None:
                self.visit(child)
        if node.name in _KEEP_SHAPE:
            return base
        if node.name in _ITEM_SHAPE and base is not None:
            return base.item
        return None

    def v_Test(self, node: nodes.Test) -> Shape | None:
        if node.name not in self.env.tests:
            self.report(node.lineno, f"unknown test `{node.name}`", _close(node.name, self.env.tests))
        soft = node.name in ("defined", "undefined")
        self.soft += soft
        self.visit(node.node)
        self.soft -= soft
        for child in [*node.args, *node.kwargs]:
            self.visit(child)
        return None

    # statements
    def v_For(self, node: nodes.For) -> None:
        items = self.visit(node.iter)
        item = items.item if items is not None and "list" in items.types else None
        scope: dict[str, Shape | None] = {"loop": None}
        self.scopes.append(scope)
        self.bind(node.target, item)
        if node.test is not None:
            self.visit(node.test)
        for child in node.body:
            self.visit(child)
        self.scopes.pop()
        self.body(node.else_)

    def v_Assign(self, node: nodes.Assign) -> None:
        self.bind(node.target, self.visit(node.node))

    def v_AssignBlock(self, node: nodes.AssignBlock) -> None:
        if node.filter is not None:
            self.visit(node.filter)
        self.body(node.body)
        self.bind(node.target, None)

    def v_Macro(self, node: nodes.Macro) -> None:
        self.scopes[-1][node.name] = None
        for default in node.defaults:
            self.visit(default)
        scope: dict[str, Shape | None] = {a.name: None for a in node.args}
        scope.update(caller=None, varargs=None, kwargs=None)
        self.body(node.body, scope)

    def v_CallBlock(self, node: nodes.CallBlock) -> None:
        self.visit(node.call)
        scope: dict[str, Shape | None] = {a.name: None for a in node.args}
        self.body(node.body, scope)

    def v_With(self, node: nodes.With) -> None:
        shapes = [self.visit(v) for v in node.values]
        self.scopes.append({})
        for target, shape in zip(node.targets, shapes, strict=False):
            self.bind(target, shape)
        for child in node.body:
            self.visit(child)
        self.scopes.pop()

    def v_Block(self, node: nodes.Block) -> None:
        if node.name not in self.skip_blocks:
            self.body(node.body)

    def v_Import(self, node: nodes.Import) -> None:
        self.scopes[-1][node.target] = None

    def v_FromImport(self, node: nodes.FromImport) -> None:
        for name in node.names:
            self.scopes[-1][name[1] if isinstance(name, tuple) else name] = None

    def v_Extends(self, node: nodes.Extends) -> None:
        return None  # followed by the caller, after the child's blocks are known

    def v_Include(self, node: nodes.Include) -> None:
        return None


def _text(node: nodes.Node) -> str:
    """How the template spells an expression, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        return f"{_text(node.node)}[{arg!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_text(node.node)} | {node.name}"
    if isinstance(node, nodes.Call):
        return f"{_text(node.node)}(…)"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


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


def _avoided(text: str, words: Sequence[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


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


def _avoid_finding(where: str, word: str, file: str, order: int) -> Finding:
    message = f"uses `{word}`, which the company voice avoids"
    return Finding(ERROR, where, message, "voice.avoid in hrdocs.yaml", file, order)


# ------------------------------------------------------------------------------- Word templates
def _where(place: str, text: str) -> str:
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    return f'{place} ("{shown}")' if shown else place


def _skeletons(template: DocxTemplate) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Per part (body, header 1, …): the tags alone, one line per paragraph, and each line's place."""
    parts: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
    for place, text in template.text_fragments():
        tags = [_LEVEL.sub(r"{\1\2", t.translate(_SMART)) for t in _TAG.findall(text)]
        lines, places = parts.setdefault(place.split(",")[0], ([], []))
        lines.append("".join(tags))
        places.append((place, text))
    return {part: ("\n".join(lines), places) for part, (lines, places) in parts.items()}


def _stub(env: Environment, kind: str, name: str) -> Environment:
    """An overlay of ``env`` with a do-nothing filter or test called ``name``."""
    overlay = env.overlay()
    if kind == "filter":
        overlay.filters = {**env.filters, name: lambda value, *args, **kwargs: value}
    else:
        overlay.tests = {**env.tests, name: lambda value, *args, **kwargs: False}
    return overlay


def _check_word(
    session: Session,
    item: TemplateFile,
    shape: Shape | None,
    findings: list[Finding],
    optional: Shape | None = None,
    noun: str = "documents",
) -> tuple[DocxTemplate | None, set[str]]:
    from hrdocs.docx_template import DocxTemplate, DocxTemplateError

    name = display(item.path)
    env: Environment = session.env
    stubbed = 0
    while True:
        try:
            template = DocxTemplate.compile(item.path, env)
            break
        except DocxTemplateError as exc:
            unknown = re.match(r"syntax error in a tag: No (filter|test) named '([^']+)'", exc.problem)
            if unknown and stubbed < 50:  # the walker below reports it, with the others; read on
                env, stubbed = _stub(env, unknown.group(1), unknown.group(2)), stubbed + 1
                continue
            problem, hint = exc.problem, exc.hint
            m = re.match(r"syntax error in a tag: (.*)", problem)
            if m and not unknown:
                problem = f"syntax error in a tag: {m.group(1)}"
            elif m:
                problem, hint = _syntax(m.group(1), session.env)
            findings.append(Finding(ERROR, f"{name}: {exc.where}" if exc.where else name, problem, hint))
            return None, set()
    voice = session.config.settings.voice
    order = {place: k for k, (place, _) in enumerate(template.text_fragments(), 1)}
    for place, text in template.text_fragments():
        wording = _COMMENT.sub(" ", text)
        for word in _avoided(wording, voice.avoid):
            findings.append(_avoid_finding(f"{name}: {_where(place, text)}", word, name, order[place]))
        plain = _TAG.sub(" ", text)
        for word, better in voice.preferred_terms.items():
            if _avoided(plain, [word]):
                findings.append(
                    Finding(
                        WARNING,
                        f"{name}: {_where(place, text)}",
                        f"uses `{word}`; the company voice prefers `{better}`",
                        "a Word template's wording is printed as written",
                        name,
                        order[place],
                    )
                )
    used: set[str] = set()
    for source, places in _skeletons(template).values():

        def report(
            line: int | None, message: str, hint: str | None, places: Any = places, level: str = ERROR
        ) -> None:
            place, text = places[(line or 1) - 1] if line and line <= len(places) else places[0]
            where = f"{name}: {_where(place, text)}"
            findings.append(Finding(level, where, message, hint, name, order[place]))

        walker = _Walker(session.env, shape, report)
        try:
            tree = session.env.parse(source)
        except TemplateSyntaxError:
            continue  # compile() passed; the tags alone may not parse (e.g. raw blocks): skip
        walker.visit(tree)
        if optional is not None:
            warn = functools.partial(report, level=WARNING)
            Guards(optional, warn, noun=noun).run(tree)
        used |= walker.used
    return template, used


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
    template, used = _check_word(session, item, shape, findings, optional, noun)
    findings[before:] = sorted(findings[before:], key=lambda f: (f.file, f.order))
    if template is not None and all(f.level != ERROR for f in findings[before:]):
        from hrdocs.docx_template import DocxTemplateError

        for context in _with_tones(samples):
            try:
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
    return report


def _usable(files: Sequence[TemplateFile], kind: str) -> bool:
    """Whether the file that makes ``kind`` may be read (a link out is reported, not checked)."""
    return not any(f.kind == kind and f.used and f.refused for f in files)


def used_names(session: Session, kind: str) -> tuple[Shape | None, set[str]]:
    """The shape of ``kind``'s data and the names its winning template uses (for ``templates vars``)."""
    from hrdocs.templates import find_template

    return check_template(session, find_template(session.workspace, kind), [])

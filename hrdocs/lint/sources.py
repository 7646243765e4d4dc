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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from zipfile import BadZipFile

import yaml

from hrdocs.catalogue import AREAS_FILE, Role
from hrdocs.compliance import PayRule
from hrdocs.engines import engines
from hrdocs.errors import HrdocsError
from hrdocs.kinds import registry
from hrdocs.kinds.job_description import NAME as JD_KIND
from hrdocs.limits import read_package
from hrdocs.lint.engine import lint_text
from hrdocs.lint.findings import Finding
from hrdocs.lint.rules import KINDS, check_settings
from hrdocs.loader import compose_yaml
from hrdocs.models import Location
from hrdocs.postings import PostingRefused, Postings
from hrdocs.session import Session
from hrdocs.templates import visible_text

Linted = tuple[str, list[Finding]]
"""A source name (a path or ``hr-generalist (job description)``) and its findings."""

TEMPLATE_GLOB = "*.j2"
DOCX_SUFFIXES = frozenset({".docx", ".docm"})
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".j2"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
"""Suffixes that make a command-line argument a file name rather than a role name."""

_BLOCK_MARK = "> "
"""Put before each line of a generated document or DOCX so the engine reads it as a block of its own."""

_TOKEN = re.compile(r"\w+")


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it, else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


def guess_kind(path: Path) -> str:
    """The document kind a file name suggests, else the name of its folder (hrdocs writes postings to
    ``output/postings``, letters to ``output/offers`` …); ``text`` when neither suggests one."""
    if path.name.lower().endswith(".j2"):
        return "template"
    found = _kind_of_name(path.name.lower())
    if found == "text" and path.parent.name:
        found = _kind_of_name(path.parent.name.lower())
    return found


def _kind_of_name(name: str) -> str:
    words = set(re.split(r"[^a-z]+", name))
    if "posting" in name or "advert" in name or words & {"ad", "jobad", "vacancy"}:
        return "posting"
    if "offer" in name:
        return "offer"
    if "denial" in name or "rejection" in name or "decline" in name:
        return "denial"
    if "description" in name or words & {"jd", "jds"}:
        return JD_KIND
    return "text"


# ------------------------------------------------------------------------------------------ files
def docx_lines(path: Path) -> list[str]:
    """A Word document's paragraphs and table rows, one per line: body, then headers and footers.

    Cells of a row are joined by `` | `` (a merged cell once); line breaks and tabs inside a paragraph
    become spaces, so that line n is always the n-th paragraph or row.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:  # hrdocs.limits: a zip bomb is refused before python-docx unpacks it
        document = docx.Document(read_package(path, display_path(path)))
    except (PackageNotFoundError, KeyError, ValueError, OSError, BadZipFile) as exc:
        raise HrdocsError(f"{display_path(path)}: not a Word document ({exc})") from None

    def flat(text: str) -> str:
        return re.sub(r"[\n\r\t\v]", " ", text)

    def walk(container: object) -> Iterator[str]:
        for block in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell appears once per grid column
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(flat(line) for line in walk(cell) if line.strip()))
                    yield " | ".join(cells)
            else:
                yield flat(block.text)

    lines = list(walk(document))
    parts_seen: set[int] = set()
    for section in document.sections:
        for part in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            key = id(part._element)
            if key not in parts_seen:
                parts_seen.add(key)
                lines.extend(walk(part))
    return lines


_HTML_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote", "div", "section"}
)
_HTML_SKIPPED = frozenset({"head", "script", "style", "template", "noscript"})


class _HtmlText(HTMLParser):
    """The text a reader sees in a web page, one block (paragraph, list item, heading, table row) a
    line; cells of a row joined by `` | ``; scripts (a posting's JSON-LD), styles and the head left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIPPED:
            self.skipping += 1
        elif tag in _HTML_BLOCKS:
            self.flush()
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag == "br":
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HTML_BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def html_lines(path: Path) -> list[str]:
    """A web page's visible text, one block a line (see :class:`_HtmlText`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HrdocsError(f"{display_path(path)}: not a UTF-8 web page") from None
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.lines


def read_file(path: Path) -> tuple[str, bool]:
    """The text of ``path`` and whether it is one block per line (a DOCX) rather than Markdown/text."""
    if path.is_dir():
        raise HrdocsError(f"{display_path(path)}: a folder", hint="name the files to lint")
    if not path.is_file():
        raise HrdocsError(f"{display_path(path)}: no such file")
    if path.suffix.lower() in DOCX_SUFFIXES:
        return "\n".join(docx_lines(path)), True
    if path.suffix.lower() in HTML_SUFFIXES:
        return "\n".join(html_lines(path)), True
    if path.suffix.lower() in {".pdf", ".doc", ".odt", ".rtf"}:
        raise HrdocsError(
            f"{display_path(path)}: hrdocs lint reads DOCX, HTML, Markdown and text files",
            hint="save it as .docx or .txt first",
        )
    try:
        return path.read_text(encoding="utf-8-sig"), False
    except UnicodeDecodeError:
        raise HrdocsError(
            f"{display_path(path)}: not a UTF-8 text file",
            hint="hrdocs lint reads DOCX, HTML, Markdown and text",
        ) from None


# ---------------------------------------------------------------------------- where text lives
@dataclass(frozen=True)
class _Value:
    """One string value of a YAML file: its words (casefolded) and where each starts in the file."""

    words: tuple[str, ...]
    offsets: tuple[int, ...]


@dataclass
class _YamlFile:
    path: Path
    text: str
    values: list[_Value]
    extends: str | None

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


def _read_yaml_values(path: Path) -> _YamlFile | None:
    """The string values of a YAML file (mapping keys left out), located in its text."""
    try:
        text = path.read_text(encoding="utf-8")
        root, _ = compose_yaml(text, str(path))  # the loader's bounds: aliases, depth, duplicate keys
    except (OSError, UnicodeDecodeError, HrdocsError):
        return None
    values: list[_Value] = []
    extends: str | None = None

    def collect(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            raw = text[node.start_mark.index : node.end_mark.index]
            found = [(m.group().casefold(), node.start_mark.index + m.start()) for m in _TOKEN.finditer(raw)]
            if found:
                values.append(_Value(tuple(w for w, _ in found), tuple(o for _, o in found)))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                collect(item)
        elif isinstance(node, yaml.MappingNode):
            for _key, value in node.value:
                collect(value)

    if root is not None:
        collect(root)
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                if getattr(key, "value", None) == "extends" and isinstance(value, yaml.ScalarNode):
                    extends = str(value.value)
    return _YamlFile(path, text, values, extends)


def _find(needle: Sequence[str], haystack: Sequence[str]) -> int:
    """Index of the first occurrence of ``needle`` in ``haystack``, or -1."""
    n = len(needle)
    if not n or n > len(haystack):
        return -1
    first = needle[0]
    for i in range(len(haystack) - n + 1):
        if haystack[i] == first and tuple(haystack[i : i + n]) == tuple(needle):
            return i
    return -1


def _locate(files: Sequence[_YamlFile], line: str, column: int, match: str) -> tuple[_YamlFile, int] | None:
    """The file and offset where the text matched at ``column`` of ``line`` is written, if found.

    Tried in order, each over every file (the role's own first): the line, or the table cell holding
    the match, is a whole value (a duty, a competency, an area name, the title); the line, of four
    words or more, lies inside a value (a paragraph of a summary); the match with up to three words
    either side, five words or more, lies inside a value. A line that only shares a word or two with a
    file (a template heading such as "Summary" and the key ``summary:``) is not moved.
    """
    start = column - 1
    end = start + max(len(match), 1)
    units = [(0, line)]
    if " | " in line:  # a table row: each cell may be a value of its own
        at = 0
        for cell in line.split(" | "):
            if at <= start < at + len(cell):
                units.append((at, cell))
            at += len(cell) + 3
    tries: list[tuple[tuple[str, ...], int, int, bool]] = []  # needle, index of the match in it, delta
    for base, text in units:
        tokens = [(m.group().casefold(), base + m.start(), base + m.end()) for m in _TOKEN.finditer(text)]
        inside = [i for i, (_, a, b) in enumerate(tokens) if a < end and b > start]
        if not inside:
            continue
        k0, k1 = inside[0], inside[-1] + 1
        words = tuple(w for w, _, _ in tokens)
        delta = max(0, start - tokens[k0][1])
        tries.insert(0 if base else len(tries), (words, k0, delta, True))
        if base == 0:
            if len(words) >= 4:
                tries.append((words, k0, delta, False))
            lo = max(0, k0 - 3)
            window = words[lo : k1 + 3]
            if len(window) >= 5:
                tries.append((window, k0 - lo, delta, False))
    tries.sort(key=lambda t: not t[3])  # every whole-value try first
    for needle, index, delta, whole in tries:
        for file in files:
            for value in file.values:
                at = (0 if value.words == needle else -1) if whole else _find(needle, value.words)
                if at >= 0:
                    return file, value.offsets[at + index] + delta
    return None


# ---------------------------------------------------------------------------------------- linting
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
    _yaml: dict[Path, _YamlFile | None] = field(default_factory=dict)

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
        rendered = engines(self.session).render(kind.template_name, prepared.context, prepared.meta)
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
                    place = _locate(files, lines[finding.line - 1], finding.column, finding.match)
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

    def _yaml_file(self, path: Path) -> _YamlFile | None:
        if path not in self._yaml:
            self._yaml[path] = _read_yaml_values(path)
        return self._yaml[path]

    def _role_files(self, role: Role) -> list[_YamlFile]:
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
        kind = kind or guess_kind(path)
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

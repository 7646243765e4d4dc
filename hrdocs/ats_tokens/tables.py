"""Token tables: which system writes which token, and the hrdocs value each stands for, as data.

One YAML file per system ships in ``hrdocs/data/tokens/``, each token with its source; a workspace's
``tokens/NAME.yaml`` (same keys) extends or overrides the built-in table of that name, or adds a
system, with a syntax of its own (``syntax: "${NAME}"``). Tables of one syntax are read as one
family (Greenhouse's and Ashby's ``{{UPPER_SNAKE}}`` tokens together). Files are read inside the
workspace's jail and checked with the typed models below, so a typo fails with its file, line and key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2
from jinja2 import nodes
from pydantic import Field, field_validator

from hrdocs.errors import HrdocsError, Problem, ValidationFailed
from hrdocs.loader import LineMap, read_yaml, validate
from hrdocs.models import Strict, Text
from hrdocs.workspace import Workspace

TABLES = Path(__file__).resolve().parent.parent / "data" / "tokens"
FOLDER = "tokens"
"""The workspace's own tables: ``tokens/NAME.yaml``."""
NAME = "NAME"
"""Where the token's name goes in a syntax of a company's own: ``${NAME}``."""


Reading = Literal["strict", "guarded", "open"]
"""How surely a match is a token. ``strict``: no prose or hrdocs tag is written so, an unknown token is
an error anywhere. ``guarded``: prose uses it too, so it is read only in a part where a token of its
table is found, and there an unknown one is an error. ``open``: an unknown one is left alone (it may
be an hrdocs tag: Personio's ``{{first_name}}`` is also Jinja)."""


@dataclass(frozen=True)
class Syntax:
    """How one family of tokens is written: a pattern whose group 1 is the name (for Teamtailor, group
    2 is the fallback text), its spelling for messages, and how surely a match is a token."""

    key: str
    pattern: re.Pattern[str]
    spelling: str
    reading: Reading
    described: str


_SHIPPED = [  # key, pattern (group 1: the name; Teamtailor's group 2: the fallback), reading, shown
    ("UPPER_BRACES", r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}", "{{%s}}", "strict", "{{UPPER_SNAKE}}"),
    ("lower_braces", r"\{\{([a-z][a-z0-9_]*)\}\}", "{{%s}}", "open", "{{snake}}"),
    ("angles", r"<<\s*([A-Za-z][A-Za-z0-9_]*)\s*>>", "<<%s>>", "strict", "<<PascalCase>>"),
    ("brackets", r"\[([A-Za-z][A-Za-z_]*)\]", "[%s]", "guarded", "[snake]"),
    ("kebab-brace", r"(?<!\{)\{([a-z]+(?:-[a-z]+)+)(?: ([^{}]+))?\}(?!\})", "{%s}", "strict", "{kebab-case}"),
    ("single-brace", r"(?<![{$])\{([a-z][a-z0-9_]*)\}(?!\})", "{%s}", "guarded", "{snake}"),
]
BUILT_IN: dict[str, Syntax] = {
    key: Syntax(key, re.compile(pattern), spelling, reading, shown)  # type: ignore[arg-type]
    for key, pattern, spelling, reading, shown in _SHIPPED
}
"""The syntaxes of the systems hrdocs ships tables for (docs/ats.md says whose is whose)."""
_NAMES = "[A-Za-z][A-Za-z0-9_]*"
"""The names a company's own syntax takes unless its table says (``names:``)."""


class Token(Strict):
    value: Text
    """The Jinja expression of the offer letter's data it stands for (docs/letters.md)."""
    confirmed: bool = True
    """``false``: the source does not show this token in this system's offer templates (its docs
    page says so); a workspace table of the same name replaces its value."""
    source: Text

    @field_validator("value")
    @classmethod
    def _one_expression(cls, value: str) -> str:
        try:
            tree = jinja2.Environment().parse("{{ " + value + " }}")
        except jinja2.TemplateSyntaxError as exc:
            raise ValueError(f"not a Jinja expression: {exc.message}") from None
        out = tree.body[0] if len(tree.body) == 1 else None
        if not (isinstance(out, nodes.Output) and len(out.nodes) == 1):
            raise ValueError("must be one Jinja expression (what goes between {{ and }}), not a template")
        return value


class Table(Strict):
    """A token table file, as written."""

    system: Text
    syntax: Text
    """One of :data:`BUILT_IN`'s keys, or the company's own, with ``NAME`` where the name goes."""
    names: Text | None = None
    """A company syntax's names, as a regular expression (``[a-z_]+``); default :data:`_NAMES`."""
    reading: Reading | None = None
    """A company syntax: ``strict`` (the default: an unknown token is an error anywhere) or
    ``guarded`` (read only in a part that has a known one: for delimiters prose also uses)."""
    source: Text
    tokens: dict[Text, Token] = Field(default_factory=dict)

    @field_validator("syntax")
    @classmethod
    def _syntax(cls, syntax: str) -> str:
        if syntax in BUILT_IN:
            return syntax
        if syntax.count(NAME) != 1 or syntax.startswith(NAME) or syntax.endswith(NAME):
            raise ValueError(
                f"one of {', '.join(BUILT_IN)}, or your own: the delimiters with {NAME} between them, "
                'e.g. "${NAME}" or "%%NAME%%"'
            )
        return syntax

    @field_validator("names")
    @classmethod
    def _names(cls, names: str | None) -> str | None:
        try:
            compiled = re.compile(names or "")
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if compiled.groups:
            raise ValueError("no groups here (write (?:…) for one)")
        return names

    def kind(self) -> Syntax:
        """The table's syntax (a company's own is compiled from its delimiters)."""
        if self.syntax in BUILT_IN:
            return BUILT_IN[self.syntax]
        opening, closing = self.syntax.split(NAME)
        names = self.names or _NAMES
        pattern = re.compile(re.escape(opening) + rf"\s*({names})\s*" + re.escape(closing))
        return Syntax(self.syntax, pattern, f"{opening}%s{closing}", self.reading or "strict", self.syntax)


@dataclass(frozen=True)
class Entry:
    system: str
    value: str


@dataclass(frozen=True)
class Family:
    """The tokens of one syntax, from every table that uses it (Greenhouse's and Ashby's together)."""

    syntax: Syntax
    systems: tuple[str, ...]
    tokens: dict[str, Entry]


@dataclass(frozen=True)
class Tables:
    """Every table a workspace reads, grouped by syntax."""

    tables: tuple[Table, ...]
    families: tuple[Family, ...]


@functools.lru_cache(maxsize=1)
def builtin() -> tuple[Table, ...]:
    """Every shipped token table (read once per process)."""
    return tuple(_read(path) for path in sorted(TABLES.glob("*.yaml")))


def tables() -> tuple[Table, ...]:
    """The shipped tables (what the docs list)."""
    return builtin()


@functools.lru_cache(maxsize=1)
def builtin_tables() -> Tables:
    """The shipped tables by syntax: what a workspace without ``tokens/`` reads."""
    return _group([(t, None) for t in builtin()])


def for_workspace(workspace: Workspace | None) -> Tables:
    """The tables a workspace's templates are read with: its own ``tokens/NAME.yaml`` over the built-in
    ones (same name: its tokens added to the built-in table's, a token of the same name replaced)."""
    if workspace is None or not (workspace.root / FOLDER).is_dir():
        return builtin_tables()
    files = sorted((workspace.root / FOLDER).glob("*.yaml"))
    stamp = tuple((str(p), *_stat(p)) for p in files)
    return _cached(workspace.root, workspace.builtin, stamp)


def _stat(path: Path) -> tuple[int, int]:
    """What makes a changed file read again (a broken link: reading it says why)."""
    try:
        info = path.stat()
    except OSError:
        return 0, 0
    return info.st_mtime_ns, info.st_size


Where = tuple[str, LineMap] | None
"""A workspace table's file and lines (``None``: a built-in table)."""


@functools.lru_cache(maxsize=8)
def _cached(root: Path, shipped_dir: Path, stamp: tuple[tuple[str, int, int], ...]) -> Tables:
    workspace = Workspace(root, shipped_dir)
    shipped = builtin()
    by_name = {Path(p).stem: t for p, t in zip(sorted(TABLES.glob("*.yaml")), shipped, strict=True)}
    sources: list[tuple[Table, Where]] = [(t, None) for t in shipped]
    for path_text, *_ in stamp:
        path = Path(path_text)
        data, lines = read_yaml(workspace.inside(path))  # a link out of the workspace is refused
        table = validate(Table, data, str(path), lines)
        _check_names(table, str(path), lines)
        sources.append((table, (str(path), lines)))
        before = by_name.get(path.stem)
        if before is not None and before.syntax == table.syntax:  # extends the built-in table
            table = table.model_copy(update={"tokens": {**before.tokens, **table.tokens}})
        by_name[path.stem] = table
    return _group(sources, tuple(by_name.values()))


def _read(path: Path) -> Table:
    data, lines = read_yaml(path)
    table = validate(Table, data, str(path), lines)
    _check_names(table, str(path), lines)
    return table


def _check_names(table: Table, source: str, lines: LineMap) -> None:
    """Every token's name must be one its syntax can find (``CANDIDATE NAME`` never would be)."""
    pattern = table.kind().pattern
    problems = [
        Problem(source, lines.line(("tokens", name)), f"tokens.{name}", f"not a name {table.syntax} writes")
        for name in table.tokens
        if not any(m[1] == name for m in pattern.finditer(table.kind().spelling % name))
    ]
    if problems:
        raise ValidationFailed(problems, what=source)


def _group(sources: Iterable[tuple[Table, Where]], merged: tuple[Table, ...] | None = None) -> Tables:
    """Tables of one syntax read as one family, built-in ones first. The same token in two of them
    with two values: the workspace's wins over a built-in one; two workspace files that disagree are
    refused, naming both."""
    families: dict[str, tuple[Syntax, list[str], dict[str, tuple[Entry, Where]]]] = {}
    items = list(sources)
    for table, where in items:
        syntax = table.kind()
        _, systems, tokens = families.setdefault(syntax.key, (syntax, [], {}))
        if table.system not in systems:
            systems.append(table.system)
        for name, token in table.tokens.items():
            entry, first = tokens.get(name, (None, None))
            if entry is not None and first is not None and where is not None and entry.value != token.value:
                raise _clash(name, first, where, syntax)
            tokens[name] = (Entry(table.system, token.value), where)
    return Tables(
        merged if merged is not None else tuple(t for t, _ in items),
        tuple(
            Family(s, tuple(ss), {n: e for n, (e, _) in toks.items()}) for s, ss, toks in families.values()
        ),
    )


def _clash(name: str, first: tuple[str, LineMap], second: tuple[str, LineMap], syntax: Syntax) -> HrdocsError:
    token = syntax.spelling % name
    return ValidationFailed(
        [
            Problem(
                source,
                lines.line(("tokens", name)),
                f"tokens.{name}",
                f"{token} is given another value in the other file",
            )
            for source, lines in (first, second)
        ],
        what=f"{first[0]} and {second[0]}",
    )


def markdown_table(table: Table | None = None) -> str:
    """Every token hrdocs fills in (or one table's), as docs/ats.md shows them."""
    out = ["| system | token | hrdocs value | source |", "|---|---|---|---|"]
    for each in [table] if table else tables():
        for name, token in each.tokens.items():
            value = f"`{token.value}`" + ("" if token.confirmed else " (not confirmed)")
            cells = (each.system, f"`{each.kind().spelling % name}`", value, token.source)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)

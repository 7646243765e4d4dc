"""Read YAML and JSON safely and validate them into typed models, remembering where every value came from.

Every file hrdocs reads as data (``hrdocs.yaml``, roles, data files, plans, kind declarations, extra
pay rules) is read here, under one policy: only the safe loader (a catalogue is data, never code); no
key given twice in one mapping; aliases bounded, so a small file cannot grow into a huge document;
every date, number and character checked before a value is made, so that what cannot be read is a
located problem (``file:line: field: message``) and never an exception half-way through.

Validation errors from pydantic carry a location such as ``("duties", "hr-operations", 3)``; we keep
the line of each such path so every problem can be reported with its line. No message quotes a value
read from a file: a data file holds a candidate's salary and address.
"""

from __future__ import annotations

import calendar
import codecs
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hrdocs.errors import Problem, ValidationFailed

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser with the safe constructor when PyYAML was built with it (the wheels are): the same
data, read about ten times faster (every command reads the catalogue)."""

MAX_DEPTH = 50
"""Mappings and lists nested deeper than this are refused (hrdocs' own files nest five deep)."""
MAX_ALIASED = 100_000
ALIAS_RATIO = 10
"""A document whose aliases make it hold more than ``MAX_ALIASED`` values *and* more than
``ALIAS_RATIO`` times the values written out in it is refused: a "billion laughs" (a 1 KB file of
nested aliases standing for 10⁹ values) is met as one error, in time linear in its size, before any
value is made; ``defaults: &d`` reused in every entry of a long plan stays well inside both."""
MAX_DIGITS = 1000
"""A whole number longer than this is refused (Python will not read one of over 4,300 digits at all)."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_CHECKED = frozenset((_TIMESTAMP, _INT, _FLOAT))
_STAMP = yaml.constructor.SafeConstructor.timestamp_regexp
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip


def _implicit(tag: str) -> re.Pattern[str]:
    """The pattern by which YAML reads a plain scalar as ``tag``: a value given that tag explicitly
    (``!!int abc``) must match it too, or the constructor would fail on it."""
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values():
        for resolved, pattern in resolvers:
            if resolved == tag:
                return pattern
    raise LookupError(tag)  # pragma: no cover - PyYAML always has both


_INT_FORM = _implicit(_INT)
_FLOAT_FORM = _implicit(_FLOAT)

M = TypeVar("M", bound=BaseModel)
Loc = tuple[Hashable, ...]


class LineMap:
    """Maps a path of keys and indices inside a YAML document to its 1-based line number."""

    def __init__(self) -> None:
        self._lines: dict[Loc, int] = {}

    def add(self, loc: Loc, line: int) -> None:
        self._lines.setdefault(loc, line)

    def line(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self._lines:
                return self._lines[loc]
            loc = loc[:-1]
        return self._lines.get(())


def date_reason(text: str) -> str | None:
    """Why ``text``, written like a date (``YYYY-MM-DD``, perhaps with a time), is not a real one, in
    words that do not repeat it; ``None`` if it is a real date or is not written like one."""
    match = _STAMP.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(match.group(g)) for g in ("year", "month", "day"))
    if year == 0:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month}; months go from 01 to 12"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{_MONTHS[month - 1]} has {last} days" + (f" in {year}" if month == 2 else "")
    if match.group("hour") is not None:
        if (
            int(match.group("hour")) > 23
            or int(match.group("minute")) > 59
            or int(match.group("second")) > 59
        ):
            return "its time of day is past 23:59:59"
        if match.group("tz_hour") is not None and int(match.group("tz_hour")) > 23:
            return "its time zone is over 23 hours from UTC"
    return None


class _Checks:
    """One walk over a composed document, before any value is made: the line of every path, and the
    problems that constructing the values would otherwise meet as exceptions (or as memory)."""

    def __init__(self, source: str, lines: LineMap) -> None:
        self.source = source
        self.lines = lines._lines
        self.size: dict[yaml.Node, int] = {}
        """Each mapping and list walked: the values it stands for, its aliases expanded (an alias is
        the node itself, so a repeated one is counted again, not walked again); 0 while it is walked."""
        self.problems: list[Problem] = []
        self.repeated = (0, 0)
        """The size and line of the largest value an alias repeats: where a bomb is reported."""

    def walk(self, node: yaml.Node, loc: Loc, depth: int) -> int:
        line = node.start_mark.line + 1
        self.lines.setdefault(loc, line)
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _CHECKED:
                self._scalar(node, loc, line)
            return 1
        known = self.size.get(node)
        if known is not None:
            if known == 0:
                where = self.lines.get(loc, line)  # the alias's line (its key's), not the anchor's
                self._add(where, loc, "an alias here stands for a value that holds it (a loop); write it out")
                return 1
            if known > self.repeated[0]:
                self.repeated = (known, line)
            return known
        if depth >= MAX_DEPTH:
            self._add(line, (), f"nested more than {MAX_DEPTH} levels deep; hrdocs reads no such data")
            self.size[node] = 1
            return 1
        self.size[node] = 0
        total = 1
        depth += 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name: Any = key.value
                    here = (*loc, name)
                    key_line = key.start_mark.line + 1
                    tag = key.tag
                    if tag == _STR:
                        same: Any = name
                    else:
                        same = (tag, name)  # `1:` and `"1":` are two keys
                        if tag in _CHECKED:
                            self._scalar(key, here, key_line)
                    first = seen.get(same)
                    if first is None:
                        seen[same] = key_line
                    else:
                        self._add(key_line, here, f"given twice (first on line {first})")
                    total += 1
                    self.lines.setdefault(here, key_line)
                else:
                    here = (*loc, str(key.start_mark))
                    total += self.walk(key, here, depth)
                if isinstance(
                    value, yaml.ScalarNode
                ):  # the common case, without a call (its line is the key's)
                    total += 1
                    if value.tag in _CHECKED:
                        self._scalar(value, here, value.start_mark.line + 1)
                else:
                    total += self.walk(value, here, depth)
        else:
            for index, item in enumerate(node.value):
                total += self.walk(item, (*loc, index), depth)
        self.size[node] = total
        return total

    def _scalar(self, node: yaml.ScalarNode, loc: Loc, line: int) -> None:
        value = node.value
        if node.tag == _TIMESTAMP:
            if _STAMP.match(value) is None:
                self._add(line, loc, "is not a date (write it as YYYY-MM-DD)")
            elif reason := date_reason(value):
                self._add(line, loc, f"is not a real date ({reason})")
        elif node.tag == _INT:
            if _INT_FORM.match(value) is None:
                self._add(line, loc, "is not a whole number (remove the `!!int` tag if it is text)")
            elif len(value) > MAX_DIGITS:
                self._add(line, loc, f"is a number of more than {MAX_DIGITS:,} digits; check the figure")
        elif _FLOAT_FORM.match(value) is None:
            self._add(line, loc, "is not a number (remove the `!!float` tag if it is text)")
        else:
            plain = value.replace("_", "").lower().lstrip("+-")
            if plain in (".inf", ".nan"):
                self._add(line, loc, "is infinite or not a number (.inf, .nan); write a figure such as 72000")
            elif ":" not in plain and float(plain) == float("inf"):
                self._add(line, loc, "is too large a number to be right; check the figure")

    def _add(self, line: int, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.source, line, field_name(loc) if loc else None, message))

    def finish(self, root: yaml.Node, total: int) -> None:
        written = _written(root) if total > MAX_ALIASED else total
        if total > max(MAX_ALIASED, ALIAS_RATIO * written):
            self.problems.append(
                Problem(
                    self.source,
                    self.repeated[1],
                    None,
                    f"aliases repeat the value anchored here until the document holds over {MAX_ALIASED:,} "
                    f"values, from {written:,} written out: hrdocs reads no such file (a YAML bomb?); "
                    f"write the values out, or use fewer aliases",
                )
            )
        if self.problems:
            raise ValidationFailed(self.problems, what=self.source)


def _written(root: yaml.Node) -> int:
    """The nodes of a document as written out, each alias's value once (counted only for a big one)."""
    seen: set[yaml.Node] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            if isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    return len(seen)


def _syntax(exc: yaml.YAMLError, text: str, source: str) -> ValidationFailed:
    """A parser's error as a located problem; the text at the mark is never quoted."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and reason.startswith("but "):  # "expected a single document…, but found another"
            reason = f"{exc.context}, {reason}"
        if reason.startswith("could not determine a constructor"):
            reason += " (hrdocs reads plain data, never objects: remove the tag)"
        if line is not None and "\t" in _indent(text, line):
            reason += " (the line is indented with a tab: YAML indents with spaces only)"
    else:  # libyaml's reader: a character YAML does not allow, at a character position
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        char = getattr(exc, "character", None)
        code = f"U+{char:04X}" if isinstance(char, int) else "a control character"
        reason = f"contains {code}, a control character YAML does not allow (remove it)"
    return ValidationFailed([Problem(source, line, None, f"YAML: {reason}")], what=source)


def _indent(text: str, line: int) -> str:
    lines = text.split("\n", line)
    row = lines[line - 1] if len(lines) >= line else ""
    return row[: len(row) - len(row.lstrip(" \t"))] or row[:1]


def _compose(loader: Any, text: str, source: str) -> tuple[yaml.Node | None, LineMap]:
    lines = LineMap()
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax(exc, text, source) from None
    if node is not None:
        checks = _Checks(source, lines)
        checks.finish(node, checks.walk(node, (), 0))
    return node, lines


def compose_yaml(text: str, source: str) -> tuple[yaml.Node | None, LineMap]:
    """One YAML document's nodes, every check of this module passed, and the line of each path."""
    loader = _SafeLoader(text)
    try:
        return _compose(loader, text, source)
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; whatever it cannot be read as becomes a located HrdocsError."""
    loader = _SafeLoader(text)
    try:
        node, lines = _compose(loader, text, source)  # parsed once: the nodes give the lines, then the data
        return (loader.construct_document(node) if node is not None else None), lines
    except yaml.YAMLError as exc:  # a tag the safe loader does not know (!!python/…), an unhashable key
        raise _syntax(exc, text, source) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """A YAML or JSON file's text: UTF-8, with or without a byte-order mark, and no NUL character."""
    source = str(path)

    def refused(line: int | None, message: str) -> ValidationFailed:
        return ValidationFailed([Problem(source, line, None, message)], what=source)

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise refused(None, f"cannot read: {exc.strerror or exc}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise refused(1, "is UTF-16 text; save it as UTF-8 (Save As, encoding UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        why = f"is not UTF-8 text (byte {exc.start + 1}: saved as Windows-1252 or Latin-1?); save it as UTF-8"
        raise refused(line, why) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise refused(line, "contains a NUL character: not a text file (a Word or Excel file renamed?)")
    return text


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    return parse_yaml(read_text(path), str(path))


# ------------------------------------------------------------------------------------------ models
def field_name(loc: Loc) -> str:
    """``("pay_range", "min")`` -> ``pay_range.min``; list indices shown as ``[3]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


_NOT_A_MAPPING = ("model_type", "model_attributes_type", "dict_type")


def problems_from(exc: ValidationError, source: str, lines: LineMap | None) -> list[Problem]:
    """Turn every pydantic error into a Problem; the input value is never echoed (it may be personal),
    only looked at to say why (a ``no`` that YAML read as false, a list where a mapping belongs)."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        given = err.get("input")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "required, but missing"
        elif err["type"] == "string_type" and isinstance(given, bool):
            message = "must be text (YAML reads yes, no, on and off as true or false: put them in quotes)"
        elif err["type"] in _NOT_A_MAPPING and isinstance(given, list | str | int | float):
            what = "a list" if isinstance(given, list) else "a single value"
            message = f"must be a mapping of key: value, not {what}"
        message = message.removeprefix("Value error, ")
        line = lines.line(loc) if lines else None
        out.append(Problem(source, line, field_name(loc) if loc else None, message))
    return out


def validate(
    model: type[M],
    data: Any,
    source: str,
    lines: LineMap | None = None,
    *,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate ``data`` into ``model`` or raise one error listing every problem found.

    ``context`` reaches the models' validators: e.g. the company's locale, by which a role's locations
    are read (see :data:`hrdocs.models.LOCALE`)."""
    try:
        return model.model_validate(data if data is not None else {}, context=context)
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc, source, lines), what=source) from None


def load_model(model: type[M], path: Path) -> M:
    data, lines = read_yaml(path)
    return validate(model, data, str(path), lines)

"""Data files: a document's fields from a YAML or JSON file, with the line of each.

``hrdocs offer --data jane.yaml``, ``hrdocs render KIND --data x.json`` and a plan's entries read their
fields here, spelled leniently (``Preferred name`` is ``preferred_name``), so that every problem names
the file, the line and the field. JSON is read under the YAML policy of :mod:`hrdocs.loader` (no key
twice, every number finite, the line of every key); two keys spelled as the same field (``Salary``
and ``salary``) are refused as well, for either format: the one that won would be a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.fields import NAME_KEYS, field_key, normalize_fields
from hrdocs.loader import MAX_DIGITS, LineMap, field_name, read_text, read_yaml


def read_data_file(path: Path) -> tuple[dict[str, Any], dict[str, int | None]]:
    """A document's fields from a YAML or JSON file: the fields (keys spelled as fields) and the line of
    each."""
    source = str(path)
    if path.suffix.lower() == ".json":
        data, linemap = parse_json(read_text(path), source)
    else:
        data, linemap = read_yaml(path)
    if not isinstance(data, Mapping):
        what = "a list" if isinstance(data, list) else "empty" if data is None else "a single value"
        message = f"must be a mapping of field: value, not {what} (`hrdocs kinds show KIND` lists the fields)"
        raise ValidationFailed([Problem(source, 1, None, message)], what=source)
    lines: dict[str, int | None] = {}
    spelled: dict[str, str] = {}
    problems: list[Problem] = []

    def seen(name: str, loc: tuple[Any, ...]) -> None:
        line = linemap.line(loc)
        if name in lines:
            first = f"first on line {lines[name]}" if lines[name] else "given before"
            problems.append(
                Problem(
                    source,
                    line,
                    name,
                    f"given twice ({first} as `{spelled[name]}`, here as `{field_name(loc)}`)",
                )
            )
            return
        lines[name], spelled[name] = line, field_name(loc)

    for key, value in data.items():
        if field_key(key) == "candidate" and isinstance(value, Mapping):
            for sub in value:
                name = field_key(sub)
                seen(NAME_KEYS.get(name, name), (key, sub))
        else:
            seen(field_key(key), (key,))
    if problems:
        raise ValidationFailed(problems, what=source)
    return normalize_fields(data), lines


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def parse_json(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse a JSON document under the YAML policy: no key twice, every number finite; with lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(source, exc.lineno, None, f"JSON: {_json_reason(exc)}")
        raise ValidationFailed([problem], what=source) from None
    except ValueError:  # an integer past Python's limit of digits: the walk names its line
        data = None
    lines = LineMap()
    problems = _json_walk(text, source, lines)
    if problems:
        raise ValidationFailed(problems, what=source)
    return data, lines


def _json_reason(exc: json.JSONDecodeError) -> str:
    before = exc.doc[: exc.pos].rstrip()
    if before.endswith(",") and exc.doc[exc.pos : exc.pos + 1] in ("}", "]"):
        return f"a comma before `{exc.doc[exc.pos]}`: JSON allows none after the last item; remove it"
    if exc.doc[exc.pos : exc.pos + 1] == "'":
        return f"{exc.msg} (JSON quotes with \", never ')"
    return exc.msg


def _json_walk(text: str, source: str, lines: LineMap) -> list[Problem]:
    """The line of every key and value of a JSON text already parsed, keys given twice, and numbers no
    document can use. The text is valid JSON, so its tokens are enough: a string holds no line break."""
    problems: list[Problem] = []
    stack: list[list[Any]] = []  # each open container: [its loc, keys seen (None: a list), key or index]
    want_key = False
    line, at = 1, 0
    for match in _JSON_TOKEN.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        token = match.group()
        top = stack[-1] if stack else None
        if token == ",":
            if top is not None and top[1] is None:
                top[2] += 1
            want_key = top is not None and top[1] is not None
            continue
        if token in ":]}":
            if token != ":":
                stack.pop()
            continue
        if top is not None and top[1] is not None and want_key:
            key = json.loads(token)
            loc = (*top[0], key)
            if key in top[1]:
                problems.append(
                    Problem(source, line, field_name(loc), f"given twice (first on line {top[1][key]})")
                )
            else:
                top[1][key] = line
            top[2], want_key = key, False
            lines.add(loc, line)
            continue
        loc = () if top is None else (*top[0], top[2])
        lines.add(loc, line)
        if token in "{[":
            stack.append([loc, {} if token == "{" else None, 0 if token == "[" else None])
            want_key = token == "{"
        elif token[0] != '"' and token not in ("true", "false", "null"):
            message = _json_number(token)
            if message:
                problems.append(Problem(source, line, field_name(loc) if loc else None, message))
    return problems


def _json_number(token: str) -> str | None:
    if token.lstrip("-") in ("NaN", "Infinity"):
        return "is not a number (NaN and Infinity are not JSON); write a figure such as 72000"
    if len(token) > MAX_DIGITS:
        return f"is a number of more than {MAX_DIGITS:,} digits; check the figure"
    if float(token) == float("inf") or float(token) == float("-inf"):
        return "is too large a number to be right; check the figure"
    return None

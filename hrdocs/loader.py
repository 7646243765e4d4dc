"""Read YAML safely and validate it into typed models, remembering where every value came from.

Validation errors from pydantic carry a location such as ``("duties", "hr-operations", 3)``; we keep
the YAML node marks for each such path so every problem can be reported as ``file:line: field: msg``.
Only the safe loader is used: a catalogue is data, never code.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hrdocs.errors import HrdocsError, Problem, ValidationFailed

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser with the safe constructor when PyYAML was built with it (the wheels are): the same
data, read about ten times faster (every command reads the catalogue)."""

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


def _walk(node: yaml.Node, loc: Loc, lines: LineMap) -> None:
    lines.add(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            lines.add((*loc, name), key.start_mark.line + 1)
            _walk(value, (*loc, name), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines)


def parse_yaml(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; a syntax error or an unsafe tag becomes a located HrdocsError."""
    lines = LineMap()
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()  # parsed once: the nodes give the lines, then the data
        if node is not None:
            _walk(node, (), lines)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise ValidationFailed([Problem(source, line, None, f"YAML: {reason}")], what=source) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed([Problem(source, None, None, f"YAML: {exc}")], what=source) from None
    finally:
        loader.dispose()
    return data, lines


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise HrdocsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise HrdocsError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_yaml(text, str(path))


def field_name(loc: Loc) -> str:
    """``("pay_range", "min")`` -> ``pay_range.min``; list indices shown as ``[3]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def problems_from(exc: ValidationError, source: str, lines: LineMap | None) -> list[Problem]:
    """Turn every pydantic error into a Problem; the input value is never echoed (it may be personal)."""
    out: list[Problem] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "required, but missing"
        message = message.removeprefix("Value error, ")
        out.append(Problem(source, lines.line(loc) if lines else None, field_name(loc), message))
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

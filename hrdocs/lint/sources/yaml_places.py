"""Where a line of a generated document is written: the YAML value (role file, areas, settings) it
came from, found by its words, so a lint finding is reported at the line a person edits.

Only values are searched, never keys; a line that shares only a word or two with a file (a template
heading such as "Summary" and the key ``summary:``) is not moved.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from hrdocs.errors import HrdocsError
from hrdocs.loader import compose_yaml

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Value:
    """One string value of a YAML file: its words (casefolded) and where each starts in the file."""

    words: tuple[str, ...]
    offsets: tuple[int, ...]


@dataclass
class YamlFile:
    path: Path
    text: str
    values: list[Value]
    extends: str | None

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


def read_yaml_values(path: Path) -> YamlFile | None:
    """The string values of a YAML file (mapping keys left out), located in its text."""
    try:
        text = path.read_text(encoding="utf-8")
        root, _ = compose_yaml(text, str(path))  # the loader's bounds: aliases, depth, duplicate keys
    except (OSError, UnicodeDecodeError, HrdocsError):
        return None
    values: list[Value] = []
    extends: str | None = None

    def collect(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            raw = text[node.start_mark.index : node.end_mark.index]
            found = [(m.group().casefold(), node.start_mark.index + m.start()) for m in _TOKEN.finditer(raw)]
            if found:
                values.append(Value(tuple(w for w, _ in found), tuple(o for _, o in found)))
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
    return YamlFile(path, text, values, extends)


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


def locate(files: Sequence[YamlFile], line: str, column: int, match: str) -> tuple[YamlFile, int] | None:
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

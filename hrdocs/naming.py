"""Output file names from a pattern such as ``{kind}-{role}-{candidate.last_name}``: safe and unique.

Every value is turned into a file-name part with :func:`hrdocs.output.slug` (``José Ñúñez`` ->
``jose-nunez``), the whole name is made valid on Windows, macOS and Linux, and a name already taken
in the batch gets ``-2``, ``-3``, … in row order, so the same input always gives the same names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from hrdocs.errors import UsageError
from hrdocs.output import safe_file_name, slug

FIELDS = (
    "kind",
    "role",
    "title",
    "department",
    "candidate",
    "candidate.name",
    "candidate.first_name",
    "candidate.last_name",
    "candidate.preferred_name",
    "stage",
    "date",
    "start",
    "location",
    "roles",
    "file",
    "row",
)
"""What every pattern may use; a kind's own fields may be used too (see :class:`NamePattern`)."""
_MAX_STEM = 100
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class NamePattern:
    def __init__(self, pattern: str, allowed: Sequence[str] = ()) -> None:
        known = (*FIELDS, *(a for a in allowed if a not in FIELDS))
        self.pattern = pattern
        self.parts: list[tuple[bool, str]] = []
        """(is a field, text) in order."""
        pos = 0
        for match in _PLACEHOLDER.finditer(pattern):
            self.parts.append((False, pattern[pos : match.start()]))
            name = match.group(1).strip()
            if name not in known:
                raise UsageError(
                    f"--name {pattern!r}: unknown field {{{name}}}",
                    hint="use " + ", ".join(f"{{{f}}}" for f in known),
                )
            self.parts.append((True, name))
            pos = match.end()
        rest = pattern[pos:]
        if "{" in rest or "}" in rest:
            raise UsageError(f"--name {pattern!r}: unbalanced {{ or }}")
        self.parts.append((False, rest))
        if "/" in pattern or "\\" in pattern:
            raise UsageError(f"--name {pattern!r}: a name, not a path (use --out for the folder)")

        self._slugs: dict[str, str] = {}

    def stem(self, values: Mapping[str, str]) -> str:
        out = []
        for is_field, text in self.parts:
            if is_field:
                out.append(self._slug(values.get(text, "")))
            else:
                out.append(text)
        stem = re.sub(r"-{2,}", "-", "".join(out)).strip("-_. ")
        return stem[:_MAX_STEM].rstrip("-_. ") or "document"

    def _slug(self, value: str) -> str:
        """Roles, kinds and dates repeat from row to row: each is made safe once."""
        if not value:
            return ""
        found = self._slugs.get(value)
        if found is None:
            if len(self._slugs) > 4096:
                self._slugs.clear()
            found = self._slugs[value] = slug(value)
        return found


class UniqueNames:
    """Hands out file-name stems in row order; a stem taken (in any letter case) gets the next number.

    Every format of a document shares its stem (``offer-jane-doe.docx``, ``offer-jane-doe.pdf``)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, stem: str) -> str:
        number = 1
        base = safe_file_name(stem, "")
        name = base
        key = name.casefold()
        while key in self._used:
            number += 1
            name = safe_file_name(f"{base}-{number}", "")
            key = name.casefold()
        if key == name:
            name = key  # one string for both: a batch of 100,000 names costs their memory once
        self._used.add(key)
        return name

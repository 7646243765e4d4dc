"""One error root for everything hrdocs reports to a person.

The CLI catches :class:`HrdocsError` and nothing else: the message is built here, in the exception,
so that library callers (batch jobs, tests, other programs) get the same words the CLI prints. Messages
name files, lines, rows and fields, never the values of personal data.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we know it."""

    source: str
    """A file path (or ``file:row`` for tabular data) the user can open."""
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class HrdocsError(Exception):
    """Bad data: the user must fix an input. Exit code 1."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class UsageError(HrdocsError):
    """Bad usage: the command line itself is wrong. Exit code 2."""

    exit_code = 2


class ValidationFailed(HrdocsError):
    """Every problem found in one or more inputs, reported together rather than one per run."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "input") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {what}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


COMMAND_LINE = "command line"
"""The source of a command's own flags (``hrdocs jd generalst``): a name typed there may be quoted
back with a "did you mean"; a name from a data file or a row of a letter's data may not."""


class TemplateError(HrdocsError):
    """A template cannot be loaded or rendered; the message names the template file and line."""


class UnknownName(HrdocsError):
    """A name (role, template, document kind) that does not exist, with the closest matches."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        known = sorted(set(known))
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        if not close:
            close = [k for k in known if name.lower() in k.lower()][:3]
        self.kind, self.name, self.suggestions = kind, name, close
        hint = f"did you mean {', '.join(f'`{c}`' for c in close)}?" if close else None
        listing = f" (known: {', '.join(known)})" if len(known) <= 12 else ""
        super().__init__(f"unknown {kind} `{name}`{listing}", hint=hint)

    def unquoted(self, accepts: str = "") -> str:
        """The message, what would be accepted and the hint, with the name left out: for a name read
        from a letter or a spreadsheet row, where a shifted row puts an e-mail address or a salary in
        the role column and a message must not print it. The suggestions are the catalogue's own
        names, and stay."""
        message = self.message.replace(f" `{self.name}`", "")
        hint = (self.hint or "").replace(f"`{self.name}`", "it")
        return "; ".join(part for part in (message, accepts, hint) if part)


class OutputExists(HrdocsError):
    """Refuse to overwrite a document someone may have edited or sent."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: already exists, not overwritten", hint="pass --force to replace it")
        self.path = path

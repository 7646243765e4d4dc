"""What a batch is asked to do (:class:`Options`) and what it did (:class:`Report`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hrdocs.errors import Problem

MAX_WARNINGS = 1000
"""Warnings kept for the report (all are counted): memory must not grow with the input."""


@dataclass(frozen=True)
class Options:
    kind: str | None = None
    """Any name of a kind in the registry (``offer``, ``promotion-letter``); None: a ``kind`` column."""
    formats: Sequence[str] = ()
    """The formats of every document (default: each kind's own, e.g. docx; html for postings)."""
    overrides: Mapping[str, str] = field(default_factory=dict)
    """Fields given on the command line (``--stage``, ``--set``): they win over the row's."""
    maps: Sequence[str] = ()
    profile: str | None = None
    """``--from``: the export's import profile (``greenhouse``), ``none``; None: known by its header row."""
    name: str | None = None
    out: Path | None = None
    manifest: Path | None = None
    force: bool = False
    resume: bool = False
    skip_invalid: bool = False
    dry_run: bool = False
    jobs: int = 1
    sync: bool = True
    """Sync the file system once when the batch is done, so the documents survive a power cut."""
    verify: bool = False
    """Render a sample of rows the plain way too and insist on the same bytes (a self-check)."""
    command: str = "hrdocs batch"
    """How the folder lock names this batch to another one (no personal data)."""


@dataclass
class Report:
    """What a batch did; the CLI prints it, a program reads it."""

    input: str
    rows: int = 0
    valid: int = 0
    written: int = 0
    """Documents written (each in every format asked for)."""
    files: int = 0
    """Files written."""
    skipped: int = 0
    """Already written (``--resume``): left as they are."""
    invalid: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The first :data:`MAX_WARNINGS`; ``warning_count`` has them all."""
    warning_count: int = 0
    notes: list[str] = field(default_factory=list)
    manifest: Path | None = None
    folders: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False
    """Nothing was written because some rows are invalid (and ``--skip-invalid`` was not given)."""

    @property
    def ok(self) -> bool:
        return not (self.invalid or self.failed or self.problems)


Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total)``; stage is ``check`` or ``write``; total is None while unknown."""

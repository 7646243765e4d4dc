"""What the linter reports: findings, their levels, and a report that prints or serialises them.

A :class:`Finding` is plain data (a frozen dataclass) so that the CLI, generation commands and tests can
compare, sort and serialise findings without knowing how they were found. :class:`LintReport` gathers
the findings of many documents and owns the two output formats, so that ``hrdocs lint`` and a generation
command that lints what it writes print exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

BALANCE_RULE = "gender-coded.balance"


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so that sorting puts errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One thing worth a person's attention, located in the text that was linted."""

    rule: str
    """Rule id, e.g. ``gender-coded.masculine``; what users write in ``lint: disable:``."""
    level: Level
    source: str
    """The document (a path, or a name the caller chose)."""
    line: int | None
    """1-based line in the linted text; ``None`` for a finding about the whole document."""
    column: int | None
    """1-based column of the first character of ``match``."""
    match: str
    """The text as it stands in the document (empty for whole-document findings)."""
    message: str
    suggestion: str | None = None
    """A neutral alternative or the fix, when there is one."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["level"] = self.level.value
        return data


def balance_verdict(feminine: int, masculine: int) -> tuple[int, str]:
    """Score and verdict as the open-source gender decoder gives them (hr-facts §1).

    Score is feminine minus masculine: 0 neutral, 1 to 3 either way coded, beyond 3 strongly coded.
    """
    score = feminine - masculine
    if score == 0:
        return score, "neutral"
    side = "feminine" if score > 0 else "masculine"
    return score, (f"strongly {side}-coded" if abs(score) > 3 else f"{side}-coded")


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


_COLOURS = {Level.ERROR: "31", Level.WARNING: "33", Level.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


@dataclass
class LintReport:
    """The findings of one or more documents, in the order they were linted."""

    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    """Every document linted, including those with no findings (so they can be shown as clean)."""

    def add(self, source: str, findings: Iterable[Finding]) -> None:
        if source not in self.sources:
            self.sources.append(source)
        for finding in findings:
            if finding.source not in self.sources:
                self.sources.append(finding.source)
            self.findings.append(finding)

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level is level)

    @property
    def has_errors(self) -> bool:
        return any(f.level is Level.ERROR for f in self.findings)

    def sorted(self) -> list[Finding]:
        """Document order, then whole-document findings, then by position; stable across runs."""
        order = {source: i for i, source in enumerate(self.sources)}
        return sorted(
            self.findings,
            key=lambda f: (
                order.get(f.source, len(order)),
                f.source,
                f.line or 0,
                f.column or 0,
                f.level.rank,
                f.rule,
                f.match,
            ),
        )

    def to_json(self) -> list[dict[str, Any]]:
        """A list of plain dicts (``rule, level, source, line, column, match, message, suggestion``)."""
        return [f.to_dict() for f in self.sorted()]

    def summary(self) -> str:
        counts = [(self.count(level), level.value) for level in Level]
        parts = [_plural(n, word) for n, word in counts if n]
        docs = _plural(len(self.sources), "document")
        return f"{', '.join(parts) if parts else 'no problems'} in {docs}"

    def format_text(self, color: bool = False) -> str:
        """Findings grouped by document, eslint-style, then one summary line."""
        out: list[str] = []
        by_source: dict[str, list[Finding]] = {s: [] for s in self.sources}
        for finding in self.sorted():
            by_source.setdefault(finding.source, []).append(finding)
        for source, findings in by_source.items():
            listed = [f for f in findings if f.rule != BALANCE_RULE]
            balance = [f for f in findings if f.rule == BALANCE_RULE]
            head = _paint(source, "1", color)
            out.append(head if listed or balance else f"{head}: no problems")
            width = max((len(_where(f)) for f in listed), default=0)
            for f in listed:
                level = _paint(f"{f.level.value:<7}", _COLOURS[f.level], color)
                quoted = f"“{f.match}”: " if f.match else ""
                rule = _paint(f.rule, "2", color)
                out.append(f"  {_where(f):<{width}}  {level}  {quoted}{f.message}  {rule}")
                if f.suggestion:
                    out.append(f"  {'':<{width}}           → {f.suggestion}")
            for f in balance:
                verdict = _paint(f.message, _COLOURS[f.level], color and f.level is not Level.INFO)
                out.append(f"  gender balance: {f.match}: {verdict}")
            out.append("")
        out.append(self.summary())
        return "\n".join(out)


def _where(finding: Finding) -> str:
    if finding.line is None:
        return "-"
    return f"{finding.line}:{finding.column}" if finding.column else str(finding.line)

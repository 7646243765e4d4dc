"""Template tokens grouped into lines as Markdown will read them (``trim_blocks``, ``lstrip_blocks``).

A line that holds only statements prints nothing (a *control* line); other lines are classified by
what Markdown makes of them (text, heading, list item, table row, fence, rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hrdocs.docx_export.tokens import _Tok

_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_LIST = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s+)")
_TABLE = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*:::")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


@dataclass
class _Line:
    toks: list[_Tok]
    kind: str = "text"
    """``control`` (tags only: prints nothing), ``blank``, or content: ``text``, ``heading``, ``list``,
    ``table``, ``fence``, ``rule``."""
    group: int = -1
    """Content lines Markdown joins into one paragraph share a group."""
    before: list[_Tok] = field(default_factory=list)
    after: list[_Tok] = field(default_factory=list)
    repeats: bool = False
    """Inside a loop within a paragraph: its line break (a space) belongs to every round."""

    def text(self) -> str:
        return "".join(t.src for t in self.toks if t.kind == "text")


def _physical_lines(toks: list[_Tok]) -> list[tuple[list[_Tok], bool]]:
    """Split at newlines; each line with whether its newline is printed (trim_blocks, ``-`` marks)."""
    lines: list[list[_Tok]] = [[]]
    for tok in toks:
        if tok.kind != "text":
            lines[-1].append(tok)
            continue
        pieces = tok.src.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                lines.append([])
            if piece:
                lines[-1].append(_Tok("text", piece, tok.line + k, tok.file, tok.value))
    out = []
    for index, line in enumerate(lines):
        keeps = index < len(lines) - 1
        if line and line[-1].is_tag and (line[-1].trims or line[-1].src[-3] == "-"):
            keeps = False
        if (
            len(line) > 1
            and line[-1].kind == "text"
            and not line[-1].src.strip()
            and line[-2].is_tag
            and line[-2].src[-3] == "-"
        ):
            keeps = False
        if index + 1 < len(lines):
            nxt = next((t for t in lines[index + 1] if t.is_tag or t.src.strip()), None)
            if nxt is not None and nxt.is_tag and nxt.src[2] == "-":
                head = [t for t in lines[index + 1][: lines[index + 1].index(nxt)] if t.kind == "text"]
                if all(not t.src.strip() for t in head):
                    keeps = False
        out.append((line, keeps))
    return out


def _classify(text: str) -> str:
    if not text.strip():
        return "blank"
    for kind, pattern in (
        ("heading", _HEADING),
        ("rule", _RULE),
        ("list", _LIST),
        ("table", _TABLE),
        ("fence", _FENCE),
    ):
        if pattern.match(text):
            return kind
    return "text"


def _logical_lines(toks: list[_Tok]) -> list[_Line]:
    """Lines as Markdown will see them: tag-only lines marked ``control``; a content line whose newline
    is trimmed (it ends with a block tag) merged with the next content line."""
    lines: list[_Line] = []
    pending: _Line | None = None  # a content line still waiting for its newline
    for toks_, keeps in _physical_lines(toks):
        tags = [t for t in toks_ if t.is_tag]
        content = [t for t in toks_ if t.kind in ("text", "var") and (t.kind == "var" or t.src.strip())]
        if tags and not content:
            control = _Line([t for t in toks_ if t.is_tag], "control")
            if pending is not None:
                pending.toks += control.toks
            else:
                lines.append(control)
            if keeps and pending is None:  # `{% tag +%}` alone on a line prints an empty line
                lines.append(_Line([], "blank"))
            elif keeps and pending is not None:
                lines.append(pending)
                pending = None
            continue
        if pending is not None:
            pending.toks += toks_
            line = pending
            pending = None
        else:
            line = _Line(list(toks_))
            line.kind = _classify(_leading_text(toks_)) if content else "blank"
            if line.kind == "blank":
                lines.append(line)
                continue
        if keeps:
            lines.append(line)
        else:
            pending = line
    if pending is not None:
        lines.append(pending)
    return lines


def _leading_text(toks: list[_Tok]) -> str:
    """The line as Markdown reads its start: text up to the first tag that prints something."""
    out = ""
    for tok in toks:
        if tok.kind == "var":
            return out + "x"
        if tok.kind == "text":
            out += tok.src
    return out

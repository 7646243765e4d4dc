"""Offer templates written for an applicant tracking system, taken as they are.

A recruiter's offer template is often a Word file written for their ATS, with its tokens:
Greenhouse's and Ashby's ``{{CANDIDATE_FIRST_NAME}}``, Workable's ``[candidate]``, SmartRecruiters'
``<<ApplicantFirstName>>``, Personio's ``{{first_name}}``, Teamtailor's ``{first-name}``. Rather than
make them rewrite every token, a Word template's tokens are rewritten into hrdocs' own Jinja names
(``{{ candidate.first_name or candidate.salutation_name }}``) before it is compiled, through a token
table per system: data (``hrdocs/data/tokens/NAME.yaml``), each token with its source, as for the
import profiles. A token of a system's syntax with no hrdocs value is an error that names the place
in the document and lists the tokens that are known.

Word splits a token over runs as it likes (a spell-check mark, an edit in the middle); tokens are
found in a paragraph's joined text and the Jinja tag put whole into the run the token starts in, the
rest of the text left where it was, as :mod:`hrdocs.docx_template` does for its own tags.

Syntaxes hrdocs' own tags could be mistaken for are read narrowly: Personio's ``{{first_name}}`` only
as Personio writes it (no spaces inside, a name in its table), Workable's ``[term]`` only in a part
that has a known Workable token (brackets are common in prose).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lxml import etree
from pydantic import Field

from hrdocs.loader import read_yaml, validate
from hrdocs.models import Strict, Text

TABLES = Path(__file__).resolve().parent / "data" / "tokens"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _T, _TC = f"{_W}p", f"{_W}t", f"{_W}tc"

Syntax = Literal["UPPER_BRACES", "lower_braces", "angles", "brackets", "kebab-brace"]
_PATTERNS: dict[str, re.Pattern[str]] = {
    "UPPER_BRACES": re.compile(r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}"),
    "lower_braces": re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}"),
    "angles": re.compile(r"<<\s*([A-Za-z][A-Za-z0-9_]*)\s*>>"),
    "brackets": re.compile(r"\[([A-Za-z][A-Za-z_]*)\]"),
    "kebab-brace": re.compile(r"(?<!\{)\{([a-z]+(?:-[a-z]+)+)(?: ([^{}]+))?\}(?!\})"),
}
"""How each syntax writes a token (group 1: its name; for Teamtailor, group 2: the fallback text)."""
_STRICT = {"UPPER_BRACES", "angles", "kebab-brace"}
"""Syntaxes no prose or hrdocs tag uses: an unknown token of theirs is an error, not text."""


class Token(Strict):
    value: Text
    """The Jinja expression of the offer letter's data it stands for (docs/letters.md)."""
    source: Text


class Table(Strict):
    system: Text
    syntax: Syntax
    source: Text
    tokens: dict[Text, Token] = Field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    system: str
    token: str


@functools.lru_cache(maxsize=1)
def tables() -> tuple[Table, ...]:
    """Every shipped token table (read once per process)."""
    out = []
    for path in sorted(TABLES.glob("*.yaml")):
        data, lines = read_yaml(path)
        out.append(validate(Table, data, str(path), lines))
    return tuple(out)


Fail = Callable[[str, str, str | None], Exception]
"""``fail(where, problem, hint)``: the caller's located error (a part's paragraph, as Word shows it)."""


def rewrite(root: etree._Element, fail: Fail) -> list[Found]:
    """Rewrite every ATS token of one part's XML tree into an hrdocs Jinja tag, in place; return the
    tokens found. A token of a strict syntax that no table knows is ``fail(…)``."""
    by_syntax: dict[str, dict[str, tuple[str, Token]]] = {}
    for table in tables():
        for name, token in table.tokens.items():
            by_syntax.setdefault(table.syntax, {})[name] = (table.system, token)
    paragraphs = list(root.iter(_P))
    texts = [_own_texts(p) for p in paragraphs]
    joined = ["".join(t.text or "" for t in ts) for ts in texts]
    bracketed = by_syntax.get("brackets", {})
    workable = any(m[1] in bracketed for j in joined for m in _PATTERNS["brackets"].finditer(j))
    found: list[Found] = []
    free = 0
    for p, runs, text in zip(paragraphs, texts, joined, strict=True):
        in_table = next(p.iterancestors(_TC), None) is not None
        free += not in_table
        edits: list[tuple[int, int, str]] = []
        for syntax, pattern in _PATTERNS.items():
            if syntax == "brackets" and not workable:
                continue
            known = by_syntax.get(syntax, {})
            for match in pattern.finditer(text):
                entry = known.get(match[1])
                if entry is None:
                    if syntax in _STRICT or syntax == "brackets":
                        where = "a table cell" if in_table else f"paragraph {free}"
                        raise _unknown(fail, where, text, match[0], syntax, known)
                    continue
                system, token = entry
                value = token.value
                if syntax == "kebab-brace" and match[2]:  # Teamtailor's {first-name there}
                    value = f"({value}) or {_literal(match[2])}"
                edits.append((match.start(), match.end(), "{{ " + value + " }}"))
                found.append(Found(system, match[0]))
        if edits:
            _apply(runs, sorted(edits))
    return found


def _own_texts(p: etree._Element) -> list[etree._Element]:
    """The paragraph's own ``w:t`` (not those of a text box's paragraphs inside it), in order."""
    return [t for t in p.iter(_T) if next(t.iterancestors(_P)) is p]


def _apply(runs: list[etree._Element], edits: list[tuple[int, int, str]]) -> None:
    """Each edit's text into the run its span starts in; the span's characters out of every run."""
    spans, start = [], 0
    for t in runs:
        spans.append((start, start + len(t.text or "")))
        start = spans[-1][1]
    pieces: list[list[str]] = [[] for _ in runs]
    joined = "".join(t.text or "" for t in runs)

    def keep(a: int, b: int) -> None:
        for i, (lo, hi) in enumerate(spans):
            if max(a, lo) < min(b, hi):
                pieces[i].append(joined[max(a, lo) : min(b, hi)])

    done = 0
    for begin, end, tag in edits:
        if begin < done:  # two syntaxes matched the same text: the first one wins
            continue
        keep(done, begin)
        owner = next(i for i, (lo, hi) in enumerate(spans) if lo <= begin < hi)
        pieces[owner].append(tag)
        done = end
    keep(done, len(joined))
    for t, piece in zip(runs, pieces, strict=True):
        new = "".join(piece)
        if new != (t.text or ""):
            t.text = new
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _unknown(
    fail: Fail, where: str, text: str, token: str, syntax: str, known: dict[str, tuple[str, Token]]
) -> Exception:
    systems = sorted({system for system, _ in known.values()}) or ["an ATS"]
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    listed = ", ".join(_SPELLING[syntax] % name for name in sorted(known)) or "none"
    return fail(
        f'{where} ("{shown}")',
        f"the {' or '.join(systems)} token {token} has no value in hrdocs",
        f"the tokens hrdocs fills in: {listed}; or write the hrdocs name instead (docs/ats.md)",
    )


_SPELLING = {
    "UPPER_BRACES": "{{%s}}",
    "lower_braces": "{{%s}}",
    "angles": "<<%s>>",
    "brackets": "[%s]",
    "kebab-brace": "{%s}",
}


def markdown_table() -> str:
    """Every token hrdocs fills in, as docs/ats.md shows them (between ``<!-- tokens -->`` markers)."""
    out = ["| system | token | hrdocs value | source |", "|---|---|---|---|"]
    for table in tables():
        for name, token in table.tokens.items():
            cells = (table.system, f"`{_SPELLING[table.syntax] % name}`", f"`{token.value}`", token.source)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)

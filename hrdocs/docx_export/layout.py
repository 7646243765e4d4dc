"""Lines -> Markdown with placeholders: each block becomes a tag inside a paragraph, ``{%p %}``
paragraphs or ``{%tr %}`` rows, whichever keeps the visible text of every branch the same."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment

from hrdocs.docx_export.lines import _LIST, _TABLE_RULE, _leading_text, _Line, _logical_lines
from hrdocs.docx_export.tokens import ExportError, _flatten, _Tok

_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")

# Placeholders: private-use characters Markdown leaves alone. I = a tag inside text, P = a tag line
# that becomes {%p %} paragraphs (or list items), R = a tag line that becomes {%tr %} rows.
_INLINE, _PARA, _ROW, _END = "\ue100", "\ue101", "\ue102", "\ue103"
_PLACEHOLDER = re.compile(f"([{_INLINE}{_PARA}{_ROW}])(\\d+){_END}")

_OPENERS = {"if", "for", "with", "filter", "autoescape"}
_MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}
_UNSUPPORTED = {"macro", "call", "include", "import", "from", "raw", "trans", "extends"}


@dataclass(eq=False)
class _Construct:
    tags: list[tuple[int, _Tok]] = field(default_factory=list)
    """(line index, tag) for every tag of one `{% if %}…{% endif %}` (or a single statement)."""
    level: str = "p"
    """``inline`` (inside one paragraph), ``p`` (around paragraphs) or ``tr`` (around table rows)."""


def _constructs(lines: list[_Line]) -> dict[int, _Construct]:
    """Pair the block tags; returns id(tag) -> its construct."""
    by_tag: dict[int, _Construct] = {}
    stack: list[tuple[str, _Construct]] = []
    for index, line in enumerate(lines):
        for tok in line.toks:
            if tok.kind == "comment":
                by_tag[id(tok)] = _Construct([(index, tok)])
                continue
            if tok.kind != "block":
                continue
            word = tok.word
            if word in _UNSUPPORTED or (word == "set" and "=" not in tok.src):
                raise ExportError(
                    f"{tok.file}:{tok.line}: `{{% {word} %}}` cannot be turned into a Word template "
                    "automatically; write the Word template by hand (see docs/templates.md)"
                )
            if word in _OPENERS:
                construct = _Construct([(index, tok)])
                stack.append((word, construct))
            elif word in _MIDDLES or word.startswith("end"):
                opener = word[3:] if word.startswith("end") else None
                if (
                    not stack
                    or (opener and stack[-1][0] != opener)
                    or (word in _MIDDLES and stack[-1][0] not in _MIDDLES[word])
                ):
                    raise ExportError(f"{tok.file}:{tok.line}: unexpected `{{% {word} %}}`")
                construct = stack[-1][1]
                construct.tags.append((index, tok))
                if opener:
                    stack.pop()
            else:  # set, do, break, continue: a statement of its own
                construct = _Construct([(index, tok)])
            by_tag[id(tok)] = construct
    if stack:
        word, construct = stack[-1]
        tok = construct.tags[0][1]
        raise ExportError(f"{tok.file}:{tok.line}: `{{% {word} %}}` is never closed")
    return by_tag


def _joins(prev: _Line, nxt: _Line) -> bool:
    """Whether Markdown reads ``nxt`` as a continuation of ``prev``'s paragraph."""
    return prev.kind in ("text", "list") and nxt.kind == "text"


def _neighbours(lines: list[_Line], index: int) -> tuple[_Line | None, _Line | None]:
    """The nearest lines before and after ``index`` that are not tag-only lines."""
    prev = next((lines[j] for j in range(index - 1, -1, -1) if lines[j].kind != "control"), None)
    nxt = next((lines[j] for j in range(index + 1, len(lines)) if lines[j].kind != "control"), None)
    return prev, nxt


def _is_row(line: _Line | None) -> bool:
    return line is not None and line.kind == "table" and not _TABLE_RULE.match(line.text())


def _holds_text(line: _Line | None) -> bool:
    """A line a tag can be put into: text, a heading or a list item (not a table row or a fence)."""
    return line is not None and line.kind in ("text", "heading", "list")


def _content_between(lines: list[_Line], lo: int, hi: int) -> list[_Line]:
    return [lines[j] for j in range(lo + 1, hi) if lines[j].kind != "control"]


def _is_inline(lines: list[_Line], construct: _Construct) -> bool:
    """Whether the block lives inside one paragraph: some line it may print is joined, in the output,
    to a line next to it (before the block, after it, or the next round of a loop)."""
    marks = [index for index, _ in construct.tags]
    if any(lines[index].kind != "control" for index in marks):
        return True
    before, _ = _neighbours(lines, marks[0])
    _, after = _neighbours(lines, marks[-1])
    words = [tag.word for _, tag in construct.tags]
    pairs: list[tuple[_Line | None, _Line | None]] = []
    for lo, hi in itertools.pairwise(marks):
        branch = _content_between(lines, lo, hi)
        if branch:
            pairs += [(before, branch[0]), (branch[-1], after)]
            if words[0] == "for" and lines[lo] is lines[marks[0]]:
                pairs.append((branch[-1], branch[0]))
    if "else" not in words:  # the block may print nothing
        pairs.append((before, after))
    return any(a is not None and b is not None and _joins(a, b) for a, b in pairs)


def _decide(lines: list[_Line], construct: _Construct) -> None:
    """Choose the block's level (``inline``, ``tr`` or ``p``), or refuse with the line to look at."""
    if _is_inline(lines, construct):
        construct.level = "inline"
        return
    between_rows = False
    for index, _ in construct.tags:
        prev, nxt = _neighbours(lines, index)
        if _is_row(prev) and nxt is not None and nxt.kind == "table":
            between_rows = True
    if not between_rows:
        construct.level = "p"
        return
    construct.level = "tr"
    for index, tag in construct.tags:
        prev, nxt = _neighbours(lines, index)
        if not (_is_row(prev) or _is_row(nxt)):
            raise ExportError(
                f"{tag.file}:{tag.line}: this block is partly inside a table and partly outside it; "
                "write the Word template by hand"
            )


def _attach(lines: list[_Line], construct: _Construct) -> None:
    """Put an inline block's tags from their own lines into the paragraph they belong to."""
    first = construct.tags[0][1]
    reach: list[set[int]] = []
    for index, _ in construct.tags:
        line = lines[index]
        if line.kind != "control":
            reach.append({line.group})
            continue
        prev, nxt = _neighbours(lines, index)
        reach.append({ln.group for ln in (prev, nxt) if _holds_text(ln)})  # type: ignore[union-attr]
    common = set.intersection(*reach) if reach else set()
    if not common:
        raise _spans_paragraphs(f"{first.file}:{first.line}")
    home = min(common)
    for index, tag in construct.tags:
        if lines[index].kind != "control":
            continue
        prev, nxt = _neighbours(lines, index)
        if _holds_text(nxt) and nxt.group == home:  # type: ignore[union-attr]
            nxt.before.append(tag)  # type: ignore[union-attr]
        else:
            prev.after.append(tag)  # type: ignore[union-attr]


def _spans_paragraphs(where: str) -> ExportError:
    return ExportError(
        f"{where}: this block starts in one paragraph and ends in another; to export it, put its tags "
        "on lines of their own around whole paragraphs"
    )


def _check_table_row(line: _Line) -> None:
    """A block inside a table row must not make cells (that needs {%tc %} in Word)."""
    depth = 0
    for tok in line.toks:
        if tok.kind == "block" and tok.word in _OPENERS:
            depth += 1
        elif tok.kind == "block" and tok.word.startswith("end"):
            depth -= 1
        elif tok.kind == "text" and depth > 0 and "|" in tok.src:
            raise ExportError(
                f"{tok.file}:{tok.line}: a block that makes table cells cannot be turned into a Word "
                "template automatically (in Word, cells repeat with {%tc for … %}); write the Word "
                "template by hand"
            )


# ------------------------------------------------------------------------------------- export
class _Placeholders:
    def __init__(self) -> None:
        self.tags: list[str] = []

    def add(self, kind: str, text: str) -> str:
        self.tags.append(text)
        return f"{kind}{len(self.tags) - 1}{_END}"


def _levelled(tok: _Tok, level: str) -> str:
    """``{% if x -%}`` -> ``{%p if x %}`` (whitespace marks mean nothing around whole paragraphs)."""
    src = " ".join(tok.src.split())
    opener, body, closer = src[:2], src[2:-2], src[-2:]
    body = body.strip("-+").strip()
    return f"{opener}{level} {body} {closer}"


def to_markdown(
    env: Environment,
    name: str,
    *,
    terms: Callable[[str], str] = lambda s: s,
    prepare: Callable[[list[_Tok]], list[_Tok]] | None = None,
) -> tuple[str, list[str]]:
    """The template ``name`` as Markdown with placeholders, and the tag text of each placeholder.

    ``prepare`` rewrites the template's tokens first (the export resolves the settings there)."""
    toks = _flatten(env, name, {})
    lines = _logical_lines(prepare(toks) if prepare else toks)
    for line in lines:
        for tok in line.toks:
            if tok.kind == "text" and not tok.value:
                tok.src = terms(tok.src)
            elif "by_tone(" in tok.src:  # the phrasings are the template's own wording
                tok.src = _STRING.sub(
                    lambda m: m.group(0)[0] + terms(m.group(0)[1:-1]) + m.group(0)[0], tok.src
                )
    constructs = _constructs(lines)
    unique = list({id(c): c for c in constructs.values()}.values())
    for construct in unique:
        _decide(lines, construct)
    # Lines Markdown joins into one paragraph share a group, unless a block around whole paragraphs
    # stands between them (its branches never print together).
    group = 0
    prev: _Line | None = None
    separated = False
    for line in lines:
        if line.kind == "control":
            separated = separated or any(
                t.kind != "marker" and constructs[id(t)].level != "inline" for t in line.toks
            )
            continue
        if prev is not None and prev.kind != "blank" and not separated and _joins(prev, line):
            line.group = prev.group
        elif line.kind != "blank":
            group += 1
            line.group = group
        if line.kind == "table":
            _check_table_row(line)
        prev, separated = line, False
    for construct in unique:
        if construct.level == "inline":
            _attach(lines, construct)
            if construct.tags[0][1].word == "for":
                for index in range(construct.tags[0][0], construct.tags[-1][0]):
                    lines[index].repeats = True

    holders = _Placeholders()
    out: list[str] = []
    groups_done: set[int] = set()
    for index, line in enumerate(lines):
        if line.kind == "blank":
            out.append("")
        elif line.kind == "control":
            tags = [t for t in line.toks if t.kind != "marker" and constructs[id(t)].level != "inline"]
            if not tags:
                continue
            if constructs[id(tags[0])].level == "tr":
                out.append(f"| {holders.add(_ROW, ''.join(_levelled(t, 'tr') for t in tags))} |")
                continue
            text = "".join(_levelled(t, "p") for t in tags)
            item = _adjacent_list_item(lines, index)
            if item is not None:
                out.append(f"{item[0]}{item[1]} {holders.add(_PARA, text)}")
            else:
                out += ["", holders.add(_PARA, text), ""]
        elif line.group not in groups_done:
            groups_done.add(line.group)
            members = [ln for ln in lines if ln.group == line.group and ln.kind not in ("control", "blank")]
            out.append(_join_group(members, holders))
    return "\n".join(out) + "\n", holders.tags


def _adjacent_list_item(lines: list[_Line], index: int) -> tuple[str, str] | None:
    """Indent and marker of a list item right before or after a tag line (no blank line between)."""
    prev, nxt = _neighbours(lines, index)
    for line in (nxt, prev):
        if line is not None and line.kind == "list":
            m = _LIST.match(_leading_text(line.toks))
            if m:
                return m.group(1), m.group(2)
    return None


_HEAD_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")


def _join_group(members: list[_Line], holders: _Placeholders) -> str:
    """One Markdown line for a paragraph's lines: joined with a space, as Markdown joins them."""
    parts: list[str] = []
    for k, line in enumerate(members):
        prefix = "".join(holders.add(_INLINE, t.src) for t in line.before)
        body = ""
        for tok in line.toks:
            if tok.kind == "text":
                body += tok.src
            elif tok.kind in ("var", "block"):
                body += holders.add(_INLINE, tok.src)
        if k:
            body = body.lstrip()
        mark = (_LIST.match(body) or _HEAD_MARK.match(body)) if k == 0 else None
        cut = mark.end() if mark else len(body) - len(body.lstrip())
        body = body[:cut] + prefix + body[cut:]
        if k < len(members) - 1 or line.repeats:
            body = body.rstrip() + " "
        body += "".join(holders.add(_INLINE, t.src) for t in line.after)
        parts.append(body)
    return "".join(parts)

"""Turn a text template (Jinja + Markdown) into an equivalent Word template a recruiter can edit.

``hrdocs templates export offer-letter --docx`` starts from the text template, not from a blank page:
the result has the company's styles, letterhead and footer (it is written by the same DOCX writer as
every document) and the same wording and tags, so that rendering either gives the same visible text.

How: inheritance is resolved (``{% extends %}`` and ``{% block %}`` spliced), then the template is read
line by line the way Jinja reads it with ``trim_blocks`` and ``lstrip_blocks``: a line that holds only
``{% %}`` tags prints nothing. Every tag gets a placeholder, the Markdown is read into the document model
and written as DOCX, and the placeholders are replaced by the tags in the Word XML:

- a tag inside a line of text stays where it is (``Dear {{ candidate.name }},``);
- a block (``{% if %}``, ``{% for %}``, …) whose tags sit between lines of one paragraph becomes a plain
  tag inside that Word paragraph (the lines are joined with a space, as Markdown joins them);
- a block around whole paragraphs, headings or list items becomes ``{%p … %}`` paragraphs;
- a block between table rows becomes ``{%tr … %}`` rows.

What cannot be expressed that way (a loop that makes table *columns*, ``{% macro %}``, ``{% include %}``)
is refused with the line to look at: such a Word template is better written by hand.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment, TemplateNotFound
from lxml import etree

from hrdocs.config import Config
from hrdocs.docmodel import parse_markdown
from hrdocs.errors import TemplateError
from hrdocs.writers.docx import DocxWriter
from hrdocs.writers.zipfast import build_zip, deflate

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_WORD = re.compile(r"\{%[-+]?\s*(\w+)")
_STRING = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Placeholders: private-use characters Markdown leaves alone. I = a tag inside text, P = a tag line
# that becomes {%p %} paragraphs (or list items), R = a tag line that becomes {%tr %} rows.
_INLINE, _PARA, _ROW, _END = "\ue100", "\ue101", "\ue102", "\ue103"
_PLACEHOLDER = re.compile(f"([{_INLINE}{_PARA}{_ROW}])(\\d+){_END}")

_OPENERS = {"if", "for", "with", "filter", "autoescape"}
_MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}
_UNSUPPORTED = {"macro", "call", "include", "import", "from", "raw", "trans", "extends"}

_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_LIST = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s+)")
_TABLE = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*:::")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


class ExportError(TemplateError):
    """A text template that cannot be turned into a Word template automatically."""


@dataclass
class _Tok:
    kind: str
    """``text``, ``var``, ``block``, ``comment``, or ``marker`` (a ``{% block %}`` tag, which prints
    nothing but trims like any block tag)."""
    src: str
    line: int
    """Line in the template file it came from."""
    file: str

    @property
    def word(self) -> str:
        m = _WORD.match(self.src)
        return m.group(1) if m and self.kind in ("block", "marker") else ""

    @property
    def is_tag(self) -> bool:
        return self.kind != "text"

    @property
    def trims(self) -> bool:
        """``trim_blocks``: the newline right after this tag is not printed."""
        return self.kind in ("block", "comment", "marker") and not self.src.endswith("+%}")


def _tokenize(source: str, file: str) -> list[_Tok]:
    out: list[_Tok] = []
    line = 1
    for part in _TAG.split(source):
        if not part:
            continue
        if part.startswith("{{"):
            kind = "var"
        elif part.startswith("{%"):
            word = _WORD.match(part)
            kind = "marker" if word and word.group(1) in ("block", "endblock") else "block"
        elif part.startswith("{#"):
            kind = "comment"
        else:
            kind = "text"
        out.append(_Tok(kind, part, line, file))
        line += part.count("\n")
    return out


# ------------------------------------------------------------------------------------ inheritance
def _flatten(env: Environment, name: str, overrides: dict[str, list[_Tok]], depth: int = 0) -> list[_Tok]:
    if depth > 10:
        raise ExportError(f"{name}: templates extend each other in a circle")
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except TemplateNotFound:
        raise ExportError(f"template `{name}` not found") from None
    toks = _tokenize(source, filename or name)
    if depth:  # a parent's comments describe the parent, not the template being exported
        for tok in toks:
            if tok.kind == "comment":
                tok.kind = "marker"
    extends = next((t for t in toks if t.kind == "block" and t.word == "extends"), None)
    if extends is None:
        return _splice(toks, overrides)
    parent = re.fullmatch(r"\{%-?\s*extends\s+(['\"])([^'\"]+)\1\s*-?%\}", extends.src)
    if parent is None:
        raise ExportError(
            f'{extends.file}:{extends.line}: only `{{% extends "name" %}}` with a fixed name can be exported'
        )
    blocks, statements = _blocks(toks)
    merged = {**blocks, **overrides}
    lead: list[_Tok] = []
    for tok in statements:  # a child's top-level {% set %} runs before its parent renders
        lead += [tok, _Tok("text", "\n", tok.line, tok.file)]
    return lead + _flatten(env, parent.group(2), merged, depth + 1)


def _block_name(tok: _Tok) -> str:
    m = re.match(r"\{%[-+]?\s*block\s+(\w+)", tok.src)
    return m.group(1) if m else ""


def _blocks(toks: list[_Tok]) -> tuple[dict[str, list[_Tok]], list[_Tok]]:
    """A child template's blocks by name (outermost content), and its top-level statements."""
    blocks: dict[str, list[_Tok]] = {}
    statements: list[_Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "marker" and tok.word == "block":
            end = _matching_end(toks, i)
            blocks[_block_name(tok)] = toks[i + 1 : end]
            inner, _ = _blocks(toks[i + 1 : end])
            for key, value in inner.items():
                blocks.setdefault(key, value)
            i = end + 1
            continue
        if tok.kind in ("block", "comment") and tok.word != "extends":
            statements.append(tok)
        i += 1
    return blocks, statements


def _matching_end(toks: list[_Tok], start: int) -> int:
    depth = 0
    for j in range(start, len(toks)):
        if toks[j].kind == "marker" and toks[j].word in ("block", "endblock"):
            depth += 1 if toks[j].word == "block" else -1
            if depth == 0:
                return j
    raise ExportError(f"{toks[start].file}:{toks[start].line}: `{{% block %}}` is never closed")


def _splice(toks: list[_Tok], overrides: dict[str, list[_Tok]]) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "marker" and tok.word == "block":
            end = _matching_end(toks, i)
            name = _block_name(tok)
            body = overrides.get(name, toks[i + 1 : end])
            out += [tok, *_splice(body, overrides), toks[end]]
            i = end + 1
            continue
        out.append(tok)
        i += 1
    return out


# -------------------------------------------------------------------------------------- lines
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
                lines[-1].append(_Tok("text", piece, tok.line + k, tok.file))
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


# --------------------------------------------------------------------------------- constructs
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
    env: Environment, name: str, *, terms: Callable[[str], str] = lambda s: s
) -> tuple[str, list[str]]:
    """The template ``name`` as Markdown with placeholders, and the tag text of each placeholder."""
    lines = _logical_lines(_flatten(env, name, {}))
    for line in lines:
        for tok in line.toks:
            if tok.kind == "text":
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


def export_docx(
    env: Environment,
    name: str,
    config: Config,
    *,
    kind: str,
    terms: Callable[[str], str] = lambda s: s,
    note: str | None = None,
    like: str | None = None,
) -> bytes:
    """A Word template equivalent to the text template ``name`` (e.g. ``offer-letter.md.j2``).

    ``note`` becomes a first paragraph of guidance (a Jinja comment: gone from every document), and
    ``like`` a ``{#p hrdocs: like KIND #}`` line for a new kind that takes ``KIND``'s data.
    """
    markdown, tags = to_markdown(env, name, terms=terms)
    for comment in (f"hrdocs: like {like}" if like else None, note):
        if comment:
            markdown = f"{_PARA}{len(tags)}{_END}\n\n" + markdown
            tags.append("{#p " + " ".join(comment.split()) + " #}")
    doc = parse_markdown(markdown, kind=kind, source=name)
    doc.title = kind.replace("-", " ").capitalize()
    data = DocxWriter(config).render(doc)
    return _fill(data, tags)


def _fill(data: bytes, tags: list[str]) -> bytes:
    """Replace the placeholders in ``word/document.xml`` with the tags."""
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(content)
                for t in root.iter(f"{_W}t"):
                    if t.text and _PLACEHOLDER.search(t.text):
                        t.text = _PLACEHOLDER.sub(lambda m: tags[int(m.group(2))], t.text)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                if _PLACEHOLDER.search(content.decode("utf-8")):
                    raise ExportError(f"{info.filename}: a placeholder was left behind (a bug in hrdocs)")
            members.append(deflate(info.filename, content))
    return build_zip(members)

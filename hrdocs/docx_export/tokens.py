"""Template text as tokens, with inheritance resolved: the raw material of the Word export.

A template is read as Jinja reads it: text, ``{{ }}`` values, ``{% %}`` statements and ``{# #}``
comments. ``{% extends %}`` and ``{% block %}`` are spliced here, so that the later stages see one
template; block tags become *markers* (they print nothing but trim their line like any statement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import Environment, TemplateNotFound

from hrdocs.errors import TemplateError

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_WORD = re.compile(r"\{%[-+]?\s*(\w+)")


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
    value: bool = False
    """Made at export time in place of a printed value: as text, the preferred terms are not applied
    to it (they apply to the template's wording only, as in the text engine); as a tag, it does not
    trim the newline after it (the value it replaces did not)."""

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
        return self.kind in ("block", "comment", "marker") and not self.src.endswith("+%}") and not self.value


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

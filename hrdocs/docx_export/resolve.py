"""Resolve at export time what only the company's settings decide, so the Word template is a letter.

A text template is code: ``{% set %}`` dictionaries of wording, ``{% if voice.tone == … %}``,
``by_tone(…)``, macros, loops over the company's benefits. None of that can be edited by a recruiter
in Word. Here the template (as tokens, inheritance spliced) is evaluated *partially*, with the values
every document of the workspace shares (``company``, ``voice``, ``offers``, …, from hrdocs.yaml):

- a condition that depends on settings only keeps its branch; a loop over a setting is written out;
- ``set`` statements and macros disappear, their values printed where they are used;
- a value made from settings (``by_tone``, a dictionary's entry) is printed as text, while a plain
  setting (``{{ company.name }}``) stays a tag, so the letter follows hrdocs.yaml for it;
- a lookup by per-letter data in a dictionary of wording becomes short ``if``/``elif`` choices.

What depends on per-letter data stays a tag, and what cannot be resolved is kept as it is and
reported (the caller checks the result renders). Every setting the result was frozen on is recorded,
so the export can say which ones to re-export after.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, nodes

from hrdocs.docx_export.tokens import ExportError, _Tok
from hrdocs.docx_export.unparse import Unwritable, unparse
from hrdocs.docx_export.values import (
    _DYNAMIC,
    Expressions,
    Fixed,
    _Alias,
    _all,
    _inner,
    _known,
    _marker,
    _retag,
)

__all__ = ["Fixed", "Resolution", "resolve"]

_ASSIGN = re.compile(r"\{%[-+]?\s*set\s+[\w\s,]+=")
_OPENERS = {"if", "for", "with", "filter", "autoescape", "macro", "call", "set"}


@dataclass
class Resolution:
    tokens: list[_Tok]
    frozen: dict[str, Any] = field(default_factory=dict)
    """Setting path -> its value, for every setting a choice was made on."""
    kept: list[str] = field(default_factory=list)
    """What could not be resolved (``file:line: what``), kept as a tag."""


@dataclass
class _Block:
    tags: list[_Tok]
    bodies: list[list[_Tok | _Block]]


@dataclass
class _Loop:
    """``loop`` in a loop written out at export time."""

    index0: int
    length: int
    index: int = 0
    revindex: int = 0
    revindex0: int = 0
    first: bool = False
    last: bool = False

    def __post_init__(self) -> None:
        self.index = self.index0 + 1
        self.revindex0 = self.length - self.index
        self.revindex = self.revindex0 + 1
        self.first, self.last = self.index0 == 0, self.index == self.length


def resolve(env: Environment, toks: list[_Tok], fixed: Fixed) -> Resolution:
    """The tokens with every settings-only construct resolved (see the module docstring)."""
    resolver = _Resolver(env, fixed)
    out = resolver.run(_tree(toks), dict(fixed.values), live=False)
    return Resolution(out, resolver.frozen, resolver.kept)


def _tree(toks: list[_Tok]) -> list[_Tok | _Block]:
    root: list[_Tok | _Block] = []
    stack: list[tuple[str, _Block]] = []
    for tok in toks:
        word = tok.word if tok.kind == "block" else ""
        target = stack[-1][1].bodies[-1] if stack else root
        if word in _OPENERS and not (word == "set" and _ASSIGN.match(tok.src)):
            block = _Block([tok], [[]])
            target.append(block)
            stack.append((word, block))
        elif word in ("elif", "else") and stack:
            stack[-1][1].tags.append(tok)
            stack[-1][1].bodies.append([])
        elif word.startswith("end") and stack and word[3:] == stack[-1][0]:
            stack.pop()[1].tags.append(tok)
        elif word.startswith("end") or word in ("elif", "else"):
            raise ExportError(f"{tok.file}:{tok.line}: unexpected `{{% {word} %}}`")
        else:
            target.append(tok)
    if stack:
        tok = stack[-1][1].tags[0]
        raise ExportError(f"{tok.file}:{tok.line}: `{{% {stack[-1][0]} %}}` is never closed")
    return root


def _flat(items: list[_Tok | _Block]) -> Iterator[_Tok]:
    for item in items:
        if isinstance(item, _Tok):
            yield item
        else:
            for k, tag in enumerate(item.tags):
                yield tag
                if k < len(item.bodies):
                    yield from _flat(item.bodies[k])


class _Resolver(Expressions):
    """The statements: conditions, loops, ``set`` and macros."""

    def run(self, items: list[_Tok | _Block], scope: dict[str, Any], *, live: bool) -> list[_Tok]:
        out: list[_Tok] = []
        for item in items:
            if isinstance(item, _Block):
                out += self.block(item, scope, live=live)
            elif item.kind == "var":
                original = self.expr(_VAR.sub("", item.src), item)
                node = self.expand(original, scope)
                out += self.tokens(self.printed(node, scope, item, top=node is original), item)
            elif item.kind == "comment":  # notes on the text template's code, which is gone
                out.append(_marker(item))
            elif item.kind == "block" and item.word == "set":
                out.append(self.assign(item, scope, live=live))
            else:
                out.append(dataclasses.replace(item))
        return out

    def assign(self, tok: _Tok, scope: dict[str, Any], *, live: bool) -> _Tok:
        target_src, _, source = _inner(tok)[4:].partition("=")
        targets = [t.strip() for t in target_src.split(",")]
        node = self.expand(self.expr(source, tok), scope)
        saved, self.frozen = self.frozen, {}
        ok, value = (False, None) if live else self.value(node, scope)
        made, self.frozen = self.frozen, saved
        if ok and (len(targets) == 1 or (isinstance(value, list | tuple) and len(value) == len(targets))):
            values: list[Any] = [value] if len(targets) == 1 else list(value)  # type: ignore[arg-type]
            for name, item in zip(targets, values, strict=True):
                scope[name] = item
                self.origins[name] = made
            return _marker(tok)
        if not live and len(targets) == 1 and not isinstance(node, nodes.Const):
            try:
                scope[targets[0]] = _Alias(self.simplify(node, scope))
            except Unwritable:
                pass
            else:
                self.kept.append(
                    f"{tok.file}:{tok.line}: {targets[0]} (per-letter data; written where it is used)"
                )
                return _marker(tok)
        for name in targets:
            scope[name] = _DYNAMIC
        self.kept.append(f"{tok.file}:{tok.line}: set {', '.join(targets)} (per-letter data; kept as a tag)")
        try:
            return _retag(tok, f"set {target_src.strip()} = {unparse(self.simplify(node, scope))}")
        except Unwritable:
            return dataclasses.replace(tok)

    def block(self, block: _Block, scope: dict[str, Any], *, live: bool) -> list[_Tok]:
        word = block.tags[0].word
        if word == "if":
            return self.conditional(block, scope, live=live)
        if word == "for":
            return self.loop(block, scope, live=live)
        if word == "macro":
            return self.macro(block, scope)
        out: list[_Tok] = []
        inner = dict(scope)
        if word == "with":
            for name in re.findall(r"(\w+)\s*=(?!=)", _inner(block.tags[0])):
                inner[name] = _DYNAMIC
        for k, tag in enumerate(block.tags):
            out.append(dataclasses.replace(tag))
            if k < len(block.bodies):
                out += self.run(block.bodies[k], inner, live=True)
        return out

    def conditional(self, block: _Block, scope: dict[str, Any], *, live: bool) -> list[_Tok]:
        kept: dict[int, str | None] = {}  # branch -> its condition (None: unconditional)
        for k, tag in enumerate(block.tags[:-1]):
            if tag.word == "else":
                kept[k] = None
                break
            source = _inner(tag).split(None, 1)[1]
            original = self.expr(source, tag)
            node = self.expand(original, scope)
            ok, value = self.value(node, scope)
            if not ok:
                try:
                    simple = self.simplify(node, scope, test=True)
                    written = unparse(simple)
                    changed = written != unparse(original)
                except Unwritable:
                    if node is original and not self.locals(node, scope):
                        kept[k] = source  # per-letter data only, in a form kept as it was written
                        continue
                    raise ExportError(
                        f"{tag.file}:{tag.line}: this condition mixes export-time values with per-letter "
                        "data in a way a Word tag cannot hold; write the Word template by hand"
                    ) from None
                if isinstance(simple, nodes.Const):
                    ok, value = True, simple.value
                else:
                    kept[k] = written if changed else source
                    continue
            if value:
                kept[k] = None
                break
        residual = any(cond is not None for cond in kept.values())
        out: list[_Tok] = []
        first = True
        for k, tag in enumerate(block.tags):
            if k == len(block.tags) - 1:
                out.append(_retag(tag, "endif") if residual else _marker(tag))
                break
            if k not in kept:
                out.append(_marker(tag))
                continue
            cond = kept[k]
            if not residual:
                out.append(_marker(tag))
            elif cond is None:
                out.append(_retag(tag, "else"))
            else:
                out.append(_retag(tag, ("if " if first else "elif ") + cond))
            first = False
            out += self.run(block.bodies[k], scope, live=live or residual)
        return _silent(out) if residual else out

    def loop(self, block: _Block, scope: dict[str, Any], *, live: bool) -> list[_Tok]:
        head = block.tags[0]
        parsed = self.env.parse(head.src + "{% endfor %}").body[0]
        assert isinstance(parsed, nodes.For)
        names = [n.name for n in _all(parsed.target, nodes.Name)]
        written = unparse(parsed.iter)
        parsed.iter = self.expand(parsed.iter, scope)  # type: ignore[arg-type]
        ok, items = (False, None)
        if parsed.test is None and not parsed.recursive:
            ok, items = self.value(parsed.iter, scope)
        if ok and isinstance(items, list | tuple):
            out = [_marker(head)]
            for index, item in enumerate(items):
                inner = {**scope, "loop": _Loop(index, len(items))}
                values = [item] if len(names) == 1 else list(item)
                inner.update(zip(names, values, strict=True))
                out += self.run(block.bodies[0], inner, live=live)
            for k, tag in enumerate(block.tags[1:], 1):
                out.append(_marker(tag))
                if k < len(block.bodies) and not items:
                    out += self.run(block.bodies[k], scope, live=live)
            return out
        if self.locals(parsed.iter, scope):
            raise ExportError(
                f"{head.file}:{head.line}: this loop goes over export-time names and per-letter data at "
                "once; write the Word template by hand"
            )
        inner = {**scope, "loop": _DYNAMIC, **dict.fromkeys(names, _DYNAMIC)}
        out = []
        for k, tag in enumerate(block.tags):
            if k == 0 and unparse(parsed.iter) != written:
                out.append(_retag(tag, f"for {unparse(parsed.target)} in {unparse(parsed.iter)}"))
            else:
                out.append(dataclasses.replace(tag))
            if k < len(block.bodies):
                out += self.run(block.bodies[k], inner if k == 0 else scope, live=True)
        return out

    def macro(self, block: _Block, scope: dict[str, Any]) -> list[_Tok]:
        """A macro is compiled with the settings; a call with settings only is printed as text."""
        head = block.tags[0]
        source = "".join(t.src for t in _flat([block]))
        known = {k: v for k, v in scope.items() if _known(v)}
        try:
            module = self.env.from_string(source).make_module(known)
        except Exception as exc:
            raise ExportError(f"{head.file}:{head.line}: {exc}") from None
        name = _inner(head).split(None, 1)[1].split("(")[0].strip()
        scope[name] = getattr(module, name)
        return [_marker(t) for t in [head, block.tags[-1]]]


def _silent(out: list[_Tok]) -> list[_Tok]:
    """A condition whose every branch prints nothing (comments only, say) as markers: its tags
    would be empty ``{%p %}`` paragraphs. Nothing: no value, and no newline a tag does not trim."""
    tags = [t for t in out if t.kind != "text"]
    texts = [t.src for t in out if t.kind == "text"]
    if any(t.kind in ("var", "block") and not _is_condition_tag(t) for t in tags):
        return out
    if any(text.strip() for text in texts) or sum(t.count("\n") for t in texts) > len(tags):
        return out
    return [_marker(t) for t in tags]


def _is_condition_tag(tok: _Tok) -> bool:
    return tok.kind == "block" and tok.word in ("if", "elif", "else", "endif")


_VAR = re.compile(r"^\{\{[-+]?|[-+]?\}\}$")

"""Expressions resolved at export time: what a value prints once the settings are known.

Part of :mod:`hrdocs.docx_export.resolve`. An expression is *closed* when only settings and
export-time names (``set`` values, macros, written-out loops) decide it: it is evaluated, with the
workspace's own Jinja environment, and printed as the text engine prints it. Otherwise it is written
back as a tag (:mod:`hrdocs.docx_export.unparse`), its export-time parts replaced by their values; a
lookup by per-letter data in a dictionary of wording, ``a if t else b`` and ``a or b`` become short
``if``/``elif`` choices.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, nodes
from jinja2.visitor import NodeTransformer

from hrdocs.docx_export.tokens import ExportError, _Tok
from hrdocs.docx_export.unparse import Unwritable, literal, unparse

_OPEN = re.compile(r"^\{%([-+]?)\s*")
_CLOSE = re.compile(r"\s*([-+]?)%\}$")
_DYNAMIC = object()
"""A name whose value depends on the letter (a per-letter loop's variable, a ``set`` kept as a tag)."""


@dataclass(frozen=True)
class _Alias:
    """A ``set`` name whose value depends on the letter: its expression is written where it is used."""

    node: nodes.Expr


def _known(value: Any) -> bool:
    return value is not _DYNAMIC and not isinstance(value, _Alias)


Chain = list[tuple[str | None, list[_Tok]]]
"""What a value prints: (condition or None, tokens) choices, as ``if``/``elif``/``else``."""


@dataclass(frozen=True)
class Fixed:
    """What the export may resolve, from the workspace."""

    values: Mapping[str, Any]
    """The template data every document shares (``company``, ``voice``, …), by name."""
    show: Callable[[Any], str | None]
    """A value as the text engine prints it, as Markdown (None: it would not print)."""
    reads: Mapping[str, str] = field(default_factory=dict)
    """A global function -> the setting it reads (``by_tone`` -> ``voice.tone``)."""


def _inner(tok: _Tok) -> str:
    """``{%- if x -%}`` -> ``if x``."""
    return _CLOSE.sub("", _OPEN.sub("", tok.src))


def _retag(tok: _Tok, body: str, kind: str = "block") -> _Tok:
    """A new tag in place of ``tok``, with its whitespace marks."""
    if kind == "var":
        return dataclasses.replace(tok, kind="var", src="{{ " + body + " }}")
    opener, closer = _OPEN.match(tok.src), _CLOSE.search(tok.src)
    left = opener.group(1) if opener else ""
    right = closer.group(1) if closer else ""
    return dataclasses.replace(tok, kind="block", src=f"{{%{left} {body} {right}%}}")


def _marker(tok: _Tok) -> _Tok:
    return dataclasses.replace(tok, kind="marker")


def _text(tok: _Tok, text: str) -> _Tok:
    return dataclasses.replace(
        tok, kind="text", src=text.replace("\\\n", "<br>").replace("\n", " "), value=True
    )


class Expressions:
    """The export-time evaluation of expressions, and what they print."""

    def __init__(self, env: Environment, fixed: Fixed) -> None:
        self.env = env
        self.fixed = fixed
        self.frozen: dict[str, Any] = {}
        self.origins: dict[str, dict[str, Any]] = {}
        """The settings a ``set`` name was made from: frozen only where the name is used."""
        self.kept: list[str] = []

    # ------------------------------------------------------------------------------- expressions
    def expr(self, source: str, tok: _Tok) -> nodes.Expr:
        try:
            body = self.env.parse("{{ " + source + " }}").body[0]
        except Exception as exc:
            raise ExportError(f"{tok.file}:{tok.line}: {exc}") from None
        assert isinstance(body, nodes.Output)
        return body.nodes[0]

    def names(self, node: nodes.Node) -> set[str]:
        return {n.name for n in _all(node, nodes.Name) if n.ctx == "load"}

    def closed(self, node: nodes.Node, scope: dict[str, Any]) -> bool:
        """Whether only settings and export-time names decide the value."""
        return all(
            (name in scope and _known(scope[name])) or (name not in scope and name in self.env.globals)
            for name in self.names(node)
        )

    def locals(self, node: nodes.Node, scope: dict[str, Any]) -> set[str]:
        """Export-time names (``set``, macros, written-out loops) that the Word template lacks."""
        return {
            name
            for name in self.names(node)
            if name in scope and scope[name] is not _DYNAMIC and name not in self.fixed.values
        }

    def value(self, node: nodes.Node, scope: dict[str, Any]) -> tuple[bool, Any]:
        if not self.closed(node, scope):
            return False, None
        known = {k: v for k, v in scope.items() if _known(v)}
        try:
            result = self.env.compile_expression(unparse(node), undefined_to_none=False)(**known)
        except Exception:  # a missing key, a type error: the text engine would say; keep the tag
            return False, None
        self.note(node, scope)
        return True, result

    def note(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        """Record the settings the value of ``node`` was read from."""
        paths = [
            p for p in _paths(node) if scope.get(p.split(".")[0]) is self.fixed.values.get(p.split(".")[0])
        ]
        for name in self.locals(node, scope):
            for path, value in self.origins.get(name, {}).items():
                self.frozen.setdefault(path, value)
        for call in _all(node, nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in self.fixed.reads:
                paths.append(self.fixed.reads[call.node.name])
        for path in paths:
            parts = path.split(".")
            if parts[0] not in self.fixed.values:
                continue
            while parts:
                value = _lookup(self.fixed.values, parts)
                if not callable(value):
                    break
                parts = parts[:-1]  # ``company.name.endswith``: the setting is ``company.name``
            if parts:
                self.frozen.setdefault(".".join(parts), value)

    def expand(self, node: nodes.Expr, scope: dict[str, Any]) -> nodes.Expr:
        """``node`` with the per-letter ``set`` names written out."""
        aliases = {n: scope[n] for n in self.names(node) if isinstance(scope.get(n), _Alias)}
        return _substitute(node, aliases) if aliases else node

    def simplify(self, node: nodes.Expr, scope: dict[str, Any], *, test: bool = False) -> nodes.Expr:
        """``node`` with its export-time parts replaced by their values (a plain setting stays a name,
        which the Word template has too). ``test``: only its truth matters (``a or false`` is ``a``)."""
        if test or not _plain_path(node):  # a setting tested is a choice; one printed stays a tag
            ok, value = self.value(node, scope)
            if ok and _writable(value):
                return nodes.Const(value)
        if isinstance(node, nodes.And | nodes.Or):
            left = self.simplify(node.left, scope, test=test)
            right = self.simplify(node.right, scope, test=test)
            wanted = isinstance(node, nodes.And)  # the value of a side that lets the other decide
            if isinstance(left, nodes.Const):
                return right if bool(left.value) == wanted else left
            if test and isinstance(right, nodes.Const):
                return left if bool(right.value) == wanted else right
            return type(node)(left, right)
        if test and isinstance(node, nodes.CondExpr) and node.expr2 is not None:
            other = self.simplify(node.expr2, scope)
            if isinstance(other, nodes.Const) and not other.value:  # `a if t else none` is true as `t and a`
                return self.simplify(nodes.And(node.test, node.expr1), scope, test=True)
        if isinstance(node, nodes.Not):
            inner = self.simplify(node.node, scope, test=True)
            return nodes.Const(not inner.value) if isinstance(inner, nodes.Const) else nodes.Not(inner)
        names = self.locals(node, scope)
        for name in names:
            if not isinstance(scope[name], _Alias) and not _writable(scope[name]):
                raise Unwritable(name)
        return _substitute(node, {n: scope[n] for n in names})

    # ---------------------------------------------------------------------------------- printing
    def printed(self, node: nodes.Expr, scope: dict[str, Any], tok: _Tok, *, top: bool = False) -> Chain:
        """What ``{{ node }}`` prints, as choices of tokens (``top``: ``node`` is all of ``tok``, whose
        source is kept if nothing in it changes)."""
        same: Chain = [(None, [dataclasses.replace(tok) if top else _retag(tok, unparse(node), "var")])]
        roots = self.names(node)
        if _plain_path(node) and roots <= set(self.fixed.values) and _known(scope.get(roots.pop())):
            return same
        ok, value = self.value(node, scope)
        if ok and value is None:  # `… if t else none`: the choice that prints nothing
            return [(None, [])]
        if ok:
            text = self.fixed.show(value)
            if text is not None:
                return [(None, [_text(tok, text)] if text else [])]
        # a dictionary or `a if t else b` in a tag is written as choices instead
        worked = any(_all(node, kind) for kind in (nodes.Dict, nodes.List, nodes.CondExpr)) or any(
            isinstance(c.value, Mapping | list | tuple) for c in _all(node, nodes.Const)
        )
        if not (self.locals(node, scope) or worked):
            return same
        try:
            if isinstance(node, nodes.Concat):  # "…" ~ x ~ "…": each part printed in turn
                parts = [t for part in node.nodes for t in self.tokens(self.printed(part, scope, tok), tok)]
                return [(None, parts)]
            alternatives = self.choices(node, scope)
            if alternatives is not None:
                chain: Chain = []
                for k, (cond, alt) in enumerate(alternatives):
                    sub = self.printed(alt, scope, tok)
                    if cond is None and k == len(alternatives) - 1:
                        chain += sub  # the last choice's own choices follow as elif
                    else:
                        chain.append((cond, self.tokens(sub, tok)))
                return chain
            kept = unparse(self.simplify(node, scope))
        except Unwritable:
            raise ExportError(
                f"{tok.file}:{tok.line}: `{tok.src}` uses export-time names with per-letter data in a way "
                "that cannot be written as a Word tag; write the Word template by hand"
            ) from None
        self.kept.append(f"{tok.file}:{tok.line}: {kept} (per-letter data; kept as a tag)")
        return [(None, [_retag(tok, kept, "var")])]

    def choices(self, node: nodes.Expr, scope: dict[str, Any]) -> list[tuple[str | None, nodes.Expr]] | None:
        """``node`` as (condition, expression) alternatives on per-letter data, last one maybe
        unconditional; None if it is not a choice (a lookup by a per-letter key, ``a if t else b``,
        ``a or b``, and a lookup or filter over one of those)."""
        if isinstance(node, nodes.CondExpr):
            ok, test = self.value(node.test, scope)
            other = node.expr2 if node.expr2 is not None else nodes.Const("")
            if ok:
                return [(None, node.expr1 if test else other)]
            cond = unparse(self.simplify(node.test, scope, test=True))
            return [(cond, node.expr1)] + ([(None, node.expr2)] if node.expr2 is not None else [])
        if isinstance(node, nodes.Or):
            ok, left = self.value(node.left, scope)
            if ok:
                return [(None, node.left if left else node.right)]
            if self.locals(node.left, scope):
                return None
            return [(unparse(node.left), node.left), (None, node.right)]
        if isinstance(node, nodes.Filter) and node.node is not None:
            inner = self.choices(node.node, scope)
            if inner is None:
                return None
            return [(c, _with(node, node=alt)) for c, alt in inner]
        if not isinstance(node, nodes.Getitem):
            return None
        base, arg = node.node, node.arg
        ok, _ = self.value(arg, scope)
        if not ok and isinstance(arg, nodes.CondExpr):
            inner = self.choices(arg, scope)
            return [(c, _with(node, arg=alt)) for c, alt in inner] if inner else None
        if ok:
            inner = self.choices(base, scope)
            return [(c, _with(node, node=alt)) for c, alt in inner] if inner else None
        written = unparse(self.simplify(arg, scope))
        ok, table = self.value(base, scope)
        if ok and isinstance(table, Mapping | list | tuple):
            keys = list(table) if isinstance(table, Mapping) else list(range(len(table)))
            return [(f"{written} == {literal(k)}", nodes.Const(table[k])) for k in keys]
        if isinstance(base, nodes.Dict) and all(isinstance(p.key, nodes.Const) for p in base.items):
            return [(f"{written} == {literal(p.key.value)}", p.value) for p in base.items]  # type: ignore[attr-defined]
        if isinstance(base, nodes.List | nodes.Tuple):
            return [(f"{written} == {k}", item) for k, item in enumerate(base.items)]
        inner = self.choices(base, scope)
        return [(c, _with(node, node=alt)) for c, alt in inner] if inner else None

    def tokens(self, chain: Chain, tok: _Tok) -> list[_Tok]:
        if len(chain) > 1 and chain[-1] == (None, []):
            chain = chain[:-1]  # an empty `else`
        if len(chain) == 1 and chain[0][0] is None:
            return chain[0][1]
        out: list[_Tok] = []
        for k, (cond, toks) in enumerate(chain):
            word = "else" if cond is None else ("if " if k == 0 else "elif ") + cond
            out += [dataclasses.replace(_retag(tok, word), value=True), *toks]
        return [*out, dataclasses.replace(_retag(tok, "endif"), value=True)]

    # -------------------------------------------------------------------------------- statements


def _all(node: nodes.Node, kind: type[nodes.Node]) -> list[Any]:
    """``node`` itself and every node of ``kind`` inside it (``find_all`` leaves out the node)."""
    return [node, *node.find_all(kind)] if isinstance(node, kind) else list(node.find_all(kind))


def _plain_path(node: nodes.Node) -> bool:
    while isinstance(node, nodes.Getattr):
        node = node.node
    return isinstance(node, nodes.Name)


def _paths(node: nodes.Node) -> list[str]:
    """``a.b.c`` for every name or attribute chain in ``node`` (the longest one of each)."""
    found: list[str] = []
    inner: set[int] = set()
    for chain in _all(node, nodes.Getattr):
        if id(chain) in inner:
            continue
        parts, cursor = [], chain
        while isinstance(cursor, nodes.Getattr):
            inner.add(id(cursor))
            parts.append(cursor.attr)
            cursor = cursor.node
        if isinstance(cursor, nodes.Name):
            inner.add(id(cursor))
            found.append(".".join([cursor.name, *reversed(parts)]))
    found += [n.name for n in _all(node, nodes.Name) if id(n) not in inner and n.ctx == "load"]
    return found


def _with(original: nodes.Expr, **fields: Any) -> nodes.Expr:
    """A copy of ``original`` with some children replaced."""
    out = copy.copy(original)
    for name, value in fields.items():
        setattr(out, name, value)
    return out


def _writable(value: Any) -> bool:
    try:
        literal(value)
    except Unwritable:
        return False
    return True


def _substitute(node: nodes.Expr, values: Mapping[str, Any]) -> nodes.Expr:
    class Swap(NodeTransformer):
        def visit_Name(self, name: nodes.Name) -> nodes.Node:
            if name.name not in values or name.ctx != "load":
                return name
            value = values[name.name]
            return copy.deepcopy(value.node) if isinstance(value, _Alias) else nodes.Const(value)

    result: nodes.Expr = Swap().visit(copy.deepcopy(node))
    return result


def _lookup(values: Mapping[str, Any], parts: list[str]) -> Any:
    value: Any = values
    for part in parts:
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value

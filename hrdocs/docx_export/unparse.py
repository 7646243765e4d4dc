"""Jinja expression trees back to source: the tags the export writes after resolving part of them.

Jinja keeps no source positions for expressions, so an expression the export changes (a setting
replaced by its value, a branch of ``and`` known to be true) is written out again from its tree. Only
the expressions templates use are written; anything else is refused, and the caller keeps the tag as
it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import nodes

_BINARY = {
    nodes.Add: "+",
    nodes.Sub: "-",
    nodes.Mul: "*",
    nodes.Div: "/",
    nodes.FloorDiv: "//",
    nodes.Mod: "%",
    nodes.Pow: "**",
    nodes.And: "and",
    nodes.Or: "or",
}
_COMPARE = {
    "eq": "==",
    "ne": "!=",
    "gt": ">",
    "gteq": ">=",
    "lt": "<",
    "lteq": "<=",
    "in": "in",
    "notin": "not in",
}
_ATOMS = (
    nodes.Name,
    nodes.Const,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Call,
    nodes.List,
    nodes.Dict,
    nodes.Tuple,
)


class Unwritable(Exception):
    """An expression this module cannot write back as Jinja source."""


def literal(value: Any) -> str:
    """A Python value as a Jinja literal (strings in double quotes, as the built-in templates write
    them)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if value is None or isinstance(value, bool):
        return {None: "none", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise Unwritable(type(value).__name__)


def unparse(node: nodes.Node) -> str:
    """Jinja source for the expression ``node``."""
    match node:
        case nodes.Const():
            return literal(node.value)
        case nodes.Name():
            return node.name
        case nodes.Getattr():
            return f"{_operand(node.node)}.{node.attr}"
        case nodes.Getitem():
            return f"{_operand(node.node)}[{unparse(node.arg)}]"
        case nodes.Slice():
            parts = [unparse(p) if p is not None else "" for p in (node.start, node.stop, node.step)]
            return ":".join(parts[:2] if node.step is None else parts)
        case nodes.Not():
            if isinstance(node.node, nodes.Test):
                return _test(node.node, negated=True)
            return f"not {_operand(node.node)}"
        case nodes.Neg():
            return f"-{_operand(node.node)}"
        case nodes.Compare():  # a filter binds tighter than a comparison: `xs | length > 1`
            parts = [_operand(node.expr, loose=True)]
            for op in node.ops:
                parts += [_COMPARE[op.op], _operand(op.expr, loose=True)]
            return " ".join(parts)
        case nodes.Concat():
            return " ~ ".join(_operand(n) for n in node.nodes)
        case nodes.CondExpr():
            tail = f" else {_operand(node.expr2)}" if node.expr2 is not None else ""
            return f"{_operand(node.expr1)} if {_operand(node.test)}{tail}"
        case nodes.Filter():
            assert node.node is not None
            return f"{_operand(node.node)} | {node.name}{_arguments(node, empty=False)}"
        case nodes.Test():
            return _test(node, negated=False)
        case nodes.Call():
            return f"{_operand(node.node)}{_arguments(node, empty=True)}"
        case nodes.List():
            return "[" + ", ".join(unparse(n) for n in node.items) + "]"
        case nodes.Tuple():
            inner = ", ".join(unparse(n) for n in node.items)
            return f"({inner},)" if len(node.items) == 1 else f"({inner})"
        case nodes.Dict():
            return "{" + ", ".join(f"{unparse(p.key)}: {unparse(p.value)}" for p in node.items) + "}"
        case nodes.BinExpr():
            return f"{_operand(node.left)} {_BINARY[type(node)]} {_operand(node.right)}"
    raise Unwritable(type(node).__name__)


def _operand(node: nodes.Node, *, loose: bool = False) -> str:
    text = unparse(node)
    return text if isinstance(node, _ATOMS) or (loose and isinstance(node, nodes.Filter)) else f"({text})"


def _test(node: nodes.Test, *, negated: bool) -> str:
    word = "is not" if negated else "is"
    return f"{_operand(node.node)} {word} {node.name}{_arguments(node, empty=False)}"


def _arguments(node: nodes.Call | nodes.Filter | nodes.Test, *, empty: bool) -> str:
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        raise Unwritable("*args")
    parts = [unparse(a) for a in node.args] + [f"{k.key}={unparse(k.value)}" for k in node.kwargs]
    return f"({', '.join(parts)})" if parts or empty else ""

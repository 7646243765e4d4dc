"""What ``templates check`` shares between text and Word templates: the finding, and the walker.

The walker reads a template's syntax tree against the shape of its data, for the text-template
check (:mod:`hrdocs.template_check`) and the Word-template check (:mod:`hrdocs.word_check`): every
name and every ``a.b.c`` is looked up, in every branch of every ``{% if %}``, so a typo in a branch
the sample data does not take is found too; names starting with ``_`` are refused (Python internals).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes

from hrdocs.context import View
from hrdocs.shapes import Shape

ERROR, WARNING = "error", "warning"
_ALWAYS = {"loop", "super", "self", "caller", "varargs", "kwargs"}
_KEEP_SHAPE = {
    "sort",
    "unique",
    "reverse",
    "list",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "default",
    "d",
}
_ITEM_SHAPE = {"first", "last", "random", "min", "max"}
_SCALAR_TYPES: dict[str, tuple[Any, ...]] = {
    "text": (str,),
    "number": (Decimal, int, float),
    "date": (dt.date,),
    "list": (tuple,),
    "object": (View,),
}


@dataclass(frozen=True)
class Finding:
    level: str
    where: str
    message: str
    hint: str | None = None
    file: str = field(default="", compare=False)
    order: int = field(default=0, compare=False)
    """Where in ``file`` (line, or paragraph number in a Word template), to list findings in order."""

    def __str__(self) -> str:
        text = f"{self.where}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def display(path: str | Path) -> str:
    """A path as the user knows it: relative to the current folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _avoided(text: str, words: Sequence[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


def _avoid_finding(where: str, word: str, file: str, order: int) -> Finding:
    message = f"uses `{word}`, which the company voice avoids"
    return Finding(ERROR, where, message, "voice.avoid in hrdocs.yaml", file, order)


def _close(name: str, known: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.6)
    return f"did you mean {', '.join(f'`{c}`' for c in found)}?" if found else None


def _syntax(message: str, env: Environment) -> tuple[str, str | None]:
    """Jinja's words for an unknown filter or test, made plain."""
    for word, table in (("filter", env.filters), ("test", env.tests)):
        m = re.search(rf"No {word} named '([^']+)'", message)
        if m:
            return f"unknown {word} `{m.group(1)}`", _close(m.group(1), table)
    return f"syntax error: {message}", None


Report_ = Callable[[int | None, str, str | None], None]


class _Walker:
    """Reads a template's syntax tree against the shape of its data; reports unknown names."""

    def __init__(self, env: Environment, top: Shape | None, report: Report_) -> None:
        self.env, self.top, self.report = env, top, report
        self.scopes: list[dict[str, Shape | None]] = [{}]
        self.soft = 0
        self.used: set[str] = set()
        self.skip_blocks: set[str] = set()

    def visit(self, node: nodes.Node) -> Shape | None:
        method = getattr(self, f"v_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        for child in node.iter_child_nodes():
            self.visit(child)
        return None

    def body(self, items: Iterable[nodes.Node], scope: dict[str, Shape | None] | None = None) -> None:
        self.scopes.append(scope or {})
        for item in items:
            self.visit(item)
        self.scopes.pop()

    def bind(self, target: nodes.Node, shape: Shape | None) -> None:
        if isinstance(target, nodes.Name):
            self.scopes[-1][target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, None)

    # names and attributes
    def v_Name(self, node: nodes.Name) -> Shape | None:
        if node.ctx != "load":
            return None
        for scope in reversed(self.scopes):
            if node.name in scope:
                return scope[node.name]
        if self.top is not None and node.name in self.top.fields:
            shape = self.top.fields[node.name]
            self.used.add(shape.path)
            return shape
        if node.name in self.env.globals or node.name in _ALWAYS or self.top is None or self.soft:
            return None
        known = [*self.top.fields, *self.env.globals, *(k for s in self.scopes for k in s)]
        self.report(node.lineno, f"unknown variable `{node.name}`", _close(node.name, known))
        return None

    def v_Getattr(self, node: nodes.Getattr) -> Shape | None:
        return self.attr(node, self.visit(node.node), node.attr)

    def v_Getitem(self, node: nodes.Getitem) -> Shape | None:
        base = self.visit(node.node)
        self.visit(node.arg)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self.attr(node, base, node.arg.value)
        if base is not None and "list" in base.types:
            return base.item
        return None

    def attr(self, node: nodes.Node, base: Shape | None, name: str) -> Shape | None:
        if name.startswith("_"):
            self.report(
                node.lineno,
                f"`{_text(node)}` is not allowed: templates cannot reach Python internals",
                "names starting with _ are refused by the sandbox",
            )
            return None
        if base is None:
            return None
        if name in base.fields:
            self.used.add(base.fields[name].path)
            return base.fields[name]
        types = base.types - {"empty"}
        if not types or self.soft:
            return None
        if any(hasattr(t, name) for kind in types for t in _SCALAR_TYPES.get(kind, ())):
            return None
        spelled = _text(node)
        parent = spelled[: -len(name) - 1] if spelled.endswith(f".{name}") else None
        close = difflib.get_close_matches(name, sorted(base.fields), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(f'`{parent}.{c}`' for c in close)}?" if close and parent else None
        self.report(node.lineno, f"unknown variable `{spelled}`", hint or _close(name, base.fields))
        return None

    # filters and tests
    def v_Filter(self, node: nodes.Filter) -> Shape | None:
        if node.name not in self.env.filters:
            self.report(node.lineno, f"unknown filter `{node.name}`", _close(node.name, self.env.filters))
        base = None
        if node.node is not None:
            if node.name in ("default", "d"):
                self.soft += 1
                base = self.visit(node.node)
                self.soft -= 1
            else:
                base = self.visit(node.node)
        for child in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
            if child is not None:
                self.visit(child)
        if node.name in _KEEP_SHAPE:
            return base
        if node.name in _ITEM_SHAPE and base is not None:
            return base.item
        return None

    def v_Test(self, node: nodes.Test) -> Shape | None:
        if node.name not in self.env.tests:
            self.report(node.lineno, f"unknown test `{node.name}`", _close(node.name, self.env.tests))
        soft = node.name in ("defined", "undefined")
        self.soft += soft
        self.visit(node.node)
        self.soft -= soft
        for child in [*node.args, *node.kwargs]:
            self.visit(child)
        return None

    # statements
    def v_For(self, node: nodes.For) -> None:
        items = self.visit(node.iter)
        item = items.item if items is not None and "list" in items.types else None
        scope: dict[str, Shape | None] = {"loop": None}
        self.scopes.append(scope)
        self.bind(node.target, item)
        if node.test is not None:
            self.visit(node.test)
        for child in node.body:
            self.visit(child)
        self.scopes.pop()
        self.body(node.else_)

    def v_Assign(self, node: nodes.Assign) -> None:
        self.bind(node.target, self.visit(node.node))

    def v_AssignBlock(self, node: nodes.AssignBlock) -> None:
        if node.filter is not None:
            self.visit(node.filter)
        self.body(node.body)
        self.bind(node.target, None)

    def v_Macro(self, node: nodes.Macro) -> None:
        self.scopes[-1][node.name] = None
        for default in node.defaults:
            self.visit(default)
        scope: dict[str, Shape | None] = {a.name: None for a in node.args}
        scope.update(caller=None, varargs=None, kwargs=None)
        self.body(node.body, scope)

    def v_CallBlock(self, node: nodes.CallBlock) -> None:
        self.visit(node.call)
        scope: dict[str, Shape | None] = {a.name: None for a in node.args}
        self.body(node.body, scope)

    def v_With(self, node: nodes.With) -> None:
        shapes = [self.visit(v) for v in node.values]
        self.scopes.append({})
        for target, shape in zip(node.targets, shapes, strict=False):
            self.bind(target, shape)
        for child in node.body:
            self.visit(child)
        self.scopes.pop()

    def v_Block(self, node: nodes.Block) -> None:
        if node.name not in self.skip_blocks:
            self.body(node.body)

    def v_Import(self, node: nodes.Import) -> None:
        self.scopes[-1][node.target] = None

    def v_FromImport(self, node: nodes.FromImport) -> None:
        for name in node.names:
            self.scopes[-1][name[1] if isinstance(name, tuple) else name] = None

    def v_Extends(self, node: nodes.Extends) -> None:
        return None  # followed by the caller, after the child's blocks are known

    def v_Include(self, node: nodes.Include) -> None:
        return None


def _text(node: nodes.Node) -> str:
    """How the template spells an expression, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        return f"{_text(node.node)}[{arg!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_text(node.node)} | {node.name}"
    if isinstance(node, nodes.Call):
        return f"{_text(node.node)}(…)"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"

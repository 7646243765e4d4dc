"""Where a template prints a value some documents do not have, with no ``{% if %}`` around it.

``Dear {{ candidate.preferred_name }},`` renders for every sample that has a preferred name, and
stops the letter of a candidate who has none (see :mod:`hrdocs.sandbox`: printing ``None`` is refused
rather than written). ``hrdocs templates check`` reads each template against the shape of its data
with the optional values left out (:func:`optional_shape`), and warns where such a value is printed:

- unguarded: not inside ``{% if NAME %}`` (or ``{% if NAME and … %}``, ``{% if NAME is not none %}``,
  the ``else`` of ``{% if not NAME %}``, ``{{ NAME if NAME else … }}``), without ``NAME or …`` and
  without ``| default(…, true)``; a filter does not guard it (``| upper`` prints ``NONE``);
- a list or a group of values printed as it stands (``{{ candidate.address }}`` reads ``(…)``).

It reads names as the template spells them: a value copied into a variable first (``{% set n =
candidate.preferred_name %}``) is not followed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jinja2 import nodes

from hrdocs.errors import HrdocsError
from hrdocs.kinds.localized import localize
from hrdocs.render import spelled
from hrdocs.shapes import Shape, shape_of

if TYPE_CHECKING:
    from hrdocs.kinds.base import Kind
    from hrdocs.session import Session

Warn = Callable[[int, str, str], None]
_DEFAULTS = ("default", "d")
_TYPE_TESTS = {"defined", "string", "number", "iterable", "mapping", "sequence", "true", "false"}


def optional_shape(session: Session, kind: Kind, samples: Sequence[Mapping[str, Any]]) -> Shape:
    """The shape of the samples and of each sample with one optional field left out: a name that is
    empty in one of them is one a real document may not have."""
    contexts = [dict(c) for c in samples]
    for raw in kind.samples(session, kind):
        for key in raw:
            field = kind.field(str(key))
            if field is None or field.required:
                continue
            sparse = {k: v for k, v in raw.items() if k != key}
            try:
                data = kind.validate(session, kind, sparse, "sample", {})
                prepared = kind.prepare(session, kind, data)
                localize(session, kind, prepared)
                contexts.append(prepared.context)
            except HrdocsError:
                continue  # the kind needs it after all (salary, or else hourly_rate)
    return shape_of(contexts)


def _truthy(test: nodes.Node) -> set[str]:
    """The names that are set when ``test`` is true."""
    name = spelled(test)
    if name:
        return {name}
    if isinstance(test, nodes.And):
        return _truthy(test.left) | _truthy(test.right)
    if isinstance(test, nodes.Not):
        return _falsy(test.node)
    if isinstance(test, nodes.Test) and test.name in _TYPE_TESTS:
        return _truthy(test.node)
    if isinstance(test, nodes.Filter) and test.node is not None:  # {% if names | length %}
        return _truthy(test.node)
    if isinstance(test, nodes.Compare):
        found = _truthy(test.expr)
        for op in test.ops:
            found |= _truthy(op.expr)
        return found
    return set()


def _falsy(test: nodes.Node) -> set[str]:
    """The names that are set when ``test`` is false."""
    if isinstance(test, nodes.Not):
        return _truthy(test.node)
    if isinstance(test, nodes.Or):
        return _falsy(test.left) | _falsy(test.right)
    if isinstance(test, nodes.Test) and test.name in ("none", "undefined"):
        return _truthy(test.node)
    return set()


def _covered(name: str, guards: frozenset[str]) -> bool:
    return any(g == name or g.startswith((name + ".", name + "[")) for g in guards)


class Guards:
    """Walks one template's tree with the names known to be set at each point."""

    def __init__(
        self, top: Shape, warn: Warn, skip_blocks: Iterable[str] = (), noun: str = "documents"
    ) -> None:
        self.top, self.warn, self.skip_blocks, self.noun = top, warn, set(skip_blocks), noun
        self.bound: list[set[str]] = [set()]

    def run(self, tree: nodes.Node) -> None:
        self.visit(tree, frozenset())

    def visit(self, node: nodes.Node, guards: frozenset[str]) -> None:
        if isinstance(node, nodes.If):
            self._if(node, guards)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.printed(child, guards, plain=True)
        elif isinstance(node, nodes.Block) and node.name in self.skip_blocks:
            return
        elif isinstance(node, nodes.For | nodes.Macro | nodes.CallBlock | nodes.With):
            self._scoped(node, guards)
        else:
            if isinstance(node, nodes.Assign | nodes.AssignBlock):
                target = node.target
                self.bound[-1] |= {target.name} if isinstance(target, nodes.Name) else set()
                self.bound[-1] |= {n.name for n in target.find_all(nodes.Name)}
            for sub in node.iter_child_nodes():
                self.visit(sub, guards)

    def _if(self, node: nodes.If, guards: frozenset[str]) -> None:
        for child in node.body:
            self.visit(child, guards | _truthy(node.test))
        otherwise = guards | _falsy(node.test)
        for branch in node.elif_:
            for child in branch.body:
                self.visit(child, otherwise | _truthy(branch.test))
            otherwise |= _falsy(branch.test)
        for child in node.else_:
            self.visit(child, otherwise)

    def _scoped(self, node: nodes.Node, guards: frozenset[str]) -> None:
        names: set[str] = set()
        if isinstance(node, nodes.For):
            names = {n.name for n in node.target.find_all(nodes.Name)} | {"loop"}
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            names = {a.name for a in node.args} | {"caller", "varargs", "kwargs"}
        elif isinstance(node, nodes.With):
            names = {n.name for t in node.targets for n in t.find_all(nodes.Name)}
        self.bound.append(names)
        for child in node.iter_child_nodes():
            self.visit(child, guards)
        self.bound.pop()

    # what is printed
    def printed(
        self, expr: nodes.Node, guards: frozenset[str], *, plain: bool, defaulted: bool = False
    ) -> None:
        """``plain``: printed as it is (so a list or a group is wrong too), not through a filter;
        ``defaulted``: through ``default(…)`` without ``true``, which lets ``None`` through."""
        if isinstance(expr, nodes.CondExpr):
            self.printed(expr.expr1, guards | _truthy(expr.test), plain=plain)
            if expr.expr2 is not None:
                self.printed(expr.expr2, guards | _falsy(expr.test), plain=plain)
        elif isinstance(expr, nodes.Or):
            self.printed(expr.right, guards | _falsy(expr.left), plain=plain)
        elif isinstance(expr, nodes.Concat):
            for part in expr.nodes:
                self.printed(part, guards, plain=True)
        elif isinstance(expr, nodes.Filter) and expr.node is not None:
            if expr.name in _DEFAULTS and _boolean(expr):
                return
            self.printed(expr.node, guards, plain=False, defaulted=expr.name in _DEFAULTS)
        elif spelled(expr) is not None:
            self._name(expr, guards, plain, defaulted)

    def _name(self, expr: nodes.Node, guards: frozenset[str], plain: bool, defaulted: bool) -> None:
        chain = _chain(expr)
        root = chain[0] if chain else None
        if not isinstance(root, nodes.Name) or any(root.name in scope for scope in self.bound):
            return  # a name the template binds itself: its value is not followed
        shape: Shape | None = self.top
        for node in chain:
            shape = _step(shape, node)
            name = spelled(node)
            if shape is None or name is None:
                return
            if "empty" in shape.types and not _covered(name, guards):
                full = spelled(expr)
                what = f"`{name}`, which" if full == name else f"`{full}`, but"
                lacks = "do not have" if full == name else f"have no `{name}`"
                self.warn(
                    expr.lineno,
                    f"prints {what} some {self.noun} {lacks}: one without it stops here",
                    ("`default(…)` alone replaces an undefined value, not an empty one: write "
                     f'`{full} | default("…", true)`, or print it only when it is there '
                     f"({{% if {name} %}}…{{% endif %}})")
                    if defaulted
                    else f"print it only when it is there ({{% if {name} %}}…{{% endif %}}), or give it "
                    f'a fallback ({{{{ {full} | default("…", true) }}}})',
                )  # fmt: skip
                return
        if plain and shape is not None and "list" in shape.types:
            name = spelled(expr)
            self.warn(
                expr.lineno,
                f'prints the list `{name}` as it stands (it reads "(…)")',
                f'loop over it ({{% for item in {name} %}}), or join it ({{{{ {name} | join(", ") }}}})',
            )
        elif plain and shape is not None and shape.types - {"empty"} == {"object"}:
            name = spelled(expr)
            keys = ", ".join(f"`{name}.{k}`" for k in list(shape.fields)[:3])
            self.warn(
                expr.lineno, f"prints `{name}`, a group of values, not one", f"print one of them: {keys}"
            )


def _boolean(expr: nodes.Filter) -> bool:
    """``default(x, true)``: replaces an empty value, not only an undefined one."""
    if len(expr.args) >= 2 and isinstance(expr.args[1], nodes.Const):
        return bool(expr.args[1].value)
    return any(k.key == "boolean" and isinstance(k.value, nodes.Const) and k.value.value for k in expr.kwargs)


def _chain(expr: nodes.Node) -> list[nodes.Node]:
    """``a.b['c']`` as its nodes from the outside in: ``a``, ``a.b``, ``a.b['c']``."""
    out: list[nodes.Node] = []
    while isinstance(expr, nodes.Getattr | nodes.Getitem):
        out.append(expr)
        expr = expr.node
    if not isinstance(expr, nodes.Name):
        return []
    out.append(expr)
    return out[::-1]


def _step(shape: Shape | None, node: nodes.Node) -> Shape | None:
    if shape is None:
        return None
    if isinstance(node, nodes.Name):
        return shape.fields.get(node.name)
    if isinstance(node, nodes.Getattr):
        return shape.fields.get(node.attr)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        if isinstance(node.arg.value, str):
            return shape.fields.get(node.arg.value)
        return shape.item
    return None

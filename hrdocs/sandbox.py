"""What one document's template may cost, and what it may print.

Templates are written by people other than the ones who run hrdocs, and a batch renders ten thousand
of them, so a template gets a **budget per document** (docs/templates.md, "Limits on templates"):

- :data:`MAX_STEPS` steps: every round of every ``{% for %}`` loop (charged when the loop starts, by
  the length of what it walks), every call (a macro, a method, ``range``) and every number a
  ``range(…)`` makes (a range a filter consumes is work too). Nested loops and macros that call
  themselves run out of steps, not of memory.
- :data:`MAX_SECONDS` seconds, looked at every :data:`TICK` steps.
- :data:`MAX_TEXT` characters in any text the template makes (``'x' * n``, ``~``, ``| replace``, a
  macro's output) and in the document itself. The operations that multiply text are checked before
  they run, so ``'x' * 10**9`` never allocates its gigabyte.

The hot path pays nothing per printed value: a loop pays one call when it starts, a call one
subtraction. Jinja's own sandbox already refuses ``range`` over :data:`MAX_RANGE` numbers and every
``_`` name.

A template may not print a value that is not there either: ``{{ candidate.preferred_name }}`` for a
candidate without one would print ``None`` (``Dear None,``), and a list prints as ``()``. Printing (or
joining with ``~``) ``None``, a list or a group of values raises :class:`UnsetValue`, which
:mod:`hrdocs.render` turns into a message naming the value, the template and the line.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import TemplateRuntimeError, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import MAX_RANGE
from jinja2.utils import _PassArg

MAX_STEPS = 500_000
"""Loop rounds, calls and ``range`` numbers (when made, and again when walked) one document may take:
a built-in letter takes about 30, a comparison of every role in a large catalogue a few thousand."""
MAX_SECONDS = 10.0
"""Seconds one document's template may run: a letter takes about a millisecond."""
MAX_TEXT = 5_000_000
"""Characters in one text a template makes, and in one document: about 2,000 pages."""
MAX_POWER_BITS = 10_000
"""The largest number ``**`` may make, in bits (about 3,000 digits)."""
TICK = 1_000
"""Steps between two looks at the clock."""

__all__ = ["MAX_RANGE", "MAX_SECONDS", "MAX_STEPS", "MAX_TEXT", "Limited", "TemplateLimit", "UnsetValue"]


class TemplateLimit(TemplateRuntimeError):
    """A template went over its budget for one document; the message says which limit and why."""


class UnsetValue(TemplateRuntimeError):
    """A template printed ``None``, a list or a group of values: ``what`` says which."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def unset_kind(value: Any) -> str | None:
    """``empty``, ``list`` or ``group`` for a value that must not be printed; ``None`` for one that may."""
    if value is None:
        return "empty"
    if isinstance(value, tuple | list):
        return "list"
    if isinstance(value, Mapping):
        return "group"
    return None


def refuse(value: Any) -> None:
    """Raise :class:`UnsetValue` if ``value`` must not be printed (the finalizers' slow path)."""
    what = unset_kind(value)
    if what is not None:
        raise UnsetValue(what)


def _too_long(size: int, what: str, text: bool = True) -> TemplateLimit:
    made = f"a text of {size:,} characters" if text else f"a list of {size:,} items"
    return TemplateLimit(f"{what} would make {made}; a value a template makes may hold {MAX_TEXT:,}")


# ---------------------------------------------------------------------------------- the compiler
CHARGE = "_hrdocs_loop"
"""The filter every ``{% for %}`` walks its iterable through (added by :class:`Generator`)."""


class Generator(CodeGenerator):
    """Jinja's compiler, with two changes: a loop's iterable goes through the filter :data:`CHARGE`
    (:meth:`Limited.charge`), and ``a ~ b`` through ``environment.join_values`` (which refuses
    ``None`` and checks the length). Jinja allows no node types of its own, so the loop's filter is
    an ordinary one, added before the compiler collects the filters a template uses."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == CHARGE):
                loop.iter = nodes.Filter(loop.iter, CHARGE, [], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_values((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("), context.eval_ctx.autoescape)")


class LimitedTemplate(Template):
    """A template whose every render starts a new budget: one render is one document (or one part
    of a Word document)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        self.environment.begin()  # type: ignore[attr-defined]
        return super().render(*args, **kwargs)


# ---------------------------------------------------------------------------------- the budget
class Limited:
    """The budget, mixed into the sandboxed environment (:class:`hrdocs.environment.Sandbox`). Its
    count lives on the environment, which renders one document at a time (a session is used by one
    thread; a batch's workers are processes of their own)."""

    code_generator_class: type[CodeGenerator] = Generator
    template_class: type[Template] = LimitedTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    """Checked at run time (and so never folded while compiling): the operators that make big values."""

    filters: dict[str, Callable[..., Any]]
    globals: dict[str, Any]
    _left: int
    _spent: int
    _deadline: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.filters[CHARGE] = _charge
        for name, check in _FILTER_CHECKS.items():
            if name in self.filters:
                self.filters[name] = _guarded(self.filters[name], check)
        self.begin()

    def begin(self) -> None:
        """A new document: a full budget."""
        self._left, self._spent, self._deadline = TICK, 0, time.monotonic() + MAX_SECONDS

    def spend(self, steps: int) -> None:
        self._left -= steps
        if self._left < 0:
            self._tick()

    def _tick(self) -> None:
        self._spent += TICK - self._left
        self._left = TICK
        if self._spent > MAX_STEPS:
            raise TemplateLimit(
                f"the template took more than {MAX_STEPS:,} steps for one document (loop rounds and "
                "calls): a loop inside a loop over something long, or a macro that calls itself?"
            )
        if time.monotonic() > self._deadline:
            raise TemplateLimit(f"the template ran for more than {MAX_SECONDS:g} seconds for one document")

    def charge(self, iterable: Any) -> Any:
        """``{% for x in ITERABLE %}``: charge its length, or each item as it comes."""
        try:
            size = len(iterable)
        except TypeError:
            return self._counted(iterable)
        self.spend(size + 1)
        return iterable

    def _counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        self.spend(1)
        for item in iterable:
            self.spend(1)
            yield item

    def concat(self, parts: Iterable[str]) -> str:
        """The document (and a macro's or a ``{% set %}`` block's output), no longer than MAX_TEXT."""
        text = "".join(parts)
        if len(text) > MAX_TEXT:
            raise TemplateLimit(
                f"the output would be {len(text):,} characters long; one document may hold {MAX_TEXT:,}"
            )
        return text

    def join_values(self, items: tuple[Any, ...], markup: bool) -> str:
        """``a ~ b``: as Jinja joins them, refusing ``None`` and lists (``"Dear " ~ none``)."""
        for item in items:
            if type(item) is not str:
                refuse(item)
        text = markup_join(items) if markup else str_join(items)
        if len(text) > MAX_TEXT:
            raise _too_long(len(text), "`~`")
        return text

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``+``, ``**`` and ``%``, refused before they make a value over the limits."""
        sequences = str | tuple | list
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, sequences) and isinstance(times, int) and len(seq) * times > MAX_TEXT:
                    raise _too_long(len(seq) * times, "`*`", isinstance(seq, str))
        elif operator == "+" and isinstance(left, sequences) and isinstance(right, sequences):
            if len(left) + len(right) > MAX_TEXT:
                raise _too_long(len(left) + len(right), "`+`", isinstance(left, str))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
            bits = right * abs(left).bit_length()
            if bits > MAX_POWER_BITS:
                raise TemplateLimit(
                    f"`**` would make a number of about {bits:,} bits; a template may make {MAX_POWER_BITS:,}"
                )
        elif operator == "%" and isinstance(left, str):
            check_format(left, "`%`")
        return super().call_binop(context, operator, left, right)  # type: ignore[misc]

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)  # type: ignore[misc]
        if wrapped is not None:
            check_format(value.__self__, "`.format()`")
        return wrapped


@pass_context
def _charge(context: Context, iterable: Any) -> Any:
    return context.environment.charge(iterable)  # type: ignore[attr-defined]


@pass_context
def _range(context: Context, *args: int) -> range:
    """``range`` for templates: at most MAX_RANGE numbers, each charged as a step."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(
            f"range(…) of {len(numbers):,} numbers: a template may count to {MAX_RANGE:,} at a time"
        )
    context.environment.spend(len(numbers))  # type: ignore[attr-defined]
    return numbers


# ------------------------------------------------------------------------ what makes long texts
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[a-zA-Z%]")
_FIELD = re.compile(r"\{[^{}]*(\{)?[^{}]*\}")
_DIGITS = len(str(MAX_TEXT))


def _big(number: str) -> bool:
    return len(number) > _DIGITS or (number.isdigit() and int(number) > MAX_TEXT)


def check_format(fmt: str, what: str) -> None:
    """Refuse a format (``%`` or ``.format()``) whose widths would make a text over MAX_TEXT, or that
    takes its widths from its arguments (``%*d``, ``{:{}}``), before it runs."""
    if "%" in fmt:
        for match in _PERCENT.finditer(fmt):
            for part in match.groups():
                if part == "*" or (part and _big(part)):
                    raise TemplateLimit(f"{what}: a width or precision over {MAX_TEXT:,} (or given as *)")
    if "{" in fmt:
        for match in _FIELD.finditer(fmt):
            spec = match.group().partition(":")[2]
            if match.group(1) or any(_big(n) for n in re.findall(r"\d+", spec)):
                raise TemplateLimit(f"{what}: a width over {MAX_TEXT:,} (or taken from the arguments)")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _center(value: Any, width: int = 80) -> None:
    if isinstance(width, int) and width > MAX_TEXT:
        raise _too_long(width, "`center`")


def _indent(s: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    lines = str(s).count("\n") + 1
    pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    if lines * pad > MAX_TEXT:
        raise _too_long(lines * pad, "`indent`")


def _wordwrap(s: Any, width: int = 79, *args: Any, wrapstring: str | None = None, **kwargs: Any) -> None:
    if len(args) >= 2 and isinstance(args[1], str):
        wrapstring = args[1]
    if isinstance(wrapstring, str):
        breaks = _size(s) // max(width if isinstance(width, int) else 1, 1) + str(s).count("\n") + 1
        if _size(s) + breaks * len(wrapstring) > MAX_TEXT:
            raise _too_long(_size(s) + breaks * len(wrapstring), "`wordwrap`")


def _format(value: Any, *args: Any, **kwargs: Any) -> None:
    check_format(str(value), "`format`")


def _replace(s: Any, old: Any, new: Any, count: int | None = None) -> None:
    text, old, new = str(s), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    size = len(text) + found * (len(new) - len(old))
    if size > MAX_TEXT:
        raise _too_long(size, "`replace`")


def _join(value: Any, d: Any = "", attribute: Any = None) -> None:
    if isinstance(d, str) and hasattr(value, "__len__") and len(value) * len(d) > MAX_TEXT:
        raise _too_long(len(value) * len(d), "`join`")


def _slice(value: Any, slices: Any = 1, *args: Any, **kwargs: Any) -> None:
    if isinstance(slices, int) and slices > MAX_RANGE:
        raise TemplateLimit(f"`slice` into {slices:,} parts: a template may make {MAX_RANGE:,}")


def _tojson(value: Any, indent: Any = None) -> None:
    if (isinstance(indent, int) and indent > 64) or (isinstance(indent, str) and len(indent) > 64):
        raise TemplateLimit("`tojson`: an indent over 64")


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "slice": _slice,
    "tojson": _tojson,
}
"""Jinja's filters that can make a text (or a list) far longer than what they are given, each with
the check that runs before it."""


def _guarded(func: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """``func`` with ``check`` before it (on the filter's own arguments) and its result's length after."""
    skip = 0 if _PassArg.from_obj(func) is None else 1  # an eval context or environment comes first

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(*args[skip:], **kwargs)
        result = func(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_TEXT:
            raise _too_long(len(result), f"`{func.__name__.removeprefix('do_')}`")
        return result

    return guarded

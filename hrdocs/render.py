"""Render a text template with a context, turning every Jinja failure into a located error.

A missing value must stop generation with the template's file, line and the variable's name: a
letter that says "Dear ," (or "Dear None,") is worse than no letter. Jinja rewrites tracebacks so that
frames point at template lines; we read the innermost template frame from there. A message never
quotes the data: a name is printed as the template spells it, never a key or a value that came from
a candidate's data (``rates[candidate.id]`` failing must not print the id).
"""

from __future__ import annotations

import builtins
import re
import traceback
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound, TemplateRuntimeError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError

from hrdocs.environment import apply_terms_outside_values, template_name
from hrdocs.errors import TemplateError, UnknownName
from hrdocs.sandbox import TemplateLimit, UnsetValue, unset_kind


def load_template(env: Environment, kind: str) -> Template:
    try:
        return env.get_template(template_name(kind))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: syntax error: {exc.message}") from None
    except TemplateNotFound as exc:
        if exc.name != template_name(kind):  # an {% extends %} or {% include %} inside it is missing
            raise TemplateError(
                f"template {template_name(kind)}: includes a missing template `{exc.name}`"
            ) from None
        raise UnknownName("template", kind, available_kinds(env)) from None


def available_kinds(env: Environment) -> list[str]:
    names = env.list_templates(filter_func=lambda n: n.endswith(".md.j2"))
    return sorted({n.removesuffix(".md.j2") for n in names if not n.startswith("_")})


def render_text(
    template: Template, context: Mapping[str, Any], terms: Callable[[str], str] = lambda s: s
) -> str:
    """The template's Markdown output, with preferred terms applied to its own wording."""
    return apply_terms_outside_values(render_fenced(template, context), terms)


def render_fenced(template: Template, context: Mapping[str, Any]) -> str:
    """The template's Markdown output with every value still between its fences (see
    hrdocs.environment): a batch reads it so (hrdocs.masking)."""
    try:
        return template.render(context)
    except TemplateError:
        raise
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: syntax error: {exc.message}") from None
    except Exception as exc:  # every failure: a located message without values
        filename, line = _frame(exc, template)
        where = f"{filename}:{line}" if line else filename
        source = _read(filename)
        problem, hint = explain(exc, template.environment, source, line, context)
        raise TemplateError(f"{where}: {problem}", hint=hint) from None


LIMITS_HINT = 'docs/templates.md, "Limits on templates", says what a template may do for one document'


def explain(
    exc: BaseException, env: Environment, source: str, line: int | None, context: Mapping[str, Any]
) -> tuple[str, str | None]:
    """(problem, hint) for a template that failed at ``line`` of ``source``, for the text and the Word
    engine alike. Nothing from the data is quoted: a name is printed when the template spells it, and
    any other text of the error is scrubbed of the values in ``context``."""
    text = _line(source, line)
    if isinstance(exc, UnsetValue):
        return unset_problem(exc.what, printed_at(env, source, line, exc.what, context), context, env)
    if isinstance(exc, TemplateLimit):
        return str(exc), LIMITS_HINT
    if isinstance(exc, RecursionError):
        return "calls go too deep: a macro that calls itself without end?", LIMITS_HINT
    if isinstance(exc, MemoryError):
        return "the template ran out of memory", LIMITS_HINT
    if isinstance(exc, UndefinedError):
        return f"undefined variable: {undefined_name(exc.message or str(exc), text)}", None
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {scrub(str(exc), text, context)}", None
    if isinstance(exc, TemplateRuntimeError):  # ours (by_tone) and Jinja's own: no value in them
        return str(exc), None
    detail = "not a number" if isinstance(exc, InvalidOperation) else scrub(str(exc), text, context)
    kind = type(exc).__name__ + (f": {detail}" if detail not in ("", "'…'", '"…"') else "")
    called = _called(exc)
    if called:  # a filter or a function failed on a value: name it, keep the value out
        return f"`{called}` failed on a value ({kind})", f"check what the template gives `{called}`"
    return kind, None


def _called(exc: BaseException) -> str | None:
    """The filter or function the innermost template frame called, when the error came from it."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [i for i, f in enumerate(frames) if f.filename.endswith(".j2") or f.filename.startswith("<")]
    if not inner or inner[-1] + 1 >= len(frames):
        return None
    name = frames[inner[-1] + 1].name.removeprefix("do_").rstrip("_")
    return name if name.isidentifier() and not name.startswith("_") and name != "call" else None


def _frame(exc: BaseException, template: Template) -> tuple[str, int | None]:
    """The file and line of the innermost template frame in the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2") or frame.filename == template.filename:
            return frame.filename, frame.lineno
    return str(Path(template.filename or template.name or "<template>")), None


def _read(filename: str) -> str:
    try:
        return Path(filename).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def _line(source: str, line: int | None) -> str:
    lines = source.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


# ------------------------------------------------------------------------------ unset values
def spelled(node: nodes.Node) -> str | None:
    """An expression as the template writes it, when it is a name with attributes (``a.b['c']``)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = spelled(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = spelled(node.node)
        return f"{base}[{node.arg.value!r}]" if base and isinstance(node.arg.value, str | int) else None
    return None


def printed_at(
    env: Environment, source: str, line: int | None, what: str, context: Mapping[str, Any]
) -> list[str]:
    """The names printed (by ``{{ }}`` or joined by ``~``) on ``line`` of ``source``; of several, the
    ones that really are ``what`` (empty, a list, a group) in ``context``, where that can be told."""
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:
        return []
    found: list[str] = []
    for output in tree.find_all((nodes.Output, nodes.Concat)):
        for child in output.nodes:  # type: ignore[attr-defined]
            if child.lineno == line:
                found += [n for n in _subjects(child, env, context) if n not in found]
    if len(found) <= 1:
        return found
    unknown: list[str] = []
    for name in found:  # printed in this order: the first that is `what` is the one refused
        state = _is(env, name, what, context)
        if state:
            return [*unknown, name]
        if state is None:
            unknown.append(name)
    return unknown or found


def _subjects(node: nodes.Node, env: Environment, context: Mapping[str, Any]) -> list[str]:
    """The names a printed expression may print as they are: ``a``, the ``a`` of ``a | default(x)``
    (a filter may pass ``None`` on), the side of ``a or b`` and of ``a if t else b`` that is printed.
    ``a or b`` prints ``b`` when ``a`` is empty, so an empty ``a`` there is never the one to blame;
    where the left side or the test cannot be told (not a plain name), both sides are named."""
    name = spelled(node)
    if name:
        return [name]
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _subjects(node.node, env, context)
    if isinstance(node, nodes.CondExpr):
        yes = _subjects(node.expr1, env, context)
        no = _subjects(node.expr2, env, context) if node.expr2 is not None else []
        test = _truth(env, node.test, context)
        return yes if test is True else no if test is False else yes + no
    if isinstance(node, nodes.Or):
        left = _truth(env, node.left, context)
        if left is False:
            return _subjects(node.right, env, context)
        if left is True:
            return _subjects(node.left, env, context)
        return _subjects(node.left, env, context) + _subjects(node.right, env, context)
    return []


def _truth(env: Environment, node: nodes.Node, context: Mapping[str, Any]) -> bool | None:
    """Whether the plain name ``node`` is truthy in ``context``; ``None`` when that cannot be told
    (an expression, a loop variable, a name the context lacks)."""
    name = spelled(node)
    if name is None:
        return None
    try:
        return bool(env.compile_expression(name, undefined_to_none=False)(**context))
    except Exception:  # an undefined name, a strict lookup: not for this check to say
        return None


def _is(env: Environment, name: str, what: str, context: Mapping[str, Any]) -> bool | None:
    """Whether ``name`` is ``what`` in ``context`` (``None``: cannot be told, e.g. a loop variable)."""
    try:
        value = env.compile_expression(name, undefined_to_none=False)(**context)
    except Exception:  # whatever it is, it cannot be told from here
        return None
    return unset_kind(value) == what


def unset_problem(
    what: str, names: list[str], context: Mapping[str, Any], env: Environment
) -> tuple[str, str | None]:
    """The message for printing an empty value, a list or a group: the name and the fix."""
    name = " or ".join(f"`{n}`" for n in names) if names else "a value"
    first = names[0] if names else "VALUE"
    if what == "list":
        return (
            f'prints the list {name} as it stands (it would read "(…)")',
            f"loop over it ({{% for item in {first} %}}…{{% endfor %}}), or join it "
            f'({{{{ {first} | join(", ") }}}}); test it first if it may be empty ({{% if {first} %}})',
        )
    if what == "group":
        keys = ""
        if names and len(names) == 1 and _is(env, first, what, context):
            value = env.compile_expression(first, undefined_to_none=False)(**context)
            keys = ", ".join(f"`{first}.{k}`" for k in list(value or ())[:3])
        return (
            f"prints {name}, a group of values, not one",
            f"print one of its values{': ' + keys if keys else ''}",
        )
    return (
        f'prints {name}, which this document does not have (it would read "None")',
        f"print it only when it is there ({{% if {first} %}}…{{% endif %}}), or give it a fallback "
        f'({{{{ {first} | default("…", true) }}}})',
    )


# --------------------------------------------------------------------------- no values in errors
def undefined_name(message: str, line: str) -> str:
    """Jinja says ``'x' is undefined`` or ``'dict object' has no attribute 'k'``: name ``x``, or ``k``
    when the template spells it on that line; a key that came from the data (``rates[candidate.id]``)
    is never printed."""
    if top := re.fullmatch(r"'([^']+)' is undefined", message):
        return f"`{top.group(1)}`"
    attr = re.fullmatch(r"'.+' has no (attribute|element) '?(.+?)'?", message, re.S)
    if attr is None:
        return scrub(message, line, {})
    key = re.escape(attr.group(2))
    spelled_here = re.search(rf"([A-Za-z_]\w*(?:\.\w+)*?)(?:\.{key}\b|\[\s*['\"]?{key}['\"]?\s*\])", line)
    if spelled_here:
        return f"`{spelled_here.group(1)}.{attr.group(2)}`"
    return (
        "a lookup by a value from the data found nothing (`…[value]`; the value is not shown, as it may "
        "be personal data): test it first (`{% if value in table %}`)"
    )


_TYPE_NAMES = frozenset(
    {t.__name__ for t in vars(builtins).values() if isinstance(t, type)}
    | {"View", "Decimal", "decimal.Decimal", "Markup", "date", "datetime", "datetime.date", "Undefined"}
    | {"StrictUndefined", "LoopContext", "Namespace", "Macro", "Md", "ascii", "utf-8"}
)
_QUOTED = re.compile(r"(?<!\w)(['\"])(.*?)\1(?!\w)")


def scrub(message: str, line: str, context: Mapping[str, Any]) -> str:
    """``message`` without a quoted text the template does not spell (``invalid literal for int():
    'Jane'``) and without any value of ``context``: Python's own messages quote what they failed on."""

    def keep(match: re.Match[str]) -> str:
        inner = match.group(2)
        if inner in _TYPE_NAMES or inner.endswith(" object") or (inner and inner in line):
            return match.group(0)
        return f"{match.group(1)}…{match.group(1)}"

    out = _QUOTED.sub(keep, message)
    for value in sorted(_leaves(context), key=len, reverse=True):
        if value in out and value not in line:
            out = out.replace(value, "…")
    return out


def _leaves(value: Any, depth: int = 0) -> set[str]:
    """Every scalar value in ``value`` as text, three characters or more (the error path only)."""
    if depth > 12 or isinstance(value, bool):
        return set()
    if isinstance(value, Mapping):
        return set().union(*(_leaves(v, depth + 1) for v in value.values()))
    if isinstance(value, tuple | list):
        return set().union(*(_leaves(v, depth + 1) for v in value))
    if isinstance(value, str | int | float | Decimal | date):
        text = str(value)
        return {text} if len(text) >= 3 else set()
    return set()

"""Render a text template with a context, turning every Jinja failure into a located error.

A missing value must stop generation with the template's file, line and the variable's name: a
letter that says "Dear ," is worse than no letter. Jinja rewrites tracebacks so that frames point at
template lines; we read the innermost template frame from there.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from hrdocs.environment import apply_terms_outside_values, template_name
from hrdocs.errors import TemplateError, UnknownName


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
        raw = template.render(context)
    except TemplateError:
        raise
    except UndefinedError as exc:
        raise TemplateError(f"{_where(exc, template)}: undefined variable: {_undefined_name(exc)}") from None
    except SecurityError as exc:
        raise TemplateError(f"{_where(exc, template)}: not allowed in a template: {exc}") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: syntax error: {exc.message}") from None
    except Exception as exc:  # a filter or a test failed on a value; keep the place, drop the value
        raise TemplateError(f"{_where(exc, template)}: {type(exc).__name__}: {exc}") from None
    return raw


def _where(exc: BaseException, template: Template) -> str:
    """``path/to/template.md.j2:LINE`` of the innermost template frame in the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2") or frame.filename == template.filename:
            return f"{frame.filename}:{frame.lineno}"
    return str(Path(template.filename or template.name or "<template>"))


def _undefined_name(exc: UndefinedError) -> str:
    """Jinja says ``'dict object' has no attribute 'x'`` or ``'x' is undefined``; keep the name only."""
    message = str(exc)
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return f"`{match.group(1)}`" if match else message

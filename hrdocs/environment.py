"""The one Jinja environment factory: sandboxed, strict, workspace templates before built-in ones.

Templates produce Markdown, so every value a template prints is escaped for Markdown (``Tom & Jerry
<Ltd>`` or ``*Zoë*`` come out exactly as given) unless a filter marks its result as :class:`Md`. Values
are also fenced with private-use sentinels, so that the company's preferred terms are applied to the
template's own wording and never to a candidate's data (see :func:`apply_terms_outside_values`).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateRuntimeError, pass_context
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from hrdocs import formatting
from hrdocs.context import View
from hrdocs.errors import TemplateError
from hrdocs.language import prose_date
from hrdocs.models import PayRange, Settings
from hrdocs.sandbox import Limited, refuse
from hrdocs.workspace import Jail, OutsideWorkspace

VALUE_START = "\ue000"
VALUE_END = "\ue001"
TEMPLATE_SUFFIX = ".md.j2"


class Md(str):
    """Text that is already Markdown and must not be escaped (the result of a formatting filter)."""

    __slots__ = ()


class WritesMarkdown:
    """A value that is more than text (rich text, hrdocs.word.rich): it gives its own Markdown, its
    words escaped and fenced as values are, only when a text template prints it."""

    __slots__ = ()

    def markdown(self) -> str:
        raise NotImplementedError


_ALWAYS = re.compile(r"([\\`*_\[\]<>#|~!{}&])")
_LINE_START = re.compile(r"^(\s*)([-+=:]|\d+[.)])", re.MULTILINE)  # `:` opens a ::: container


@lru_cache(maxsize=2048)
def escape_md(text: str) -> str:
    """Escape what CommonMark would read as markup; newlines become hard line breaks.

    Remembered: a batch of letters prints the same company, role and dates again and again.
    """
    text = text.replace(VALUE_START, "").replace(VALUE_END, "")
    text = _ALWAYS.sub(r"\\\1", text)
    text = _LINE_START.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2)
            if m.group(2)[0] in "-+=:"
            else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1]
        ),
        text,
    )
    text = re.sub(r"\r\n?|\n", "\\\\\n", text.strip("\n"))
    return text


@lru_cache(maxsize=2048)
def _fenced(text: str) -> str:
    return VALUE_START + escape_md(text) + VALUE_END


def _finalize(value: Any) -> str:
    if type(value) is str:  # most values: first, and by the cheapest test (an Md is not a plain str)
        return _fenced(value)
    if isinstance(value, Md):
        return str(value)
    if isinstance(value, WritesMarkdown):
        return value.markdown()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | Decimal | int | float):
        return escape_md(str(value))
    refuse(value)  # None, a list, a group of values: never "Dear None," (hrdocs.render names it)
    return VALUE_START + escape_md(str(value)) + VALUE_END


_FENCED = re.compile(f"({VALUE_START}.*?{VALUE_END})", re.DOTALL)


def apply_terms_outside_values(text: str, terms: Callable[[str], str]) -> str:
    """Apply preferred terms to the template's wording only; drop the value fences."""
    parts = _FENCED.split(text)
    return "".join(part[1:-1] if part.startswith(VALUE_START) else terms(part) for part in parts)


class Sandbox(Limited, SandboxedEnvironment):
    """The sandbox, with a budget per document (:mod:`hrdocs.sandbox`) and a short way through
    :class:`~hrdocs.context.View`: a view holds plain data only (see hrdocs.context), so its keys need
    none of the checks an arbitrary object's attributes do. A letter looks up about eighty of them;
    the checks cost a tenth of a batch's time."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is View:
            data = obj._data
            if attribute in data:
                return data[attribute]
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """``by_tone(...)``, called a dozen times in a letter, straight to itself: it is ours and safe,
        and reads only ``voice`` (the usual way, through a derived context, if a loop or block sets
        ``voice`` itself). Every call is a step of the budget."""
        __self._left -= 1
        if __self._left < 0:
            __self._tick()
        if __obj is _by_tone:
            scoped = kwargs.get("_loop_vars"), kwargs.get("_block_vars")
            if not any(s and "voice" in s for s in scoped):
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                return _by_tone(__context, *args, **kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is View and type(argument) is str:
            data = obj._data
            if argument in data:
                return data[argument]
        return super().getitem(obj, argument)


class JailedLoader(FileSystemLoader):
    """Jinja's file loader (which already refuses ``..`` and absolute names), refusing also a template
    whose real path leads out of the workspace and the built-ins (a symbolic link in ``templates/``):
    see :class:`hrdocs.workspace.Jail`. The file read is the one checked, by its real path."""

    def __init__(self, template_dirs: list[Path], jail: Jail) -> None:
        super().__init__([str(d) for d in template_dirs])
        self.jail = jail

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            return super().get_source(environment, template)  # Jinja's own "not found"
        try:
            real = self.jail.check(Path(filename))
        except OutsideWorkspace as exc:
            raise TemplateError(exc.message, hint=exc.hint) from exc  # templates check reads the cause
        with open(real, encoding=self.encoding) as handle:
            contents = handle.read()
        mtime = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


def make_environment(
    template_dirs: list[Path], settings: Settings, jail: Jail | None = None
) -> SandboxedEnvironment:
    """Build the environment once per run; the compiled templates are cached on it. ``jail``: where
    template files may really lie (by default the folders holding ``template_dirs``: the workspace
    and the built-ins)."""
    env = Sandbox(
        loader=JailedLoader(template_dirs, jail or Jail(tuple(d.parent for d in template_dirs))),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(filters(settings))
    env.globals["by_tone"] = _by_tone
    return env


def filters(settings: Settings) -> dict[str, Callable[..., Any]]:
    """Every filter a template may use, in one place (documented in docs/templates.md)."""
    voice = settings.voice

    def locale(context: Context) -> str:
        """The document's language's locale (hrdocs.kinds.localized), else the company's."""
        language = context.get("language")
        return language["locale"] if isinstance(language, View) else voice.locale

    @pass_context
    def money(context: Context, amount: Any, currency: str | None = None, cents: bool = True) -> str:
        value = Decimal(str(amount))
        return formatting.money(value, currency or voice.currency, locale(context), cents=cents)

    @pass_context
    def date_(context: Context, value: date, style: str | None = None) -> str:
        where = locale(context)
        return prose_date(formatting.long_date(value, where, style or voice.date_format), value.day, where)

    def pay_range(value: PayRange) -> str:
        return formatting.pay_range_text(value, voice)

    def join_and(items: Any, word: str = "and") -> str:
        items = [str(i) for i in items]
        if len(items) <= 2:
            return f" {word} ".join(items)
        return ", ".join(items[:-1]) + f", {word} " + items[-1]

    return {
        "money": money,
        "date": date_,
        "pay_range": pay_range,
        "join_and": join_and,
        "terms": formatting.Terms(voice.preferred_terms),
    }  # and the rich-text filters (bold, color, link, markdown…), which build on this module:
    # hrdocs.word.rich, added by the session with the Word values (image, subdoc)


@pass_context
def _by_tone(context: Context, **phrasings: str) -> str:
    """``{{ by_tone(formal="Dear", warm="Hi", plain="Hello") }}``: the phrasing for the company's tone."""
    tone = str(context.resolve("voice").tone)
    if tone in phrasings:
        return Md(phrasings[tone])
    if "default" in phrasings:
        return Md(phrasings["default"])
    raise TemplateRuntimeError(f"by_tone() has no phrasing for tone {tone!r}")


def template_name(kind: str) -> str:
    return kind + TEMPLATE_SUFFIX

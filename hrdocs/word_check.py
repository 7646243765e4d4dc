"""``templates check`` for a Word template: every problem with the place a person finds in Word.

The template is compiled (a bad tag is a located error, with an unknown filter or test read past so
that the rest is checked too), its wording is read against the company voice, and its tags alone —
one line per paragraph, docxtpl's forms turned into what they mean (``{{r x }}`` is ``{{ x }}``,
``{% cellbg c %}`` prints ``c``) — are walked against the data its kind really gets
(:class:`hrdocs.template_walk._Walker`). On top, what only docxtpl's forms can get wrong:

- text typed beside a ``{%p %}``, ``{%tr %}``, ``{%tc %}`` or ``{{p }}`` tag is removed with the
  paragraph, row or cell (docxtpl's meaning): a warning, so no word goes unnoticed;
- ``{% vm %}`` outside a loop over rows, ``{% hm %}`` outside a loop over cells: nothing to merge
  with, and ``loop`` is undefined when the letter is made: an error;
- ``image('logo.png')``: a picture the template names itself is read and checked here, while one
  named by the data (``image(signature_file)``) is not, its sample being no file
  (:func:`checking_images`, around the render with sample data).

It sits beside :mod:`hrdocs.template_check` (same floor): the Word engine (:mod:`hrdocs.word`) is a
floor below and knows nothing of checks.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from hrdocs import ats_tokens
from hrdocs.template_guards import Guards
from hrdocs.template_walk import ERROR, WARNING, Finding, _avoid_finding, _avoided, _syntax, _Walker, display
from hrdocs.templates import TemplateFile
from hrdocs.word.images import Images, check_literal

if TYPE_CHECKING:
    from hrdocs.docx_template import DocxTemplate
    from hrdocs.session import Session
    from hrdocs.shapes import Shape

_SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_LEVEL = re.compile(r"^\{([%#{])(-?)(tr|tc|p|r)(?=\s)")
_CELL = re.compile(r"^\{%-?\s*(vm|hm|colspan|cellbg)(?![\w.(])\s*(.*?)\s*-?%\}$", re.S)
_LITERAL = re.compile(r"\{_[{%]|[}%]_\}")
_MERGE_NAME = "hrdocs_cell_merge_"
"""What ``{% vm %}``/``{% hm %}`` stand for in the skeleton, to find the loop around them."""
_REPLACES = {"tr": "table row", "tc": "table cell", "p": "paragraph"}


def _where(place: str, text: str) -> str:
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    return f'{place} ("{shown}")' if shown else place


def _skeleton_tag(tag: str) -> str:
    """One tag as plain Jinja with docxtpl's meaning, for the walker."""
    tag = tag.translate(_SMART)
    if cell := _CELL.match(tag):
        name, arg = cell.group(1), cell.group(2)
        shown = arg if name in ("colspan", "cellbg") and arg else f"{_MERGE_NAME}{name}"
        return f"{{{{ {shown} }}}}"
    return _LEVEL.sub(r"{\1\2", tag)


def _skeletons(template: DocxTemplate) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Per part (body, header 1, …): the tags alone, one line per paragraph, and each line's place."""
    parts: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
    for place, text in template.text_fragments():
        tags = [_skeleton_tag(t) for t in _TAG.findall(_LITERAL.sub(" ", text))]
        lines, places = parts.setdefault(place.split(",")[0], ([], []))
        lines.append("".join(tags))
        places.append((place, text))
    return {part: ("\n".join(lines), places) for part, (lines, places) in parts.items()}


def _stub(env: Environment, kind: str, name: str) -> Environment:
    """An overlay of ``env`` with a do-nothing filter or test called ``name``."""
    overlay = env.overlay()
    if kind == "filter":
        overlay.filters = {**env.filters, name: lambda value, *args, **kwargs: value}
    else:
        overlay.tests = {**env.tests, name: lambda value, *args, **kwargs: False}
    return overlay


def _merges_outside_loops(node: nodes.Node, loops: int = 0) -> list[tuple[str, int]]:
    """``(vm|hm, line)`` of each merge tag with no ``for`` around it."""
    found: list[tuple[str, int]] = []
    if isinstance(node, nodes.Name) and node.name.startswith(_MERGE_NAME) and not loops:
        found.append((node.name.removeprefix(_MERGE_NAME), node.lineno))
    inner = loops + isinstance(node, nodes.For)
    for child in node.iter_child_nodes():
        if isinstance(node, nodes.For) and child is node.iter:
            found.extend(_merges_outside_loops(child, loops))
        else:
            found.extend(_merges_outside_loops(child, inner))
    return found


checking_images = Images.checking
"""Around ``templates check``'s render with sample data: a picture named by the data stands in as a
blank one (:meth:`hrdocs.word.images.Images.checking`)."""


def _literal_images(env: Environment, tree: nodes.Template) -> list[tuple[int, str]]:
    """``(line, problem)`` for each ``image('a file', …)`` whose file, named in the template, is not a
    usable picture (sizes are checked too when written as literals)."""
    found = []
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "image" and call.args):
            continue
        first = call.args[0]
        if not (isinstance(first, nodes.Const) and isinstance(first.value, str)):
            continue
        given = dict(zip(("width", "height"), call.args[1:3], strict=False))
        given.update({kw.key: kw.value for kw in call.kwargs if kw.key in ("width", "height")})
        sizes = {k: v.value for k, v in given.items() if isinstance(v, nodes.Const)}
        problem = check_literal(env.globals.get("image"), first.value, **sizes)
        if problem is not None:
            found.append((call.lineno, problem))
    return found


def _beside(text: str) -> str | None:
    """The level tag of a paragraph whose other text would be removed with it."""
    tags = _TAG.findall(text)
    level = next((t for t in tags if (m := _LEVEL.match(t.translate(_SMART))) and m.group(3) != "r"), None)
    if level is None or not _TAG.sub("", _LITERAL.sub("x", text)).strip():
        return None
    return level


def check_word(
    session: Session,
    item: TemplateFile,
    shape: Shape | None,
    findings: list[Finding],
    optional: Shape | None = None,
    noun: str = "documents",
) -> tuple[DocxTemplate | None, set[str]]:
    """Check one Word template; returns it compiled (``None`` if it does not compile) and the
    names it uses."""
    from hrdocs.docx_template import DocxTemplate, DocxTemplateError

    name = display(item.path)
    env: Environment = session.env
    stubbed = 0
    while True:
        try:
            template = DocxTemplate.compile(item.path, env, ats_tokens.for_workspace(session.workspace))
            break
        except DocxTemplateError as exc:
            unknown = re.match(r"syntax error in a tag: No (filter|test) named '([^']+)'", exc.problem)
            if unknown and stubbed < 50:  # the walker below reports it, with the others; read on
                env, stubbed = _stub(env, unknown.group(1), unknown.group(2)), stubbed + 1
                continue
            problem, hint = exc.problem, exc.hint
            m = re.match(r"syntax error in a tag: (.*)", problem)
            if m and unknown:
                problem, hint = _syntax(m.group(1), session.env)
            findings.append(Finding(ERROR, f"{name}: {exc.where}" if exc.where else name, problem, hint))
            return None, set()
    voice = session.config.settings.voice
    order = {place: k for k, (place, _) in enumerate(template.text_fragments(), 1)}
    for place, text in template.text_fragments():
        where = f"{name}: {_where(place, text)}"
        for word in _avoided(_COMMENT.sub(" ", text), voice.avoid):
            findings.append(_avoid_finding(where, word, name, order[place]))
        plain = _TAG.sub(" ", text)
        for word, better in voice.preferred_terms.items():
            if _avoided(plain, [word]):
                message = f"uses `{word}`; the company voice prefers `{better}`"
                hint = "a Word template's wording is printed as written"
                findings.append(Finding(WARNING, where, message, hint, name, order[place]))
        if level := _beside(text):
            kind = _REPLACES[_LEVEL.match(level.translate(_SMART)).group(3)]  # type: ignore[union-attr]
            message = f"the text beside `{level}` is removed with its {kind} (docxtpl's meaning)"
            hint = f"put the tag in a {kind} of its own"
            findings.append(Finding(WARNING, where, message, hint, name, order[place]))
    used: set[str] = set()
    for source, places in _skeletons(template).values():

        def report(
            line: int | None, message: str, hint: str | None, places: Any = places, level: str = ERROR
        ) -> None:
            place, text = places[(line or 1) - 1] if line and line <= len(places) else places[0]
            where = f"{name}: {_where(place, text)}"
            findings.append(Finding(level, where, message, hint, name, order[place]))

        walker = _Walker(session.env, shape, report)
        walker.scopes[0].update({f"{_MERGE_NAME}vm": None, f"{_MERGE_NAME}hm": None})
        try:
            tree = session.env.parse(source)
        except TemplateSyntaxError:
            continue  # compile() passed; the tags alone may not parse (e.g. raw blocks): skip
        walker.visit(tree)
        for line, problem in _literal_images(session.env, tree):
            report(line, problem, "put the picture in the workspace (a PNG or JPEG), or fix its name")
        for merge, line in _merges_outside_loops(tree):
            loop = "{%tr for … %} row" if merge == "vm" else "{%tc for … %} cell"
            report(line, f"`{{% {merge} %}}` is not inside a loop, so there is nothing to merge with",
                   f"put it in the cell of a {loop}")  # fmt: skip
        if optional is not None:
            Guards(optional, functools.partial(report, level=WARNING), noun=noun).run(tree)
        used |= walker.used
    return template, used

"""A Word template compiled once and rendered many times (``hrdocs.docx_template`` is its entry).

We do not use docxtpl: it recompiles the template for every document and parses with lxml's
*recover* mode, which silently drops bad XML. Here a template is parsed, preprocessed
(:mod:`hrdocs.word.preprocess`) and compiled once; rendering runs the compiled Jinja code per part,
checks that the result is well-formed XML and zips it with the untouched members, which are
deflated once. Only a part that needs it is settled afterwards (a ``\\a`` or ``\\f`` in a value, a
fragment in plain text, a table whose columns a loop changed).

Errors point at what a person can find in Word — the part and the paragraph text — never at a line
of the hidden XML: every paragraph starts a new line of the Jinja source (via an empty ``{#\\n#}``
comment), so a Jinja line number maps back to a paragraph.
"""

from __future__ import annotations

import bisect
import difflib
import re
import traceback
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SecurityError
from lxml import etree

from hrdocs import ats_tokens
from hrdocs.limits import PackageRefused, open_package, read_member
from hrdocs.render import explain, scrub, undefined_name
from hrdocs.word import cells, properties, values
from hrdocs.word.fragment import CURRENT_SINK
from hrdocs.word.place import SMART, DocxTemplateError, Where, part_label
from hrdocs.word.preprocess import Preprocessor
from hrdocs.workspace import package_links_out
from hrdocs.writers.zipfast import Member, build_zip, deflate

RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TEMPLATE_CT = b"wordprocessingml.template.main+xml"  # a .dotx renders to a .docx
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_LINKED_HINT = "embed it instead: in Word, File > Info > Edit Links to Files > Break Link, then save"
"""A picture or object linked rather than embedded is fetched from the machine making the PDF."""
_LOOP_HINT = ("{% vm %}, {% hm %} and loop.… work only inside a loop: a {%tr for … %} row "
              "(vm) or a {%tc for … %} cell (hm)")  # fmt: skip


def xml_environment(env: jinja2.Environment) -> jinja2.Environment:
    """An overlay that keeps the caller's filters, globals, sandbox and undefined policy but uses
    our delimiters, escaping and whitespace rules (the caller's are tuned for Markdown text)."""
    overlay = env.overlay(
        autoescape=True, finalize=values.xml_text, block_start_string="{%", block_end_string="%}",
        variable_start_string="{{", variable_end_string="}}", comment_start_string="{#",
        comment_end_string="#}", line_statement_prefix=None, line_comment_prefix=None,
        trim_blocks=False, lstrip_blocks=False, newline_sequence="\n", keep_trailing_newline=True,
    )  # fmt: skip
    overlay.filters = {**env.filters, **values.FILTERS}
    return overlay


@dataclass(frozen=True)
class _Part:
    """One compiled XML part and the map from its Jinja lines back to Word paragraphs."""

    name: str
    label: str
    source: str
    template: jinja2.Template
    filename: str
    starts: list[int]
    wheres: list[Where]
    grid: bool = False
    """Whether a loop may change the number of columns of a table (its grid is fixed after)."""

    def where(self, lineno: int | None) -> Where | None:
        return _where_at(self.starts, self.wheres, lineno)

    def place(self, lineno: int | None) -> str:
        where = self.where(lineno)
        return str(where) if where else self.label


def _where_at(starts: list[int], wheres: list[Where], lineno: int | None) -> Where | None:
    index = bisect.bisect_right(starts, lineno or 0) - 1
    return wheres[index] if index >= 0 else None


class DocxTemplate:
    """A .docx template compiled once and rendered many times."""

    def __init__(self, name: str, env: jinja2.Environment, members: list[Member | _Part],
                 fragments: list[tuple[str, str]]) -> None:  # fmt: skip
        self.name = name
        self._env = env
        self._members = members
        self._fragments = fragments
        self._variables: set[str] | None = None

    @classmethod
    def compile(
        cls, path: Path, env: jinja2.Environment, tokens: ats_tokens.Tables | None = None
    ) -> DocxTemplate:
        """Parse, preprocess and compile every text part; raise with the place of any bad tag.
        ``tokens``: the ATS token tables to read (:func:`hrdocs.ats_tokens.for_workspace`)."""
        name = Path(path).name
        try:  # refused from its directory before anything is unpacked (hrdocs.limits)
            archive = open_package(Path(path), name)
        except OSError as exc:
            raise DocxTemplateError(name, "", f"cannot read the file: {exc.strerror}") from exc
        except zipfile.BadZipFile as exc:
            raise DocxTemplateError(name, "", "not a Word .docx file (not a zip archive)") from exc
        except PackageRefused as exc:
            raise DocxTemplateError(name, "", exc.problem, hint=exc.hint) from None
        if "word/document.xml" not in archive.namelist():
            raise DocxTemplateError(name, "", "not a Word .docx file (no word/document.xml)")
        xml_env = xml_environment(env)
        prop_env = xml_env.overlay(finalize=properties.property_text)
        members: list[Member | _Part] = []
        fragments: list[tuple[str, str]] = []
        with archive:
            for info in archive.infolist():
                data = _read_member(archive, info, name)
                for part, target in package_links_out([(info.filename, data)]):  # hrdocs.workspace
                    raise DocxTemplateError(name, part, f"links to a file outside the document: {target}",
                                            hint=_LINKED_HINT)  # fmt: skip
                compiled = None
                if RENDERED.fullmatch(info.filename):
                    compiled = _compile_part(name, info.filename, data, xml_env, fragments, tokens)
                elif info.filename in properties.PARTS and (b"{{" in data or b"{%" in data):
                    compiled = _compile_properties(name, info.filename, data, prop_env, fragments)
                if compiled is not None:
                    members.append(compiled)
                    continue
                if info.filename == "[Content_Types].xml":
                    data = data.replace(_TEMPLATE_CT, b"wordprocessingml.document.main+xml")
                members.append(deflate(info.filename, data))
        return cls(name, xml_env, members, fragments)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """Render every text part with ``context`` and return the bytes of a new .docx."""
        from hrdocs.word.sink import PackageSink

        values_ = dict(context)
        out: list[Member] = []
        sink = PackageSink()
        state = values.Render()
        token, state_token = CURRENT_SINK.set(sink), values.RENDER.set(state)
        try:
            for member in self._members:
                if isinstance(member, Member):
                    out.append(member)
                    continue
                sink.part = member.name
                state.marked = False
                data = self._render_part(member, values_).encode("utf-8")
                try:
                    root = etree.fromstring(data, _PARSER)
                except etree.XMLSyntaxError as exc:
                    raise DocxTemplateError(
                        self.name, f"{member.label} ({member.name})",
                        f"the rendered XML is not well-formed: {exc}",
                        hint="a plain {% %} block probably starts and ends in different paragraphs, "
                        "cells or rows; use the {%p %}, {%tr %} or {%tc %} forms",
                    ) from exc  # fmt: skip
                changed = False
                if state.marked:
                    values.settle(root, state)
                    changed = True
                if member.grid:
                    changed |= cells.fix_grid(root)
                if changed:
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                out.append(deflate(member.name, data))
            out = sink.finish(out)
        finally:
            CURRENT_SINK.reset(token)
            values.RENDER.reset(state_token)
        return build_zip(out)

    def _render_part(self, part: _Part, values_: dict[str, Any]) -> str:
        try:
            return part.template.render(values_)
        except Exception as exc:
            lineno = None
            for frame in traceback.extract_tb(exc.__traceback__):
                if frame.filename == part.filename:
                    lineno = frame.lineno
            where = part.where(lineno)
            text = where.text.translate(SMART) if where else ""
            if isinstance(exc, DocxTemplateError):
                raise
            if isinstance(exc, SecurityError):
                problem, hint = f"blocked by the template sandbox: {scrub(str(exc), text, values_)}", None
            elif isinstance(exc, jinja2.UndefinedError):
                problem, hint = self._undefined(str(exc.message), where, values_)
            else:
                problem, hint = explain(exc, self._env, part.source, lineno, values_)
            raise DocxTemplateError(self.name, part.place(lineno), problem, hint=hint) from None

    def _undefined(
        self, message: str, where: Where | None, values_: dict[str, Any]
    ) -> tuple[str, str | None]:
        """Name the missing variable as the template spells it, with close matches as a hint."""
        if top := re.fullmatch(r"'(.+)' is undefined", message):
            if top.group(1) == "loop":
                return "undefined variable 'loop'", _LOOP_HINT
            return f"undefined variable {top.group(1)!r}", _close(top.group(1), values_)
        attr = re.fullmatch(r"'.+' has no (?:attribute|element) '(.+)'", message)
        text = where.text.translate(SMART) if where else ""
        if attr is None:
            return f"undefined value: {undefined_name(message, text)}", None
        name = re.escape(attr.group(1))
        path = re.search(rf"([A-Za-z_]\w*(?:\.\w+)*?)(?:\.{name}\b|\[\s*['\"]{name}['\"]\s*\])", text)
        if path is None:  # a key from the data (``rates[candidate.id]``): never printed
            return f"undefined value: {undefined_name(message, text)}", None
        parent = path.group(1)
        try:
            owner = self._env.compile_expression(parent, undefined_to_none=False)(**values_)
            known = list(owner) if isinstance(owner, Mapping) else dir(owner)
        except Exception:
            known = []
        names = {k: None for k in known if isinstance(k, str) and not k.startswith("_")}
        return f"undefined variable '{parent}.{attr.group(1)}'", _close(attr.group(1), names)

    def variables(self) -> set[str]:
        """Top-level names the template needs from the context (loop variables excluded)."""
        if self._variables is None:
            found: set[str] = set()
            for member in self._members:
                if isinstance(member, _Part):
                    found |= jinja2.meta.find_undeclared_variables(self._env.parse(member.source))
            self._variables = found
        return set(self._variables)

    def text_fragments(self) -> list[tuple[str, str]]:
        """(place, visible text including tags) per non-empty paragraph or property, for linters."""
        return list(self._fragments)


def _compile_part(name: str, member: str, data: bytes, env: jinja2.Environment,
                  fragments: list[tuple[str, str]], tokens: ats_tokens.Tables | None) -> _Part:  # fmt: skip
    label = part_label(member)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError(name, f"{label} ({member})", f"the XML is not well-formed: {exc}") from exc

    def fail(at: str, why: str, hint: str | None) -> DocxTemplateError:
        return DocxTemplateError(name, f"{label}, {at}", why, hint=hint)

    ats_tokens.rewrite(root, fail, tokens)  # ATS tokens become hrdocs tags (hrdocs.ats_tokens)
    prep = Preprocessor(name, label, root)
    source, starts, wheres = prep.run()
    fragments.extend(prep.fragments)
    return _jinja_part(name, member, label, source, starts, wheres, env, prep.grid)


def _compile_properties(name: str, member: str, data: bytes, env: jinja2.Environment,
                        fragments: list[tuple[str, str]]) -> _Part | None:  # fmt: skip
    label = properties.PARTS[member]
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError(name, f"{label} ({member})", f"the XML is not well-formed: {exc}") from exc
    found = properties.source(label, root)
    if found is None:
        return None
    source, starts, wheres, texts = found
    fragments.extend(texts)
    return _jinja_part(name, member, label, source, starts, wheres, env, False)


def _jinja_part(name: str, member: str, label: str, source: str, starts: list[int], wheres: list[Where],
                env: jinja2.Environment, grid: bool) -> _Part:  # fmt: skip
    filename = f"<{name}:{member}>"
    try:
        code = env.compile(source, f"{name}:{member}", filename)
    except jinja2.TemplateSyntaxError as exc:
        problem, lineno = f"syntax error in a tag: {exc.message}", exc.lineno
        opened = _unclosed_block(source) if (exc.message or "").startswith("Unexpected end") else None
        if opened:
            word = opened[0]
            problem = f"'{{% {word} %}}' is never closed (no '{{% end{word} %}}')"
            lineno = opened[1]
        where = _where_at(starts, wheres, lineno)
        raise DocxTemplateError(name, str(where) if where else label, problem) from exc
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return _Part(member, label, source, template, filename, starts, wheres, grid)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A part unpacked no further than its directory entry says (a lying directory is refused)."""
    try:
        return read_member(archive, info, name)
    except PackageRefused as exc:
        raise DocxTemplateError(name, "", exc.problem, hint=exc.hint) from None


_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)(.*?)%\}", re.S)
_OPENS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "trans"}


def _unclosed_block(source: str) -> tuple[str, int] | None:
    """The innermost block left open, and its line: Jinja only reports the end of the part."""
    stack: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(source):
        word, rest = match.group(1), match.group(2)
        if word in _OPENS or (word == "set" and "=" not in rest):
            stack.append((word, source.count("\n", 0, match.start()) + 1))
        elif word.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _close(name: str, known: Mapping[str, Any]) -> str | None:
    close = difflib.get_close_matches(name, [str(k) for k in known], n=3, cutoff=0.6)
    return f"did you mean {', '.join(repr(c) for c in close)}?" if close else None

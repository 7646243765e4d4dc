"""Render Word-authored ``.docx`` templates with Jinja, using docxtpl-compatible tags.

Recruiters type ``{{ candidate.first_name }}``, ``{% if bonus %}``, ``{%p if … %}`` or
``{%tr for … %}`` straight into Word. We do not use docxtpl: it recompiles the template for every
document and parses with lxml's *recover* mode, which silently drops bad XML. Here a template is
parsed, preprocessed and compiled once; rendering only runs the compiled Jinja code per part, checks
that the result is well-formed XML and zips it with the untouched members, which are deflated once.

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
from markupsafe import Markup, escape

from hrdocs import ats_tokens
from hrdocs.errors import TemplateError
from hrdocs.limits import PackageRefused, open_package, read_member
from hrdocs.render import explain, scrub, undefined_name
from hrdocs.sandbox import refuse
from hrdocs.workspace import package_links_out
from hrdocs.writers.zipfast import Member, build_zip, deflate

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_R, W_T, W_TR, W_TC, W_TBL = (f"{_W}{t}" for t in ("p", "r", "t", "tr", "tc", "tbl"))
W_TAB, W_BR, W_CR = f"{_W}tab", f"{_W}br", f"{_W}cr"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENER = re.compile(r"\{[{%#]")
_LEVEL = re.compile(r"\{([%#])(-?)(tr|tc|p|r)(?=\s)")
_LEVEL_ELEMENT = {"tr": W_TR, "tc": W_TC, "p": W_P, "r": W_R}
_LEVEL_NOUN = {"tr": "table row", "tc": "table cell", "p": "paragraph", "r": "run"}
_SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_SMART.update({0xA0: " ", 0x202F: " "})  # Word's non-breaking spaces are not Jinja whitespace
# Private-use placeholders stand in for Jinja source while the XML is still a tree, so that a tag's
# ``<``, ``>`` and ``&`` are not escaped by serialisation: T = a tag, L = a paragraph line start.
_MARKER = re.compile("\ue000([TL])(\\d+)\ue001")
_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TABSTOP = '</w:t><w:tab/><w:t xml:space="preserve">'
_TEMPLATE_CT = b"wordprocessingml.template.main+xml"  # a .dotx renders to a .docx


_LINKED_HINT = "embed it instead: in Word, File > Info > Edit Links to Files > Break Link, then save"
"""A picture or object linked rather than embedded is fetched from the machine making the PDF."""


class DocxTemplateError(TemplateError):
    """A .docx template cannot be compiled or rendered, located by part and paragraph text."""

    def __init__(self, template: str, where: str, problem: str, *, hint: str | None = None):
        self.template, self.where, self.problem = template, where, problem
        super().__init__(f"{template}: {where}: {problem}" if where else f"{template}: {problem}", hint=hint)


def _xml_text(value: Any) -> Markup:
    """Finalize hook: every ``{{ }}`` value becomes text that is safe inside a ``w:t``.

    Returning ``Markup`` (with autoescape on) keeps macro output from being escaped twice. Newlines
    and tabs become Word breaks and tab stops; characters XML 1.0 forbids are dropped, since one of
    them would make the whole part unreadable.
    """
    if type(value) is str:
        text = escape(value)
    elif isinstance(value, Markup):
        return value
    else:
        refuse(value)  # None, a list, a group of values: never "Dear None," (named by _render_part)
        text = escape(str(value))  # StrictUndefined raises here
    if _SPECIAL.search(text) is None:
        return text
    plain = _ILLEGAL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return Markup(plain.replace("\n", _BREAK).replace("\t", _TABSTOP))


def _xml_environment(env: jinja2.Environment) -> jinja2.Environment:
    """An overlay that keeps the caller's filters, globals, sandbox and undefined policy but uses
    our delimiters, escaping and whitespace rules (the caller's are tuned for Markdown text)."""
    return env.overlay(
        autoescape=True, finalize=_xml_text, block_start_string="{%", block_end_string="%}",
        variable_start_string="{{", variable_end_string="}}", comment_start_string="{#",
        comment_end_string="#}", line_statement_prefix=None, line_comment_prefix=None,
        trim_blocks=False, lstrip_blocks=False, newline_sequence="\n", keep_trailing_newline=True,
    )  # fmt: skip


@dataclass(frozen=True)
class _Where:
    """A place a person can find in Word: part, position and the paragraph's visible text."""

    part: str
    position: str
    text: str

    @property
    def place(self) -> str:
        return f"{self.part}, {self.position}"

    def __str__(self) -> str:
        shown = " ".join(self.text.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        return f'{self.place} ("{shown}")' if shown else self.place


def _part_label(name: str) -> str:
    stem = name.removeprefix("word/").removesuffix(".xml")
    if stem == "document":
        return "body"
    kind, number = stem.rstrip("0123456789"), stem[len(stem.rstrip("0123456789")) :]
    return f"{kind} {number}" if number else kind


def _own(p: etree._Element, tags: tuple[str, ...]) -> list[etree._Element]:
    """Descendants of a paragraph with these tags, in order, skipping nested (text box) paragraphs
    — those are paragraphs of their own."""
    found: list[etree._Element] = []
    stack = list(reversed(p))
    while stack:
        el = stack.pop()
        if el.tag == W_P or not isinstance(el.tag, str):
            continue
        if el.tag in tags:
            found.append(el)
        stack.extend(reversed(el))
    return found


def _visible(p: etree._Element) -> str:
    parts = {W_TAB: "\t", W_BR: "\n", W_CR: "\n"}
    return "".join(parts.get(el.tag) or el.text or "" for el in _own(p, (W_T, W_TAB, W_BR, W_CR)))


def _preceding(el: etree._Element, tag: str) -> int:
    return sum(1 for _ in el.itersiblings(tag, preceding=True))


def _add_text_before(el: etree._Element, text: str) -> None:
    prev, parent = el.getprevious(), el.getparent()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _replace_with_text(el: etree._Element, text: str) -> None:
    _add_text_before(el, text + (el.tail or ""))
    el.getparent().remove(el)


def _attached(el: etree._Element, root: etree._Element) -> bool:
    top = el
    for top in el.iterancestors():  # noqa: B007 - we want the last ancestor
        pass
    return top is root


class _Preprocessor:
    """Turns one part's XML tree into Jinja source plus a line → paragraph map."""

    def __init__(self, template: str, label: str, root: etree._Element) -> None:
        self.template, self.label, self.root = template, label, root
        self.tags: list[str] = []
        self.wheres: list[_Where] = []
        self.where_of: dict[etree._Element, int] = {}
        self.levelled: list[tuple[etree._Element, str, int, int]] = []  # w:t, level, where, tag
        self.fragments: list[tuple[str, str]] = []

    def run(self) -> tuple[str, list[int], list[_Where]]:
        tables = {tbl: i for i, tbl in enumerate(self.root.iter(W_TBL), 1)}
        free = 0
        for p in self.root.iter(W_P):
            tc = next(p.iterancestors(W_TC), None)
            if tc is None:
                free += 1
                position = f"paragraph {free}"
            else:
                tr = next(tc.iterancestors(W_TR))
                position = (f"table {tables[next(tc.iterancestors(W_TBL))]}, "
                            f"row {_preceding(tr, W_TR) + 1}, cell {_preceding(tc, W_TC) + 1}")  # fmt: skip
                if p.getparent() is tc and (k := _preceding(p, W_P)) > 0:
                    position += f", paragraph {k + 1}"
            where = _Where(self.label, position, _visible(p))
            self.where_of[p] = len(self.wheres)
            self.wheres.append(where)
            if where.text.strip():
                self.fragments.append((where.place, where.text))
            self._merge_tags(p, self.where_of[p])
        self._replace_levelled()
        for p in self.root.iter(W_P):
            _add_text_before(p, f"\ue000L{self.where_of[p]}\ue001")
        return self._source()

    def _fail(self, where: int, problem: str) -> DocxTemplateError:
        return DocxTemplateError(self.template, str(self.wheres[where]), problem)

    def _merge_tags(self, p: etree._Element, where: int) -> None:
        """Move each tag whole into the first ``w:t`` it starts in (so it takes that run's
        formatting) and leave the rest of the text where it was, whatever runs, proofing marks or
        bookmarks Word put in between."""
        texts = _own(p, (W_T,))
        joined = "".join(t.text or "" for t in texts)
        if "{" not in joined:
            return
        if unclosed := _OPENER.search(_TAG.sub("", joined)):
            raise self._fail(where, f"a tag opened with {unclosed.group()!r} is not closed in the "
                             "same paragraph (a tag must start and end in one paragraph)")  # fmt: skip
        spans, start = [], 0
        for t in texts:
            spans.append((start, start + len(t.text or "")))
            start = spans[-1][1]
        pieces: list[list[str]] = [[] for _ in texts]

        def keep(a: int, b: int) -> None:
            for i, (lo, hi) in enumerate(spans):
                if max(a, lo) < min(b, hi):
                    pieces[i].append(joined[max(a, lo) : min(b, hi)])

        done = 0
        for match in _TAG.finditer(joined):
            keep(done, match.start())
            done = match.end()
            owner = next(i for i, (lo, hi) in enumerate(spans) if lo <= match.start() < hi)
            source = match.group().translate(_SMART)
            level = _LEVEL.match(source)
            if level:  # the tag replaces its enclosing element later, not its text
                bare = source[: level.start(3)] + source[level.end(3) :]
                self.levelled.append((texts[owner], level.group(3), where, len(self.tags)))
                self.tags.append(bare)
            else:
                pieces[owner].append(f"\ue000T{len(self.tags)}\ue001")
                self.tags.append(source)
        keep(done, len(joined))
        for t, piece in zip(texts, pieces, strict=True):
            new = "".join(piece)
            if new != (t.text or ""):
                t.text = new
                t.set(_XML_SPACE, "preserve")

    def _replace_levelled(self) -> None:
        """``{%tr …%}`` and friends: the whole enclosing row / cell / paragraph / run becomes the
        bare tag. Outer levels first, so a tag inside a row that is already gone is not handled."""
        for level in ("tr", "tc", "p", "r"):
            groups: dict[etree._Element, list[tuple[int, int]]] = {}
            for t, lvl, where, tag in self.levelled:
                if lvl != level or not _attached(t, self.root):
                    continue
                element = next(t.iterancestors(_LEVEL_ELEMENT[level]), None)
                if element is None:
                    raise self._fail(where, f"{self.tags[tag]!r} written as {{%{level} … %}} "
                                     f"must be inside a {_LEVEL_NOUN[level]}")  # fmt: skip
                groups.setdefault(element, []).append((where, tag))
            for element, items in groups.items():
                markers = "".join(f"\ue000T{tag}\ue001" for _, tag in items)
                _replace_with_text(element, f"\ue000L{items[0][0]}\ue001{markers}")

    def _source(self) -> tuple[str, list[int], list[_Where]]:
        xml = _XML_DECL + etree.tostring(self.root, encoding="unicode")
        out: list[str] = []
        line, done = 1, 0
        starts: list[int] = []
        wheres: list[_Where] = []

        def raw(chunk: str) -> None:
            # Braces outside tags (field codes, attributes) must stay literal text for Jinja.
            out.append(re.sub(r"\{(?=[{%#]|\Z)", "{{ '{' }}", chunk))

        for match in _MARKER.finditer(xml):
            chunk = xml[done : match.start()]
            raw(chunk)
            line += chunk.count("\n")
            number = int(match.group(2))
            if match.group(1) == "T":
                out.append(self.tags[number])
                line += self.tags[number].count("\n")
            else:
                out.append("{#\n#}")
                line += 1
                starts.append(line)
                wheres.append(self.wheres[number])
            done = match.end()
        raw(xml[done:])
        return "".join(out), starts, wheres


@dataclass(frozen=True)
class _Part:
    """One compiled XML part and the map from its Jinja lines back to Word paragraphs."""

    name: str
    label: str
    source: str
    template: jinja2.Template
    filename: str
    starts: list[int]
    wheres: list[_Where]

    def where(self, lineno: int | None) -> _Where | None:
        return _where_at(self.starts, self.wheres, lineno)

    def place(self, lineno: int | None) -> str:
        where = self.where(lineno)
        return str(where) if where else self.label


def _where_at(starts: list[int], wheres: list[_Where], lineno: int | None) -> _Where | None:
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
    def compile(cls, path: Path, env: jinja2.Environment) -> DocxTemplate:
        """Parse, preprocess and compile every text part; raise with the place of any bad tag."""
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
        xml_env = _xml_environment(env)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        members: list[Member | _Part] = []
        fragments: list[tuple[str, str]] = []
        with archive:
            for info in archive.infolist():
                data = _read_member(archive, info, name)
                for part, target in package_links_out([(info.filename, data)]):  # hrdocs.workspace
                    raise DocxTemplateError(name, part, f"links to a file outside the document: {target}",
                                            hint=_LINKED_HINT)  # fmt: skip
                if not _RENDERED.fullmatch(info.filename):
                    if info.filename == "[Content_Types].xml":
                        data = data.replace(_TEMPLATE_CT, b"wordprocessingml.document.main+xml")
                    members.append(deflate(info.filename, data))
                    continue
                label = _part_label(info.filename)
                try:
                    root = etree.fromstring(data, parser)
                except etree.XMLSyntaxError as exc:
                    raise DocxTemplateError(name, f"{label} ({info.filename})",
                                            f"the XML is not well-formed: {exc}") from exc  # fmt: skip
                ats_tokens.rewrite(root, lambda at, why, hint, part=label: DocxTemplateError(  # ATS tokens
                    name, f"{part}, {at}", why, hint=hint))  # fmt: skip
                prep = _Preprocessor(name, label, root)
                source, starts, wheres = prep.run()
                fragments.extend(prep.fragments)
                filename = f"<{name}:{info.filename}>"
                try:
                    code = xml_env.compile(source, f"{name}:{info.filename}", filename)
                except jinja2.TemplateSyntaxError as exc:
                    problem, lineno = f"syntax error in a tag: {exc.message}", exc.lineno
                    if (exc.message or "").startswith("Unexpected end of template") and (
                        opened := _unclosed_block(source)
                    ):
                        word = opened[0]
                        problem = f"'{{% {word} %}}' is never closed (no '{{% end{word} %}}')"
                        lineno = opened[1]
                    where = _where_at(starts, wheres, lineno)
                    raise DocxTemplateError(name, str(where) if where else label, problem) from exc
                template = xml_env.template_class.from_code(xml_env, code, xml_env.make_globals(None))
                members.append(_Part(info.filename, label, source, template, filename, starts, wheres))
        return cls(name, xml_env, members, fragments)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """Render every text part with ``context`` and return the bytes of a new .docx."""
        values = dict(context)
        out: list[Member] = []
        for member in self._members:
            if isinstance(member, Member):
                out.append(member)
                continue
            data = self._render_part(member, values).encode("utf-8")
            try:
                etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError as exc:
                raise DocxTemplateError(
                    self.name, f"{member.label} ({member.name})",
                    f"the rendered XML is not well-formed: {exc}",
                    hint="a plain {% %} block probably starts and ends in different paragraphs, "
                    "cells or rows; use the {%p %}, {%tr %} or {%tc %} forms",
                ) from exc  # fmt: skip
            out.append(deflate(member.name, data))
        return build_zip(out)

    def _render_part(self, part: _Part, values: dict[str, Any]) -> str:
        try:
            return part.template.render(values)
        except Exception as exc:
            lineno = None
            for frame in traceback.extract_tb(exc.__traceback__):
                if frame.filename == part.filename:
                    lineno = frame.lineno
            where = part.where(lineno)
            text = where.text.translate(_SMART) if where else ""
            if isinstance(exc, SecurityError):
                problem, hint = f"blocked by the template sandbox: {scrub(str(exc), text, values)}", None
            elif isinstance(exc, jinja2.UndefinedError):
                problem, hint = self._undefined(str(exc.message), where, values)
            else:
                problem, hint = explain(exc, self._env, part.source, lineno, values)
            raise DocxTemplateError(self.name, part.place(lineno), problem, hint=hint) from None

    def _undefined(
        self, message: str, where: _Where | None, values: dict[str, Any]
    ) -> tuple[str, str | None]:
        """Name the missing variable as the template spells it, with close matches as a hint."""
        if top := re.fullmatch(r"'(.+)' is undefined", message):
            return f"undefined variable {top.group(1)!r}", _close(top.group(1), values)
        attr = re.fullmatch(r"'.+' has no (?:attribute|element) '(.+)'", message)
        text = where.text.translate(_SMART) if where else ""
        if attr is None:
            return f"undefined value: {undefined_name(message, text)}", None
        name = re.escape(attr.group(1))
        path = re.search(rf"([A-Za-z_]\w*(?:\.\w+)*?)(?:\.{name}\b|\[\s*['\"]{name}['\"]\s*\])", text)
        if path is None:  # a key from the data (``rates[candidate.id]``): never printed
            return f"undefined value: {undefined_name(message, text)}", None
        parent = path.group(1)
        try:
            owner = self._env.compile_expression(parent, undefined_to_none=False)(**values)
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
        """(place, visible text including tags) per non-empty paragraph, for linters."""
        return list(self._fragments)


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

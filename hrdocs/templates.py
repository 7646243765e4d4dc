"""Templates: which file makes each kind of document, and what a recruiter does with them.

Templates come in two engines: **text** templates (``KIND.md.j2``: Jinja producing Markdown, turned into
Word styles by the writers) and **Word** templates (``KIND.docx`` or ``.dotx``: written in Word with
docxtpl-style tags, rendered by :mod:`hrdocs.docx_template`). They are looked for in the workspace's
``templates/`` first and the built-in ones second.

The rule, in one line: **the first folder that has the kind wins; within one folder a Word template
wins over a text one.** So a workspace's ``offer-letter.md.j2`` or ``offer-letter.docx`` replaces the
built-in offer letter, and if a workspace has both, the ``.docx`` is used (``hrdocs templates`` marks
the other as not used). Names starting with ``_`` are partials (``_base.md.j2``), not kinds.

This module finds and lists templates; :mod:`hrdocs.export` copies a built-in one into the workspace
or turns a text template into an equivalent Word one.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lxml import etree

from hrdocs.context import View
from hrdocs.docmodel import parse_markdown
from hrdocs.environment import TEMPLATE_SUFFIX, Md
from hrdocs.errors import TemplateError, UnknownName, UsageError
from hrdocs.language import LANGUAGES, PRIMARY, get
from hrdocs.workspace import OutsideWorkspace, Workspace

if TYPE_CHECKING:
    from hrdocs.docx_template import DocxTemplate


class WordTemplates(Protocol):
    """What finds a compiled Word template by name (a session): templates know no session."""

    def word_template(self, name: str) -> DocxTemplate | None: ...


TEXT, WORD = "text", "word"
WORD_SUFFIXES = (".docx", ".dotx")
_LIKE = re.compile(r"\{#-?p?\s*hrdocs:\s*like\s+([A-Za-z0-9_-]+)\s*-?#\}")
_RANK = {".docx": 0, ".dotx": 1, TEMPLATE_SUFFIX: 2}
"""Within one folder: a Word document first, then a Word template file, then a text template."""


@dataclass(frozen=True)
class TemplateFile:
    kind: str
    """The document kind (``offer-letter``), or the partial's name (``_base``)."""
    engine: str
    """``text`` or ``word``."""
    path: Path
    origin: str
    """``workspace`` or ``built-in``."""
    order: tuple[int, int]
    """(folder in the search path, preference within the folder): the lowest wins."""
    used: bool = True
    """False when another file of the same kind wins."""
    refused: OutsideWorkspace | None = dataclasses.field(default=None, compare=False)
    """Why the file may not be read: a symbolic link out of the workspace (see hrdocs.workspace). It
    still wins its kind, so that the kind is refused rather than quietly made by another template."""
    language: str | None = None
    """The language of a variant in ``templates/TAG/`` (``None``: the primary template, in English)."""

    @property
    def partial(self) -> bool:
        return self.kind.startswith("_")

    @property
    def name(self) -> str:
        """The file name, which is also the name Jinja's loader knows a text template by."""
        return self.path.name


def _suffix(name: str) -> str | None:
    if name.endswith(TEMPLATE_SUFFIX):
        return TEMPLATE_SUFFIX
    lower = name.lower()
    return next((s for s in WORD_SUFFIXES if lower.endswith(s)), None)


def template_files(workspace: Workspace) -> list[TemplateFile]:
    """Every template file in the search path, kinds sorted by name, the winner of each kind first.

    Skipped: hidden files, Word's ``~$`` lock files (Word leaves one beside a document it has open),
    and Word templates named like partials. A file that leads out of the workspace is listed with
    the reason it is ``refused``.
    """
    return _scan(
        workspace, [(rank, folder) for rank, folder in enumerate(workspace.search_path("templates"))]
    )


def _scan(
    workspace: Workspace, folders: list[tuple[int, Path]], language: str | None = None
) -> list[TemplateFile]:
    found: list[TemplateFile] = []
    for rank, folder in folders:
        for path in sorted(folder.iterdir()):
            suffix = _suffix(path.name)
            if suffix is None or not path.is_file() or path.name.startswith((".", "~$")):
                continue
            kind = path.name[: -len(suffix)]
            if not kind or (kind.startswith("_") and suffix != TEMPLATE_SUFFIX):
                continue
            engine = TEXT if suffix == TEMPLATE_SUFFIX else WORD
            try:
                workspace.inside(path)
                refused = None
            except OutsideWorkspace as exc:
                refused = exc
            order = (rank, _RANK[suffix])
            origin = workspace.origin(path)
            found.append(TemplateFile(kind, engine, path, origin, order, refused=refused, language=language))
    found.sort(key=lambda t: (t.kind, t.order))
    out: list[TemplateFile] = []
    for item in found:
        used = not out or out[-1].kind != item.kind
        out.append(item if used else dataclasses.replace(item, used=False))
    return out


def kinds(workspace: Workspace) -> list[str]:
    """Every document kind a template exists for."""
    return sorted({t.kind for t in template_files(workspace) if not t.partial})


def variant_files(workspace: Workspace, language: str) -> list[TemplateFile]:
    """The templates of one language (``templates/de/``), by the same rule: the workspace's
    ``templates/de/`` first, the built-in one second. A language never falls back to another (nor to
    English): a kind without a variant in the language is refused (:func:`find_template`)."""
    folders = [(rank, folder / language) for rank, folder in enumerate(workspace.search_path("templates"))]
    return _scan(workspace, [(rank, folder) for rank, folder in folders if folder.is_dir()], language)


def languages_of(workspace: Workspace, kind: str) -> list[str]:
    """The languages other than English that have a template for ``kind``."""
    return [
        tag
        for tag in LANGUAGES
        if tag != PRIMARY and any(t.kind == kind for t in variant_files(workspace, tag))
    ]


def find_template(workspace: Workspace, kind: str) -> TemplateFile:
    """The template that makes ``kind`` (``de/denial-letter``: the German variant), by the rule above;
    suggests close names when there is none. Raises :class:`~hrdocs.workspace.OutsideWorkspace` when
    the file that makes it leads out."""
    if "/" in kind:
        return _find_variant(workspace, *kind.split("/", 1))
    files = template_files(workspace)
    for item in files:
        if item.kind == kind and item.used and not item.partial:
            if item.refused is not None:
                raise item.refused
            return item
    raise UnknownName("template", kind, [t.kind for t in files if not t.partial])


def _find_variant(workspace: Workspace, language: str, kind: str) -> TemplateFile:
    for item in variant_files(workspace, language):
        if item.kind == kind and item.used and not item.partial:
            if item.refused is not None:
                raise item.refused
            return item
    name = get(language).name
    others = languages_of(workspace, kind)
    raise UsageError(
        f"no {name} ({language}) template for {kind}: none at templates/{language}/{kind}{TEMPLATE_SUFFIX} "
        "in the workspace or the built-ins",
        hint=(f"{kind} is written in en{''.join(', ' + o for o in others)}; " if others else "")
        + f"add templates/{language}/{kind}{TEMPLATE_SUFFIX} (docs/languages.md) or use another --language",
    )


def text_template(workspace: Workspace, kind: str) -> TemplateFile | None:
    """The text template of ``kind`` that would win if there were no Word template."""
    for item in template_files(workspace):
        if item.kind == kind and item.engine == TEXT:
            if item.refused is not None:
                raise item.refused
            return item
    return None


def visible_text(docx: bytes) -> str:
    """The text a reader sees in a .docx body, one paragraph (or table cell) per line."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    lines = []
    for p in root.iter(f"{w}p"):
        parts = []
        for el in p.iter(f"{w}t", f"{w}tab", f"{w}br", f"{w}cr"):
            parts.append(el.text or "" if el.tag == f"{w}t" else "\t" if el.tag == f"{w}tab" else "\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def word_values(context: Mapping[str, Any]) -> dict[str, Any]:
    """Template data for a Word template: a value made as Markdown for text templates (a posting's
    ready-made links) is given as the text a reader sees, never as Markdown source."""
    return {key: _unmark(value) for key, value in context.items()}


def _unmark(value: Any) -> Any:
    if isinstance(value, Md):
        return parse_markdown(str(value)).plain_text()
    if isinstance(value, View):
        items = {key: _unmark(item) for key, item in value.items()}
        return value if all(items[k] is value[k] for k in items) else View(items)
    if isinstance(value, tuple):
        new = tuple(_unmark(item) for item in value)
        return value if all(a is b for a, b in zip(new, value, strict=True)) else new
    return value


def like_directive(text: str) -> str | None:
    """The kind named by ``{# hrdocs: like KIND #}`` in a template's text, if any."""
    m = _LIKE.search(text)
    return m.group(1) if m else None


def like_of(session: WordTemplates, item: TemplateFile) -> str | None:
    """The kind a workspace template borrows its data from (``{# hrdocs: like offer-letter #}``)."""
    if item.refused is not None:
        return None
    if item.engine == TEXT:
        return like_directive(item.path.read_text(encoding="utf-8", errors="replace")[:4000])
    try:
        template = session.word_template(item.kind)
    except TemplateError:  # a broken Word template: `templates check` reports why
        return None
    if template is None:
        return None
    return like_directive(" ".join(text for _, text in template.text_fragments()[:5]))

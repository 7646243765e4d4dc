"""Templates: which file makes each kind of document, and what a recruiter does with them.

Templates come in two engines: **text** templates (``KIND.md.j2``: Jinja producing Markdown, turned into
Word styles by the writers) and **Word** templates (``KIND.docx`` or ``.dotx``: written in Word with
docxtpl-style tags, rendered by :mod:`hrdocs.docx_template`). They are looked for in the workspace's
``templates/`` first and the built-in ones second.

The rule, in one line: **the first folder that has the kind wins; within one folder a Word template
wins over a text one.** So a workspace's ``offer-letter.md.j2`` or ``offer-letter.docx`` replaces the
built-in offer letter, and if a workspace has both, the ``.docx`` is used (``hrdocs templates`` marks
the other as not used). Names starting with ``_`` are partials (``_base.md.j2``), not kinds.

This module lists templates, copies a built-in one into the workspace (``export``), turns a text
template into an equivalent Word one (``export --docx``, via :mod:`hrdocs.docx_export`) and renders
any kind, including a workspace's own, from a data file (``hrdocs render``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from hrdocs.context import View
from hrdocs.docmodel import parse_markdown
from hrdocs.environment import TEMPLATE_SUFFIX, Md
from hrdocs.errors import HrdocsError, OutputExists, TemplateError, UnknownName, UsageError
from hrdocs.kinds import like_directive, model_for
from hrdocs.workspace import Workspace

if TYPE_CHECKING:
    from hrdocs.api import Session, Written
TEXT, WORD = "text", "word"
WORD_SUFFIXES = (".docx", ".dotx")
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
    and Word templates named like partials.
    """
    found: list[TemplateFile] = []
    for rank, folder in enumerate(workspace.search_path("templates")):
        for path in sorted(folder.iterdir()):
            suffix = _suffix(path.name)
            if suffix is None or not path.is_file() or path.name.startswith((".", "~$")):
                continue
            kind = path.name[: -len(suffix)]
            if not kind or (kind.startswith("_") and suffix != TEMPLATE_SUFFIX):
                continue
            engine = TEXT if suffix == TEMPLATE_SUFFIX else WORD
            found.append(TemplateFile(kind, engine, path, workspace.origin(path), (rank, _RANK[suffix])))
    found.sort(key=lambda t: (t.kind, t.order))
    out: list[TemplateFile] = []
    for item in found:
        used = not out or out[-1].kind != item.kind
        out.append(
            item if used else TemplateFile(item.kind, item.engine, item.path, item.origin, item.order, False)
        )
    return out


def kinds(workspace: Workspace) -> list[str]:
    """Every document kind a template exists for."""
    return sorted({t.kind for t in template_files(workspace) if not t.partial})


def find_template(workspace: Workspace, kind: str) -> TemplateFile:
    """The template that makes ``kind``, by the rule above; suggests close names when there is none."""
    files = template_files(workspace)
    for item in files:
        if item.kind == kind and item.used and not item.partial:
            return item
    raise UnknownName("template", kind, [t.kind for t in files if not t.partial])


def text_template(workspace: Workspace, kind: str) -> TemplateFile | None:
    """The text template of ``kind`` that would win if there were no Word template."""
    for item in template_files(workspace):
        if item.kind == kind and item.engine == TEXT:
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


def like_of(session: Session, item: TemplateFile) -> str | None:
    """The kind a workspace template borrows its data from (``{# hrdocs: like offer-letter #}``)."""
    if item.engine == TEXT:
        return like_directive(item.path.read_text(encoding="utf-8", errors="replace")[:4000])
    try:
        template = session.word_template(item.kind)
    except TemplateError:  # a broken Word template: `templates check` reports why
        return None
    if template is None:
        return None
    return like_directive(" ".join(text for _, text in template.text_fragments()[:5]))


# --------------------------------------------------------------------------------------- export
@dataclass(frozen=True)
class Exported:
    path: Path
    source: Path
    notes: list[str]


def export_template(
    session: Session, kind: str, *, docx: bool = False, force: bool = False, name: str | None = None
) -> Exported:
    """Copy the built-in template of ``kind`` into the workspace to edit it, or (``docx``) write an
    equivalent Word template made from the kind's text template.

    ``name`` saves it as a new kind that takes the same data (``--as internship-offer``): the copy
    starts with ``{# hrdocs: like KIND #}``. An existing file is kept unless ``force``.
    """
    workspace = session.workspace
    target_kind = name or kind
    folder = workspace.root / "templates"
    notes: list[str] = []
    if docx:
        source_file = text_template(workspace, kind)
        if source_file is None:
            raise UnknownName(
                "text template", kind, [t.kind for t in template_files(workspace) if t.engine == TEXT]
            )
        target = folder / f"{target_kind}.docx"
        if target.exists() and not force:
            raise OutputExists(target)
        data = _word_export(session, kind, source_file, like=kind if name else None)
        _write(target, data)
        sibling = folder / f"{target_kind}{TEMPLATE_SUFFIX}"
        if sibling.exists():
            notes.append(
                f"{target.name} is used from now on; {sibling.name} beside it is not (a Word template wins)"
            )
        return Exported(target, source_file.path, notes)

    builtin = workspace.builtin / "templates" / f"{kind}{TEMPLATE_SUFFIX}"
    if not builtin.is_file():
        known = [t.kind for t in template_files(workspace) if t.origin == "built-in"]
        raise UnknownName("built-in template", kind, known)
    target = folder / f"{target_kind}{TEMPLATE_SUFFIX}"
    if target.exists() and not force:
        raise OutputExists(target)
    text = builtin.read_text(encoding="utf-8")
    if name:
        text = f"{{#- hrdocs: like {kind} -#}}\n{text}"
    _write(target, text.encode("utf-8"))
    for suffix in WORD_SUFFIXES:
        if (folder / f"{target_kind}{suffix}").exists():
            notes.append(f"{target_kind}{suffix} beside it still wins (a Word template wins over a text one)")
    return Exported(target, builtin, notes)


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise HrdocsError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _word_export(session: Session, kind: str, source: TemplateFile, *, like: str | None) -> bytes:
    """The Word template, checked: it compiles, and renders every sample the text template renders."""
    from hrdocs.docx_export import export_docx
    from hrdocs.docx_template import DocxTemplate

    note = (
        f"Word template made by hrdocs from {source.name}. Values are written between double braces; "
        "whole paragraphs are kept or repeated by the paragraphs that start with a percent-p tag, table "
        "rows by the ones with percent-tr. This paragraph and the tag paragraphs disappear from the "
        "documents. See docs/templates.md."
    )
    data = export_docx(
        session.env, source.name, session.config, kind=kind, terms=session.terms, note=note, like=like
    )
    scratch = session.workspace.root / "templates" / f".{kind}.export-check.docx"
    try:
        _write(scratch, data)
        template = DocxTemplate.compile(scratch, session.env)
        try:
            samples = model_for(kind).samples(session, kind)
        except HrdocsError:
            samples = []
        for context in samples:
            template.render(word_values(context))
    except TemplateError as exc:
        raise TemplateError(
            f"{source.path}: the Word version does not work ({exc.message}); "
            "write the Word template by hand (see docs/templates.md)"
        ) from None
    finally:
        scratch.unlink(missing_ok=True)
    return data


# --------------------------------------------------------------------------------------- render
def render_kind(
    session: Session,
    kind: str,
    *,
    data_file: Path | None = None,
    role: str | None = None,
    out: Path | None = None,
    name: str | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> Written:
    """Render any kind — a built-in one or a workspace's own — from a data file (``hrdocs render``).

    The data is read and validated as the kind's data model says (see :mod:`hrdocs.kinds`); the file
    goes to ``output/KIND/`` named after the data (or ``name``).
    """
    item = find_template(session.workspace, kind)
    if item.partial:
        raise UsageError(f"`{kind}` is a partial, not a document kind")
    model = model_for(kind, like_of(session, item))
    prepared = model.prepare(session, kind, data_file, role)
    folder = out if out is not None else session.workspace.output_dir / kind
    written = session.produce(
        kind,
        prepared.context,
        folder,
        name or prepared.stem,
        formats=formats,
        force=force,
        private=prepared.private,
        meta=prepared.meta,
    )
    written.warnings[:0] = prepared.warnings
    return written

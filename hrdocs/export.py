"""``hrdocs templates export``: a built-in template copied into the workspace, to edit.

A text template is copied as it is (``--as NEW-KIND`` saves it as a new kind that takes the same
data); ``--docx`` writes an equivalent Word template made from it (:mod:`hrdocs.docx_export`), checked
to render every sample the text template renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrdocs.environment import TEMPLATE_SUFFIX
from hrdocs.errors import HrdocsError, OutputExists, TemplateError, UnknownName
from hrdocs.kinds import sample_contexts
from hrdocs.session import Session
from hrdocs.templates import TEXT, WORD_SUFFIXES, TemplateFile, template_files, text_template, word_values
from hrdocs.workspace import Workspace


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
        _write(target, data, workspace)
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
    _write(target, text.encode("utf-8"), workspace)
    for suffix in WORD_SUFFIXES:
        if (folder / f"{target_kind}{suffix}").exists():
            notes.append(f"{target_kind}{suffix} beside it still wins (a Word template wins over a text one)")
    return Exported(target, builtin, notes)


def _write(target: Path, data: bytes, workspace: Workspace) -> None:
    """Never through a link out of the workspace: ``--force`` must not overwrite a file elsewhere."""
    workspace.inside(target)
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
        _write(scratch, data, session.workspace)
        template = DocxTemplate.compile(scratch, session.env)
        try:
            samples = sample_contexts(session, kind)
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

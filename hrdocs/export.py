"""``hrdocs templates export``: a built-in template copied into the workspace, to edit.

A text template is copied as it is (``--as NEW-KIND`` saves it as a new kind that takes the same
data); ``--docx`` writes an equivalent Word template made from it (:mod:`hrdocs.docx_export`), checked
to render every sample the text template renders. The Word template is a letter, not code: what the
company's settings decide (tone, wording chosen in ``set`` blocks, macros) is resolved at export time
from hrdocs.yaml, and :attr:`Exported.resolved` says which settings it was frozen on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrdocs.environment import TEMPLATE_SUFFIX, apply_terms_outside_values
from hrdocs.errors import HrdocsError, OutputExists, TemplateError, UnknownName
from hrdocs.kinds import sample_contexts
from hrdocs.kinds.letter import shared
from hrdocs.plan import WritePlan
from hrdocs.session import Session
from hrdocs.templates import TEXT, WORD_SUFFIXES, TemplateFile, template_files, text_template, word_values
from hrdocs.workspace import Workspace

if TYPE_CHECKING:
    from hrdocs.docx_export import Fixed


@dataclass(frozen=True)
class Exported:
    path: Path
    source: Path
    notes: list[str]
    resolved: list[str] = field(default_factory=list)
    """One line per setting the Word template's wording was chosen by ("tone: warm — …")."""


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
        data, resolved = _word_export(session, kind, source_file, like=kind if name else None)
        _place(target, data, workspace, force=force)
        sibling = folder / f"{target_kind}{TEMPLATE_SUFFIX}"
        if sibling.exists():
            notes.append(
                f"{target.name} is used from now on; {sibling.name} beside it is not (a Word template wins)"
            )
        return Exported(target, source_file.path, notes, resolved)

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
    _place(target, text.encode("utf-8"), workspace, force=force)
    for suffix in WORD_SUFFIXES:
        if (folder / f"{target_kind}{suffix}").exists():
            notes.append(f"{target_kind}{suffix} beside it still wins (a Word template wins over a text one)")
    return Exported(target, builtin, notes)


def _place(target: Path, data: bytes, workspace: Workspace, *, force: bool) -> None:
    """The exported template, through the write plan: whole or not at all, and never through a link
    out of the workspace (``--force`` must not overwrite a file elsewhere)."""
    workspace.inside(target)
    plan = WritePlan(force=force, command="hrdocs templates export")
    plan.add(target.parent, target.name, data)
    plan.write()


def _write(target: Path, data: bytes, workspace: Workspace) -> None:
    """The scratch copy the export is checked with (removed again); never through a link out of the
    workspace."""
    workspace.inside(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise HrdocsError(f"{target}: cannot write: {exc.strerror or exc}") from None


SHARED_SKIPPED = frozenset({"today"})
"""Names of the shared template data that are not settings (a letter has its own date)."""


def fixed_settings(session: Session) -> Fixed:
    """What the export resolves: the template data every document of the workspace shares (company,
    voice, offers, denials, postings: all from hrdocs.yaml), printed as the text engine prints it."""
    from hrdocs.docx_export import Fixed

    values = {k: v for k, v in shared(session).base.items() if k not in SHARED_SKIPPED}

    def show(value: Any) -> str | None:
        try:
            return apply_terms_outside_values(session.env.finalize(value), session.terms)  # type: ignore[misc]
        except Exception:  # None, a list: the text engine refuses to print it; keep the tag
            return None

    return Fixed(values, show, reads={"by_tone": "voice.tone"})


def describe(frozen: Mapping[str, Any]) -> list[str]:
    """``tone: warm`` and the like, one per setting, tone first."""
    lines = []
    for path in sorted(frozen, key=lambda p: (p != "voice.tone", p)):
        value = frozen[path]
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif value is None:
            shown = "not set"
        elif isinstance(value, list | tuple):
            shown = f"{len(value)} item{'s' if len(value) != 1 else ''}"
        elif isinstance(value, Mapping):
            shown = "set"
        else:
            text = " ".join(str(value).split())
            shown = text if len(text) <= 40 else text[:39] + "…"
        lines.append(f"{'tone' if path == 'voice.tone' else path}: {shown}")
    return lines


def _word_export(
    session: Session, kind: str, source: TemplateFile, *, like: str | None
) -> tuple[bytes, list[str]]:
    """The Word template, checked: it compiles, and renders every sample the text template renders;
    and a line per setting its wording was chosen by."""
    from hrdocs.docx_export import export_word
    from hrdocs.docx_template import DocxTemplate

    fixed = fixed_settings(session)

    def note(frozen: Mapping[str, Any]) -> str:
        return (
            f"Word template made by hrdocs from {source.name}, with the wording chosen by hrdocs.yaml "
            f"({'; '.join(describe(frozen)) or 'no settings'}); export it again after changing those "
            f"settings (hrdocs templates export {kind} --docx --force). Values are written between double "
            "braces; a paragraph that starts with a percent-p tag keeps or repeats the paragraphs up to "
            "its end tag, and prints nothing itself. See docs/templates.md."
        )

    made = export_word(
        session.env, source.name, session.config, kind=kind, terms=session.terms, fixed=fixed,
        note=note, like=like,
    )  # fmt: skip
    data = made.data
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
    resolved = [f"{line} — re-export after changing hrdocs.yaml" for line in describe(made.frozen)]
    return data, resolved + [f"not resolved: {k}" for k in made.kept]

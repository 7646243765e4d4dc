"""The company and its voice, read once from ``hrdocs.yaml`` (or the built-in example company).

Paths inside the file (logo, reference document, extra pay rules) are relative to the file itself, so
a workspace can be moved or run from any folder; they are checked here, at the edge, so that a missing
logo is reported with the line that names it rather than half-way through writing a document. Each
must lie inside the workspace (:class:`hrdocs.workspace.Jail`), as must ``hrdocs.yaml`` itself.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.limits import PICTURE_MAX_BYTES, PackageRefused, PictureRefused, check_package, picture_facts
from hrdocs.loader import read_yaml, validate
from hrdocs.models import Settings
from hrdocs.workspace import OutsideWorkspace, Workspace, package_links_out

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif"}


@dataclass(frozen=True)
class Config:
    settings: Settings
    source: Path
    logo: Path | None
    reference_docx: Path | None
    signature: Path | None = None
    """The signatory's signature picture (``voice.signatory.signature_image``), checked."""

    @property
    def is_example(self) -> bool:
        return self.settings.company.example


def load_config(workspace: Workspace) -> Config:
    path = workspace.settings_file or workspace.example_settings_file
    workspace.inside(path)
    data, lines = read_yaml(path)
    settings = validate(Settings, data, str(path), lines)
    problems: list[Problem] = []

    def inside(value: str, loc: tuple[str, ...]) -> Path | None:
        try:
            return workspace.inside(path.parent / value)
        except OutsideWorkspace as exc:
            why = f"{value}: {exc.reason} ({exc.advice})"
            problems.append(Problem(str(path), lines.line(loc), ".".join(loc), why))
            return None

    def existing(value: str | None, loc: tuple[str, ...], kind: str) -> Path | None:
        if not value:
            return None
        target = inside(value, loc)
        if target is None:
            return None
        if not target.is_file():
            problems.append(Problem(str(path), lines.line(loc), ".".join(loc), f"{kind} not found: {target}"))
            return None
        return target

    logo = existing(settings.company.logo, ("company", "logo"), "logo image")
    if logo is not None:
        head = logo.read_bytes()[:8]
        if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
            problems.append(
                Problem(
                    str(path),
                    lines.line(("company", "logo")),
                    "company.logo",
                    "not a PNG, JPEG or GIF image",
                )
            )
    signatory = settings.voice.signatory
    where = ("voice", "signatory", "signature_image")
    signature = existing(signatory.signature_image if signatory else None, where, "signature image")
    if signature is not None:
        try:  # by its bytes and header, as image() in templates (hrdocs.limits)
            if signature.stat().st_size > PICTURE_MAX_BYTES:
                raise PictureRefused(f"is over the {PICTURE_MAX_BYTES:,} bytes a picture may have")
            picture_facts(signature.read_bytes())
        except PictureRefused as exc:
            why = f"{signature.name} {exc.problem}"
            problems.append(Problem(str(path), lines.line(where), ".".join(where), why))
            signature = None
    reference = existing(settings.brand.reference_docx, ("brand", "reference_docx"), "reference document")
    if reference is not None and (problem := _package_problem(reference)) is not None:
        line = lines.line(("brand", "reference_docx"))
        problems.append(Problem(str(path), line, "brand.reference_docx", f"{reference.name} {problem}"))
    elif reference is not None and (linked := _linked_out(reference)) is not None:
        line = lines.line(("brand", "reference_docx"))
        problems.append(Problem(str(path), line, "brand.reference_docx", f"{reference.name}: {linked}"))
    if settings.postings.extra_rules_file:  # read when postings are checked; it must not lead out either
        inside(settings.postings.extra_rules_file, ("postings", "extra_rules_file"))
    if problems:
        raise ValidationFailed(problems, what=str(path))
    return Config(settings=settings, source=path, logo=logo, reference_docx=reference, signature=signature)


def _package_problem(reference: Path) -> str | None:
    """Why the reference document cannot be used, from its zip directory alone (the limits of
    :mod:`hrdocs.limits`: a 9 MB file that unpacks to 2 GB is refused here, unopened); ``None`` if it can."""
    try:
        check_package(reference)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    except zipfile.BadZipFile:
        return "is not a Word .docx file (not a zip archive); save it from Word as .docx"
    except PackageRefused as exc:
        return f"{exc.problem}; {exc.hint}"
    return None


def _linked_out(reference: Path) -> str | None:
    """A picture or object the reference document links rather than embeds (its header's logo, say):
    LibreOffice would fetch that file into every PDF (:func:`hrdocs.workspace.package_links_out`).
    Read after :func:`_package_problem` passed, so its ``.rels`` parts are small."""
    try:
        with zipfile.ZipFile(reference) as archive:
            rels = [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename.endswith(".rels")]
    except (OSError, zipfile.BadZipFile):
        return None  # reported by the writer that opens it
    for part, target in package_links_out(rels):
        return (
            f"{part} links to a file outside the document: {target} (embed it instead: in Word, "
            "File > Info > Edit Links to Files > Break Link, then save)"
        )
    return None

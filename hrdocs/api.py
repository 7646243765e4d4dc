"""The library API: what the CLI, the web app, batch jobs, tests and other programs call.

Everything is done through a :class:`~hrdocs.session.Session` (the loaded workspace) and a kind of
document from its registry (:func:`hrdocs.kinds.registry`)::

    from hrdocs.api import Session, generate
    session = Session("acme-hr/", strict=True)
    written = generate(session, "offer", {"candidate": "Jane Q. Doe", "role": "generalist", ...},
                       formats=["docx", "pdf"])

Each function validates every input first, makes every document (:mod:`hrdocs.pipeline`), plans every
file (:mod:`hrdocs.plan`) and only then writes, so a refusal anywhere writes nothing. They return data
and paths and raise :class:`hrdocs.errors.HrdocsError`; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrdocs.batch import Options, Report, run_batch
from hrdocs.docmodel import Document
from hrdocs.engines import engines
from hrdocs.errors import HrdocsError, ValidationFailed
from hrdocs.kinds import Kind, registry
from hrdocs.kinds.localized import localize
from hrdocs.naming import NamePattern
from hrdocs.output import safe_file_name
from hrdocs.pipeline import Produced, check_formats, packed, produce_many
from hrdocs.plan import WritePlan
from hrdocs.postings import INDEX_NAME, PostingRefused, Postings
from hrdocs.session import Session

__all__ = [
    "Input",
    "Options",
    "Report",
    "Session",
    "Written",
    "document",
    "generate",
    "generate_many",
    "generate_postings",
    "kind",
    "render",
    "run_batch",
    "validate",
]


@dataclass
class Written:
    """One document written, in every format asked for, and what was noticed on the way."""

    kind: str
    paths: list[Path]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Input:
    """One document's raw fields and where they came from, for messages (``jane.yaml``, line by line)."""

    fields: Mapping[str, Any]
    source: str = "input"
    lines: Mapping[str, int | None] = field(default_factory=dict)


def kind(session: Session, name: str) -> Kind:
    """The kind called ``name`` (any of its names: ``offer``, ``Offer letter``, ``rejection``)."""
    return registry(session).get(name)


def validate(session: Session, kind_: Kind, item: Input) -> Any:
    """One input checked into the kind's typed input, or every problem at once."""
    return kind_.validate(session, kind_, item.fields, item.source, item.lines)


def render(
    session: Session,
    kind_name: str,
    fields: Mapping[str, Any] | Input,
    *,
    formats: Sequence[str] | None = None,
) -> Produced:
    """One document made in every format asked for, nothing written: a preview, a test, a web app."""
    item = fields if isinstance(fields, Input) else Input(fields)
    return make(session, kind(session, kind_name), [item], formats=formats)[0]


def document(session: Session, kind_name: str, fields: Mapping[str, Any] | Input) -> Document:
    """The document model of one document made from a text template (what the writers read)."""
    found = kind(session, kind_name)
    item = fields if isinstance(fields, Input) else Input(fields)
    prepared = found.prepare(session, found, validate(session, found, item))
    template = localize(session, found, prepared)  # the document's language, as produce() does
    rendered = engines(session).render(template, prepared.context, prepared.meta)
    return rendered.document()


def generate(
    session: Session,
    kind_name: str,
    fields: Mapping[str, Any] | Input,
    *,
    formats: Sequence[str] | None = None,
    out: Path | None = None,
    name: str | None = None,
    force: bool = False,
    inputs: Iterable[Path] = (),
) -> Written:
    """One document of any kind, written to ``out`` (default: the kind's folder under ``output/``)."""
    item = fields if isinstance(fields, Input) else Input(fields)
    return generate_many(
        session, kind_name, [item], formats=formats, out=out, name=name, force=force, inputs=inputs
    )[0]


def generate_many(
    session: Session,
    kind_name: str,
    items: Sequence[Input],
    *,
    formats: Sequence[str] | None = None,
    out: Path | None = None,
    name: str | None = None,
    force: bool = False,
    inputs: Iterable[Path] = (),
) -> list[Written]:
    """Several documents of one kind (``--all``): all are checked and made before any is written."""
    found = kind(session, kind_name)
    made = make(session, found, items, formats=formats, name=name)
    return write(session, found, made, out=out, force=force, inputs=inputs)


def make(
    session: Session,
    kind_: Kind,
    items: Sequence[Input],
    *,
    formats: Sequence[str] | None = None,
    name: str | None = None,
) -> list[Produced]:
    """Validate every item (all problems reported together), then make each document."""
    fmts = list(formats or kind_.formats)
    check_formats(session, kind_, fmts)
    pattern = NamePattern(name, kind_.field_names) if name else None
    data, problems = [], []
    for item in items:
        try:
            data.append(validate(session, kind_, item))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    if problems:
        sources = {p.source for p in problems}  # a broken role file is named as itself, not "command line"
        what = next(iter(sources)) if len(sources) == 1 else items[0].source if len(items) == 1 else None
        raise ValidationFailed(problems, what=what or f"{len(items)} inputs")
    return produce_many(session, kind_, data, formats=fmts, pattern=pattern)


def write(
    session: Session,
    kind_: Kind,
    made: Sequence[Produced],
    *,
    out: Path | None = None,
    force: bool = False,
    inputs: Iterable[Path] = (),
    extra: Sequence[tuple[str, bytes]] = (),
) -> list[Written]:
    """One write plan for every file of ``made`` (and ``extra`` files, such as an index page)."""
    folder = out if out is not None else session.workspace.output_dir / kind_.folder
    plan = WritePlan(force=force, inputs=inputs)
    written = []
    for item in made:
        paths = [
            plan.add(folder, safe_file_name(item.stem, f".{fmt}"), data, private=kind_.private)
            for fmt, data in packed(session, item).items()
        ]
        written.append(Written(kind_.name, paths, item.warnings))
    for file_name, data in extra:
        plan.add(folder, file_name, data)
    plan.write()
    return written


def generate_postings(
    session: Session,
    roles: Sequence[str],
    *,
    location: str | None = None,
    valid_through: str | None = None,
    no_pay_range: bool = False,
    formats: Sequence[str] | None = None,
    out: Path | None = None,
    force: bool = False,
    skip_refused: bool = False,
    language: str | None = None,
) -> tuple[list[Written], list[PostingRefused], Path]:
    """Every role's posting and ``index.html`` linking them. A posting refused (no pay range where the
    law requires one, no location) refuses the whole run unless ``skip_refused``: then the others are
    written and the refused ones returned."""
    posting = kind(session, "posting")
    items, refused = [], []
    for role in roles:
        fields = {
            "role": role,
            "location": location,
            "valid_through": valid_through,
            "no_pay_range": no_pay_range,
            "language": language,
        }
        try:
            validate(session, posting, Input(fields, source=f"posting {role}"))
        except PostingRefused as exc:
            refused.append(exc)
            continue
        items.append(Input(fields, source=f"posting {role}"))
    if refused and not skip_refused:
        raise HrdocsError(
            f"{len(refused)} of {len(roles)} postings refused, nothing written:\n"
            + "\n".join(f"  {exc.message}" for exc in refused),
            hint="fix each as it says, or pass --skip-refused to write the others",
        )
    made = make(session, posting, items, formats=formats)
    folder = out if out is not None else session.workspace.output_dir / posting.folder
    pairs = [
        (item.data, [folder / safe_file_name(item.stem, f".{fmt}") for fmt in item.files]) for item in made
    ]
    page = session.writers()["html"](Postings(session).index(pairs))
    written = write(session, posting, made, out=out, force=force, extra=[(INDEX_NAME, page)])
    return written, refused, folder / INDEX_NAME

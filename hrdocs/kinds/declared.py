"""Kinds a recruiter adds in the workspace, without Python.

Three ways, from the most to the least said:

- a **declaration** ``kinds/NAME.yaml`` beside a template ``templates/NAME.md.j2`` (or ``.docx``): the
  kind's fields (name, type, required, help, example, column aliases), its folder and file names. Its
  data is checked field by field exactly as a built-in letter's, by ``hrdocs render``, ``hrdocs
  batch``, ``templates vars`` and ``templates check`` alike. ``like: offer-letter`` in it (or a
  first line ``{# hrdocs: like offer-letter #}`` in the template) takes a built-in kind's fields,
  checks and data instead;
- a template alone: a **free-form** kind, which sees the company and voice like every template plus
  whatever its data file holds.

A declaration that cannot be read does not stop the other kinds: its kind refuses to be used, with
the declaration's problems (``templates check`` lists them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field as Constraint
from pydantic import field_validator

from hrdocs.context import base_context, plain, role_view
from hrdocs.errors import HrdocsError, Problem, UsageError, ValidationFailed
from hrdocs.fields import TYPES, Field, Model
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.generic import validate_fields
from hrdocs.kinds.letter import person_names
from hrdocs.loader import LineMap, read_yaml, validate
from hrdocs.naming import NamePattern
from hrdocs.templates import TemplateFile, like_of, template_files
from hrdocs.writers import DATE

if TYPE_CHECKING:
    from hrdocs.session import Session

FOLDER = "kinds"
"""The workspace folder of kind declarations."""
RESERVED = ("company", "voice", "today", "example", "signatory")
"""Names every template gets from ``hrdocs.yaml`` and the run; no field or data key may take them."""
LINT_KINDS = ("job-description", "posting", "offer", "denial", "text")


class FieldSpec(Model):
    type: Literal[tuple(TYPES)] = "text"  # type: ignore[valid-type]
    required: bool = False
    help: str = ""
    example: str | int | float | bool | dt.date | list[str] | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


class Declaration(Model):
    """``kinds/NAME.yaml``: unknown keys are errors, so a typo fails loudly."""

    title: str | None = None
    like: str | None = None
    aliases: tuple[str, ...] = ()
    folder: str | None = Constraint(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    file_name: str | None = None
    private: bool = True
    lint: Literal[LINT_KINDS] | None = None  # type: ignore[valid-type]
    formats: tuple[str, ...] = ("docx",)
    fields: dict[str, FieldSpec] = Constraint(default_factory=dict)
    """Field names are checked by :func:`_name_problems`, each on its own line."""

    @field_validator("fields", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        """``candidate: text`` is ``candidate: {type: text}`` (so a problem names the key, not a union)."""
        if isinstance(value, Mapping):
            return {str(k): {"type": v} if isinstance(v, str) else v for k, v in value.items()}
        return value


def _name_problems(data: Any, source: str, lines: LineMap) -> list[Problem]:
    """A field named as a name every template already has, or not written like ``start_date``."""
    given = data.get("fields") if isinstance(data, Mapping) else None
    out = []
    for name in map(str, given) if isinstance(given, Mapping) else ():
        if name in RESERVED:
            message = "every template has it from hrdocs.yaml or the run; name the field otherwise"
        elif not (name.isidentifier() and name == name.lower()):
            message = "write field names in lower case, like start_date"
        else:
            continue
        out.append(Problem(source, lines.line(("fields", name)), f"fields.{name}", message))
    return out


def workspace_kinds(session: Session, builtin: Mapping[str, Kind]) -> list[Kind]:
    """Every kind the workspace adds: declared ones, then templates that are no kind yet."""
    declared: dict[str, Path] = {}
    for folder in session.workspace.search_path(FOLDER):
        for path in sorted(folder.glob("*.yaml")):
            declared.setdefault(path.stem, path)
    templates = {t.kind: t for t in template_files(session.workspace) if t.used and not t.partial}
    kinds = [_declared(session, name, path, builtin) for name, path in declared.items()]
    for name, item in templates.items():
        if name not in builtin and name not in declared:
            kinds.append(_from_template(session, name, item, builtin))
    return kinds


def _declared(session: Session, name: str, path: Path, builtin: Mapping[str, Kind]) -> Kind:
    try:
        session.workspace.inside(path)  # a declaration linked from outside: the kind is refused
        data, lines = read_yaml(path)
        names = _name_problems(data, str(path), lines)
        try:
            spec = validate(Declaration, data, str(path), lines)
        except ValidationFailed as exc:
            raise ValidationFailed([*names, *exc.problems], what=str(path)) from None
        if names:
            raise ValidationFailed(names, what=str(path))
        if spec.like and spec.fields:
            raise ValidationFailed(
                [
                    Problem(
                        str(path), lines.line(("fields",)), "fields", "a kind `like` another takes its fields"
                    )
                ]
            )
        if spec.like:
            return _like(name, spec.like, builtin, path, spec)
        return _with_fields(name, spec, path)
    except HrdocsError as exc:
        return _broken(name, path, exc)


def _from_template(session: Session, name: str, item: TemplateFile, builtin: Mapping[str, Kind]) -> Kind:
    if item.refused is not None:  # a template linked from outside the workspace is never read
        return _broken(name, item.path, item.refused)
    like = like_of(session, item)
    if like:
        return _like(name, like, builtin, item.path, None)
    return _free(name, item.path)


def _like(name: str, like: str, builtin: Mapping[str, Kind], path: Path, spec: Declaration | None) -> Kind:
    base = builtin.get(like) or next((k for k in builtin.values() if like in k.names), None)
    if base is None:
        error = HrdocsError(
            f"{path.name}: `{name}` is declared `like {like}`, but `{like}` is no built-in kind",
            hint=f"use one of {', '.join(builtin)}",
        )
        return _broken(name, path, error)
    _check_pattern(path, spec.file_name if spec else None, list(base.field_names))
    return dataclasses.replace(
        base,
        name=name,
        short=name,
        title=(spec.title if spec and spec.title else name.replace("-", " ")),
        aliases=tuple(spec.aliases) if spec else (),
        template=name,
        folder=(spec.folder if spec and spec.folder else name),
        file_name=(spec.file_name if spec and spec.file_name else base.file_name),
        based_on=base.name,
        source=path,
    )


def _with_fields(name: str, spec: Declaration, path: Path) -> Kind:
    fields = []
    for field_name, f in spec.fields.items():
        example = _example_text(f.example)
        fields.append(
            Field(
                field_name,
                f.type,
                f.help,
                "" if example is None else str(example),
                tuple(a.strip().lower().replace(" ", "_").replace("-", "_") for a in f.aliases),
                required=f.required,
                choices=tuple(f.choices),
            )
        )
    names = [f.name for f in fields]
    default_name = "{kind}-{candidate}" if "candidate" in names else "{kind}"
    _check_pattern(path, spec.file_name, names)
    return Kind(
        name=name,
        short=name,
        title=spec.title or name.replace("-", " "),
        fields=tuple(fields),
        validate=validate_fields,
        prepare=_prepare,
        samples=_samples,
        folder=spec.folder or name,
        file_name=spec.file_name or default_name,
        lint=spec.lint or "text",
        aliases=tuple(spec.aliases),
        private=spec.private,
        takes_role="role" in names,
        formats=tuple(spec.formats),
        source=path,
    )


def _check_pattern(path: Path, pattern: str | None, names: list[str]) -> None:
    """A declaration's ``file_name`` is checked when it is read, not when the first document is named."""
    if pattern is None:
        return
    try:
        NamePattern(pattern, names)
    except UsageError as exc:
        reason = exc.message.split(": ", 1)[-1]
        raise HrdocsError(f"{path}: file_name: {reason}", hint=exc.hint) from None


def _example_text(example: object) -> str | None:
    """An example as a person would type it: YAML reads ``2021-03-01`` as a date and ``yes`` as true."""
    if isinstance(example, list):
        return ", ".join(str(e) for e in example)
    if isinstance(example, bool):
        return "yes" if example else "no"
    if isinstance(example, dt.date):
        return example.isoformat()
    return None if example is None else str(example)


def _free(name: str, path: Path) -> Kind:
    return Kind(
        name=name,
        short=name,
        title=name.replace("-", " "),
        fields=(
            Field("role", "role", "A catalogue role, if the template uses one.", "generalist", flag=False),
        ),
        validate=validate_fields,
        prepare=_prepare,
        samples=_free_samples,
        folder=name,
        file_name="{file}",
        lint="text",
        private=True,
        takes_role=True,
        source=path,
        open_fields=True,
    )


def _broken(name: str, path: Path, error: HrdocsError) -> Kind:
    """A kind whose declaration cannot be used: every use says why."""

    def refuse(*args: Any) -> Any:
        raise error

    return Kind(
        name=name,
        short=name,
        title=name,
        fields=(),
        validate=refuse,
        prepare=refuse,
        samples=refuse,
        folder=name,
        file_name="{kind}",
        lint="text",
        private=True,
        source=path,
        problem=error,
    )


# ------------------------------------------------------------------------------------ template data
def _prepare(session: Session, kind: Kind, data: dict[str, Any]) -> Prepared:
    """The company and voice, the signatory, and each field's value (a role as a role view)."""
    config = session.config
    given = data.get("date")
    when = given if isinstance(given, dt.date) else session.today
    context = base_context(config, session.terms, today=when)
    signatory = config.settings.voice.signatory
    context["signatory"] = plain(signatory) if signatory else None
    names: dict[str, str] = {}
    problems = []
    role_id = None
    for key, value in data.items():
        if key in RESERVED:
            problems.append(Problem("data", None, key, "comes from hrdocs.yaml; use another name"))
            continue
        field = kind.field(key)
        kind_of = field.type if field else None
        if kind_of == "role" and value is not None:
            role_id = value.id
            context[key] = role_view(value, config, session.terms)
            names[key] = value.id
        elif kind_of == "roles" and value is not None:
            context[key] = tuple(role_view(r, config, session.terms) for r in value)
            names[key] = "-".join(r.id for r in value)
        else:
            try:
                context[key] = plain(value)
            except TypeError as exc:
                problems.append(Problem("data", None, key, str(exc)))
                continue
            if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
                names[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    if problems:
        raise ValidationFailed(problems, what="data")
    if isinstance(data.get("candidate"), str):
        from hrdocs.kinds.letter import Candidate

        names.update(person_names(Candidate(name=data["candidate"])))
    meta = {DATE: when.isoformat()}
    if role_id:
        meta["role"] = role_id
    return Prepared(context, names, meta, [], role_id)


_PLACEHOLDERS = {
    "text": "Example",
    "multiline": "Example",
    "lines": ["Line one", "Line two"],
    "email": "someone@example.org",
    "money": "1000",
    "number": "1",
    "hours": "40",
    "yes/no": "yes",
    "ids": "one, two",
    "list": "one, two",
}


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    """One input with every field: its example, else a value of its type (roles from the catalogue)."""
    roles = [r.id for r in session.catalogue.all()]
    sample: dict[str, Any] = {}
    for f in kind.fields:
        if f.example:
            sample[f.name] = f.example
        elif f.type == "role":
            sample[f.name] = roles[0] if roles else None
        elif f.type == "roles":
            sample[f.name] = roles[:2]
        elif f.type == "date":
            sample[f.name] = (session.today + dt.timedelta(days=30)).isoformat()
        elif f.type == "choice":
            sample[f.name] = f.choices[0] if f.choices else "Example"
        else:
            sample[f.name] = _PLACEHOLDERS.get(f.type, "Example")
    return [sample]


def example_data_file(session: Session, name: str) -> Path | None:
    """``templates/NAME.example.yaml`` beside a free-form kind's template: its sample data."""
    for folder in session.workspace.search_path("templates"):
        path = folder / f"{name}.example.yaml"
        if path.is_file():
            return path
    return None


def _free_samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    path = example_data_file(session, kind.name)
    if path is None:
        return [{}]
    session.workspace.inside(path)
    data, _ = read_yaml(path)
    if data is not None and not isinstance(data, Mapping):
        raise ValidationFailed([Problem(str(path), 1, None, "must be a mapping of name: value")])
    return [dict(data or {})]

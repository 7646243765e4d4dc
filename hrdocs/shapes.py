"""Document kinds and their data: what each template sees, made from real samples or a data file.

Every kind of document has a *data model*: the built-in kinds have their own (a job description sees
``role``; an offer letter sees ``candidate``, ``offer``, …, validated by :mod:`hrdocs.letters`), and a
workspace's new kind either borrows one — a first line ``{# hrdocs: like offer-letter #}`` in the
template (``{#p hrdocs: like offer-letter #}`` in a Word template) — or takes free-form data: the
company and voice like every template, plus whatever its data file holds.

Samples are built from real data (the catalogue's roles, a sample offer run through the same
validation as a real one), never from a hand-written list of names, so ``hrdocs templates vars`` and
the unknown-variable check of ``hrdocs templates check`` stay right when the data grows. Their
:class:`Shape` (names, types, an example value) is found by walking the :class:`~hrdocs.context.View`
objects themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrdocs.context import base_context, jd_context, plain, role_view
from hrdocs.docmodel import Document
from hrdocs.errors import HrdocsError, Problem, UsageError, ValidationFailed
from hrdocs.loader import read_yaml

if TYPE_CHECKING:
    from hrdocs.api import Session

JD, OFFER, DENIAL, POSTING, COMPARISON = (
    "job-description",
    "offer-letter",
    "denial-letter",
    "posting",
    "comparison",
)
FREE = "free-form"
RESERVED = ("company", "voice", "today", "example")
"""Names every template gets from ``hrdocs.yaml`` and the run; a data file cannot replace them."""

_LIKE = re.compile(r"\{#-?p?\s*hrdocs:\s*like\s+([A-Za-z0-9_-]+)\s*-?#\}")


def like_directive(text: str) -> str | None:
    """The kind named by ``{# hrdocs: like KIND #}`` in a template's text, if any."""
    m = _LIKE.search(text)
    return m.group(1) if m else None


@dataclass
class Prepared:
    """One document's template data, made from a data file, and how to write it."""

    context: dict[str, Any]
    stem: str
    warnings: list[str] = field(default_factory=list)
    private: bool = False
    """Letters carry personal data: written readable by their owner only."""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DataModel:
    name: str
    """The kind whose data this is, or ``free-form``."""
    samples: Callable[[Session, str], list[dict[str, Any]]]
    prepare: Callable[[Session, str, Path | None, str | None], Prepared]


# --------------------------------------------------------------------------------- sample data
def _capture(session: Session) -> Session:
    """A session whose ``render`` keeps the template data instead of rendering it, so the data of
    kinds whose modules make and render in one step (postings) can be read."""
    from hrdocs.api import Session

    class Capture(Session):
        def __init__(self) -> None:
            super().__init__(session.workspace, today=session.today)
            for name in ("config", "catalogue", "terms", "env"):  # share what is already loaded
                if name in session.__dict__:
                    self.__dict__[name] = session.__dict__[name]
            self.contexts: list[dict[str, Any]] = []

        def render(self, kind: str, context: Mapping[str, Any]) -> Document:
            self.contexts.append(dict(context))
            return Document(title="", blocks=[], kind=kind)

    return Capture()


def _roles(session: Session, count: int | None = None) -> list[Any]:
    roles = session.catalogue.all()
    if not roles:
        raise HrdocsError("the role catalogue is empty: no sample data can be made")
    return roles if count is None else roles[:count]


def _richest(session: Session) -> Any:
    """The role with the most facts filled in, so a sample shows every name a letter may use."""
    return max(
        _roles(session),
        key=lambda r: (
            (r.pay_range is not None)
            + (r.reports_to is not None)
            + (r.level is not None)
            + bool(r.locations)
            + bool(r.qualifications.preferred)
            + bool(r.working_conditions)
        ),
    )


def _jd_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    return [jd_context(r, session.config, session.terms, today=session.today) for r in _roles(session)]


def _offer_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    return _letter_samples(session, OFFER)


def _denial_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    return _letter_samples(session, DENIAL)


def _letter_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    from hrdocs import letters

    settings = session.config.settings
    role = _richest(session)
    common: dict[str, Any] = {
        "candidate": "Jane Q. Doe",
        "preferred_name": "Jane",
        "role": role.id,
        "address": ["12 Elm Street", "Denver, CO 80202"],
        "email": "jane.doe@example.org",
    }
    if settings.voice.signatory is None:
        common["signatory"] = "Morgan Lee, Director of People"
    if kind == DENIAL:
        data = letters.validate_denial({**common, "stage": "interview"}, session=session, source="sample")
        return [letters.denial_context(session, data)]
    start = (session.today + dt.timedelta(days=30)).isoformat()
    known = [*letters.STANDARD_CONTINGENCIES, *(c.id for c in settings.offers.contingency_texts)]
    offer = {
        **common,
        "start": start,
        "manager": "Dana Whitfield",
        "location": role.locations[0].label if role.locations else "Denver, CO",
        "contingencies": known,
    }
    salaried = {**offer, "salary": "72000", "bonus": "a target bonus of 10% of base pay",
                "equity": "1,000 stock options", "sign_on": "5000"}  # fmt: skip
    hourly = {**offer, "hourly_rate": str(max(settings.offers.hourly_floor, Decimal(25))),
              "flsa_status": "non-exempt", "hours_per_week": "20"}  # fmt: skip
    return [
        letters.offer_context(session, letters.validate_offer(sample, session=session, source="sample"))
        for sample in (salaried, hourly)
    ]


def _posting_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    from hrdocs.postings import Postings

    capture = _capture(session)
    postings = Postings(capture)
    for role in _roles(session, 3):
        if role.locations:
            postings.make(role, no_pay_range=True)
    return capture.contexts  # type: ignore[attr-defined]


def _comparison_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    from hrdocs.compare import comparison_context

    roles = _roles(session)
    if len(roles) < 2:
        return []
    return [comparison_context(session, roles[:2]), comparison_context(session, roles[:3])]


def free_context(session: Session, data: Mapping[str, Any], *, source: str = "data") -> dict[str, Any]:
    """What a new kind without a ``like`` line sees: the company and voice, the signatory, and the
    data file's keys (a ``role`` given as an id becomes the catalogue role, as in a job description)."""
    config = session.config
    context = base_context(config, session.terms, today=session.today)
    signatory = config.settings.voice.signatory
    context["signatory"] = plain(signatory) if signatory else None
    problems = []
    for key, value in data.items():
        name = str(key)
        if name in RESERVED:
            problems.append(Problem(source, None, name, "comes from hrdocs.yaml; use another name"))
        elif name == "role" and isinstance(value, str):
            context["role"] = role_view(session.role(value), config, session.terms)
        else:
            try:
                context[name] = plain(value)
            except TypeError as exc:
                problems.append(Problem(source, None, name, str(exc)))
    if problems:
        raise ValidationFailed(problems, what=source)
    return context


def example_data_file(session: Session, kind: str) -> Path | None:
    """``templates/KIND.example.yaml`` beside the kind's template: sample data for a free-form kind."""
    for folder in session.workspace.search_path("templates"):
        path = folder / f"{kind}.example.yaml"
        if path.is_file():
            return path
    return None


def _free_samples(session: Session, kind: str) -> list[dict[str, Any]]:
    path = example_data_file(session, kind)
    data = _read_mapping(path) if path else {}
    return [free_context(session, data, source=str(path or "sample"))]


def _read_mapping(path: Path) -> dict[str, Any]:
    data, _ = read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationFailed(
            [Problem(str(path), 1, None, "must be a mapping of name: value")], what=str(path)
        )
    return dict(data)


# ---------------------------------------------------------------------------- data from files
def _role_name(role: str | None, data: Mapping[str, Any]) -> str:
    name = role or data.get("role")
    if not name:
        raise UsageError(
            "name the role: --role ROLE (or `role:` in the data file)", hint="hrdocs roles lists them"
        )
    return str(name)


def _prepare_jd(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    data = _read_mapping(path) if path else {}
    found = session.role(_role_name(role, data))
    context = jd_context(found, session.config, session.terms, today=session.today)
    return Prepared(context, found.id, meta={"role": found.id})


def _letter_data(path: Path | None, role: str | None) -> tuple[dict[str, Any], dict[str, int | None], str]:
    from hrdocs import letters

    raw, lines = letters.read_data_file(path) if path else ({}, {})
    if role:
        raw["role"] = role
        lines.pop("role", None)
    return raw, lines, str(path) if path else "input"


def _prepare_offer(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    from hrdocs import letters

    raw, lines, source = _letter_data(path, role)
    offer = letters.validate_offer(raw, session=session, source=source, lines=lines)
    stem = letters.offer_stem(offer)  # offer-jane-doe-hr-generalist; a new kind's name replaces "offer"
    return Prepared(
        letters.offer_context(session, offer),
        stem if kind == OFFER else kind + stem.removeprefix("offer"),
        letters.offer_warnings(session, offer),
        private=True,
        meta=letters.letter_meta(offer),
    )


def _prepare_denial(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    from hrdocs import letters

    raw, lines, source = _letter_data(path, role)
    denial = letters.validate_denial(raw, session=session, source=source, lines=lines)
    stem = letters.denial_stem(denial)
    return Prepared(
        letters.denial_context(session, denial),
        stem if kind == DENIAL else kind + stem.removeprefix("denial"),
        private=True,
        meta=letters.letter_meta(denial),
    )


def _prepare_posting(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    from hrdocs.postings import Postings

    data = _read_mapping(path) if path else {}
    capture = _capture(session)
    until = data.get("valid_through")
    posting = Postings(capture).make(
        _role_name(role, data),
        location=data.get("location"),
        valid_through=dt.date.fromisoformat(str(until)) if until else None,
        no_pay_range=bool(data.get("no_pay_range", False)),
    )
    context = capture.contexts[-1]  # type: ignore[attr-defined]
    return Prepared(context, posting.stem, posting.warnings, meta=dict(posting.document.meta))


def _prepare_comparison(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    from hrdocs.compare import comparison_context, comparison_stem, resolve_roles

    data = _read_mapping(path) if path else {}
    names = data.get("roles") or []
    if role:
        names = [role, *names]
    roles = resolve_roles(session, [str(n) for n in names])
    return Prepared(comparison_context(session, roles), comparison_stem(roles))


def _prepare_free(session: Session, kind: str, path: Path | None, role: str | None) -> Prepared:
    data = _read_mapping(path) if path else {}
    if role:
        data["role"] = role
    context = free_context(session, data, source=str(path) if path else "input")
    return Prepared(context, path.stem if path else kind, private=True)


MODELS: dict[str, DataModel] = {
    JD: DataModel(JD, _jd_samples, _prepare_jd),
    OFFER: DataModel(OFFER, _offer_samples, _prepare_offer),
    DENIAL: DataModel(DENIAL, _denial_samples, _prepare_denial),
    POSTING: DataModel(POSTING, _posting_samples, _prepare_posting),
    COMPARISON: DataModel(COMPARISON, _comparison_samples, _prepare_comparison),
}
FREE_MODEL = DataModel(FREE, _free_samples, _prepare_free)
_NEEDS = {
    OFFER: "hrdocs.letters",
    DENIAL: "hrdocs.letters",
    POSTING: "hrdocs.postings",
    COMPARISON: "hrdocs.compare",
}


def available(name: str) -> bool:
    """Whether the module that makes this kind's data is installed (kinds arrive one by one)."""
    module = _NEEDS.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def model_for(kind: str, like: str | None = None) -> DataModel:
    """The data model of ``kind``: its own, the one its template names with ``like``, or free-form."""
    for name in (kind, like):
        if name and name in MODELS and available(name):
            return MODELS[name]
    if like and like not in MODELS:
        raise UsageError(
            f"template `{kind}` says `hrdocs: like {like}`, but `{like}` has no data model",
            hint=f"use one of {', '.join(MODELS)}",
        )
    return FREE_MODEL


# ---------------------------------------------------------------------------------- shapes
@dataclass
class Shape:
    """What one name holds across every sample: its types, fields, items and an example."""

    path: str
    types: set[str] = field(default_factory=set)
    fields: dict[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    example: Any = None

    @property
    def label(self) -> str:
        kinds = [t for t in ("text", "number", "date", "yes/no", "object", "list") if t in self.types]
        words = []
        for t in kinds:
            if t == "list":
                inner = self.item.label if self.item else ""
                words.append(f"list of {_plural(inner)}" if inner and inner != "empty" else "list")
            else:
                words.append(t)
        text = " or ".join(words) or "empty"
        if "empty" in self.types and words:
            text += " (may be empty)"
        return text

    def merge(self, value: Any) -> None:
        if value is None:
            self.types.add("empty")
            return
        if isinstance(value, bool):
            kind = "yes/no"
        elif isinstance(value, int | float | Decimal):
            kind = "number"
        elif isinstance(value, dt.date):
            kind = "date"
        elif isinstance(value, str):
            kind = "text"
        elif isinstance(value, Mapping):
            kind = "object"
            for key, sub in value.items():
                name = f"{self.path}.{key}" if self.path else str(key)
                child = self.fields.setdefault(str(key), Shape(name))
                child.merge(sub)
        elif isinstance(value, tuple | list):
            kind = "list"
            if self.item is None:
                self.item = Shape(f"{self.path}[]")
            for sub in value:
                self.item.merge(sub)
        else:
            kind = "object"
        self.types.add(kind)
        if self.example is None and kind not in ("object", "list") and str(value).strip():
            self.example = value


def _plural(label: str) -> str:
    return {"object": "objects", "number": "numbers", "date": "dates", "list": "lists"}.get(label, label)


def shape_of(contexts: Sequence[Mapping[str, Any]]) -> Shape:
    """One shape for all samples: a name present in any of them is known."""
    top = Shape("")
    for context in contexts:
        top.merge(dict(context))
    return top


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    example: str


def walk(shape: Shape) -> Iterator[Variable]:
    """Every dotted name under ``shape`` (``role.duty_areas[].name``), depth first, in data order."""
    for child in shape.fields.values():
        yield Variable(child.path, child.label, _example(child))
        yield from walk(child)
        if child.item is not None:
            yield from walk(child.item)


def _example(shape: Shape) -> str:
    value = shape.example
    if value is None and shape.item is not None and shape.item.example is not None:
        value = shape.item.example
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"

"""The kind registry: every kind of document hrdocs makes, built-in and the workspace's own.

The built-in kinds have a module each (:mod:`.job_description`, :mod:`.posting`, :mod:`.offer`,
:mod:`.denial`, :mod:`.comparison`). A workspace adds kinds with a template and, optionally, a small
YAML file declaring the kind's fields (``kinds/NAME.yaml``, see :mod:`.declared`), or a template that
borrows a built-in kind's data (``{# hrdocs: like offer-letter #}``). Every command, the batch, the
template checks and lint find a kind here, by any of its names (``offer``, ``Offer letter``,
``rejection``).
"""

from __future__ import annotations

from typing import Any

from hrdocs.errors import UnknownName
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.comparison import COMPARISON
from hrdocs.kinds.denial import DENIAL
from hrdocs.kinds.job_description import JOB_DESCRIPTION
from hrdocs.kinds.localized import localize
from hrdocs.kinds.offer import OFFER
from hrdocs.kinds.posting import POSTING
from hrdocs.session import Session, per_session

__all__ = ["BUILTIN", "Kind", "Prepared", "Registry", "key", "registry", "sample_contexts"]

BUILTIN: tuple[Kind, ...] = (JOB_DESCRIPTION, POSTING, OFFER, DENIAL, COMPARISON)


def key(name: object) -> str:
    """``Offer letter``, ``offer_letter``, `` OFFER-LETTER `` -> ``offer-letter``."""
    return "-".join(str(name).strip().lower().replace("_", " ").split())


class Registry:
    """The kinds of one session: the built-in ones, then the workspace's (read on first use)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._kinds: dict[str, Kind] | None = None
        self._names: dict[str, str] = {}

    def _load(self) -> dict[str, Kind]:
        if self._kinds is None:
            from hrdocs.kinds.declared import workspace_kinds

            kinds = {k.name: k for k in BUILTIN}
            for kind in workspace_kinds(self.session, kinds):
                kinds.setdefault(kind.name, kind)
            names: dict[str, str] = {}
            for kind in kinds.values():  # a kind's own name wins over another's alias
                names[key(kind.name)] = kind.name
            for kind in kinds.values():
                for name in kind.names:
                    names.setdefault(key(name), kind.name)
            self._kinds, self._names = kinds, names
        return self._kinds

    def all(self) -> list[Kind]:
        return list(self._load().values())

    def find(self, name: object) -> Kind | None:
        kinds = self._load()
        found = self._names.get(key(name))
        return kinds[found] if found else None

    def get(self, name: object) -> Kind:
        """The kind called ``name``; a kind whose declaration is broken is refused, saying why."""
        found = self.find(name)
        if found is None:
            raise UnknownName("kind of document", str(name), self._load())
        if found.problem is not None:
            raise found.problem
        return found


registry = per_session(Registry)
"""The registry of a session, made once."""


def sample_contexts(session: Session, name: str) -> list[dict[str, Any]]:
    """The template data of the kind's samples, each validated and prepared as real input is."""
    kind = registry(session).get(name)
    out = []
    for raw in kind.samples(session, kind):
        data = kind.validate(session, kind, raw, "sample", {})
        prepared = kind.prepare(session, kind, data)
        localize(session, kind, prepared)  # as the pipeline does: letter.salutation, language
        out.append(prepared.context)
    return out

"""Clause equivalence: every language variant of a kind says what its primary (English) template says.

A template marks each clause it may print with a comment naming it, right after the tag that opens
it or on a line of its own::

    {% if offer.terms.probation_months %}
    {#- clause: probation -#}
    …
    {# clause: summary #}
    ## Summary

The comments print nothing. ``hrdocs templates check`` reads the clause ids of the template that
makes a kind (``templates/offer-letter.md.j2``, the workspace's if it has one) and of each language
variant that would be used with it (``templates/fr/offer-letter.md.j2``, the workspace's first), and
reports a variant that lacks a clause of the primary, or has one the primary does not: a French offer
without the probation clause the English one has is an error, naming the file and the clause. A
primary that marks no clauses (a company's own letter written from scratch) is held to nothing. Which
branch of a clause a document takes is the template's business; that each language *can* say it is
what this checks. (Word templates are not read for clause comments.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrdocs.context import View, layered
from hrdocs.language import LANGUAGES, PRIMARY
from hrdocs.templates import TEXT, TemplateFile, template_files, variant_files
from hrdocs.workspace import Workspace

if TYPE_CHECKING:
    from hrdocs.session import Session

CLAUSE = re.compile(r"\{#-?\s*clause:\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*-?#\}")
"""``{#- clause: probation -#}`` or ``{# clause: probation #}``."""


@dataclass(frozen=True)
class ClauseProblem:
    where: str
    """``templates/fr/offer-letter.md.j2``, as the other findings of ``templates check`` name files."""
    message: str
    hint: str


def clause_ids(path: Path) -> dict[str, int]:
    """Each clause id of a text template, with the line it is first marked on."""
    found: dict[str, int] = {}
    text = path.read_text(encoding="utf-8", errors="replace")
    for match in CLAUSE.finditer(text):
        found.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return found


def _winner(files: list[TemplateFile], kind: str) -> TemplateFile | None:
    return next((f for f in files if f.kind == kind and f.used and not f.partial), None)


def check_clauses(
    workspace: Workspace, kinds: list[str], shown: Callable[[Path], str]
) -> list[ClauseProblem]:
    """Every clause a language variant of ``kinds`` lacks or adds, against the kind's primary template.
    ``shown`` turns a path into the form ``templates check`` prints."""
    problems: list[ClauseProblem] = []
    primaries = template_files(workspace)
    variants = {tag: variant_files(workspace, tag) for tag in LANGUAGES if tag != PRIMARY}
    for kind in dict.fromkeys(kinds):
        primary = _winner(primaries, kind)
        if primary is None or primary.engine != TEXT or primary.refused is not None:
            continue
        expected = clause_ids(primary.path)
        if not expected:  # a template of the company's own that marks no clauses: nothing to hold to
            continue
        for tag, files in variants.items():
            variant = _winner(files, kind)
            if variant is None or variant.engine != TEXT or variant.refused is not None:
                continue
            have = clause_ids(variant.path)
            where, source = shown(variant.path), shown(primary.path)
            for clause, line in expected.items():
                if clause not in have:
                    problems.append(
                        ClauseProblem(
                            where,
                            f"no clause `{clause}`, which {source}:{line} has: a {tag} {kind} would lack it",
                            f"translate the clause into {where} and mark it {{#- clause: {clause} -#}} "
                            "(docs/languages.md)",
                        )
                    )
            for clause, line in have.items():
                if clause not in expected:
                    problems.append(
                        ClauseProblem(
                            f"{where}:{line}",
                            f"clause `{clause}` is not in {source}: the {tag} {kind} would say what the "
                            "English one does not",
                            f"add it to {source} too, or remove it here",
                        )
                    )
    return problems


def render_problems(session: Session, kinds: list[str], shown: Callable[[Path], str]) -> list[ClauseProblem]:
    """Each language variant of ``kinds`` rendered with the kind's samples in every tone: a name the
    variant misspells, or a filter it misuses, is found before a letter in that language needs it.
    (The primary template gets the full static check of ``templates check``; a variant this one.)"""
    from hrdocs.engines import render_plain
    from hrdocs.errors import HrdocsError
    from hrdocs.kinds import registry, sample_contexts

    problems: list[ClauseProblem] = []
    for kind in dict.fromkeys(kinds):
        if registry(session).find(kind) is None:
            continue
        try:
            samples = sample_contexts(session, kind)
        except HrdocsError:
            continue  # reported with the primary template
        for tag in LANGUAGES:
            variant = _winner(variant_files(session.workspace, tag), kind) if tag != PRIMARY else None
            if variant is None or variant.engine != TEXT or variant.refused is not None:
                continue
            for context in samples:
                voice = context.get("voice")
                for tone in ("formal", "warm", "plain"):
                    toned = (
                        {**context, "voice": layered(voice, tone=tone)}
                        if isinstance(voice, View)
                        else context
                    )
                    try:
                        render_plain(session, f"{tag}/{kind}", toned, {})
                    except HrdocsError as exc:
                        located = re.match(r"^(.+?):(\d+): (.*)$", exc.message, re.S)
                        where, message = (
                            (f"{shown(Path(located[1]))}:{located[2]}", located[3])
                            if located
                            else (shown(variant.path), exc.message)
                        )
                        problems.append(ClauseProblem(where, message, exc.hint or ""))
                        break
                else:
                    continue
                break
    return problems

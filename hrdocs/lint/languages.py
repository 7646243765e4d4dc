"""Lint rules by the document's language: German, French and Dutch word lists instead of English ones.

The English word lists (gender-coded words, age-biased phrases under 29 CFR 1625.4, clichés), the
passive-voice pattern, the Flesch–Kincaid grade and the English wording the compliance checks look
for ("Apply by", "equal opportunity") say nothing true about a German text, so a document in another
language is read without them (:data:`ENGLISH_ONLY`) and with its language's own lists instead:

- ``language.age-bias``: age-risky wording ("junges Team", "Berufseinsteiger", "jeune diplômé",
  "starter"), an error like ``age-bias``;
- ``language.gendered-title``: a German posting title without "(m/w/d)" or another inclusive form, a
  French title with a gendered job noun and no double or épicène form ("H/F" tacked on is not one).

The lists are data with their sources: ``hrdocs/data/lint/languages/TAG.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from hrdocs.lint.rules import DATA_DIR, Compiled, EntryList, Matcher, entry_matcher, word_matcher
from hrdocs.loader import read_yaml, validate

FOLDER = DATA_DIR / "languages"
ENGLISH_ONLY = frozenset(
    {
        "gender-coded.masculine",
        "gender-coded.feminine",
        "gender-coded.balance",
        "age-bias",
        "cliche",
        "voice.passive",
        "readability.grade",
        "compliance.benefits",
        "compliance.deadline",
        "compliance.eeo",
    }
)
"""Rules whose word lists, patterns or formula are English: not run on a document in another language."""


class _Titles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    inclusive: str
    terms: list[str] = []
    """Gendered job nouns (French); empty: every title needs the inclusive form (German)."""
    message: str
    suggestion: str


class LanguageLists(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    age_bias: EntryList
    gendered_title: _Titles | None = None


@dataclass(frozen=True)
class Lists:
    age: Matcher
    titles: _Titles | None
    inclusive: re.Pattern[str] | None
    gendered: Matcher | None


@cache
def lists(language: str) -> Lists | None:
    """The compiled lists of ``language`` (``de``, ``fr``, ``nl``); ``None`` when it has none."""
    path = FOLDER / f"{language}.yaml"
    if not path.is_file():
        return None
    data, lines = read_yaml(path)
    found = validate(LanguageLists, data, str(path), lines)
    titles = found.gendered_title
    return Lists(
        age=entry_matcher(found.age_bias),
        titles=titles,
        inclusive=re.compile(titles.inclusive, re.IGNORECASE) if titles else None,
        gendered=word_matcher(titles.terms) if titles and titles.terms else None,
    )


def without_english(compiled: Compiled) -> Compiled:
    """The compiled rules with the English-only ones off, for a document in another language."""
    return replace(compiled, enabled=compiled.enabled - ENGLISH_ONLY)


class Run(Protocol):
    """What :func:`check` needs of the engine's run of one document."""

    kind: str

    def on(self, rule_id: str) -> bool: ...

    def add(
        self,
        rule: str,
        message: str,
        *,
        offset: int | None = ...,
        match: str = ...,
        suggestion: str | None = ...,
    ) -> None: ...


def check(run: Run, text: str, masked: str, language: str) -> None:
    """The language's own rules over one document (``masked``: its text with values masked)."""
    found = lists(language)
    if found is None:
        return
    if run.on("language.age-bias"):
        for m, term in found.age.finditer(masked):
            run.add(
                "language.age-bias",
                f"age-related wording ({term.label}): a presumption of age discrimination "
                f"({found_source(language)})",
                offset=m.start(),
                match=text[m.start() : m.end()],
                suggestion=term.suggestion,
            )
    titles = found.titles
    if titles is None or found.inclusive is None or not run.on("language.gendered-title"):
        return
    if run.kind not in ("posting", "template", "text"):
        return
    line = next((ln for ln in masked.splitlines() if ln.strip()), "")
    if found.inclusive.search(line):
        return
    if found.gendered is not None:
        hit = next(found.gendered.finditer(line), None)
        if hit is None:
            return
        start = hit[0].start()
        run.add("language.gendered-title", titles.message, offset=start, match=text[start : hit[0].end()],
                suggestion=titles.suggestion)  # fmt: skip
        return
    run.add("language.gendered-title", titles.message, offset=0, match=text[: len(line)].strip(),
            suggestion=titles.suggestion)  # fmt: skip


def found_source(language: str) -> str:
    path = FOLDER / f"{language}.yaml"
    data, _ = read_yaml(path)
    return str(data["age_bias"]["source"])

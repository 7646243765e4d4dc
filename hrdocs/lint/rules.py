"""The rule catalogue, the word lists behind it, and the compiled matchers for one set of settings.

Word lists are data (``hrdocs/data/lint/*.yaml``, each citing its source) so that a reviewer can check
them against the source without reading code, and a company can extend them in ``hrdocs.yaml``. Rule
ids, levels and the kinds of document each rule reads are code, listed once in :data:`RULES`, because
the engine and the documentation both depend on them.

Compiling a few hundred alternatives into regular expressions is the expensive part of linting, and
generation commands lint every document they write with the same settings; :func:`compile_rules`
therefore caches the result per settings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hrdocs.errors import HrdocsError
from hrdocs.lint.findings import Level
from hrdocs.loader import read_yaml, validate
from hrdocs.models import LintSettings, Voice

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "lint"

KINDS = ("job-description", "posting", "offer", "denial", "template", "text")
_ALL = frozenset(KINDS)
_ADS = frozenset({"job-description", "posting", "template", "text"})
_POSTINGS = frozenset({"job-description", "posting"})


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    kinds: frozenset[str]
    """Document kinds the rule reads; ``text`` is a file of unknown kind."""
    summary: str
    source: str
    takes_words: bool = False
    """Whether ``lint: extra_words:`` may add words to it."""


_GKF = "Gaucher, Friesen & Kay (2011), Appendix A"
RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("gender-coded.masculine", Level.INFO, _ADS, "masculine-coded word", _GKF, True),
        Rule("gender-coded.feminine", Level.INFO, _ADS, "feminine-coded word", _GKF, True),
        Rule("gender-coded.balance", Level.INFO, _ADS, "feminine vs masculine count", _GKF),
        Rule("age-bias", Level.ERROR, _ALL, "age-biased wording", "29 CFR 1625.4", True),
        Rule("cliche", Level.WARNING, _ALL, "cliché or exclusionary jargon", "hr-facts §3", True),
        Rule("voice.avoid", Level.WARNING, _ALL, "word the company avoids", "voice.avoid", True),
        Rule("voice.preferred-term", Level.WARNING, _ALL, "term with a preferred form",
             "voice.preferred_terms"),
        Rule("voice.sentence-length", Level.INFO, _ALL, "long sentence", "lint.max_sentence_words"),
        Rule("voice.passive", Level.INFO, _ALL, "passive voice (plain tone only)",
             "plainlanguage.gov"),
        Rule("readability.grade", Level.WARNING, _ALL, "Flesch–Kincaid grade too high",
             "Kincaid et al. (1975)"),
        Rule("length.posting", Level.WARNING, frozenset({"posting"}), "posting too short or long",
             "hr-facts §3"),
        Rule("compliance.pay-range", Level.ERROR, _POSTINGS, "pay range required by law",
             "pay_transparency.yaml"),
        Rule("compliance.benefits", Level.WARNING, _POSTINGS, "benefits description required",
             "pay_transparency.yaml"),
        Rule("compliance.deadline", Level.WARNING, _POSTINGS, "application deadline required",
             "pay_transparency.yaml"),
        Rule("compliance.eeo", Level.WARNING, _POSTINGS, "equal-opportunity statement missing",
             "lint.require_eeo"),
        Rule("language.age-bias", Level.ERROR, _ALL, "age-risky wording in German, French or Dutch",
             "data/lint/languages/*.yaml (AGG § 11; L1132-1)"),
        Rule("language.gendered-title", Level.WARNING, frozenset({"posting", "template", "text"}),
             "posting title without an inclusive form (m/w/d; épicène)", "data/lint/languages/*.yaml"),
    ]
}  # fmt: skip
GROUPS = frozenset(rule_id.split(".")[0] for rule_id in RULES)


# ------------------------------------------------------------------------------------ data files
class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GenderLists(_Data):
    source: str
    masculine: list[str] = Field(min_length=1)
    feminine: list[str] = Field(min_length=1)
    alternatives: dict[str, str] = {}
    allow: list[str] = []


class Entry(_Data):
    terms: list[str] = []
    pattern: str | None = None
    suggestion: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Entry:
        if bool(self.terms) == bool(self.pattern):
            raise ValueError("give either `terms` or `pattern`")
        if self.pattern:
            re.compile(self.pattern)
        return self


class EntryList(_Data):
    source: str
    entries: list[Entry]


class PassiveData(_Data):
    source: str
    irregular: list[str]
    adjectives: list[str]


@cache
def _load(name: str, model: type[_Data]) -> _Data:
    path = DATA_DIR / name
    data, lines = read_yaml(path)
    return validate(model, data, str(path), lines)


def gender_lists() -> GenderLists:
    return _load("gender_coded.yaml", GenderLists)  # type: ignore[return-value]


def entry_list(name: str) -> EntryList:
    return _load(name, EntryList)  # type: ignore[return-value]


def passive_data() -> PassiveData:
    return _load("passive.yaml", PassiveData)  # type: ignore[return-value]


# -------------------------------------------------------------------------------------- matching
_TERM = re.compile(r"[^*]*[\w'’][^*]*\*?")
_SEPARATOR = r"[\s,;:/\-–—]+"


def term_pattern(term: str) -> str:
    """A list entry as a regular expression, matched at word starts.

    ``lead*`` is a stem: any letters, digits or hyphens may follow. Other entries match whole words.
    Words of a phrase may be separated by any run of spaces, hyphens or light punctuation, so
    ``fast paced`` matches "fast-paced" and ``work hard play hard`` matches "work hard, play hard".
    """
    term = term.strip()
    if not _TERM.fullmatch(term):
        raise ValueError(f"`{term}`: a `*` may only end an entry")
    words = [w for w in re.split(r"[^\w'’]+", term.rstrip("*")) if w]
    body = _SEPARATOR.join(re.escape(w) for w in words)
    return body + (r"[\w\-]*" if term.endswith("*") else r"(?!\w)")


@dataclass(frozen=True)
class Term:
    label: str
    """The entry as written in the list (``lead*``), or the pattern."""
    suggestion: str | None = None


class Matcher:
    """Many terms compiled into one regular expression; reports which term matched."""

    def __init__(self, terms: Sequence[tuple[str, Term]]) -> None:
        """``terms``: (regular expression, term) pairs; longer ones are tried first.

        Every term starts at a word start, so the ``(?<!\\w)`` test is made once for all of them:
        most positions in a text are not word starts, and they then fail at once.
        """
        self.terms = [term for _, term in terms]
        parts = sorted(((pattern, i) for i, (pattern, _) in enumerate(terms)), key=lambda p: -len(p[0]))
        alternation = "|".join(f"(?P<t{i}>{pattern})" for pattern, i in parts)
        self.regex = re.compile(rf"(?<!\w)(?:{alternation})", re.IGNORECASE) if parts else None

    def finditer(self, text: str) -> Iterator[tuple[re.Match[str], Term]]:
        if self.regex is None:
            return
        for match in self.regex.finditer(text):
            if match.end() > match.start():
                yield match, self.terms[int(match.lastgroup[1:])]  # type: ignore[index]


def word_matcher(words: Sequence[str], suggestions: dict[str, str] | None = None) -> Matcher:
    suggestions = suggestions or {}
    return Matcher([(term_pattern(w), Term(w.strip(), suggestions.get(w.strip()))) for w in words])


def entry_matcher(data: EntryList, extra: Sequence[str] = ()) -> Matcher:
    pairs: list[tuple[str, Term]] = []
    for entry in data.entries:
        if entry.pattern:
            pairs.append((rf"(?:{entry.pattern})(?!\w)", Term(entry.pattern, entry.suggestion)))
        pairs.extend((term_pattern(t), Term(t, entry.suggestion)) for t in entry.terms)
    pairs.extend((term_pattern(t), Term(t)) for t in extra)
    return Matcher(pairs)


# ------------------------------------------------------------------------------------- settings
def _problems(settings: LintSettings) -> list[str]:
    """Every mistake in the ``lint:`` settings, each as one line naming the setting."""
    problems: list[str] = []
    known = sorted(RULES) + sorted(GROUPS - set(RULES))
    for where, ids in (("disable", settings.disable), ("levels", settings.levels)):
        for rule_id in ids:
            if rule_id not in RULES and rule_id not in GROUPS:
                close = difflib.get_close_matches(rule_id, known, n=3, cutoff=0.6)
                hint = f" (did you mean {', '.join(f'`{c}`' for c in close)}?)" if close else ""
                problems.append(f"lint.{where}: unknown rule id `{rule_id}`{hint}")
    word_rules = sorted(r.id for r in RULES.values() if r.takes_words)
    for rule_id, words in settings.extra_words.items():
        if rule_id not in word_rules:
            close = difflib.get_close_matches(rule_id, word_rules, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(f'`{c}`' for c in close)}?)" if close else ""
            problems.append(
                f"lint.extra_words: `{rule_id}` is not a rule that takes words{hint}; "
                f"those that do: {', '.join(word_rules)}"
            )
        problems.extend(_bad_terms(f"lint.extra_words.{rule_id}", words))
    problems.extend(_bad_terms("lint.allow", settings.allow))
    return problems


def _bad_terms(where: str, words: Sequence[str]) -> list[str]:
    out = []
    for word in words:
        try:
            term_pattern(word)
        except ValueError as exc:
            out.append(f"{where}: {exc}")
    return out


def check_settings(settings: LintSettings) -> None:
    """Raise one :class:`HrdocsError` listing every unknown rule id or bad word in ``settings``."""
    problems = _problems(settings)
    if problems:
        known = ", ".join([*sorted(RULES), *sorted(GROUPS - set(RULES))])
        raise HrdocsError(
            "hrdocs.yaml `lint:` settings:\n" + "\n".join(f"  {p}" for p in problems),
            hint=f"known rule ids (a group like `gender-coded` covers all its rules): {known}",
        )


def _covers(prefix: str, rule_id: str) -> bool:
    return rule_id == prefix or rule_id.startswith(prefix + ".")


@dataclass(frozen=True)
class Compiled:
    """Everything the engine needs for one (settings, voice) pair, built once."""

    settings: LintSettings
    enabled: frozenset[str]
    levels: dict[str, Level]
    """Rule id -> level given by the user (exact id or a group prefix, the exact id winning)."""
    words: dict[str, Matcher]
    """Matchers of the word rules, by rule id."""
    gender_allow: Matcher
    allow: Matcher
    passive: re.Pattern[str]
    passive_adjectives: frozenset[str]

    def on(self, rule_id: str, kind: str) -> bool:
        return rule_id in self.enabled and kind in RULES[rule_id].kinds

    def level(self, rule_id: str, default: Level | None = None) -> Level:
        return self.levels.get(rule_id, default or RULES[rule_id].level)


def _build(settings: LintSettings, voice: Voice) -> Compiled:
    check_settings(settings)
    enabled = frozenset(r for r in RULES if not any(_covers(d, r) for d in settings.disable))
    levels: dict[str, Level] = {}
    for rule_id in RULES:
        given = sorted((p for p in settings.levels if _covers(p, rule_id)), key=len)
        if given:
            levels[rule_id] = Level(settings.levels[given[-1]])
    extra = settings.extra_words
    gender = gender_lists()
    words = {
        "gender-coded.masculine": word_matcher(
            [*gender.masculine, *extra.get("gender-coded.masculine", [])], gender.alternatives
        ),
        "gender-coded.feminine": word_matcher(
            [*gender.feminine, *extra.get("gender-coded.feminine", [])], gender.alternatives
        ),
        "age-bias": entry_matcher(entry_list("age_bias.yaml"), extra.get("age-bias", [])),
        "cliche": entry_matcher(entry_list("cliches.yaml"), extra.get("cliche", [])),
        "voice.avoid": word_matcher(
            [*voice.avoid, *extra.get("voice.avoid", [])], dict(voice.preferred_terms)
        ),
        "voice.preferred-term": Matcher(
            [(term_pattern(k), Term(k, v)) for k, v in voice.preferred_terms.items()]
        ),
    }
    passive = passive_data()
    irregular = "|".join(re.escape(w) for w in passive.irregular)
    return Compiled(
        settings=settings,
        enabled=enabled,
        levels=levels,
        words=words,
        gender_allow=word_matcher(gender.allow),
        allow=word_matcher(settings.allow),
        passive=re.compile(
            rf"(?<!\w)(?:am|is|are|was|were|be|been|being)\s+(?:(?:not|\w+ly)\s+)?"
            rf"(?P<participle>\w{{2,}}ed|{irregular})(?![\w-])",
            re.IGNORECASE,
        ),
        passive_adjectives=frozenset(w.lower() for w in passive.adjectives),
    )


_CACHE: dict[str, Compiled] = {}


def compile_rules(settings: LintSettings, voice: Voice) -> Compiled:
    """The matchers for these settings, compiled on first use and then reused.

    Keyed on the settings' JSON and the two voice fields the linter reads (the models hold lists, so
    they are not hashable themselves).
    """
    key = "\x00".join(
        [
            settings.model_dump_json(),
            voice.model_dump_json(include={"avoid", "preferred_terms"}),
        ]
    )
    compiled = _CACHE.get(key)
    if compiled is None:
        if len(_CACHE) >= 64:
            _CACHE.clear()
        compiled = _CACHE[key] = _build(settings, voice)
    return compiled

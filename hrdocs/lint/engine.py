"""Lint one document: run every enabled rule over its masked text and collect findings.

The engine knows the order of work and how a match becomes a :class:`Finding` (allow-lists, levels,
positions); what to look for lives in :mod:`hrdocs.lint.rules` and its data files, and which laws apply
where lives in :mod:`hrdocs.compliance`. Checks never raise on odd text: a linter that crashes on a
stray ``{{`` or an emoji would stop a whole batch of generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from hrdocs.compliance import OPEN_ENDED_PAY, PayRule, What, describe, load_rules, rules_for
from hrdocs.errors import UnknownName
from hrdocs.lint import languages
from hrdocs.lint.findings import BALANCE_RULE, Finding, Level, balance_verdict
from hrdocs.lint.readability import flesch_kincaid_grade
from hrdocs.lint.rules import KINDS, Compiled, Matcher, Term, compile_rules
from hrdocs.lint.text import WORD, Document
from hrdocs.models import LintSettings, Location, Tone, Voice, today

MIN_WORDS_FOR_GRADE = 30
"""Below this the Flesch–Kincaid grade swings with a single word, so it is not reported."""

_MONEY = r"(?:[$€£¥]\s?|\b(?:USD|EUR|GBP|CAD|AUD|CHF)\s?)"
_AMOUNT = r"\d[\d,.]*\s?[kK]?"
_PAY_RANGE = re.compile(
    rf"{_MONEY}{_AMOUNT}\s*(?:-|–|—|to)\s*{_MONEY}?{_AMOUNT}"  # $90,000 – $120,000; USD 90k to 120k
    rf"|(?<![\d,.]){_AMOUNT}\s*(?:-|–|—|to)\s*{_AMOUNT}\s*(?:USD|EUR|GBP|CAD|AUD|CHF)\b"  # 90–120k USD
    rf"|{_MONEY}{_AMOUNT}\s*(?:/|per|an?)\s*(?:hour|hr|year|yr|month|week)\b",  # $25 per hour
    re.IGNORECASE,
)
_BENEFITS = re.compile(r"benefit", re.IGNORECASE)
_DEADLINE = re.compile(
    r"deadline|apply by|closing date|applications?\s+(?:close|closes|are\s+accepted|accepted)"
    r"|accepting applications|open until|application window",
    re.IGNORECASE,
)
_EEO = re.compile(r"equal\s+(?:employment\s+)?opportunit", re.IGNORECASE)

_WORD_MESSAGES = {
    "gender-coded.masculine": "masculine-coded word ({label}); such wording is linked to fewer "
    "applications from women",
    "gender-coded.feminine": "feminine-coded word ({label}); fine in itself, the balance counts",
    "age-bias": "age-biased wording; 29 CFR 1625.4 names wording like this as a violation in job notices",
    "cliche": "cliché or exclusionary jargon that puts candidates off",
    "voice.avoid": "a word the company's voice avoids",
    "voice.preferred-term": "the company's voice says “{suggestion}”",
}


class _Run:
    """The state of linting one document: where findings go and how matches become findings."""

    def __init__(self, doc: Document, source: str, kind: str, compiled: Compiled) -> None:
        self.doc = doc
        self.source = source
        self.kind = kind
        self.rules = compiled
        self.findings: list[Finding] = []
        self._allowed = self._spans(compiled.allow)
        self._gender_allowed = self._allowed + self._spans(compiled.gender_allow)

    def _spans(self, matcher: Matcher) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m, _ in matcher.finditer(self.doc.masked)]

    def on(self, rule_id: str) -> bool:
        return self.rules.on(rule_id, self.kind)

    def allowed(self, match: re.Match[str], gender: bool = False) -> bool:
        spans = self._gender_allowed if gender else self._allowed
        return any(a <= match.start() and match.end() <= b for a, b in spans)

    def add(
        self,
        rule: str,
        message: str,
        *,
        offset: int | None = None,
        match: str = "",
        suggestion: str | None = None,
        level: Level | None = None,
    ) -> None:
        line, column = self.doc.position(offset) if offset is not None else (None, None)
        self.findings.append(
            Finding(
                rule=rule,
                level=self.rules.level(rule, level),
                source=self.source,
                line=line,
                column=column,
                match=match,
                message=message,
                suggestion=suggestion,
            )
        )

    def words(self, rule: str) -> None:
        """Report every match of a word rule that no allow-list covers."""
        for m, term in self.rules.words[rule].finditer(self.doc.masked):
            if self.allowed(m) or (rule == "voice.preferred-term" and self._already(m, term)):
                continue
            text = self.doc.text[m.start() : m.end()]
            message = _WORD_MESSAGES[rule].format(label=term.label, suggestion=term.suggestion)
            suggestion = term.suggestion
            if rule == "voice.avoid" and not suggestion:
                suggestion = "rephrase without it"
            self.add(rule, message, offset=m.start(), match=text, suggestion=suggestion)

    def _already(self, match: re.Match[str], term: Term) -> bool:
        """Whether the preferred form is what stands here ("team" inside "team members")."""
        preferred = (term.suggestion or "").casefold()
        return bool(preferred) and self.doc.masked[match.start() :].casefold().startswith(preferred)


def _gender(run: _Run) -> None:
    """Coded words one by one (info), and their balance as the decoder scores it."""
    ids = ("gender-coded.masculine", "gender-coded.feminine")
    if not any(run.on(r) for r in (*ids, BALANCE_RULE)):
        return
    found = {
        rule: [
            (m, term)
            for m, term in run.rules.words[rule].finditer(run.doc.masked)
            if not run.allowed(m, gender=True)
        ]
        for rule in ids
    }
    masculine, feminine = len(found[ids[0]]), len(found[ids[1]])
    score, verdict = balance_verdict(feminine, masculine)
    strong = abs(score) > 3
    dominant = ids[0] if score < 0 else ids[1]
    for rule in ids:
        if not run.on(rule):
            continue
        level = Level.WARNING if strong and rule == dominant else Level.INFO
        for m, term in found[rule]:
            run.add(
                rule,
                _WORD_MESSAGES[rule].format(label=term.label, suggestion=term.suggestion),
                offset=m.start(),
                match=run.doc.text[m.start() : m.end()],
                suggestion=term.suggestion,
                level=level,
            )
    if run.on(BALANCE_RULE):
        suggestion = None
        if score < 0:
            suggestion = "swap some masculine-coded words for the suggested alternatives"
        elif score > 0:
            suggestion = "fine if intended; a neutral ad balances both kinds of words"
        shown = f"{score:+d}" if score else "0"
        run.add(
            BALANCE_RULE,
            f"{verdict} (score {shown}: feminine minus masculine; 0 neutral, ±1–3 coded, "
            "beyond ±3 strongly coded)",
            match=f"{feminine} feminine vs {masculine} masculine",
            suggestion=suggestion,
            level=Level.WARNING if strong else Level.INFO,
        )


def _style(run: _Run, voice: Voice) -> None:
    """Sentence length, passive voice (plain tone only), reading grade and posting length."""
    settings = run.rules.settings
    doc = run.doc
    if run.on("voice.sentence-length"):
        for span in doc.sentences:
            words = list(WORD.finditer(doc.masked, span.start, span.end))
            if len(words) > settings.max_sentence_words:
                run.add(
                    "voice.sentence-length",
                    f"sentence of {len(words)} words (limit {settings.max_sentence_words})",
                    offset=span.start,
                    match=doc.text[span.start : words[min(5, len(words) - 1)].end()],
                    suggestion="split it into shorter sentences",
                )
    if voice.tone == Tone.PLAIN and run.on("voice.passive"):
        for m in run.rules.passive.finditer(doc.masked):
            if m["participle"].lower() not in run.rules.passive_adjectives and not run.allowed(m):
                run.add(
                    "voice.passive",
                    "passive voice; the plain tone prefers saying who does what",
                    offset=m.start(),
                    match=doc.text[m.start() : m.end()],
                    suggestion="name who acts: “you will …”, “we …”",
                )
    if run.on("readability.grade") and len(doc.words) >= MIN_WORDS_FOR_GRADE:
        grade = flesch_kincaid_grade(doc.words, len(doc.sentences))
        if grade is not None and grade > settings.max_grade:
            run.add(
                "readability.grade",
                f"Flesch–Kincaid grade {grade:.1f} (limit {settings.max_grade:g})",
                suggestion="use shorter sentences and everyday words",
            )
    if run.on("length.posting"):
        low, high = settings.posting_words
        count = len(doc.words)
        if not low <= count <= high:
            run.add(
                "length.posting",
                f"{count} words; postings read best at {low}–{high} words",
                suggestion="add what the job involves" if count < low else "cut to the essentials",
            )


def _compliance(
    run: _Run,
    locations: Sequence[Location],
    has_pay_range: bool | None,
    employer_size: int | None,
    on: date,
    pay_rules: Sequence[PayRule] | None,
) -> None:
    """Pay-transparency requirements for the posting's locations, and the EEO statement."""
    text = run.doc.masked
    if run.kind == "posting" or (run.kind == "job-description" and locations):
        rules = load_rules() if pay_rules is None else pay_rules
        applying: dict[str, PayRule] = {}
        for location in locations:
            for rule in rules_for(location, rules=rules, employer_size=employer_size, on=on):
                applying.setdefault(rule.id, rule)
        needs: dict[What, list[PayRule]] = {}
        for rule in applying.values():
            for required in rule.requirements_on(on):
                needs.setdefault(required, []).append(rule)
        shows_pay = has_pay_range if has_pay_range is not None else bool(_PAY_RANGE.search(text))
        checks: list[tuple[What, str, object, str, str]] = [
            ("pay-range", "compliance.pay-range", shows_pay, "no pay range",
             "add the pay range (minimum–maximum and period)"),
            ("closed-range", "compliance.pay-range", not OPEN_ENDED_PAY.search(text),
             "open-ended pay", "give both ends of the range (“$20–$24 per hour”), or one figure"),
            ("benefits", "compliance.benefits", _BENEFITS.search(text), "no benefits section",
             "add a general description of benefits and other pay under a “Benefits” heading"),
            ("application-deadline", "compliance.deadline", _DEADLINE.search(text),
             "no application deadline", "add the date applications close (“Apply by …”)"),
        ]  # fmt: skip
        for what, rule_id, present, problem, fix in checks:
            if needs.get(what) and not present and run.on(rule_id):
                first, *others = sorted(needs[what], key=lambda r: (r.in_force, r.id))
                also = f"; also required by {', '.join(r.name for r in others)}" if others else ""
                message = f"{problem}: {describe(first, on=on, what=what)}{also}"
                run.add(rule_id, message, suggestion=fix)
    if run.rules.settings.require_eeo and run.on("compliance.eeo") and not _EEO.search(text):
        run.add(
            "compliance.eeo",
            "no equal-opportunity statement",
            suggestion="add the company's EEO statement (“… is an equal opportunity employer …”)",
        )


def lint_text(
    text: str,
    *,
    source: str,
    kind: str,
    settings: LintSettings,
    voice: Voice,
    locations: Sequence[Location] = (),
    has_pay_range: bool | None = None,
    employer_size: int | None = None,
    on: date | None = None,
    pay_rules: Sequence[PayRule] | None = None,
    language: str = "en",
) -> list[Finding]:
    """Every finding in ``text``, ordered by position (whole-document findings first).

    ``has_pay_range`` ``None`` means the caller does not know: the text is searched for an amount
    range ("$90,000 – $120,000", "90k to 120k USD") or a rate ("$25 per hour"). ``pay_rules`` defaults
    to the built-in pay-transparency rules; callers with a company rules file pass
    :func:`hrdocs.compliance.load_rules` of it. Raises :class:`~hrdocs.errors.HrdocsError` for an
    unknown ``kind`` or unknown rule ids in ``settings``. ``language``: the document's (hrdocs.language).
    """
    if kind not in KINDS:
        raise UnknownName("document kind", kind, KINDS)
    own = language.split("-")[0] != "en"  # the document's language: its own lists (hrdocs.lint.languages)
    compiled = compile_rules(settings, voice)
    run = _Run(Document(text), source, kind, languages.without_english(compiled) if own else compiled)
    if own:
        languages.check(run, run.doc.text, run.doc.masked, language.split("-")[0])
    _gender(run)
    for rule in ("age-bias", "cliche", "voice.avoid", "voice.preferred-term"):
        if run.on(rule):
            run.words(rule)
    _style(run, voice)
    _compliance(run, locations, has_pay_range, employer_size, on or today(), pay_rules)
    return sorted(
        run.findings,
        key=lambda f: (f.line or 0, f.column or 0, f.level.rank, f.rule, f.match),
    )

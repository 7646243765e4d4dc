"""Tests for hrdocs.lint: the corpus of short postings, settings, output formats and robustness."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from hrdocs.errors import HrdocsError
from hrdocs.lint import KINDS, RULES, Finding, Level, LintReport, balance_verdict, lint_text
from hrdocs.lint.readability import flesch_kincaid_grade, syllables
from hrdocs.lint.rules import compile_rules, gender_lists
from hrdocs.lint.text import Document, mask
from hrdocs.models import LintSettings, Location, Tone, Voice

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "lint_corpus" / "cases.yaml").read_text("utf-8"))["cases"]


def lint(text: str, kind: str = "text", source: str = "doc.md", **kwargs: Any) -> list[Finding]:
    kwargs.setdefault("settings", LintSettings())
    kwargs.setdefault("voice", Voice())
    return lint_text(text, source=source, kind=kind, **kwargs)


def fits(finding: Finding, expected: dict[str, Any]) -> bool:
    for key, value in expected.items():
        actual = getattr(finding, key)
        if key == "match":
            if actual.lower() != str(value).lower():
                return False
        elif key == "level":
            if actual is not Level(value):
                return False
        elif actual != value:
            return False
    return True


def run_case(case: dict[str, Any]) -> list[Finding]:
    return lint(
        case["text"],
        kind=case.get("kind", "text"),
        settings=LintSettings.model_validate(case.get("settings", {})),
        voice=Voice.model_validate(case.get("voice", {})),
        locations=[Location.model_validate(loc) for loc in case.get("locations", [])],
        has_pay_range=case.get("has_pay_range"),
        employer_size=case.get("employer_size"),
        on=case.get("on", date(2025, 6, 1)),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_corpus(case: dict[str, Any]) -> None:
    findings = run_case(case)
    shown = "\n".join(f"  {f.rule} {f.level} {f.match!r} line {f.line}" for f in findings)
    for expected in case.get("must", []):
        assert any(fits(f, expected) for f in findings), f"missing {expected}; found:\n{shown}"
    for expected in case.get("must_not", []):
        assert not any(fits(f, expected) for f in findings), f"unwanted {expected}; found:\n{shown}"


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 15


# ------------------------------------------------------------------------------------ data
def test_gender_lists_are_the_papers() -> None:
    lists = gender_lists()
    assert len(lists.masculine) == 42
    assert len(lists.feminine) == 40
    assert "Gaucher" in lists.source
    listed = set(lists.masculine) | set(lists.feminine)
    assert set(lists.alternatives) <= listed


def test_every_rule_is_documented() -> None:
    docs = (ROOT / "docs" / "lint.md").read_text("utf-8")
    for rule_id in RULES:
        assert f"`{rule_id}`" in docs


# -------------------------------------------------------------------------------- settings
def test_disable_exact_and_prefix() -> None:
    text = "A competitive leader who is warm and young."
    assert not any(
        f.rule.startswith("gender-coded") for f in lint(text, settings=LintSettings(disable=["gender-coded"]))
    )
    rules = {f.rule for f in lint(text, settings=LintSettings(disable=["gender-coded.feminine"]))}
    assert "gender-coded.masculine" in rules
    assert "gender-coded.feminine" not in rules
    assert "age-bias" in rules


def test_levels_override_exact_beats_prefix() -> None:
    settings = LintSettings(levels={"gender-coded": "warning", "gender-coded.feminine": "error"})
    found = {f.rule: f.level for f in lint("A competitive and warm person.", settings=settings)}
    assert found["gender-coded.masculine"] is Level.WARNING
    assert found["gender-coded.feminine"] is Level.ERROR
    assert found["gender-coded.balance"] is Level.WARNING
    assert lint("A young person.", settings=LintSettings(levels={"age-bias": "info"}))[0].level is (
        Level.INFO
    )


def test_allow_words_and_phrases() -> None:
    settings = LintSettings(allow=["Young", "ninja turtles"])
    found = lint("Young Brothers Ltd ships ninja turtles, not ninjas.", settings=settings)
    assert [(f.rule, f.match) for f in found if f.rule != "gender-coded.balance"] == [("cliche", "ninjas")]


def test_built_in_allow_list_is_for_the_gender_coded_rules_only() -> None:
    """docs/lint.md: "competency/competencies", "lead time(s)", … are never gender-coded findings, but a
    company that avoids the word still hears about it."""
    text = "Competencies: SharePoint, lead-times and a competitive salary."
    words = ("gender-coded.masculine", "gender-coded.feminine")
    coded = [f.match for f in lint(text) if f.rule in words]
    assert coded == ["competitive"]
    avoided = lint(text, voice=Voice(avoid=["competencies"]))
    assert [f.match for f in avoided if f.rule == "voice.avoid"] == ["Competencies"]


def test_extra_words() -> None:
    settings = LintSettings(
        extra_words={
            "cliche": ["crush it"],
            "age-bias": ["energetic"],
            "gender-coded.masculine": ["fearless*"],
            "voice.avoid": ["utilize"],
        }
    )
    found = {(f.rule, f.match) for f in lint("Fearlessly utilize energy to crush it.", settings=settings)}
    assert {("cliche", "crush it"), ("gender-coded.masculine", "Fearlessly")} <= found
    assert ("voice.avoid", "utilize") in found
    assert ("age-bias", "Energetic") in {
        (f.rule, f.match) for f in lint("Energetic people.", settings=settings)
    }


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (LintSettings(disable=["gender-coded.masculin"]), "did you mean `gender-coded.masculine`"),
        (LintSettings(levels={"clichee": "info"}), "did you mean `cliche`"),
        (LintSettings(extra_words={"readability.grade": ["x"]}), "not a rule that takes words"),
        (LintSettings(extra_words={"cliche": ["*star"]}), "a `*` may only end an entry"),
    ],
)
def test_bad_settings_are_clear_errors(settings: LintSettings, expected: str) -> None:
    with pytest.raises(HrdocsError) as caught:
        lint("text", settings=settings)
    assert expected in str(caught.value)
    assert "compliance.pay-range" in str(caught.value)  # the known ids are listed


def test_unknown_kind() -> None:
    with pytest.raises(HrdocsError, match="unknown document kind `memo`"):
        lint("text", kind="memo")


def test_compiled_once_per_settings() -> None:
    assert compile_rules(LintSettings(), Voice()) is compile_rules(LintSettings(), Voice())
    assert compile_rules(LintSettings(allow=["x"]), Voice()) is not compile_rules(LintSettings(), Voice())


# ---------------------------------------------------------------------------- gender balance
@pytest.mark.parametrize(
    ("feminine", "masculine", "score", "verdict"),
    [
        (0, 0, 0, "neutral"),
        (2, 2, 0, "neutral"),
        (1, 0, 1, "feminine-coded"),
        (3, 0, 3, "feminine-coded"),
        (4, 0, 4, "strongly feminine-coded"),
        (0, 3, -3, "masculine-coded"),
        (1, 5, -4, "strongly masculine-coded"),
    ],
)
def test_balance_verdict(feminine: int, masculine: int, score: int, verdict: str) -> None:
    assert balance_verdict(feminine, masculine) == (score, verdict)


def test_balance_finding_counts_occurrences() -> None:
    found = lint("Lead with logic. Lead with trust.")
    balance = [f for f in found if f.rule == "gender-coded.balance"]
    assert len(balance) == 1
    assert balance[0].match == "1 feminine vs 3 masculine"
    assert balance[0].line is None
    assert balance[0].message.startswith("masculine-coded (score -2")


def test_gender_rules_skip_letters() -> None:
    assert not [f for f in lint("We are confident you will lead well.", kind="offer") if "gender" in f.rule]


# ------------------------------------------------------------------------------- positions
def test_jinja_masked_and_positions_refer_to_original() -> None:
    text = "{{ role.competencies }} and a rockstar\n{% if x %}young{% endif %}"
    found = [f for f in lint(text, kind="template") if f.line is not None]
    assert [(f.rule, f.match, f.line, f.column) for f in found] == [
        ("cliche", "rockstar", 1, 31),
        ("age-bias", "young", 2, 11),
    ]


def test_mask_keeps_length_and_lines() -> None:
    text = "a {{ x\n y }} b `leader` <b>c</b> https://example.com/lead x@lead.io [l](http://lead)"
    masked = mask(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert "lead" not in masked


# ------------------------------------------------------------------------------ readability
@pytest.mark.parametrize(
    ("word", "count"),
    [("the", 1), ("make", 1), ("roles", 1), ("tables", 2), ("wanted", 2), ("worked", 1),
     ("various", 3), ("beautiful", 3), ("communication", 5), ("HR", 1), ("", 0)],
)  # fmt: skip
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_flesch_kincaid_formula() -> None:
    # 2 sentences, 4 words of 1 syllable: 0.39 * 2 + 11.8 * 1 - 15.59
    assert flesch_kincaid_grade(["the", "cat", "sat", "down"], 2) == pytest.approx(-3.01)
    assert flesch_kincaid_grade([], 0) is None


def test_sentences_treat_list_items_and_headings_as_their_own() -> None:
    doc = Document("# Title\n- one item\n- two items\nA sentence. Another e.g. this one.\nMore\n")
    assert [doc.masked[s.start : s.end] for s in doc.sentences] == [
        "Title",
        "one item",
        "two items",
        "A sentence.",
        "Another e.g. this one.",
        "More",
    ]


def test_readability_and_sentence_length() -> None:
    long = "Comprehensive organizational responsibilities necessitate considerable administrative " * 8
    found = lint(long.strip() + ".", settings=LintSettings(max_grade=8, max_sentence_words=20))
    rules = {f.rule: f for f in found}
    assert rules["readability.grade"].level is Level.WARNING
    assert rules["voice.sentence-length"].match == (
        "Comprehensive organizational responsibilities necessitate considerable administrative"
    )
    assert "readability.grade" not in {f.rule for f in lint("Short and sweet.")}


def test_preferred_term_already_in_place() -> None:
    voice = Voice(preferred_terms={"team": "team members", "staff": "team members"})
    found = [(f.rule, f.match) for f in lint("Our team members and staff.", voice=voice)]
    assert [m for r, m in found if r == "voice.preferred-term"] == ["staff"]


def test_age_phrasings() -> None:
    text = "Age 25 to 35. Between the ages of 21 and 30. Under 40 years old. Over 10 years of experience."
    found = [f.match for f in lint(text) if f.rule == "age-bias"]
    assert found == ["Age 25 to 35", "Between the ages of 21 and 30", "Under 40 years old"]


def test_passive_only_in_plain_tone() -> None:
    text = "Reports are written weekly."
    assert "voice.passive" in {f.rule for f in lint(text, voice=Voice(tone=Tone.PLAIN))}
    assert "voice.passive" not in {f.rule for f in lint(text, voice=Voice(tone=Tone.FORMAL))}


# ------------------------------------------------------------------------------- compliance
def test_pay_range_found_in_text_when_unknown() -> None:
    where = {"kind": "posting", "locations": [Location.model_validate("Denver, CO")]}
    missing = lint("Work in Denver.", **where, on=date(2025, 1, 1))
    assert "compliance.pay-range" in {f.rule for f in missing}
    for shown in ("$70,000 - $80,000", "USD 70k to 80k", "70,000–80,000 EUR", "$25 per hour"):
        found = lint(f"Work in Denver for {shown}.", **where, on=date(2025, 1, 1))
        assert "compliance.pay-range" not in {f.rule for f in found}, shown
    told = lint("Work in Denver.", **where, has_pay_range=True, on=date(2025, 1, 1))
    assert "compliance.pay-range" not in {f.rule for f in told}


def test_job_description_checked_only_with_locations() -> None:
    assert "compliance.pay-range" not in {f.rule for f in lint("A job.", kind="job-description")}
    found = lint("A job.", kind="job-description", locations=[Location.model_validate("Remote (US)")])
    assert "compliance.pay-range" in {f.rule for f in found}
    assert "compliance.eeo" not in {f.rule for f in lint("A job.", kind="offer")}


# ------------------------------------------------------------------------------------ output
def test_json_shape_and_order() -> None:
    report = LintReport()
    report.add("b.md", lint("A young rockstar.\nCompetitive.", source="b.md"))
    report.add("a.md", lint("Competitive.", source="a.md"))
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    assert [d["source"] for d in data] == ["b.md"] * 4 + ["a.md"] * 2
    assert set(data[0]) == {
        "rule", "level", "source", "line", "column", "match", "message", "suggestion"
    }  # fmt: skip
    assert data[0]["line"] is None  # whole-document findings first
    positions = [(d["line"], d["column"]) for d in data[:4] if d["line"] is not None]
    assert positions == sorted(positions)
    assert {d["level"] for d in data} <= {"error", "warning", "info"}


def test_format_text() -> None:
    report = LintReport()
    report.add("posting.md", lint("A young rockstar.", source="posting.md"))
    report.add("clean.md", [])
    out = report.format_text(color=False)
    assert "posting.md\n" in out
    assert "clean.md: no problems" in out
    assert "gender balance: 0 feminine vs 0 masculine: neutral" in out
    assert out.splitlines()[-1] == "1 error, 1 warning, 1 info in 2 documents"
    assert "\x1b[" not in out
    assert "\x1b[31m" in report.format_text(color=True)
    assert report.has_errors


# ----------------------------------------------------------------------------- robustness
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), kind=st.sampled_from(KINDS))
def test_never_crashes_and_positions_are_exact(text: str, kind: str) -> None:
    findings = lint(
        text,
        kind=kind,
        locations=[Location.model_validate("Remote (US)")],
        voice=Voice(tone=Tone.PLAIN),
    )
    lines = text.split("\n")
    for f in findings:
        if f.line is None:
            continue
        line = lines[f.line - 1]
        assert line[f.column - 1 :].startswith(f.match.split("\n")[0])


@hsettings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["lead", "young", "{{", "}}", "{%", "rockstar", "-", "\n", "$5", "is", "made"]),
        max_size=40,
    )
)
def test_never_crashes_on_markup_soup(words: list[str]) -> None:
    lint(" ".join(words), kind="template")

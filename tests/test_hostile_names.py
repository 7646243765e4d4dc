"""Hostile file names: any script, any length, counters, every format; always whole, unique, in budget.

Issue 12 found a long Cyrillic or Chinese name cut to ``…-hr-generalist.do`` (the suffix lost), a
second ``…-2`` with no suffix, and two rows with one long Chinese name making a batch loop forever.
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pathvalidate import sanitize_filename, validate_filename

from hrdocs.naming import (
    NAME_BYTES,
    STEM_BYTES,
    SUFFIX_BYTES,
    NamePattern,
    UniqueNames,
    _boundary,
    _sanitize,
    cut,
    safe_file_name,
    safe_stem,
    slug,
)
from hrdocs.writers import make_writers
from tests.conftest import Outcome

Run = Callable[..., Outcome]
FORMATS = sorted(make_writers(None, None, None, date(2026, 1, 1)))  # type: ignore[arg-type]
SUFFIXES = [f".{fmt}" for fmt in FORMATS]
WORST_TEMPORARY = len(".." + "9" * 10 + "-" + "9" * 20 + ".part")
"""What ``.NAME.PID-N.part`` adds to a name at most (a 10-digit process id, a 20-digit counter)."""

PIECES = [
    *"aZéÑüłßøÆœıİ",  # Latin, with and without accents to drop
    "\u0301",
    "\u0308",  # combining accents, also with no letter before them
    *"АБВйЙёЁжЖщЩ",  # Cyrillic
    *"王小明张伟李娜山田太郎",  # Han
    *"がんばるガギグー",  # kana, dakuten decomposed by NFKD
    *"محمدعبدالله",
    "\u064e",
    "\u0651",  # Arabic and its vowel marks
    *"हिन्दीक्षत्र",  # Devanagari: vowel signs and viramas
    *"김민준이서연",
    "\u1100\u1161\u11a8",  # Hangul, composed and as jamo
    *"ธนากรสมชาย",  # Thai
    *"😀🎉",
    "👍🏽",
    "🇫🇷",
    "👨\u200d👩\u200d👧",  # emoji: skin tone, flag, family
    *"!@#$%^&*()[]{}<>:\"/\\|?~`'",
    *" \t\n.-_",
    *"\u200b\u200c\u200d\u202e\u2066\ufeff\u00ad",  # invisible: joiners, direction overrides
    "\udcff",  # a lone surrogate: an undecodable byte on a command line
    "CON",
    "nul",
    "Com1",
    "LPT9",
    "..",
]
names = st.lists(st.sampled_from(PIECES) | st.characters(), max_size=120).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def assert_portable(name: str) -> None:
    """A name every file system takes whole, with hrdocs' temporary name beside it."""
    validate_filename(name, platform="universal")
    assert size(name) <= NAME_BYTES
    assert size(name) + WORST_TEMPORARY <= 255
    decomposed = unicodedata.normalize("NFD", f".{name}.{'9' * 10}-{'9' * 20}.part")
    assert len(decomposed.encode("utf-16-le")) // 2 <= 255  # HFS+ counts decomposed UTF-16 units
    assert name == unicodedata.normalize("NFC", name)
    assert not name.startswith(("-", "."))
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Cn") for c in name)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fails a test still running after 20 s: the loop issue 12 found never ended."""

    def stop(*_: object) -> None:
        raise TimeoutError("still naming after 20 s: the uniqueness loop does not end")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------- one name


@FAST
@given(names, st.sampled_from(SUFFIXES))
def test_any_stem_gives_a_portable_name_that_keeps_its_suffix(stem: str, suffix: str) -> None:
    name = safe_file_name(stem, suffix)
    assert name.endswith(suffix) and len(name) > len(suffix)
    assert_portable(name)
    made = safe_stem(stem)
    assert safe_stem(made) == made  # what a batch claims is what every format gets
    assert safe_file_name(made, suffix) == made + suffix


@FAST
@given(st.lists(st.sampled_from([p for p in PIECES if p != "\udcff"]), max_size=60).map("".join))
def test_the_short_way_for_names_in_any_script_agrees_with_pathvalidate(name: str) -> None:
    assert _sanitize(name, 255) == sanitize_filename(name, platform="universal", max_len=255)


def test_every_format_fits_the_room_kept_for_suffixes() -> None:
    assert {"docx", "pdf", "html", "md"} <= set(FORMATS)
    assert all(size(suffix) <= SUFFIX_BYTES for suffix in SUFFIXES)


@FAST
@given(names, st.integers(1, 300), st.integers(1, 200) | st.none())
def test_cutting_never_splits_a_character_or_an_accent_from_its_letter(
    text: str, budget: int, chars: int | None
) -> None:
    part = cut(text, budget, chars)
    assert text.startswith(part)
    assert len(part.encode("utf-8", "surrogatepass")) <= budget and (chars is None or len(part) <= chars)
    if not _boundary(text, len(part)):  # cut inside a character: only if the first alone is too long
        first = next(i for i in range(1, len(text) + 1) if _boundary(text, i))
        too_long = len(text[:first].encode("utf-8", "surrogatepass")) > budget or (
            chars is not None and first > chars
        )
        assert len(part) < first and too_long
    elif len(part) < len(text) and (chars is None or len(part) < chars):  # the longest that fits
        longer = next(i for i in range(len(part) + 1, len(text) + 1) if _boundary(text, i))
        assert len(text[:longer].encode("utf-8", "surrogatepass")) > budget or (chars and longer > chars)


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(
    "letter",
    ["王", "й", "a", "ه", "क्ष", "각", "\u1100\u1161\u11a8", "🇫🇷", "👍🏽", "e\u0301\u0323"],
    ids=["han", "cyrillic", "latin", "arabic", "conjunct", "hangul", "jamo", "flag", "skin-tone", "accents"],
)
def test_a_long_name_in_any_script_keeps_its_suffix_and_whole_letters(letter: str, suffix: str) -> None:
    name = safe_file_name("offer-" + letter * 200 + "-hr-generalist", suffix)
    assert name.endswith(suffix)
    assert_portable(name)
    body, unit = name[len("offer-") : -len(suffix)], unicodedata.normalize("NFC", letter)
    assert body and body == unit * (len(body) // len(unit))  # whole: a flag, a conjunct, a syllable


# ------------------------------------------------------------------------------------ readable names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Андрей Йорданов", "андрей-йорданов"),  # й is a letter of its own, not и with an accent
        ("がんばる ガギグ", "がんばる-ガギグ"),  # the dakuten stay
        ("हिन्दी", "हिन्दी"),  # vowel signs and virama are the spelling, not word breaks
        ("Ελένη", "ελένη"),
        ("محمد عبد الله", "محمد-عبد-الله"),
        ("김민준", "김민준"),
        ("王小明", "王小明"),
        ("José Ñúñez", "jose-nunez"),
        ("Łukasz Żółć", "lukasz-zolc"),
        ("Straße Ærø", "strasse-aero"),
        ("Il·luminada", "illuminada"),
        ("ジョン・スミス", "ジョン-スミス"),
        ("Ja\u200dne\u202e Doe", "jane-doe"),  # invisible characters vanish, never a hyphen mid-word
        ("ｆｕｌｌ ｗｉｄｔｈ", "full-width"),
    ],
)
def test_names_stay_readable_in_their_own_script(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_every_letter_of_the_european_alphabets_becomes_ascii() -> None:
    letters = [chr(c) for c in range(0xC0, 0x180) if chr(c).isalpha()]
    assert all(slug(c, fallback="").isascii() and slug(c, fallback="") for c in letters), [
        (c, slug(c)) for c in letters if not slug(c, fallback="").isascii()
    ]


@FAST
@given(names)
def test_a_slug_is_a_whole_short_part_of_a_name(text: str) -> None:
    part = slug(text, fallback="")
    assert len(part) <= 60 and size(part) <= 80
    if part:
        assert_portable(part)
        assert not part.endswith("-")
    assert slug(text) == (part or "document")


@pytest.mark.parametrize("text", ["😀🎉", "!!!", "\u200d\u202e", "\u0301", "...", "👨\u200d👩\u200d👧"])
def test_a_value_of_symbols_only_is_document_or_its_row_never_an_empty_name(text: str) -> None:
    letter = NamePattern("{kind}-{candidate}-{role}")
    values = {"candidate": text, "kind": "offer", "role": "hr-generalist"}
    assert letter.stem(values) == "offer-document-hr-generalist"
    assert letter.stem({**values, "row": "7"}) == "offer-row-7-hr-generalist"
    alone = NamePattern("{candidate}")
    assert alone.stem({"candidate": text, "kind": "offer"}) == "document"
    assert alone.stem({"candidate": text, "kind": "offer", "row": "7"}) == "row-7"


def test_a_pattern_whose_values_are_all_missing_is_named_by_the_kind_and_row() -> None:
    pattern = NamePattern("{department}")
    assert pattern.stem({"kind": "offer"}) == "offer"
    assert pattern.stem({"kind": "offer", "row": "7"}) == "offer-row-7"
    assert pattern.stem({}) == "document"


# -------------------------------------------------------------------------------------- uniqueness


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names | st.sampled_from(["Offer-A", "offer-a", "offer-a-2", "OFFER-A-2"]), max_size=40))
def test_claimed_names_are_unique_in_any_case_and_in_budget_for_every_format(stems: list[str]) -> None:
    claims = UniqueNames()
    got = [claims.claim(stem) for stem in stems]
    folded = [unicodedata.normalize("NFD", g.casefold()) for g in got]
    assert len(set(folded)) == len(got)
    for stem in got:
        assert safe_stem(stem) == stem and size(stem) <= STEM_BYTES
        for suffix in SUFFIXES:
            assert safe_file_name(stem, suffix) == stem + suffix
            assert_portable(stem + suffix)


@pytest.mark.parametrize("letter", ["王", "й", "ع", "क्ष", "E"])
def test_one_long_name_ten_thousand_times_ends_quickly_with_every_counter(
    letter: str, deadline: None
) -> None:
    claims = UniqueNames()
    values = {"kind": "offer", "candidate": letter * 300, "role": "hr-generalist"}
    stem = NamePattern("{kind}-{candidate}-{role}").stem(values)  # as a batch makes it
    assert stem.endswith("-hr-generalist")
    got = [claims.claim(stem) for _ in range(10_000)]
    assert claims.claim("offer-" + letter * 300).startswith("offer-")  # a raw long one too
    assert len({g.casefold() for g in got}) == 10_000
    assert all(g.endswith(f"-{n}") for n, g in enumerate(got[1:], start=2))
    assert all(size(g) <= STEM_BYTES for g in got)


def test_names_equal_only_after_cutting_are_told_apart(deadline: None) -> None:
    claims = UniqueNames()
    a, b = "offer-" + "王" * 100 + "-anna", "offer-" + "王" * 100 + "-boris"
    first, second = claims.claim(a), claims.claim(b)
    assert first.startswith("offer-王") and second.endswith("-2") and first != second
    assert size(first) <= STEM_BYTES and size(second) <= STEM_BYTES


def test_a_counter_already_taken_by_a_real_name_is_stepped_over() -> None:
    claims = UniqueNames()
    assert [claims.claim(s) for s in ("x-2", "x", "X", "x", "x-3")] == ["x-2", "x", "X-3", "x-4", "x-3-2"]


# ------------------------------------------------------------------------------ through the command


HEADER = ["Candidate Name", "Job", "Base Salary", "Start Date", "Hiring Manager", "Location"]
LONG_NAMES = [
    "王小明张伟李娜" * 12,
    "Иван Петрович Сидоренко " * 8,
    "محمد عبد الله الهاشمي " * 8,
    "हिन्दी क्षत्रिय " * 10,
    "Zoë Núñez-Ballesteros " * 8,
    "ZOË NÚÑEZ-BALLESTEROS " * 8,  # the same name in another letter case
]


def write_rows(path: Path, names: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(
        [name, "generalist", "72000", "2027-01-04", "Dana Whitfield", "Denver, CO"] for name in names
    )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_batch_of_one_long_name_in_many_scripts_finishes_with_whole_unique_names(
    hrdocs: Run, make_workspace: Callable[..., Path], deadline: None
) -> None:
    ws = make_workspace()
    write_rows(ws / "offers.csv", [name for name in LONG_NAMES for _ in range(3)])
    args = ("--date", "2026-12-01", "batch", "offers.csv", "--kind", "offer", "-j", "1", "-f", "docx,html,md")
    result = hrdocs(*args, cwd=ws)
    assert result.code == 0, result.err
    folder = ws / "output" / "offers"
    files = sorted(p.name for p in folder.iterdir() if p.suffix != ".jsonl" and not p.name.startswith("."))
    assert len(files) == 3 * len(LONG_NAMES) * 3
    stems: dict[str, set[str]] = {}
    for name in files:
        assert_portable(name)
        stem, _, fmt = name.rpartition(".")
        assert fmt in ("docx", "html", "md")
        stems.setdefault(stem, set()).add(fmt)
    assert all(fmts == {"docx", "html", "md"} for fmts in stems.values())  # every format, one stem
    assert len({unicodedata.normalize("NFD", s.casefold()) for s in stems}) == len(stems) == 18
    assert all(re.fullmatch(r"offer-.+-hr-generalist(-[2-6])?", s) for s in stems), stems  # the role stays
    manifest = [
        json.loads(line) for line in (folder / "offers.manifest.jsonl").read_text("utf-8").splitlines()
    ]
    assert sorted(Path(entry["path"]).name for entry in manifest) == files

    again = hrdocs(*args, "--resume", cwd=ws)  # the same names again: every row is found done
    assert again.code == 0, again.err
    assert "written 0" in again.out + again.err and f"skipped {len(stems)}" in again.out + again.err


def test_a_batch_row_named_only_in_emoji_is_named_by_its_row(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    write_rows(ws / "offers.csv", ["Jane Doe", "😀🎉", "👍🏽"])
    result = hrdocs(
        "--date",
        "2026-12-01",
        "batch",
        "offers.csv",
        "--kind",
        "offer",
        "-j",
        "1",
        "--name",
        "{candidate}",
        cwd=ws,
    )
    assert result.code == 0, result.err
    names = sorted(p.name for p in (ws / "output" / "offers").glob("*.docx"))
    assert names == ["jane-doe.docx", "row-3.docx", "row-4.docx"]


def test_one_letter_for_a_long_name_keeps_its_suffix(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    result = hrdocs(
        "--date",
        "2026-12-01",
        "offer",
        "generalist",
        "--candidate",
        "Константин Константинопольский " * 6,
        "--salary",
        "72000",
        "--start",
        "2027-01-04",
        "--manager",
        "Dana Whitfield",
        "--location",
        "Denver, CO",
        "-f",
        "docx,html",
        cwd=ws,
    )
    assert result.code == 0, result.err
    made = sorted(p.name for p in (ws / "output" / "offers").iterdir())
    assert [Path(m).suffix for m in made] == [".docx", ".html"]
    assert made[0][:-5] == made[1][:-5] and made[0].endswith("-hr-generalist.docx")
    for name in made:
        assert_portable(name)

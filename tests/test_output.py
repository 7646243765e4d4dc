"""Writing files: names safe on every system, atomic writes that never overwrite by accident."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pathvalidate import sanitize_filename

from hrdocs.errors import OutputExists
from hrdocs.output import _sanitize, safe_file_name, slug, write_atomic

NAME_CHARS = st.sampled_from([*"abcXYZ019-._ ~$é王", "CON", "nul", "Com1", "LPT9", "clock$", ".."])


@given(st.lists(NAME_CHARS, max_size=40).map("".join), st.sampled_from([8, 60, 120, 255]))
def test_the_short_way_for_plain_names_agrees_with_pathvalidate(name: str, max_len: int) -> None:
    assert _sanitize(name, max_len) == sanitize_filename(name, platform="universal", max_len=max_len)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José Ñúñez", "jose-nunez"),
        ("王小明", "王小明"),
        ("CON", "con_"),
        ("  ", "document"),
        ("A/B\\C", "a-b-c"),
    ],
)
def test_slugs(text: str, expected: str) -> None:
    assert slug(text) == expected


@given(st.text(st.characters(max_codepoint=127), max_size=30))
def test_the_short_way_for_ascii_slugs_agrees_with_decomposing(text: str) -> None:
    # A combining accent makes the text non-ASCII, so it takes the long way, and is dropped there.
    assert slug(text) == slug("\u0301" + text)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("offer-jane-doe", "offer-jane-doe.docx"),
        ("con", "con_.docx"),
        ("Com1", "Com1_.docx"),
        ("../x", "document.docx"),
    ],
)
def test_file_names_are_safe_everywhere(stem: str, expected: str) -> None:
    assert safe_file_name(stem, ".docx") == expected


def test_write_atomic_creates_private_files_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "new" / "letter.docx"
    write_atomic(target, b"first", private=True)
    assert target.read_bytes() == b"first"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(OutputExists):
        write_atomic(target, b"second")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second", force=True)
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["letter.docx"]  # no temporary file left


def test_write_atomic_steps_over_a_leftover_temporary_file(tmp_path: Path) -> None:
    from hrdocs import output

    upcoming = next(output._TEMPORARY) + 1  # the number the next write will try first
    leftover = tmp_path / f".a.docx.{os.getpid()}-{upcoming}.part"
    leftover.write_bytes(b"killed mid-write")
    write_atomic(tmp_path / "a.docx", b"whole")
    assert (tmp_path / "a.docx").read_bytes() == b"whole"
    assert leftover.read_bytes() == b"killed mid-write"  # someone else's: left alone

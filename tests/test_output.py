"""Writing files: names safe on every system, atomic writes that never overwrite by accident."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(params=["unnamed", "named"])
def temporaries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Both ways write_atomic makes its temporary file: unnamed (Linux ``O_TMPFILE``), or named."""
    from hrdocs import output

    if request.param == "named":
        monkeypatch.setattr(output, "open_unnamed", lambda folder, mode: None)
    else:
        fd = output.open_unnamed(str(tmp_path), 0o600)
        if fd is None:
            pytest.skip("O_TMPFILE is not supported here")
        os.close(fd)
    return str(request.param)


@pytest.fixture
def umask() -> Iterator[int]:
    """A umask other than the usual 022, so that a mode made without it would show."""
    previous = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(previous)


def test_write_atomic_both_ways(tmp_path: Path, temporaries: str, umask: int) -> None:
    target = tmp_path / "made" / "posting.md"
    write_atomic(target, b"first")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 & ~umask
    with pytest.raises(OutputExists):
        write_atomic(target, b"second")
    write_atomic(target, b"second", force=True, private=True)
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    write_atomic(tmp_path / "made" / "new.md", b"forced", force=True)
    assert sorted(os.listdir(target.parent)) == ["new.md", "posting.md"]


def test_write_atomic_reports_what_the_system_refused(tmp_path: Path, temporaries: str) -> None:
    from hrdocs.errors import HrdocsError

    (tmp_path / "a.docx").mkdir()
    with pytest.raises(HrdocsError, match=r"a\.docx: cannot write: Is a directory"):
        write_atomic(tmp_path / "a.docx", b"x", force=True)
    assert os.listdir(tmp_path) == ["a.docx"]  # the temporary file is gone


def test_write_atomic_names_the_file_only_when_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporaries: str
) -> None:
    from hrdocs import output

    seen: list[list[str]] = []
    original = output.write_all

    def watched(fd: int, data: bytes) -> None:
        original(fd, data)
        seen.append(sorted(os.listdir(tmp_path)))

    monkeypatch.setattr(output, "write_all", watched)
    write_atomic(tmp_path / "a.docx", b"whole")
    if temporaries == "unnamed":
        assert seen == [[]]  # a SIGKILL here would leave nothing
    else:
        assert len(seen[0]) == 1 and seen[0][0].startswith(f".a.docx.{os.getpid()}-")
        leftover = re.match(r"\.(.+)\.[^.]+\.part$", seen[0][0])  # as hrdocs batch --resume finds them
        assert leftover is not None and leftover.group(1) == "a.docx"
    assert os.listdir(tmp_path) == ["a.docx"]


def test_write_atomic_force_steps_over_a_leftover_temporary_name(tmp_path: Path, temporaries: str) -> None:
    from hrdocs import output

    (tmp_path / "a.docx").write_bytes(b"old")
    upcoming = next(output._TEMPORARY) + 1
    leftover = tmp_path / f".a.docx.{os.getpid()}-{upcoming}.part"
    leftover.write_bytes(b"killed mid-write")
    write_atomic(tmp_path / "a.docx", b"new", force=True)
    assert (tmp_path / "a.docx").read_bytes() == b"new"
    assert leftover.read_bytes() == b"killed mid-write"
    assert sorted(os.listdir(tmp_path)) == [leftover.name, "a.docx"]


def test_a_file_system_without_unnamed_files_is_asked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from hrdocs import output

    if not output._CAN_UNNAMED:
        pytest.skip("no O_TMPFILE on this system")
    monkeypatch.setattr(output, "_NO_UNNAMED", set())
    asked: list[str] = []
    real_open = os.open

    def refusing(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            asked.append(str(path))
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    for name in ("a.docx", "b.docx"):
        write_atomic(tmp_path / name, name.encode())
    assert asked == [str(tmp_path)]
    assert sorted(os.listdir(tmp_path)) == ["a.docx", "b.docx"]
    assert (tmp_path / "b.docx").read_bytes() == b"b.docx"

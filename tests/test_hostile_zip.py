"""Resource limits (issue 12): hostile Word packages, and values too long to be right.

Every ``.docx`` hrdocs opens from the workspace — a Word template, the reference document, a file given
to ``hrdocs lint`` — is a zip package, checked against :mod:`hrdocs.limits` from its central directory
before anything is unpacked, and unpacked no further than the directory says. The bombs are built here,
small on disk: a deflate stream of zeros is one compressed megabyte repeated (``Z_FULL_FLUSH`` makes
every segment stand alone), and the zip around it is written by hand so that its directory may lie.

A single value is limited too (:data:`hrdocs.limits.ONE_LINE_MAX_CHARS`, ``MANY_LINES_MAX_CHARS``): a
10 MB "name" in a cell or a data file is refused by the field's parser, located, and never shown.
"""

from __future__ import annotations

import csv
import functools
import random
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from hrdocs import fields, limits
from hrdocs.docx_template import DocxTemplate, DocxTemplateError
from hrdocs.environment import make_environment
from hrdocs.models import Settings
from tests.conftest import BASE_COMPANY, Outcome

MB = limits.MB
DATE = "2026-12-01"
OFFER = [
    "offer", "generalist", "--candidate", "Jane Q. Doe", "--salary", "72000", "--start", "2027-01-04",
    "--manager", "Dana Whitfield", "--location", "Denver, CO",
]  # fmt: skip
Run = Callable[..., Outcome]
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# ------------------------------------------------------------------------------------ building zips
@dataclass(repr=False)
class Part:
    """One zip entry as written: its packed bytes and what the directory claims about them."""

    name: str
    packed: bytes
    size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0

    def __repr__(self) -> str:
        return f"Part({self.name!r}, {self.size} bytes)"

    @classmethod
    def of(cls, name: str, data: bytes) -> Part:
        """An honest entry."""
        return cls(name, _deflate(data), len(data), zlib.crc32(data))


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


MIB = 2**20


@functools.cache
def zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of ``mebibytes`` MiB of zeros, about a thousandth of that on disk."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(bytes(MIB)) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(bytes(MIB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + again * (mebibytes - 1) + packer.flush()


def build_zip(parts: list[Part]) -> bytes:
    """A zip written by hand, so that its central directory says whatever the parts claim."""
    body, directory = bytearray(), bytearray()
    for part in parts:
        name = part.name.encode("utf-8")
        offset = len(body)
        # version, flags (UTF-8 names), method, time, date, checksum, packed size, size, name length
        sizes = (part.crc, len(part.packed), part.size, len(name))
        head = (20, part.flags | 0x800, part.method, 0, 0x21, *sizes)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *head, 0) + name + part.packed
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *head, 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return bytes(body + directory + end)


@pytest.fixture(scope="module")
def word_parts(tmp_path_factory: pytest.TempPathFactory) -> list[Part]:
    """The parts of a real Word template: the offer letter as ``hrdocs templates export --docx`` writes it."""
    from hrdocs.cli import run

    root = tmp_path_factory.mktemp("export")
    (root / "hrdocs.yaml").write_text("company: {name: Acme Widgets}\n", encoding="utf-8")
    assert run(["-w", str(root), "templates", "export", "offer-letter", "--docx"]) == 0
    with zipfile.ZipFile(root / "templates" / "offer-letter.docx") as archive:
        return [Part.of(info.filename, archive.read(info)) for info in archive.infolist()]


def bomb(word_parts: list[Part], mebibytes: int = 2048) -> bytes:
    """The issue's bomb: a real Word template with a 'picture' of 2 GiB, 2 MB on disk. Its checksum
    is left wrong: were it ever unpacked, the error would say so instead of the limit."""
    picture = Part("word/media/image1.png", zeros(mebibytes), mebibytes * MIB, 0)
    return build_zip([*word_parts, picture])


@contextmanager
def peak_memory(limit: int) -> Iterator[None]:
    """Fail if Python allocates more than ``limit`` bytes at once inside the block."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak / MB:.0f} MB"


def compile_bytes(tmp_path: Path, data: bytes, name: str = "offer-letter.docx") -> DocxTemplate:
    path = tmp_path / name
    path.write_bytes(data)
    settings = Settings.model_validate(BASE_COMPANY)
    return DocxTemplate.compile(path, make_environment([tmp_path], settings))


def written(ws: Path) -> list[Path]:
    return sorted(p for p in (ws / "output").rglob("*") if p.is_file()) if (ws / "output").exists() else []


# --------------------------------------------------------------------------- the case, by CLI
def test_a_word_template_that_unpacks_to_2_gib_is_refused_before_it_is_unpacked(
    hrdocs: Run, make_workspace: Callable[..., Path], word_parts: list[Part]
) -> None:
    data = bomb(word_parts)
    assert len(data) < 3 * MB  # small on disk, as in the issue (9 MB there)
    ws = make_workspace({"templates/offer-letter.docx": data})
    with peak_memory(40 * MB):
        result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 1, result.err
    assert "offer-letter.docx: part word/media/image1.png unpacks from 2.1 MB to 2.1 GB" in result.err
    assert "packed more than 100:1" in result.err and "Traceback" not in result.err
    assert "hint: if it is a document of your own, open it in Word and save it again" in result.err
    assert "Jane" not in result.out + result.err
    assert written(ws) == []
    check = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert check.code == 1
    assert "templates/offer-letter.docx: error: part word/media/image1.png unpacks from 2.1 MB" in check.out


def test_a_template_over_the_total_limit_names_its_largest_parts_and_the_fix(
    hrdocs: Run, make_workspace: Callable[..., Path], word_parts: list[Part]
) -> None:
    # Sixty pictures of 0.9 MB each: no part is over the ratio limit's floor, together 54 MB.
    picture = Part.of("word/media/image.png", bytes(900_000))
    pictures = [
        Part(f"word/media/image{i}.png", picture.packed, picture.size, picture.crc) for i in range(60)
    ]
    ws = make_workspace({"templates/offer-letter.docx": build_zip([*word_parts, *pictures])})
    result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 1, result.err
    expected = "offer-letter.docx: unpacks to 54.1 MB, more than the 50.0 MB hrdocs opens (largest parts: "
    assert expected in result.err
    assert "Picture Format > Compress Pictures" in result.err
    assert written(ws) == []


def test_a_reference_document_bomb_is_refused_with_the_settings_line(
    hrdocs: Run, make_workspace: Callable[..., Path], word_parts: list[Part]
) -> None:
    ws = make_workspace(
        {"brand/reference.docx": bomb(word_parts, 200)},
        company={"brand": {"reference_docx": "brand/reference.docx"}},
    )
    lines = (ws / "hrdocs.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "reference_docx" in text)
    with peak_memory(40 * MB):
        result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 1, result.err
    expected = f"hrdocs.yaml:{line}: brand.reference_docx: reference.docx part word/media/image1.png unpacks"
    assert expected in result.err
    assert written(ws) == []


def test_hrdocs_lint_refuses_a_bomb_named_on_the_command_line(
    hrdocs: Run, make_workspace: Callable[..., Path], word_parts: list[Part]
) -> None:
    ws = make_workspace({"posting.docx": bomb(word_parts, 300)})
    with peak_memory(40 * MB):
        result = hrdocs("lint", "posting.docx", cwd=ws)
    assert result.code == 1, result.err
    assert "posting.docx: part word/media/image1.png unpacks from" in result.err
    assert "Traceback" not in result.err


def test_a_file_over_the_limit_on_disk_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "offer-letter.docx"
    with path.open("wb") as sparse:  # 60 MB that take no room on disk
        sparse.truncate(60 * MB)
    with pytest.raises(DocxTemplateError, match=r"^offer-letter.docx: is 60.0 MB, more than the 50.0 MB"):
        DocxTemplate.compile(path, make_environment([tmp_path], Settings.model_validate(BASE_COMPANY)))


# ---------------------------------------------------------------------------- a directory that lies
@pytest.mark.parametrize(
    ("stream", "declared", "crc"),
    [
        # The directory says 1 KB (under every limit); the stream holds 300 MiB of zeros, and the
        # checksum is not that of the first kilobyte (a tool that lies about one field lies about both).
        (zeros(300), 1000, 0x5EC12E7),
        (_deflate(bytes(400)), 5000, zlib.crc32(bytes(400))),  # and a part that ends before its size
    ],
    ids=["longer", "shorter"],
)
def test_a_part_that_does_not_unpack_to_its_declared_size_is_refused_as_damaged(
    tmp_path: Path, word_parts: list[Part], stream: bytes, declared: int, crc: int
) -> None:
    liar = Part("word/media/image1.png", stream, declared, crc)
    with peak_memory(20 * MB), pytest.raises(DocxTemplateError) as err:
        compile_bytes(tmp_path, build_zip([*word_parts, liar]))
    assert str(err.value).startswith(
        "offer-letter.docx: is damaged: part word/media/image1.png does not match its directory entry"
    )


def test_a_lying_part_whose_checksum_fits_its_declared_size_unpacks_to_that_size_only(
    tmp_path: Path, word_parts: list[Part]
) -> None:
    # The worst a liar can do: a checksum of the declared first kilobyte. It is read as that kilobyte.
    liar = Part("word/media/image1.png", zeros(300), 1000, zlib.crc32(bytes(1000)))
    path = tmp_path / "reference.docx"
    path.write_bytes(build_zip([*word_parts, liar]))
    with peak_memory(20 * MB):
        copy = limits.read_package(path)  # what python-docx is given: only what was checked,
        with zipfile.ZipFile(copy) as archive:  # which it may unpack whole, in one call
            assert archive.read("word/media/image1.png") == bytes(1000)


def test_too_many_parts_are_refused_from_the_end_record(tmp_path: Path, word_parts: list[Part]) -> None:
    empty = [Part.of(f"word/media/p{i}.bin", b"") for i in range(1200)]
    with pytest.raises(DocxTemplateError, match=r"has 1,2\d\d parts; a Word document has a few dozen"):
        compile_bytes(tmp_path, build_zip([*word_parts, *empty]))


@pytest.mark.parametrize(
    ("part", "problem"),
    [
        (Part("word/media/image1.png", b"", 0, 0, flags=0x1), "is password-protected"),
        (
            Part("word/media/image1.png", b"", 0, 0, method=zipfile.ZIP_BZIP2),
            "part word/media/image1.png is packed with a method Word does not use",
        ),
        (Part.of("WORD/document.xml", b"<x/>"), "has two parts named `WORD/document.xml`"),
    ],
)
def test_encryption_foreign_methods_and_a_part_twice_are_refused(
    tmp_path: Path, word_parts: list[Part], part: Part, problem: str
) -> None:
    with pytest.raises(DocxTemplateError) as err:
        compile_bytes(tmp_path, build_zip([*word_parts, part]))
    assert str(err.value).startswith(f"offer-letter.docx: {problem}")


HOSTILE_NAMES = st.one_of(
    st.builds(lambda d, n: "../" * d + n, st.integers(1, 4), st.sampled_from(["evil.xml", "etc/passwd"])),
    st.builds(lambda n: "word/../../" + n, st.sampled_from(["evil.xml", "x"])),
    st.sampled_from(["/etc/passwd", "\\windows\\evil.dll", "C:/evil.xml", "c:evil", "word\\..\\..\\evil"]),
)


@FAST
@given(name=HOSTILE_NAMES)
def test_a_part_name_that_leaves_the_package_is_refused(
    tmp_path: Path, word_parts: list[Part], name: str
) -> None:
    with pytest.raises(DocxTemplateError) as err:
        compile_bytes(tmp_path, build_zip([*word_parts, Part.of(name, b"x")]))
    assert "which points outside the package; it is not opened" in str(err.value)
    assert str(err.value).startswith("offer-letter.docx: has a part named `")


@FAST
@given(declared=st.integers(0, 5 * MB), megabytes=st.integers(1, 60))
def test_whatever_a_directory_claims_nothing_is_unpacked_past_it(
    tmp_path: Path, word_parts: list[Part], declared: int, megabytes: int
) -> None:
    """Any declared size against any real one: refused with a message, or read as the declared
    size — never a traceback, never more memory than the declared sizes allow."""
    part = Part("word/media/image1.png", zeros(megabytes), declared, zlib.crc32(bytes(declared)))
    path = tmp_path / "reference.docx"
    path.write_bytes(build_zip([*word_parts, part]))
    with peak_memory(3 * max(declared, MB) + 20 * MB):
        try:
            copy = limits.read_package(path)
        except limits.PackageRefused as exc:
            assert "reference.docx: " in str(exc) and "hint: " in str(exc)
            return
    with zipfile.ZipFile(copy) as archive:
        assert archive.read("word/media/image1.png") == bytes(declared)


# --------------------------------------------------------------------------------- no false alarms
def test_a_real_word_template_with_a_large_honest_picture_is_accepted(
    hrdocs: Run, make_workspace: Callable[..., Path], word_parts: list[Part]
) -> None:
    picture = random.Random(12).randbytes(3 * MB)  # a photo: incompressible, 3 MB
    ws = make_workspace(
        {"templates/offer-letter.docx": build_zip([*word_parts, Part.of("word/media/p.png", picture)])}
    )
    result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 0, result.err
    [letter] = written(ws)
    with zipfile.ZipFile(letter) as archive:
        assert archive.read("word/media/p.png") == picture


# ------------------------------------------------------------------------------- the length of a value
def test_a_name_too_long_for_a_cell_stops_the_batch_naming_row_and_column(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    rows = [
        ["Candidate Name", "Job", "Base Salary", "Start Date", "Hiring Manager", "Location"],
        ["Jane Q. Doe", "generalist", "72000", "2027-01-04", "Dana Whitfield", "Denver, CO"],
        ["SECRETNAME" * 500, "generalist", "72000", "2027-01-04", "Dana Whitfield", "Denver, CO"],
    ]
    with (ws / "offers.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    result = hrdocs("--date", DATE, "batch", "offers.csv", "--kind", "offer", "--jobs", "1", cwd=ws)
    assert result.code == 1, result.err
    expected = "offers.csv:3: Candidate Name: is 5,000 characters long; a one-line value may have at most"
    assert expected in result.err
    assert "SECRET" not in result.out + result.err and "Jane" not in result.err
    assert written(ws) == []


def test_a_ten_megabyte_name_in_a_data_file_is_refused_at_once_with_its_line(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    data = (
        "role: generalist\nsalary: 72000\nstart: 2027-01-04\nmanager: Dana Whitfield\n"
        "location: Denver, CO\ncandidate: " + "SECRETNAME" * 1_000_000 + "\n"
    )
    ws = make_workspace({"jane.yaml": data})
    started = time.perf_counter()
    result = hrdocs("--date", DATE, "offer", "--data", "jane.yaml", cwd=ws)
    assert result.code == 1 and time.perf_counter() - started < 10, result.err
    expected = "jane.yaml:6: candidate: is 10,000,000 characters long; a one-line value may have at most"
    assert expected in result.err
    assert "SECRET" not in result.out + result.err
    assert written(ws) == []


def test_a_multi_line_value_has_a_limit_of_its_own(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace()
    bonus = "A signing bonus, paid in two parts.\n" * 600  # 21,600 characters
    result = hrdocs("--date", DATE, *OFFER, "--bonus", bonus, cwd=ws)
    assert result.code == 1, result.err
    assert "bonus: is 21,600 characters long; a multi-line value may have at most 20,000" in result.err
    assert "signing" not in result.err and written(ws) == []
    assert hrdocs("--date", DATE, *OFFER, "--bonus", bonus[:18_000], cwd=ws).code == 0


ONE_LINE, MANY_LINES = TypeAdapter(fields.TYPES["text"]), TypeAdapter(fields.TYPES["multiline"])


@pytest.mark.parametrize(("adapter", "limit"), [(ONE_LINE, 1000), (MANY_LINES, 20_000)])
def test_the_limits_are_where_they_are_documented(adapter: TypeAdapter[str], limit: int) -> None:
    assert limit in (limits.ONE_LINE_MAX_CHARS, limits.MANY_LINES_MAX_CHARS)
    assert adapter.validate_python("a" * limit) == "a" * limit
    with pytest.raises(ValidationError, match=f"is {limit + 1:,} characters long"):
        adapter.validate_python("a" * (limit + 1))


@FAST
@given(text=st.text(min_size=limits.ONE_LINE_MAX_CHARS + 1, max_size=3000))
def test_any_value_over_the_limit_is_refused_without_being_shown(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        ONE_LINE.validate_python(text)
    assert err.value.errors()[0]["msg"] == "Value error, " + limits.too_long(len(text), 1000)
    for adapter in (TypeAdapter(fields.TYPES["email"]), TypeAdapter(fields.TYPES["list"])):
        try:
            adapter.validate_python(text)
        except ValidationError as exc:
            assert text not in str(exc.errors(include_input=False)[0]["msg"])

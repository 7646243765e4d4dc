"""The workspace jail: a file read through the workspace that leads out of it is refused.

A symbolic link (or a ``..`` path in ``hrdocs.yaml``) to a file in ``outside/`` holding a secret is
refused by the command that would read it and by ``templates check``: the message names the link and
where it points, the secret is never printed, and nothing is written. A link from one place in the
workspace to another works. Files the user names on the command line may be anywhere.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment, TemplateNotFound

from hrdocs.api import Session
from hrdocs.errors import HrdocsError
from hrdocs.workspace import Jail, OutsideWorkspace
from tests.conftest import BASE_COMPANY, Outcome
from tests.util import docx_text

SECRET = "TOPSECRET-7c1e-salary-99999"
PNG = b"\x89PNG\r\n\x1a\n"
OFFER = [
    "offer",
    "generalist",
    "--candidate",
    "Jane Doe",
    "--salary",
    "70000",
    "--start",
    "2027-01-04",
    "--manager",
    "Dana Whitfield",
    "--location",
    "Denver, CO",
]
Run = Callable[..., Outcome]


def role_yaml(title: str) -> str:
    return yaml.safe_dump(
        {
            "id": "generalist",
            "title": title,
            "department": "Human Resources",
            "employment_type": "full-time",
            "flsa_status": "exempt",
            "summary": f"{title} summary.",
            "duties": {"employee-relations": [f"Does {title} things."]},
        }
    )


def word_file(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """``tmp_path/outside``: a file of each sort a workspace reads, each holding the secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md.j2").write_text(f"{SECRET}\n", encoding="utf-8")
    (folder / "macros.md.j2").write_text(f"{{% macro x() %}}{SECRET}{{% endmacro %}}\n", encoding="utf-8")
    (folder / "role.yaml").write_text(role_yaml(SECRET), encoding="utf-8")
    (folder / "areas.yaml").write_text(f"areas:\n  - {{id: employee-relations, name: {SECRET}}}\n")
    (folder / "kind.yaml").write_text(f"title: {SECRET}\nfields:\n  name: text\n", encoding="utf-8")
    (folder / "example.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    (folder / "rules.yaml").write_text(f"rules: []\n# {SECRET}\n", encoding="utf-8")
    company = {**BASE_COMPANY, "company": {**BASE_COMPANY["company"], "name": SECRET}}
    (folder / "hrdocs.yaml").write_text(yaml.safe_dump(company), encoding="utf-8")
    (folder / "secret.png").write_bytes(PNG + SECRET.encode())
    word_file(folder / "secret.docx", f"Dear {{{{ candidate.name }}}}, {SECRET}")
    return folder


@pytest.fixture
def ws(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace().resolve()


def link(ws: Path, name: str, target: Path) -> Path:
    path = ws / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def written(ws: Path) -> list[Path]:
    out = ws / "output"
    return sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []


def assert_refused(outcome: Outcome, ws: Path, link_path: Path, target: Path) -> None:
    """Exit 1; the message names the link and where it points; no secret; nothing written."""
    text = outcome.out + outcome.err
    assert outcome.code == 1, text
    assert str(link_path) in text, text
    assert str(target.resolve()) in text, text
    assert "outside the workspace" in text
    assert SECRET not in text
    assert "Traceback" not in text and "internal error" not in text
    assert written(ws) == []


def assert_checked(hrdocs: Run, ws: Path, link_path: Path, target: Path, *kinds: str) -> None:
    """``templates check`` reports the link as an error at the link, naming its target."""
    outcome = hrdocs("-w", ws, "templates", "check", *kinds)
    assert outcome.code == 1, outcome.out + outcome.err
    line = f"{link_path}: error: a symbolic link to {target.resolve()}, which is outside the workspace"
    assert line in outcome.out, outcome.out
    assert SECRET not in outcome.out + outcome.err


# ------------------------------------------------------------------------------------- templates
def test_a_letter_template_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    target = outside / "secret.md.j2"
    path = link(ws, "templates/offer-letter.md.j2", target)
    assert_refused(hrdocs("-w", ws, *OFFER), ws, path, target)
    assert_checked(hrdocs, ws, path, target)
    assert_checked(hrdocs, ws, path, target, "offer-letter")
    listing = hrdocs("-w", ws, "templates")
    assert f"{path}  (refused: it leads outside the workspace" in listing.out


@pytest.mark.parametrize(
    ("directive", "partial"),
    [
        ('{% include "_part.md.j2" %}', "secret.md.j2"),
        ('{% extends "_part.md.j2" %}', "secret.md.j2"),
        ('{% import "_part.md.j2" as p %}{{ p.x() }}', "macros.md.j2"),
        ('{% from "_part.md.j2" import x %}{{ x() }}', "macros.md.j2"),
    ],
)
def test_a_partial_linked_from_outside_is_refused(
    hrdocs: Run, ws: Path, outside: Path, directive: str, partial: str
) -> None:
    (ws / "templates").mkdir()
    (ws / "templates/note.md.j2").write_text(f"# Note\n\n{directive}\n", encoding="utf-8")
    target = outside / partial
    path = link(ws, "templates/_part.md.j2", target)
    (ws / "note.yaml").write_text("who: x\n", encoding="utf-8")
    assert_refused(hrdocs("-w", ws, "render", "note", "--data", ws / "note.yaml"), ws, path, target)
    assert_checked(hrdocs, ws, path, target, "note")


def test_a_partial_of_a_builtin_letter_linked_from_outside_is_refused_in_a_batch(
    hrdocs: Run, ws: Path, outside: Path, tmp_path: Path
) -> None:
    """The built-in letters extend ``_base.md.j2``: the workspace's one wins, so it is the one read."""
    target = outside / "secret.md.j2"
    path = link(ws, "templates/_base.md.j2", target)
    rows = tmp_path / "offers.csv"
    rows.write_text(
        "candidate,role,salary,start,manager,location\n"
        'Jane Doe,generalist,70000,2027-01-04,Dana Whitfield,"Denver, CO"\n',
        encoding="utf-8",
    )
    assert_refused(hrdocs("-w", ws, "batch", rows, "--kind", "offer"), ws, path, target)
    assert_checked(hrdocs, ws, path, target)


def test_a_word_template_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    target = outside / "secret.docx"
    path = link(ws, "templates/offer-letter.docx", target)
    assert_refused(hrdocs("-w", ws, *OFFER), ws, path, target)
    assert_checked(hrdocs, ws, path, target)


def test_a_templates_folder_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    (outside / "templates").mkdir()
    (outside / "templates/offer-letter.md.j2").write_text(f"{SECRET}\n", encoding="utf-8")
    folder = link(ws, "templates", outside / "templates")
    outcome = hrdocs("-w", ws, *OFFER)
    assert_refused(outcome, ws, folder, outside / "templates")
    assert f"read through {folder}, a symbolic link" in outcome.err
    assert_checked(hrdocs, ws, folder, outside / "templates")


def test_an_example_data_file_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates/note.md.j2").write_text("Hello {{ name }}\n", encoding="utf-8")
    target = outside / "example.yaml"
    path = link(ws, "templates/note.example.yaml", target)
    assert_refused(hrdocs("-w", ws, "templates", "vars", "note"), ws, path, target)
    assert_checked(hrdocs, ws, path, target)


def test_hrdocs_lint_refuses_a_template_linked_from_outside(hrdocs: Run, ws: Path, outside: Path) -> None:
    (outside / "secret.md.j2").write_text(f"We want a rockstar ninja. {SECRET}\n", encoding="utf-8")
    target = outside / "secret.md.j2"
    path = link(ws, "templates/_part.md.j2", target)
    assert_refused(hrdocs("-w", ws, "lint"), ws, path, target)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["offer-letter", "--force"], "offer-letter.md.j2"),
        (["offer-letter", "--docx"], ".offer-letter.export-check.docx"),  # its scratch copy
    ],
)
def test_templates_export_never_writes_through_a_link_out(
    hrdocs: Run, ws: Path, outside: Path, args: list[str], name: str
) -> None:
    """``--force`` replaces the workspace's copy; it must not overwrite a file elsewhere."""
    target = outside / "secret.md.j2"
    path = link(ws, f"templates/{name}", target)
    outcome = hrdocs("-w", ws, "templates", "export", *args)
    assert_refused(outcome, ws, path, target)
    assert target.read_text(encoding="utf-8") == f"{SECRET}\n"


def png(width: int, height: int) -> bytes:
    """A plain red PNG, made by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def linked_picture(path: Path, picture: Path, *, hyperlink: bool = False) -> Path:
    """A Word file whose picture is linked to ``picture`` (Word's "Link to File"), not embedded; or,
    with ``hyperlink``, one that only has a clickable link to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".png")
    scratch.write_bytes(png(4, 4))
    document = docx.Document()
    document.add_paragraph("Dear {{ candidate.name }},")
    document.add_picture(str(scratch))
    scratch.unlink()
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                kind = "hyperlink" if hyperlink else "image"
                data = re.sub(
                    rb'Type="([^"]+)/image" Target="[^"]+"',
                    f'Type="\\1/{kind}" Target="{picture.as_uri()}" TargetMode="External"'.encode(),
                    data,
                )
            elif info.filename == "word/document.xml" and not hyperlink:
                data = data.replace(b"r:embed=", b"r:link=")
            copy.writestr(info, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


def test_a_word_template_that_links_a_picture_outside_is_refused(
    hrdocs: Run, ws: Path, outside: Path
) -> None:
    """LibreOffice fetches a linked picture when it makes the PDF: any file of the machine would be
    printed into every letter."""
    picture = outside / "secret.png"
    picture.write_bytes(png(200, 80))
    linked_picture(ws / "templates/offer-letter.docx", picture)
    outcome = hrdocs("-w", ws, *OFFER, "--format", "docx,pdf")
    text = outcome.out + outcome.err
    assert outcome.code == 1, text
    rels = "offer-letter.docx: word/_rels/document.xml.rels"
    expected = f"{rels}: links to a file outside the document: {picture.as_uri()}"
    assert expected in text and "Break Link" in text
    assert written(ws) == []
    check = hrdocs("-w", ws, "templates", "check")
    assert check.code == 1 and "links to a file outside the document" in check.out


def test_a_word_template_may_hold_links_a_reader_clicks(hrdocs: Run, ws: Path, outside: Path) -> None:
    linked_picture(ws / "templates/offer-letter.docx", outside / "secret.png", hyperlink=True)
    outcome = hrdocs("-w", ws, *OFFER)
    assert outcome.code == 0, outcome.err
    assert len(written(ws)) == 1


def test_a_reference_document_that_links_a_picture_outside_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path], outside: Path
) -> None:
    picture = outside / "secret.png"
    picture.write_bytes(png(200, 80))
    ws = make_workspace(company={"brand": {"reference_docx": "brand/ref.docx"}}).resolve()
    linked_picture(ws / "brand/ref.docx", picture)
    outcome = hrdocs("-w", ws, "jd", "generalist")
    assert outcome.code == 1, outcome.err
    assert (
        "brand.reference_docx: ref.docx: word/_rels/document.xml.rels links to a file outside" in outcome.err
    )
    assert picture.as_uri() in outcome.err
    assert written(ws) == []


# ------------------------------------------------------------------------ roles and declarations
def test_a_role_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    target = outside / "role.yaml"
    path = link(ws, "roles/generalist.yaml", target)
    assert_refused(hrdocs("-w", ws, "jd", "generalist"), ws, path, target)
    assert_refused(hrdocs("-w", ws, "roles"), ws, path, target)
    assert_refused(hrdocs("-w", ws, *OFFER), ws, path, target)
    assert_checked(hrdocs, ws, path, target)
    # A role that does not need it still works: a broken file stops only what needs it.
    assert hrdocs("-w", ws, "jd", "recruiter").code == 0


def test_the_duty_areas_linked_from_outside_are_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    target = outside / "areas.yaml"
    path = link(ws, "roles/_areas.yaml", target)
    assert_refused(hrdocs("-w", ws, "jd", "generalist"), ws, path, target)
    assert_checked(hrdocs, ws, path, target)


def test_a_kind_declaration_linked_from_outside_is_refused(hrdocs: Run, ws: Path, outside: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates/note.md.j2").write_text("Hello {{ name }}\n", encoding="utf-8")
    target = outside / "kind.yaml"
    path = link(ws, "kinds/note.yaml", target)
    (ws / "note.yaml").write_text("name: Jane\n", encoding="utf-8")
    assert_refused(hrdocs("-w", ws, "render", "note", "--data", ws / "note.yaml"), ws, path, target)
    assert_checked(hrdocs, ws, path, target)


# ---------------------------------------------------------------- hrdocs.yaml and what it names
def test_a_settings_file_linked_from_outside_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path], outside: Path
) -> None:
    ws = make_workspace(company=False, name="bare").resolve()
    target = outside / "hrdocs.yaml"
    path = link(ws, "hrdocs.yaml", target)
    assert_refused(hrdocs("-w", ws, "jd", "generalist"), ws, path, target)
    assert_refused(hrdocs("-w", ws, "templates", "check"), ws, path, target)


@pytest.mark.parametrize(
    ("section", "key", "file", "how"),
    [
        ("company", "logo", "secret.png", "link"),
        ("company", "logo", "secret.png", "dotdot"),
        ("company", "logo", "secret.png", "absolute"),
        ("brand", "reference_docx", "secret.docx", "link"),
        ("brand", "reference_docx", "secret.docx", "dotdot"),
        ("postings", "extra_rules_file", "rules.yaml", "link"),
        ("postings", "extra_rules_file", "rules.yaml", "absolute"),
    ],
)
def test_a_file_named_in_the_settings_must_be_inside(
    hrdocs: Run,
    make_workspace: Callable[..., Path],
    outside: Path,
    section: str,
    key: str,
    file: str,
    how: str,
) -> None:
    target = outside / file
    value = {"link": f"brand/{file}", "dotdot": f"../outside/{file}", "absolute": str(target)}[how]
    ws = make_workspace(company={section: {key: value}}).resolve()
    if how == "link":
        link(ws, value, target)
    for args in (["jd", "generalist"], ["templates", "check"]):
        outcome = hrdocs("-w", ws, *args)
        text = outcome.out + outcome.err
        assert outcome.code == 1, text
        assert f"{ws / 'hrdocs.yaml'}:" in text and f"{section}.{key}: {value}: " in text, text
        what = "a symbolic link to" if how == "link" else "leads outside the workspace (to"
        assert f"{what} {target}" in text, text
        assert SECRET not in text and "Traceback" not in text
        assert written(ws) == []


# ----------------------------------------------------------------------------- what stays allowed
def test_links_inside_the_workspace_are_fine(hrdocs: Run, ws: Path, outside: Path) -> None:
    """A template, a partial, a role and the logo linked from another place in the workspace work."""
    shared = ws / "shared"
    shared.mkdir()
    (shared / "sign-off.md.j2").write_text("Signed off by the shared partial.\n", encoding="utf-8")
    (shared / "generalist.yaml").write_text(role_yaml("Shared Generalist"), encoding="utf-8")
    logo = Path(__file__).parents[1] / "hrdocs/data/example-logo.png"
    (shared / "logo.png").write_bytes(logo.read_bytes())
    link(ws, "templates/_sign-off.md.j2", Path("../shared/sign-off.md.j2"))
    link(ws, "roles/generalist.yaml", shared / "generalist.yaml")
    link(ws, "brand/logo.png", Path("../shared/logo.png"))
    settings = yaml.safe_load((ws / "hrdocs.yaml").read_text(encoding="utf-8"))
    settings["company"]["logo"] = "brand/logo.png"
    (ws / "hrdocs.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    assert hrdocs("-w", ws, "templates", "export", "offer-letter").code == 0
    letter = ws / "templates/offer-letter.md.j2"
    letter.write_text(letter.read_text(encoding="utf-8") + '\n{% include "_sign-off.md.j2" %}\n')
    check = hrdocs("-w", ws, "templates", "check")
    assert "outside the workspace" not in check.out + check.err
    assert "error: " not in check.out, check.out
    outcome = hrdocs("-w", ws, *OFFER)
    assert outcome.code == 0, outcome.err
    (made,) = written(ws)
    text = docx_text(made)
    assert "Signed off by the shared partial." in text and "Shared Generalist" in text


def test_files_named_on_the_command_line_may_be_anywhere(
    hrdocs: Run, ws: Path, outside: Path, tmp_path: Path
) -> None:
    """``--data`` and a batch's input are the user's own choice; so is a link to them."""
    data = outside / "jane.yaml"
    data.write_text(
        "candidate: Jane Outside\nsalary: 70000\nstart: 2027-01-04\nmanager: Dana Whitfield\n"
        "location: Denver, CO\n",
        encoding="utf-8",
    )
    assert hrdocs("-w", ws, "offer", "generalist", "--data", data).code == 0
    rows = outside / "offers.csv"
    rows.write_text(
        "candidate,role,salary,start,manager,location\n"
        'Jim Outside,generalist,70000,2027-01-04,Dana,"Denver, CO"\n',
        encoding="utf-8",
    )
    linked = tmp_path / "linked.csv"
    linked.symlink_to(rows)
    outcome = hrdocs("-w", ws, "batch", linked, "--kind", "offer")
    assert outcome.code == 0, outcome.err
    names = [p.name for p in written(ws)]
    assert any("jane-outside" in n for n in names) and any("jim-outside" in n for n in names)


# ------------------------------------------------------------------------------- the jail itself
def test_the_jail_names_the_link_that_leads_out_not_a_link_inside(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "ws"
    (root / "a").mkdir(parents=True)
    (root / "a/out").symlink_to(outside)  # a folder link out
    (root / "b").symlink_to(root / "a/out/secret.md.j2")  # a link inside, to a path through it
    jail = Jail((root,))
    with pytest.raises(OutsideWorkspace) as caught:
        jail.check(root / "a/out/secret.md.j2")
    assert caught.value.link == root / "a/out"
    assert caught.value.target == (outside / "secret.md.j2").resolve()
    with pytest.raises(OutsideWorkspace) as caught:
        jail.check(root / "b")
    assert caught.value.link == root / "b"
    (root / "a/c.txt").write_text("inside", encoding="utf-8")
    (root / "d").symlink_to("a/c.txt")
    assert jail.check(root / "d") == (root / "a/c.txt").resolve()
    assert {e.path for e in jail.links_out(root)} == {root / "a/out", root / "b"}
    (root / "loop").symlink_to(root / "loop")  # a link to itself leads nowhere: the walk still ends
    (root / "a/up").symlink_to(root)  # nor does a link back up make it go round
    assert {e.path for e in jail.links_out(root)} == {root / "a/out", root / "b"}


_SEGMENTS = st.sampled_from(["..", ".", "", "out", "secret.md.j2", "templates", "ws", "/", "%2e%2e", "\\.."])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_SEGMENTS, min_size=1, max_size=6), absolute=st.booleans())
def test_no_include_name_reaches_a_file_outside(tmp_path: Path, parts: list[str], absolute: bool) -> None:
    """Whatever name a template includes — ``..``, absolute, through a folder link out of the
    workspace — the outside file is never read: Jinja's own refusals hold, and the jail refuses the
    rest."""
    base = tmp_path / "prop"
    if not base.exists():
        (base / "outside").mkdir(parents=True)
        (base / "outside/secret.md.j2").write_text(SECRET, encoding="utf-8")
        (base / "ws/templates").mkdir(parents=True)
        (base / "ws/templates/out").symlink_to(base / "outside")
        (base / "ws/templates/secret.md.j2").symlink_to(base / "outside/secret.md.j2")
        _ENVS[base] = Session(base / "ws").env
    name = ("/" if absolute else "") + "/".join(parts)
    try:
        text = _ENVS[base].from_string("{% include name %}").render(name=name)
    except TemplateNotFound:
        return  # Jinja's own refusal: `..`, or no such template
    except HrdocsError as exc:
        assert "outside the workspace" in exc.message and SECRET not in str(exc)
        return
    assert SECRET not in text


_ENVS: dict[Path, Environment] = {}

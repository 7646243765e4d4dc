"""The core: every kind in the registry, made by its command and by a batch, is the same document.

The kinds are found from the registry (the built-in ones and a workspace's own: one declared with
fields, one ``like`` a built-in letter), never from a hand-written list, so a kind added later is
held to the same promise. The rest checks the one write plan at the command level: a refusal writes
nothing, a second batch is kept out of a folder in use, an output onto the input is refused, and a
full disk leaves whole files only, which ``--resume`` finishes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from hrdocs.api import Input, Session, generate
from hrdocs.batch import Options, run_batch
from hrdocs.kinds import BUILTIN, registry
from tests.conftest import Outcome

TODAY = date(2026, 12, 1)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

PROMOTION = """\
{% extends "_base.md.j2" %}
{% block body %}
Dear {{ candidate }},

We are glad to confirm your promotion to {{ role.title }} at level {{ level }}, from
{{ effective | date }}{% if new_salary %}, with a new base salary of {{ new_salary | money }}{% endif %}.

{{ signatory.name }}
{% endblock %}
"""
DECLARATION = """\
title: promotion letter
folder: promotions
fields:
  candidate: {type: text, required: true, help: The employee's full name., aliases: [employee_name]}
  role: {type: role, required: true}
  effective: {type: date, required: true, example: "2027-02-01"}
  new_salary: {type: money, example: "81000"}
  level: {type: choice, choices: [L1, L2, L3], required: true}
"""


@pytest.fixture
def workspace(make_workspace: Callable[..., Path]) -> Path:
    offer = (TEMPLATES / "offer-letter.md.j2").read_text("utf-8")
    return make_workspace(
        {
            "templates/promotion-letter.md.j2": PROMOTION,
            "kinds/promotion-letter.yaml": DECLARATION,
            "templates/internship-offer.md.j2": "{#- hrdocs: like offer-letter -#}\n" + offer,
        }
    )


def _formats(session: Session, name: str) -> list[str]:
    return ["docx"] if session.word_template(name) else ["docx", "html", "md"]


def _plan_files(manifest: Path) -> dict[int, list[dict[str, object]]]:
    rows: dict[int, list[dict[str, object]]] = {}
    for line in manifest.read_text("utf-8").splitlines():
        entry = json.loads(line)
        rows.setdefault(int(entry["row"]), []).append(entry)
    return rows


def test_the_registry_holds_the_built_in_kinds_and_the_workspaces(workspace: Path) -> None:
    kinds = {k.name: k for k in registry(Session(workspace)).all()}
    assert {k.name for k in BUILTIN} <= set(kinds)
    assert kinds["promotion-letter"].folder == "promotions"
    assert kinds["internship-offer"].based_on == "offer-letter"
    assert registry(Session(workspace)).get("Rejection letter").name == "denial-letter"


def test_every_kind_is_the_same_document_from_its_command_and_from_a_batch(
    workspace: Path, tmp_path: Path
) -> None:
    """Same bytes, same warnings: for every kind the registry knows, from its own samples."""
    session = Session(workspace, today=TODAY)
    checked = []
    for kind in registry(session).all():
        samples = kind.samples(session, kind)
        assert samples, f"{kind.name} has no samples"
        formats = _formats(session, kind.template_name)
        singles = []
        for i, raw in enumerate(samples):
            written = generate(
                Session(workspace, today=TODAY), kind.name, Input(raw, f"sample {i}"), formats=formats,
                out=tmp_path / "single" / kind.name / str(i),
            )  # fmt: skip
            singles.append(written)
        plan = tmp_path / f"{kind.short}.yaml"
        plan.write_text(yaml.safe_dump(samples, allow_unicode=True), "utf-8")
        out = tmp_path / "batch" / kind.name
        report = run_batch(
            Session(workspace, today=TODAY),
            plan,
            Options(kind=kind.name, formats=formats, out=out, jobs=1, sync=False),
        )
        assert report.ok and report.written == len(samples), (kind.name, report.problems)
        rows = _plan_files(out / f"{plan.stem}.manifest.jsonl")
        assert len(rows) == len(samples)
        for written, (row, entries) in zip(singles, sorted(rows.items()), strict=True):
            assert [p.suffix.lstrip(".") for p in written.paths] == [e["format"] for e in entries] == formats
            for path, entry in zip(written.paths, entries, strict=True):
                assert path.read_bytes() == (out / str(entry["path"])).read_bytes(), (kind.name, path.name)
            prefix = f"{plan.name}:{row}: "
            batch_warnings = [w.removeprefix(prefix) for w in report.warnings if w.startswith(prefix)]
            assert batch_warnings == written.warnings, kind.name
        checked.append(kind.name)
    assert {"job-description", "posting", "offer-letter", "denial-letter", "comparison"} <= set(checked)
    assert {"promotion-letter", "internship-offer"} <= set(checked)


def test_the_checks_read_a_batch_letter_as_its_command_does(
    make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    """``voice.avoid`` on the template's wording: a warning from the command and from the batch alike,
    and ``--strict`` refuses both before anything is written."""
    ws = make_workspace(company={"voice": {"avoid": ["unfortunately"]}})
    template = "# Thank you\n\nDear {{ candidate.name }},\n\nUnfortunately we have chosen someone else.\n"
    (ws / "templates").mkdir()
    (ws / "templates" / "denial-letter.md.j2").write_text(template, "utf-8")
    raw = {"candidate": "Guy Unfortunately", "role": "recruiter", "stage": "interview"}
    single = generate(Session(ws, today=TODAY), "denial", raw, out=tmp_path / "one")
    assert [w.split(": ", 2)[1] for w in single.warnings] == ["voice.avoid"]
    assert "Guy" not in " ".join(single.warnings)  # the candidate's name is neither linted nor quoted
    plan = tmp_path / "d.yaml"
    plan.write_text(yaml.safe_dump([raw]), "utf-8")
    report = run_batch(Session(ws, today=TODAY), plan, Options(kind="denial", out=tmp_path / "b", sync=False))
    assert [w.removeprefix(f"{plan.name}:1: ") for w in report.warnings] == single.warnings
    with pytest.raises(Exception, match=r"d\.yaml:1: --strict: 1 warning, nothing written"):
        run_batch(Session(ws, today=TODAY, strict=True), plan, Options(kind="denial", out=tmp_path / "s"))
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").glob("*.docx"))


# ------------------------------------------------------------------------------- the write plan
OFFER = ["offer", "generalist", "--candidate", "Jane Q. Doe", "--salary", "72000", "--start", "2027-01-04",
         "--manager", "Dana Whitfield", "--location", "Denver, CO"]  # fmt: skip


def test_a_refused_format_writes_no_other(workspace: Path, hrdocs: Callable[..., Outcome]) -> None:
    out = workspace / "letters"
    out.mkdir()
    (out / "offer-jane-q-doe-hr-generalist.html").write_text("sent already")
    result = hrdocs("-w", workspace, "--date", "2026-12-01", *OFFER, "-f", "docx,html", "-o", out)
    assert result.code == 1
    assert "offer-jane-q-doe-hr-generalist.html: already exists" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["offer-jane-q-doe-hr-generalist.html"]
    assert (out / "offer-jane-q-doe-hr-generalist.html").read_text() == "sent already"


def test_all_job_descriptions_or_none(workspace: Path, hrdocs: Callable[..., Outcome]) -> None:
    out = workspace / "jds"
    out.mkdir()
    (out / "recruiter.docx").write_text("edited by hand")
    result = hrdocs("-w", workspace, "jd", "--all", "-o", out)
    assert result.code == 1 and "recruiter.docx: already exists" in result.err
    assert [p.name for p in out.iterdir()] == ["recruiter.docx"]
    again = hrdocs("-w", workspace, "jd", "--all", "-o", out, "--force")
    assert again.code == 0 and len(list(out.glob("*.docx"))) == len(
        registry(Session(workspace))
        .get("jd")
        .samples(Session(workspace), registry(Session(workspace)).get("jd"))
    )


def _csv(path: Path, rows: int) -> Path:
    lines = ["candidate,role,stage"] + [f"Person {i},recruiter,interview" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_the_manifest_is_never_written_onto_the_input(
    workspace: Path, hrdocs: Callable[..., Outcome]
) -> None:
    csv = _csv(workspace / "d.csv", 2)
    before = csv.read_bytes()
    result = hrdocs("-w", workspace, "batch", csv, "--kind", "denial", "--manifest", csv, "--force", "-q")
    assert result.code == 2 and "the manifest would overwrite the input" in result.err
    assert csv.read_bytes() == before


@contextlib.contextmanager
def _holding_lock(folder: Path) -> Iterator[int]:
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from hrdocs.lock import FolderLock
        with FolderLock(Path({str(folder)!r}), "hrdocs batch other.csv"):
            print("locked", flush=True)
            sys.stdin.readline()
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=20)


def test_a_second_batch_is_kept_out_of_a_folder_in_use(
    workspace: Path, hrdocs: Callable[..., Outcome]
) -> None:
    csv = _csv(workspace / "d.csv", 3)
    out = workspace / "out"
    with _holding_lock(out) as pid:
        result = hrdocs("-w", workspace, "batch", csv, "--kind", "denial", "-o", out, "-q")
        single = hrdocs(
            "-w", workspace, "denial", "recruiter", "--candidate", "A B", "--stage", "interview", "-o", out
        )
    assert result.code == 1 and f"pid {pid}" in result.err and "hrdocs batch other.csv" in result.err
    assert single.code == 1 and f"pid {pid}" in single.err
    assert not list(out.glob("*.docx"))
    assert hrdocs("-w", workspace, "batch", csv, "--kind", "denial", "-o", out, "-q").code == 0
    assert len(list(out.glob("*.docx"))) == 3


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount a tmpfs"
)
def test_a_full_disk_leaves_whole_files_and_resume_finishes(
    workspace: Path, tmp_path: Path, hrdocs: Callable[..., Outcome]
) -> None:
    out = tmp_path / "small"
    out.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(out)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        csv = _csv(tmp_path / "many.csv", 80)  # ~16 kB a letter: more than 600 kB
        full = hrdocs("-w", workspace, "batch", csv, "--kind", "denial", "-o", out, "-q", "--jobs", "1")
        assert full.code == 1 and "No space left" in full.err and "--resume" in full.err
        names = sorted(p.name for p in out.iterdir())
        assert not [n for n in names if n.endswith(".part") or (n.startswith(".") and n != ".hrdocs.lock")]
        letters = [n for n in names if n.endswith(".docx")]
        listed = {json.loads(line)["path"] for line in (out / "many.manifest.jsonl").read_text().splitlines()}
        assert letters and set(letters) == listed  # every whole file is listed, and only those
        for name in letters:
            with zipfile.ZipFile(out / name) as docx:
                assert docx.testzip() is None
        subprocess.run(["mount", "-o", "remount,size=4m", str(out)], check=True)
        resumed = hrdocs("-w", workspace, "batch", csv, "--kind", "denial", "-o", out, "-q", "--resume")
        assert resumed.code == 0, resumed.err
        assert len(list(out.glob("*.docx"))) == 80
        assert len((out / "many.manifest.jsonl").read_text().splitlines()) == 80
    finally:
        subprocess.run(["umount", "-l", str(out)], capture_output=True)


def test_a_batch_killed_half_way_leaves_whole_files_and_resume_finishes(
    workspace: Path, tmp_path: Path
) -> None:
    rows = 4000  # enough that a loaded machine cannot write them all between two looks
    csv = _csv(tmp_path / "many.csv", rows)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "hrdocs", "-w", str(workspace), "batch", str(csv), "--kind", "denial",
               "-o", str(out), "-q", "--jobs", "2"]  # fmt: skip
    batch = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(600):  # until pass 2 is well under way (at most a minute)
            if out.is_dir() and len(list(out.glob("*.docx"))) >= 100:
                break
            if batch.poll() is not None:
                pytest.skip("the batch finished before it could be killed")
            time.sleep(0.1)
        os.killpg(batch.pid, signal.SIGKILL)
    finally:
        batch.wait(timeout=30)
    names = [p.name for p in out.iterdir()]
    assert not [n for n in names if n.endswith(".part")], "a temporary file was left behind"
    letters = [n for n in names if n.endswith(".docx")]
    assert 100 <= len(letters) < rows
    for name in letters:
        with zipfile.ZipFile(out / name) as docx:
            assert docx.testzip() is None, name
    manifest = out / "many.manifest.jsonl"
    listed = [json.loads(line)["path"] for line in manifest.read_bytes().rstrip(b"\0").decode().splitlines()]
    assert set(listed) <= set(letters)  # a line is written once its file is whole
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert len(list(out.glob("*.docx"))) == rows
    assert sorted(json.loads(line)["path"] for line in manifest.read_text().splitlines()) == sorted(
        p.name for p in out.glob("*.docx")
    )

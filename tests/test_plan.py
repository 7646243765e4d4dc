"""The write plan: refused as a whole before anything is written; written so that nothing half-done stays.

Other processes are real ones (a lock holder waiting on its stdin, a writer killed with SIGKILL), and the
full disk is a real one (a 1 MB tmpfs) where the test may mount it.
"""

from __future__ import annotations

import os
import pickle
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hrdocs import output
from hrdocs.errors import HrdocsError, OutputExists
from hrdocs.lock import LOCK_NAME, FolderLock, locked_by
from hrdocs.plan import OutputsExist, WritePlan

ROOT = Path(__file__).resolve().parents[1]


def names(folder: Path) -> list[str]:
    """Everything in ``folder``, hidden files too (a temporary file is hidden)."""
    return sorted(os.listdir(folder)) if folder.exists() else []


def python(script: str, *args: str, **popen: Any) -> subprocess.Popen[str]:
    """Another Python process running ``script`` with hrdocs importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = textwrap.dedent(script)
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True, **popen)


def unnamed_supported(folder: Path) -> bool:
    fd = output.open_unnamed(str(folder), 0o600)
    if fd is None:
        return False
    os.close(fd)
    return True


@pytest.fixture(params=["unnamed", "named"])
def temporaries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Both ways of making temporary files: unnamed (Linux ``O_TMPFILE``) and ``.NAME.PID-N.part``."""
    if request.param == "named":
        monkeypatch.setattr(output, "open_unnamed", lambda folder, mode: None)
    elif not unnamed_supported(tmp_path):
        pytest.skip("O_TMPFILE is not supported here")
    return str(request.param)


@pytest.fixture
def umask() -> Iterator[int]:
    """A umask other than the usual 022, so that a mode made without it would show."""
    previous = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(previous)


# ------------------------------------------------------------------------------------ refusing
def test_an_existing_file_among_three_refuses_all_three(tmp_path: Path) -> None:
    (tmp_path / "b.docx").write_bytes(b"sent to the candidate")
    plan = WritePlan()
    for name in ("a.docx", "b.docx", "c.docx"):
        plan.add(tmp_path, name, b"new")
    assert plan.problems() == [f"{tmp_path / 'b.docx'}: already exists"]
    with pytest.raises(OutputExists, match=r"b\.docx: already exists"):
        plan.write()
    assert names(tmp_path) == ["b.docx"]
    assert (tmp_path / "b.docx").read_bytes() == b"sent to the candidate"


def test_every_existing_file_is_counted_and_the_first_five_named(tmp_path: Path) -> None:
    plan = WritePlan()
    for n in range(7):
        (tmp_path / f"{n}.md").write_text("old")
        plan.add(tmp_path, f"{n}.md", b"new")
    with pytest.raises(OutputsExist) as caught:
        plan.check()
    assert caught.value.paths == plan.targets
    assert caught.value.message.startswith("7 files already exist, not overwritten: ")
    assert str(tmp_path / "4.md") in caught.value.message
    assert str(tmp_path / "5.md") not in caught.value.message
    assert caught.value.message.endswith(" and 2 more")
    assert caught.value.hint == "pass --force to replace them"
    assert pickle.loads(pickle.dumps(caught.value)).message == caught.value.message


def test_force_replaces_existing_files(tmp_path: Path) -> None:
    (tmp_path / "b.docx").write_bytes(b"old")
    plan = WritePlan(force=True)
    for name in ("a.docx", "b.docx"):
        plan.add(tmp_path, name, name.encode())
    assert plan.problems() == []
    assert plan.write() == [tmp_path / "a.docx", tmp_path / "b.docx"]
    assert (tmp_path / "b.docx").read_bytes() == b"b.docx"
    assert names(tmp_path) == ["a.docx", "b.docx"]


def test_names_that_differ_only_in_case_are_refused_and_nothing_is_made(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = WritePlan(force=True)
    plan.add(out, "a.docx", b"1")
    plan.add(out, "A.docx", b"2")
    plan.add(out, "a.docx", b"3")
    problems = plan.problems()
    assert problems == [
        f"{out / 'A.docx'}: differs in case only from {out / 'a.docx'}",
        f"{out / 'a.docx'}: two outputs with this path",
    ]
    with pytest.raises(HrdocsError) as caught:
        plan.write()
    assert not isinstance(caught.value, OutputExists)
    assert caught.value.message.startswith("nothing written: 2 problems:")
    assert not out.exists()


def test_an_output_onto_an_input_is_refused_even_with_force(tmp_path: Path) -> None:
    data = tmp_path / "offers.csv"
    data.write_text("name\nJane\n")
    os.link(data, tmp_path / "same-file.docx")  # another name for the input: still the input
    (tmp_path / "alias.csv").symlink_to(data)
    plan = WritePlan(force=True, inputs=[tmp_path / "alias.csv"])
    plan.add(tmp_path, "offers.csv", b"overwritten")
    plan.add(tmp_path, "same-file.docx", b"overwritten")
    plan.add(tmp_path, "fine.docx", b"ok")
    assert plan.problems() == [
        f"{data}: is an input of this command",
        f"{tmp_path / 'same-file.docx'}: is an input of this command",
    ]
    with pytest.raises(HrdocsError, match="is an input"):
        plan.write()
    assert data.read_text() == "name\nJane\n"
    assert not (tmp_path / "fine.docx").exists()


def test_a_folder_locked_by_another_process_is_refused_until_it_exits(tmp_path: Path) -> None:
    holder = python(
        """
        import sys
        from pathlib import Path
        from hrdocs.lock import FolderLock
        with FolderLock(Path(sys.argv[1]), "hrdocs batch offers.csv"):
            print("locked", flush=True)
            sys.stdin.read()
        """,
        str(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        plan = WritePlan()
        plan.add(tmp_path, "a.docx", b"a")
        holding = f"another hrdocs process is writing here (pid {holder.pid}, `hrdocs batch offers.csv`"
        assert len(plan.problems()) == 1 and holding in plan.problems()[0]
        with pytest.raises(HrdocsError, match="another hrdocs process") as caught:
            plan.write()
        assert not isinstance(caught.value, OutputExists)
        assert caught.value.hint is not None and "--out" in caught.value.hint
        with pytest.raises(HrdocsError, match=f"pid {holder.pid}"):
            FolderLock(tmp_path, "hrdocs test").acquire()
        assert names(tmp_path) == [LOCK_NAME]
    finally:
        holder.communicate("", timeout=10)
    assert plan.problems() == []
    plan.write()
    assert names(tmp_path) == ["a.docx"]  # the holder removed its lock file, and so did the plan


def test_a_killed_holder_leaves_no_lock(tmp_path: Path) -> None:
    holder = python(
        """
        import sys, time
        from pathlib import Path
        from hrdocs.lock import FolderLock
        FolderLock(Path(sys.argv[1]), "hrdocs batch").acquire()
        print("locked", flush=True)
        time.sleep(60)
        """,
        str(tmp_path),
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    assert locked_by(tmp_path) is not None
    holder.kill()
    holder.communicate(timeout=10)
    assert locked_by(tmp_path) is None  # the file stays; the lock went with the process
    with FolderLock(tmp_path, "hrdocs"):
        pass
    assert names(tmp_path) == []


def test_the_lock_is_reentrant_and_shared_with_forked_children(tmp_path: Path) -> None:
    probe = "import sys, pathlib, hrdocs.lock as lock; print(lock.locked_by(pathlib.Path(sys.argv[1])))"
    with FolderLock(tmp_path, "outer") as outer:
        with FolderLock(tmp_path, "inner"):
            assert locked_by(tmp_path) is None  # this process holds it
        child = os.fork()
        if child == 0:  # a batch worker: the folder is its parent's, hence its own
            with FolderLock(tmp_path, "worker"):
                ok = locked_by(tmp_path) is None
            outer.release()  # as if the child unwound the parent's `with`: the parent's lock stays
            os._exit(0 if ok and (tmp_path / LOCK_NAME).exists() else 1)
        assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
        other = python(probe, str(tmp_path), stdout=subprocess.PIPE).communicate(timeout=10)[0]
        assert other.startswith(f"pid {os.getpid()}, `outer`, since ")
    assert names(tmp_path) == []


# ------------------------------------------------------------------------------------ writing
def test_files_get_their_modes_and_no_temporary_file_stays(
    tmp_path: Path, temporaries: str, umask: int
) -> None:
    plan = WritePlan()
    letter = plan.add(tmp_path / "new" / "letters", "offer.docx", b"personal", private=True)
    posting = plan.add(tmp_path / "new" / "postings", "posting.md", b"public")
    assert plan.write() == [letter, posting]
    assert stat.S_IMODE(letter.stat().st_mode) == 0o600
    assert stat.S_IMODE(posting.stat().st_mode) == 0o644 & ~umask
    assert (letter.read_bytes(), posting.read_bytes()) == (b"personal", b"public")
    assert names(letter.parent) == ["offer.docx"] and names(posting.parent) == ["posting.md"]


def test_beyond_the_descriptor_budget_named_temporaries_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "unnamed_budget", lambda: 1)
    plan = WritePlan()
    for n in range(3):
        plan.add(tmp_path, f"{n}.md", str(n).encode())
    plan.write(sync=False)
    assert names(tmp_path) == ["0.md", "1.md", "2.md"]
    assert [p.read_bytes() for p in plan.targets] == [b"0", b"1", b"2"]


def wrap(monkeypatch: pytest.MonkeyPatch, name: str, after: Callable[..., None]) -> None:
    """Make ``hrdocs.output.<name>`` call ``after(*args)`` once it has done its work."""
    original = getattr(output, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        after(*args)
        return result

    monkeypatch.setattr(output, name, wrapper)


def test_a_file_that_appears_meanwhile_is_kept_and_the_plan_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporaries: str
) -> None:
    theirs = tmp_path / "elsewhere"
    theirs.write_bytes(b"someone else's a")
    written: list[bytes] = []

    def meanwhile(fd: int, data: bytes) -> None:
        written.append(data)
        if len(written) == 3:  # another program takes c's name before the plan puts c in place
            (tmp_path / "c.docx").write_bytes(b"someone else's c")

    def placed(*args: Any) -> None:
        if Path(args[1]).name == "b.docx":  # and replaces a, which the plan had put in place
            os.replace(theirs, tmp_path / "a.docx")

    wrap(monkeypatch, "write_all", meanwhile)
    wrap(monkeypatch, "place_unnamed" if temporaries == "unnamed" else "place_named", placed)
    plan = WritePlan()
    for name in ("a.docx", "b.docx", "c.docx"):
        plan.add(tmp_path, name, b"ours")
    with pytest.raises(OutputExists, match=r"c\.docx"):
        plan.write()
    assert names(tmp_path) == ["a.docx", "c.docx"]  # b, the plan's, came out again; theirs stayed
    assert (tmp_path / "a.docx").read_bytes() == b"someone else's a"
    assert (tmp_path / "c.docx").read_bytes() == b"someone else's c"


def test_with_force_a_failure_in_place_undoes_new_files_and_keeps_replaced_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporaries: str
) -> None:
    (tmp_path / "b.docx").write_bytes(b"old b")
    written: list[bytes] = []

    def meanwhile(fd: int, data: bytes) -> None:
        written.append(data)
        if len(written) == 3:  # a folder takes c's name: nothing can replace it
            (tmp_path / "c.docx").mkdir()

    wrap(monkeypatch, "write_all", meanwhile)
    plan = WritePlan(force=True)
    for name in ("a.docx", "b.docx", "c.docx"):
        plan.add(tmp_path, name, b"new")
    with pytest.raises(HrdocsError, match=r"c\.docx: cannot write: Is a directory"):
        plan.write()
    assert names(tmp_path) == ["b.docx", "c.docx"]  # a came out again; b's old bytes are gone anyway
    assert (tmp_path / "b.docx").read_bytes() == b"new"


WRITER = """
    import sys, time
    from pathlib import Path
    from hrdocs import output
    from hrdocs.plan import WritePlan

    def slowly(name):
        original = getattr(output, name)
        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            print(name, flush=True)
            time.sleep(0.002)
            return result
        setattr(output, name, wrapper)

    slowly(sys.argv[2])
    plan = WritePlan()
    for n in range(200):
        plan.add(Path(sys.argv[1]), f"letter-{n:03}.docx", f"{n:03}".encode() * 6000)
    plan.write(sync=False)
    print("done", flush=True)
"""


@pytest.mark.parametrize("phase", ["write_all", "link_unnamed"])
def test_a_sigkill_half_way_leaves_only_whole_files(tmp_path: Path, phase: str) -> None:
    if not unnamed_supported(tmp_path):
        pytest.skip("O_TMPFILE is not supported here: a killed run leaves .part files for --resume")
    writer = python(WRITER, str(tmp_path), phase, stdout=subprocess.PIPE)
    assert writer.stdout is not None
    for _ in range(100):
        assert writer.stdout.readline() == f"{phase}\n"
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    present = [n for n in names(tmp_path) if n != LOCK_NAME]  # the lock file stays, unlocked
    for name in present:
        number = int(name.removeprefix("letter-").removesuffix(".docx"))
        assert (tmp_path / name).read_bytes() == f"{number:03}".encode() * 6000
    assert len(present) == (0 if phase == "write_all" else 100)
    assert locked_by(tmp_path) is None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system, mounted for the test (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_met_before_anything_is_in_place(small_disk: Path, temporaries: str) -> None:
    plan = WritePlan()
    for n in range(3):
        plan.add(small_disk / "out", f"{n}.docx", bytes(600_000))
    with pytest.raises(HrdocsError) as caught:
        plan.write()
    assert not isinstance(caught.value, OutputExists)
    assert caught.value.message.startswith(f"{small_disk / 'out'}: cannot write: No space left on device")
    assert caught.value.hint is not None and "free some space" in caught.value.hint
    assert names(small_disk) == []  # no document, no temporary file, no lock, not even the folder

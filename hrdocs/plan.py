"""One write plan: every file a command writes, checked as a whole before the first one is written.

Writing files one by one and stopping at the first problem leaves some written and some not, and the
user must find out which. A command instead adds every output (all formats, every document of
``--all``) to a :class:`WritePlan`, which refuses for every reason it sees, all at once, before anything
is written: files that exist (unless ``--force``), two outputs with one name (or names that differ in
case only: one file on macOS and Windows), an output onto an input (even with ``--force``), a folder
another hrdocs process is writing into. It then writes in two phases, holding a
:class:`~hrdocs.lock.FolderLock` on each folder: every file's bytes into a temporary file beside its
target, so a full disk is met while nothing is in place; then each into place by a link, which never
overwrites a file that appeared meanwhile (if one did, what the plan put in place comes out again).
On Linux the temporary files have no name (``O_TMPFILE``) until linked, so even a SIGKILL leaves only
whole files; elsewhere they are ``.NAME.PID-N.part``, which ``hrdocs batch --resume`` clears away.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hrdocs import lock
from hrdocs import output as out
from hrdocs.errors import HrdocsError, OutputExists
from hrdocs.lock import FolderLock, locked_by

SHOWN = 5
"""Paths listed in one message before ``and N more``."""


class OutputsExist(OutputExists):
    """Files that exist, all named in one error; an :class:`OutputExists` for whoever catches that."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        if len(self.paths) == 1:
            super().__init__(self.paths[0])
            return
        message = f"{len(self.paths)} files already exist, not overwritten: {_listing(self.paths)}"
        HrdocsError.__init__(self, message, hint="pass --force to replace them")
        self.path = self.paths[0]

    def __reduce__(self) -> tuple[type[OutputsExist], tuple[list[Path]]]:
        return type(self), (self.paths,)  # picklable (worker processes), though built from paths


@dataclass
class _Output:
    """One planned file and, while it is written, its temporary file (one of ``fd`` and ``tmp``)."""

    target: Path
    data: bytes
    private: bool
    fd: int | None = None  # an unnamed file (Linux), open until linked: it has no name to reopen it by
    tmp: str | None = None  # or a named temporary file, closed
    inode: tuple[int, int] = (-1, -1)


class WritePlan:
    """Every output of one command; :meth:`write` writes them all or none (see the module's docstring).

    ``inputs`` are the files the command reads (a CSV, a ``--data`` file): an output onto one of them
    is refused even with ``force``. ``command`` names the command in the folder locks, for a process
    refused meanwhile (``hrdocs batch offers.csv``): never personal data.
    """

    def __init__(self, *, force: bool = False, inputs: Iterable[Path] = (), command: str = "hrdocs") -> None:
        self.force = force
        self.inputs = [Path(p) for p in inputs]
        self.command = command
        self._outputs: list[_Output] = []

    def add(self, folder: Path, name: str, data: bytes, *, private: bool = False) -> Path:
        """Plan ``data`` as ``folder/name`` (refusing a name that leaves the folder); the target path."""
        target = out.inside(folder, name)
        self._outputs.append(_Output(target, bytes(data), private))
        return target

    @property
    def targets(self) -> list[Path]:
        return [o.target for o in self._outputs]

    def problems(self) -> list[str]:
        """Every reason to refuse the plan, one line each; empty if it can be written."""
        existing, other = self._findings()
        return [f"{p}: already exists" for p in existing] + [text for text, _ in other]

    def check(self) -> None:
        """Raise one error for every problem (:class:`OutputsExist` if existing files are the only
        ones, so that callers and tests can catch :class:`OutputExists`). Touches no file."""
        existing, other = self._findings()
        if not other:
            if existing:
                raise OutputsExist(existing)
            return
        lines = [f"{len(existing)} already exist: {_listing(existing)}"] if existing else []
        lines += [text for text, _ in other[: 2 * SHOWN]]
        if len(other) > 2 * SHOWN:
            lines.append(f"and {len(other) - 2 * SHOWN} more")
        hints = ["pass --force to replace those that exist"] if existing else []
        hints += [hint for _, hint in other if hint and hint not in hints]
        count = len(existing) + len(other)
        head = f"nothing written: {count} problem{'s' if count != 1 else ''}:"
        raise HrdocsError("\n".join([head, *(f"  {line}" for line in lines)]), hint="; ".join(hints) or None)

    def write(self, *, sync: bool = True) -> list[Path]:
        """Check, lock the folders, write every file in two phases; the targets in the order added.

        ``sync`` syncs each file before it is put in place and each folder after (a batch passes
        False and syncs once at the end). On any failure nothing this plan wrote stays in place
        (except files replaced with ``force``: those hold the new document, whole).
        """
        self.check()
        if not self._outputs:
            return []
        folders = sorted({o.target.parent for o in self._outputs}, key=str)
        made = missing_folders(folders)
        locks: list[FolderLock] = []
        created: list[tuple[Path, tuple[int, int]]] = []
        done = False
        try:
            for folder in folders:
                locks.append(FolderLock(folder, self.command))
                locks[-1].acquire()
            self._stage(sync=sync)
            self._place(created)
            for folder in folders if sync else ():
                out.sync_folder(folder)
            done = True
        finally:
            if not done:
                _undo(created)
            _discard(self._outputs)
            for held in reversed(locks):
                held.release()
            if not done:
                for folder in made:
                    with contextlib.suppress(OSError):
                        folder.rmdir()  # only if empty: what this plan made, nothing else
        return self.targets

    # ------------------------------------------------------------------------------------ steps
    def _findings(self) -> tuple[list[Path], list[tuple[str, str | None]]]:
        """(existing files that ``force`` would replace, other problems with their hints)."""
        existing: list[Path] = []
        other: list[tuple[str, str | None]] = []
        resolved = {p.resolve() for p in self.inputs}
        ids = {(i.st_dev, i.st_ino) for i in map(_stat, resolved) if i is not None}  # os.path.samefile
        seen: dict[str, Path] = {}
        for output in self._outputs:
            target = output.target
            first = seen.setdefault(unicodedata.normalize("NFC", str(target)).casefold(), target)
            if first is not target:
                same = (
                    "two outputs with this path" if first == target else f"differs in case only from {first}"
                )
                other.append((f"{target}: {same}", "give each output a name of its own"))
                continue
            try:
                info = os.stat(target)
            except (FileNotFoundError, NotADirectoryError):  # NotADirectory: reported for its folder
                info = None
            except OSError as exc:
                other.append((f"{target}: cannot check: {exc.strerror or exc}", None))
                continue
            if target in resolved or (info is not None and (info.st_dev, info.st_ino) in ids):
                other.append((f"{target}: is an input of this command", "write to another --out folder"))
            elif info is not None and stat.S_ISDIR(info.st_mode):
                other.append((f"{target}: is a folder", None))
            elif info is not None and not self.force:
                existing.append(target)
        for folder in dict.fromkeys(o.target.parent for o in self._outputs):
            other.extend(_folder_problems(folder))
        return existing, other

    def _stage(self, *, sync: bool) -> None:
        """Phase 1: every file whole in a temporary file beside its target (the caller discards them
        however this ends)."""
        budget = out.unnamed_budget()  # the outputs beyond it get named temporary files
        for output in self._outputs:
            folder = output.target.parent
            mode = 0o600 if output.private else 0o644
            try:
                fd = out.open_unnamed(str(folder), mode) if budget > 0 else None
                if fd is not None:
                    budget -= 1
                    output.fd = fd
                else:
                    output.tmp, fd = out.open_named(output.target, mode)
                try:
                    out.write_all(fd, output.data)
                    if sync:
                        os.fsync(fd)
                    info = os.fstat(fd)
                    output.inode = (info.st_dev, info.st_ino)
                finally:
                    if output.fd is None:
                        os.close(fd)
            except OSError as exc:
                reason = exc.strerror or exc
                raise HrdocsError(
                    f"{folder}: cannot write: {reason} (nothing written)", hint=_hint(exc)
                ) from None

    def _place(self, created: list[tuple[Path, tuple[int, int]]]) -> None:
        """Phase 2: each file into place; ``created`` lists the files this plan made, for undoing."""
        for output in self._outputs:
            target = output.target
            try:
                if output.fd is not None:
                    new = out.place_unnamed(output.fd, target, force=self.force)
                    os.close(output.fd)
                    output.fd = None
                else:
                    assert output.tmp is not None
                    new = out.place_named(output.tmp, target, force=self.force)
            except FileExistsError:  # appeared since the check: the others come out again
                raise OutputExists(target) from None
            except OSError as exc:
                raise HrdocsError(f"{target}: cannot write: {exc.strerror or exc}", hint=_hint(exc)) from None
            if new:
                created.append((target, output.inode))


def _folder_problems(folder: Path) -> list[tuple[str, str | None]]:
    """Why ``folder`` cannot take files: not a folder, not writable, or locked by another process."""
    nearest = folder
    while not os.path.lexists(nearest) and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        where = "" if nearest == folder else f", so cannot hold {folder}"
        return [(f"{nearest}: not a folder{where}", None)]
    if not os.access(nearest, os.W_OK | os.X_OK):
        return [(f"{folder}: cannot write here: permission denied", "check the folder's permissions")]
    holder = locked_by(folder) if nearest == folder else None
    if holder:
        return [(f"{folder}: another hrdocs process is writing here ({holder})", lock.HINT)]
    return []


def missing_folders(folders: Iterable[Path]) -> list[Path]:
    """The folders (and parents) that do not exist yet, deepest first: removed again if writing fails."""
    missing: set[Path] = set()
    for folder in folders:
        while not os.path.lexists(folder) and folder != folder.parent:
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda p: len(p.parts), reverse=True)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _undo(created: list[tuple[Path, tuple[int, int]]]) -> None:
    """Remove the files this plan put in place, each only if it is still the file the plan made."""
    for target, inode in reversed(created):
        with contextlib.suppress(OSError):
            info = os.lstat(target)
            if (info.st_dev, info.st_ino) == inode:
                os.unlink(target)


def _discard(outputs: list[_Output]) -> None:
    """Close the unnamed files not linked (the system frees them) and remove the named ones."""
    for output in outputs:
        if output.fd is not None:
            with contextlib.suppress(OSError):
                os.close(output.fd)
        if output.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(output.tmp)
        output.fd = output.tmp = None


def _hint(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "free some space on that disk, or write to another --out folder"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check the folder's permissions, or write to another --out folder"
    return "check the folder and its disk, then run the command again"


def _listing(paths: Sequence[Path]) -> str:
    shown = ", ".join(str(p) for p in paths[:SHOWN])
    return f"{shown} and {len(paths) - SHOWN} more" if len(paths) > SHOWN else shown

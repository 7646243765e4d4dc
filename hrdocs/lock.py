"""A folder lock, so that two hrdocs processes never write into one output folder at the same time.

Without it, two batches into one ``--out`` folder would each find a name free and race to claim it,
and ``--resume`` in one would clear the other's temporary files. The lock is ``fcntl.flock`` on a
hidden file ``.hrdocs.lock`` in the folder: the operating system releases it when the process dies,
however it dies, so a killed batch never leaves a stale lock (at most the file, which the next run
takes over). The file says who holds it (pid, command, start time), so that a refused process can
tell the user whom to wait for. The command is given by the caller and must hold no personal data.

Within one process the lock is re-entrant: a write plan and the batch around it may both lock a
folder. A child forked while a lock is held shares it (flock locks belong to the open file, which a
fork shares), so worker processes see the folder as theirs; they never remove the parent's lock.

Where there is no ``fcntl`` (Windows) there is no locking. ``msvcrt.locking`` exists, but a file
locked with it cannot be read by the refused process (so it could not say who holds it) nor removed
while open; rather than a second mechanism with other failures, hrdocs relies there on what holds
everywhere: files are put in place by links that never overwrite, so two processes may interleave
their documents but cannot overwrite each other's.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from hrdocs.errors import HrdocsError

try:
    import fcntl
except ImportError:  # Windows: see the module's docstring
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".hrdocs.lock"
HINT = "wait for it to finish, or write to another --out folder"
_TRIES = 5
"""Tries before refusing: :func:`locked_by` holds the lock shared for a few microseconds to test it,
which must not make a process that wants it refuse. A real holder holds it for the whole command."""
_OPEN = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


@dataclass
class _Held:
    fd: int
    count: int
    pid: int
    """The process that took it: in a forked child the lock is the parent's, never removed there."""


_HELD: dict[str, _Held] = {}
"""Folders this process holds, by resolved path."""
_GUARD = threading.Lock()


def _after_fork() -> None:
    global _GUARD
    _GUARD = threading.Lock()  # another thread may have held it at the fork: a new one, free


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class FolderLock:
    """An exclusive lock on ``folder`` (made if need be) for the time of a command.

    ``what`` names the command for whoever is refused, e.g. ``hrdocs batch offers.csv``: never
    personal data. :meth:`acquire` raises :class:`HrdocsError` naming the holder if another process
    holds the folder; it never waits for it.
    """

    def __init__(self, folder: Path, what: str) -> None:
        self.folder = Path(folder)
        self.what = what
        self._key: str | None = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def acquire(self) -> None:
        if self._key is not None:
            raise RuntimeError(f"{self.folder}: this FolderLock is already held")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HrdocsError(f"{self.folder}: cannot write here: {exc.strerror or exc}") from None
        key = str(self.folder.resolve())
        if fcntl is None:
            self._key = key
            return
        with _GUARD:
            held = _HELD.get(key)
            if held is not None:
                held.count += 1
            else:
                _HELD[key] = _Held(_take(Path(key), self.what), 1, os.getpid())
        self._key = key

    def release(self) -> None:
        key, self._key = self._key, None
        if key is None or fcntl is None:
            return
        with _GUARD:
            held = _HELD[key]
            held.count -= 1
            if held.count:
                return
            del _HELD[key]
        try:
            if held.pid == os.getpid():  # removed while locked, so no one locks the file being removed
                _unlink_if_same(Path(key) / LOCK_NAME, held.fd)
        finally:
            os.close(held.fd)  # releases the lock (in a forked child: only the child's copy of it)


def locked_by(folder: Path) -> str | None:
    """Who holds ``folder`` — ``pid 4242, `hrdocs batch offers.csv`, since 14:03`` — if another
    process does; None if no one or this process does. Creates nothing."""
    if fcntl is None:
        return None
    key = str(Path(folder).resolve())
    if key in _HELD:
        return None
    try:
        fd = os.open(Path(key) / LOCK_NAME, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _take(folder: Path, what: str) -> int:
    """Lock ``folder/.hrdocs.lock`` and record who holds it; the open descriptor holds the lock."""
    path = folder / LOCK_NAME
    refused = 0
    for _ in range(100):
        try:
            fd = os.open(path, _OPEN, 0o644)
        except OSError as exc:
            raise HrdocsError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            refused += 1
            if refused < _TRIES:
                os.close(fd)
                time.sleep(0.01)
                continue
            holder = _holder(fd)
            os.close(fd)
            raise HrdocsError(
                f"{folder}: another hrdocs process is writing here ({holder})", hint=HINT
            ) from None
        except OSError:  # a file system without flock (some network and FUSE ones): unlocked, as on Windows
            return fd
        if not _names(path, fd):  # its holder removed it as we opened it: lock the file now there
            os.close(fd)
            continue
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        record = json.dumps({"pid": os.getpid(), "command": what, "started": started}).encode()
        with contextlib.suppress(OSError):  # a full disk: locked all the same, its holder unnamed
            os.ftruncate(fd, 0)
            os.pwrite(fd, record, 0)
        return fd
    raise HrdocsError(f"{folder}: cannot lock {LOCK_NAME}: it keeps being replaced", hint=HINT)


def _names(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        named, opened = os.stat(path), os.fstat(fd)
    except FileNotFoundError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _unlink_if_same(path: Path, fd: int) -> None:
    if _names(path, fd):
        with contextlib.suppress(OSError):  # a folder we may not change: the file stays, unlocked
            os.unlink(path)


def _holder(fd: int) -> str:
    """The holder's record, read twice if it is being written as we read it."""
    for attempt in range(2):
        try:
            record = json.loads(os.pread(fd, 4096, 0))
            pid, command = int(record["pid"]), str(record["command"])
            started = datetime.fromisoformat(record["started"]).astimezone()
        except (OSError, ValueError, KeyError, TypeError):
            if not attempt:
                time.sleep(0.01)
            continue
        today = started.date() == datetime.now().astimezone().date()
        since = started.strftime("%H:%M" if today else "%Y-%m-%d %H:%M")
        return f"pid {pid}, `{command}`, since {since}"
    return "pid unknown"

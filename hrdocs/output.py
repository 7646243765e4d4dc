"""Writing files: never outside the output folder, atomic, never overwriting by accident.

A document is written to a temporary file beside its target (on Linux one without a name) and put
into place when whole, so an interrupted run (Ctrl-C, a kill, a full disk) leaves either the whole old
file, the whole new one, or nothing: never a half-written DOCX. The helpers below it are shared with
:mod:`hrdocs.plan`, which writes many files as one. Letters carry personal data, so they can be
created readable by the owner only.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from pathlib import Path

from hrdocs.errors import HrdocsError, OutputExists

# File names are made in hrdocs.naming; the writers and the tests have always found them here.
from hrdocs.naming import NAME_BYTES as NAME_BYTES
from hrdocs.naming import _sanitize as _sanitize
from hrdocs.naming import safe_file_name as safe_file_name
from hrdocs.naming import slug as slug


def inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    root = folder.resolve()
    if target.parent != root and root not in target.parents:
        raise HrdocsError(f"refusing to write outside the output folder: {name}")
    return target


_TEMPORARY = itertools.count()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_UNNAMED = os.O_WRONLY | getattr(os, "O_TMPFILE", 0) | getattr(os, "O_CLOEXEC", 0)
_PROC_FD = "/proc/self/fd/"
_CAN_UNNAMED = hasattr(os, "O_TMPFILE") and os.path.isdir(_PROC_FD)
"""Linux: a file can be made without a name and linked into place once whole (needs /proc to link)."""
_NO_UNNAMED: set[str] = set()
"""Folders whose file system refused ``O_TMPFILE``: asked once, not once a file."""
_UNSUPPORTED = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL})
"""What ``open(O_TMPFILE)`` fails with where it is not supported (EISDIR: kernels older than 3.11)."""


def write_atomic(
    path: Path, data: bytes, *, force: bool = False, private: bool = False, sync: bool = True
) -> Path:
    """Write ``data`` to ``path`` in one step; refuse to replace an existing file unless ``force``.

    ``sync=False`` skips the ``fsync`` before the file is put in place: the file is still whole or
    absent after a crash of the program, only not yet on the disk if the power fails. Batches pass it
    and sync once at the end (an fsync per letter would cost more than making the letter).

    On Linux the file is written without a name (``O_TMPFILE``) and linked into place when whole, so
    even a SIGKILL leaves nothing behind; this is also fewer system calls than a named temporary file.
    Elsewhere the temporary file is ``.NAME.PID-N.part`` (what ``hrdocs batch --resume`` clears away).
    Either is created with its final mode (the umask applies, as to any new file). Whether the name
    is taken is found by the link, which fails if it is: a check before it would cost a call and
    prove nothing (the name can be taken between the two).
    """
    mode = 0o600 if private else 0o644
    fd = _unnamed_beside(path, mode)
    if fd is not None:
        try:
            try:
                write_all(fd, data)
                if sync:
                    os.fsync(fd)
                place_unnamed(fd, path, force=force)
            finally:
                os.close(fd)
        except FileExistsError:
            raise OutputExists(path) from None
        except OSError as exc:
            raise HrdocsError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return path
    tmp, fd = _create_temporary(path, mode)
    try:
        try:
            write_all(fd, data)
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        place_named(tmp, path, force=force)
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError as exc:
        raise HrdocsError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def write_all(fd: int, data: bytes) -> None:
    """All of ``data``: ``os.write`` may write less than it was given (a signal, a nearly full disk)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def open_unnamed(folder: str, mode: int) -> int | None:
    """A file without a name in ``folder`` (Linux ``O_TMPFILE``), or None where that is not supported.

    Raises :class:`OSError` as ``open`` does (FileNotFoundError: no such folder).
    """
    if not _CAN_UNNAMED or folder in _NO_UNNAMED:
        return None
    try:
        return os.open(folder, _UNNAMED, mode)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
        _NO_UNNAMED.add(folder)
        return None


def unnamed_budget() -> int:
    """How many unnamed files one process may keep open at once (each holds a descriptor until it is
    linked, and the process has other uses for them): half its limit less a margin, at most 4096."""
    try:
        import resource
    except ImportError:  # Windows: no unnamed files anyway
        return 0
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return max(0, min(8192 if soft == resource.RLIM_INFINITY else soft, 8192) // 2 - 64)


def link_unnamed(fd: int, target: Path | str) -> None:
    """Give the unnamed file open as ``fd`` the name ``target``; FileExistsError if it is taken.

    ``os.link`` alone calls link(2), which would link the /proc symbolic link itself (EXDEV); a
    directory descriptor makes it call linkat(2) with AT_SYMLINK_FOLLOW, which links the file the
    link points to. The path is absolute, so the descriptor given for it is never used as a folder.
    """
    os.link(f"{_PROC_FD}{fd}", target, src_dir_fd=fd, follow_symlinks=True)


def place_unnamed(fd: int, path: Path, *, force: bool) -> bool:
    """Link the unnamed file into place; True if it made ``path``, False if it replaced a file.

    Without ``force``, FileExistsError if ``path`` exists. With it, a file in the way is replaced in
    one step (link under a temporary name, rename over it): the name exists only for that instant.
    """
    try:
        link_unnamed(fd, path)
        return True
    except FileExistsError:
        if not force:
            raise
    for _ in range(100):
        tmp = temporary_name(path)
        try:
            link_unnamed(fd, tmp)
            break
        except FileExistsError:
            continue
    else:
        raise OSError("too many leftover temporary files")  # not EEXIST: that would read as OutputExists
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return False


def place_named(tmp: str, path: Path, *, force: bool) -> bool:
    """Put the whole temporary file ``tmp`` in place (the caller removes ``tmp`` afterwards); True if it
    made ``path``. Without ``force``, FileExistsError if ``path`` exists (the link never overwrites)."""
    if force:
        existed = os.path.lexists(path)
        os.replace(tmp, path)
        return not existed
    try:
        os.link(tmp, path)  # fails if the name was taken meanwhile: no silent overwrite
    except FileExistsError:
        raise
    except OSError:  # file systems without hard links
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)
    return True


def sync_folder(folder: Path) -> None:
    """Make the names of new files in ``folder`` durable (sync the files themselves before linking)."""
    with contextlib.suppress(OSError):  # Windows cannot open a folder; some file systems refuse
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temporary_name(path: Path) -> str:
    """``.NAME.PID-N.part`` beside ``path``: the one name a temporary file of hrdocs ever has."""
    return os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_TEMPORARY)}.part")


def open_named(path: Path, mode: int) -> tuple[str, int]:
    """A new named temporary file beside ``path``; never one that exists. Raises :class:`OSError`."""
    for _ in range(100):
        tmp = temporary_name(path)
        try:
            return tmp, os.open(tmp, _CREATE, mode)
        except FileExistsError:  # left by an earlier process with the same id: take the next number
            continue
    raise OSError("too many leftover temporary files")  # not EEXIST: that would read as OutputExists


def _unnamed_beside(path: Path, mode: int) -> int | None:
    """:func:`open_unnamed` in ``path``'s folder, making the folder if need be."""
    folder = str(path.parent)
    try:
        try:
            return open_unnamed(folder, mode)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            return open_unnamed(folder, mode)
    except OSError as exc:
        raise HrdocsError(f"{path.parent}: cannot write here: {exc.strerror or exc}") from None


def _create_temporary(path: Path, mode: int) -> tuple[str, int]:
    """A new temporary file beside ``path``, making the folder if need be; never one that exists."""
    try:
        try:
            return open_named(path, mode)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            return open_named(path, mode)
    except OSError as exc:
        raise HrdocsError(f"{path.parent}: cannot write here: {exc.strerror or exc}") from None

"""Writing files: safe names, never outside the output folder, atomic, never overwriting by accident.

A document is written to a temporary file beside its target and renamed into place, so an interrupted
run (Ctrl-C, a kill, a full disk) leaves either the whole old file, the whole new one, or nothing: never
a half-written DOCX. Letters carry personal data, so they can be created readable by the owner only.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import unicodedata
from pathlib import Path

from pathvalidate import sanitize_filename

from hrdocs.errors import HrdocsError, OutputExists

_PLAIN_NAME = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "clock$"] + [f"{p}{n}" for p in ("com", "lpt") for n in "0123456789"]
)


def _sanitize(name: str, max_len: int) -> str:
    """pathvalidate's universal sanitizing, which leaves a plain ASCII name (letters, digits, hyphens,
    inner dots) that is short and reserved nowhere exactly as it is: such names skip it, as nearly all
    of a batch's do (it costs more than the rest of naming a file)."""
    plain = len(name) <= max_len and _PLAIN_NAME.fullmatch(name)
    if plain and name.split(".", 1)[0].lower() not in _RESERVED:
        return name
    return sanitize_filename(name, platform="universal", max_len=max_len)


def slug(text: str, *, max_length: int = 60) -> str:
    """A file-name part from any text: ``José Ñúñez`` -> ``jose-nunez``, ``王小明`` kept as is.

    Letters are kept where they are letters in any script (so names in Chinese stay readable), accents
    on Latin letters are dropped, and everything else becomes a single hyphen.
    """
    if text.isascii():  # nothing to decompose: most names (a batch slugs one a letter)
        stripped = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        stripped = unicodedata.normalize("NFC", stripped).lower()
    cleaned = _NOT_WORD.sub("-", stripped).replace("_", "-")
    cleaned = _HYPHENS.sub("-", cleaned).strip("-")[:max_length].strip("-")
    return _sanitize(cleaned, 255) or "document"


def safe_file_name(stem: str, suffix: str) -> str:
    """One path component, valid on Windows, macOS and Linux (no ``/``, ``..``, ``CON``, …)."""
    name = _sanitize(f"{stem}{suffix}", 120)
    if not name or name.startswith(".") or name in {".", ".."}:
        name = f"document{suffix}"
    return name


def inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    root = folder.resolve()
    if target.parent != root and root not in target.parents:
        raise HrdocsError(f"refusing to write outside the output folder: {name}")
    return target


_NOT_WORD = re.compile(r"[^\w]+")
_HYPHENS = re.compile(r"-{2,}")

_TEMPORARY = itertools.count()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_atomic(
    path: Path, data: bytes, *, force: bool = False, private: bool = False, sync: bool = True
) -> Path:
    """Write ``data`` to ``path`` in one step; refuse to replace an existing file unless ``force``.

    ``sync=False`` skips the ``fsync`` before the rename: the file is still whole or absent after a
    crash of the program, only not yet on the disk if the power fails. Batches pass it and sync once
    at the end (an fsync per letter would cost more than making the letter).

    The temporary file is ``.NAME.PID-N.part``, created with its final mode (the umask applies, as to
    any new file): a batch writes thousands of files, and ``tempfile.mkstemp`` plus a ``chmod`` cost
    several times the system calls this needs. Whether the name is taken is found by the link, which
    fails if it is: a check before it would cost a call and prove nothing (the name can be taken
    between the two).
    """
    tmp, fd = _create_temporary(path, 0o600 if private else 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name was taken meanwhile: no silent overwrite
            except FileExistsError:
                raise OutputExists(path) from None
            except OSError:  # filesystems without hard links
                if path.exists():
                    raise OutputExists(path) from None
                os.replace(tmp, path)
    except OSError as exc:
        raise HrdocsError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def _create_temporary(path: Path, mode: int) -> tuple[str, int]:
    """A new temporary file beside ``path``, making the folder if need be; never one that exists."""
    pid = os.getpid()
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{pid}-{next(_TEMPORARY)}.part")
        try:
            return tmp, os.open(tmp, _CREATE, mode)
        except FileExistsError:  # left by an earlier process with the same id: take the next number
            continue
        except FileNotFoundError:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HrdocsError(f"{path.parent}: cannot write here: {exc.strerror or exc}") from None
        except OSError as exc:
            raise HrdocsError(f"{path.parent}: cannot write here: {exc.strerror or exc}") from None
    raise HrdocsError(f"{path.parent}: cannot write here: too many leftover temporary files")

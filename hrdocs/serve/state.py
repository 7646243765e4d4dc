"""What the server keeps between requests: the workspace session, previews, uploads and batch jobs.

All of it lives in memory, or (uploads) in a private temporary folder removed when the server stops:
the candidate data typed into a form or uploaded never lands in the workspace unless "Write" or a
batch run puts a document there, as the CLI would.

The session is shared by every request and is not made for threads, so every call into the library
holds :attr:`State.lock`. It is made again when a file of the workspace changes (someone edits a
template in another window) or the day changes, checked at most every :data:`STAMP_EVERY` seconds.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hrdocs.api import Session
from hrdocs.errors import UsageError

STAMP_EVERY = 1.0
PREVIEWS_KEPT = 256
UPLOADS_KEPT = 32
WATCHED = ("hrdocs.yaml", "roles", "templates", "kinds", "profiles")
_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_id() -> str:
    return secrets.token_urlsafe(12)


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


@dataclass
class Upload:
    """A file uploaded for a batch: where it is kept and what the page chose for it."""

    id: str
    path: Path
    name: str
    """The name the browser gave, reduced to safe characters (the manifest is named after it)."""
    kind: str | None = None
    maps: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    job: Job | None = None


@dataclass
class Job:
    """One batch run in a background thread; the events page reads it."""

    stage: str = "check"
    done: int = 0
    total: int | None = None
    finished: bool = False
    summary: str = ""
    error: str | None = None
    manifest: Path | None = None
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, **values: Any) -> None:
        with self.changed:
            for key, value in values.items():
                setattr(self, key, value)
            self.changed.notify_all()


class State:
    """The server's memory; one per app."""

    def __init__(self, workspace: Path | None, today: date | None = None, strict: bool = False) -> None:
        self.workspace_path = workspace
        self.today = today
        self.strict = strict
        self.lock = threading.RLock()
        self._session: Session | None = None
        self._stamp: tuple[Any, ...] = ()
        self._checked = 0.0
        self.previews: OrderedDict[str, bytes] = OrderedDict()
        self.uploads: OrderedDict[str, Upload] = OrderedDict()
        self.upload_dir = Path(tempfile.mkdtemp(prefix="hrdocs-serve-"))
        os.chmod(self.upload_dir, 0o700)

    def new_session(self) -> Session:
        """A session of its own (a batch running in a thread uses one, so previews need not wait)."""
        return Session(self.workspace_path, today=self.today, strict=self.strict)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """The shared session, held by this thread for the block."""
        with self.lock:
            now = time.monotonic()
            if self._session is None or now - self._checked > STAMP_EVERY:
                self._checked = now
                stamp = self._workspace_stamp()
                if self._session is None or stamp != self._stamp:
                    self._session, self._stamp = self.new_session(), stamp
            yield self._session

    def _workspace_stamp(self) -> tuple[Any, ...]:
        """What the session was made from: the workspace's files, and the day (a server left running
        overnight dates the next morning's letters with the new day, as a new command would)."""
        root = Path(self.workspace_path or ".").resolve()
        out: list[Any] = [self.today or date.today()]
        for name in WATCHED:
            top = root / name
            if top.is_file():
                out.append((name, top.stat().st_mtime_ns))
            elif top.is_dir():
                for folder, dirs, files in os.walk(top):
                    dirs.sort()
                    for file in sorted(files):
                        with contextlib.suppress(OSError):
                            out.append((folder, file, os.stat(os.path.join(folder, file)).st_mtime_ns))
        return tuple(out)

    # ------------------------------------------------------------------------------ previews
    def keep_preview(self, html: bytes) -> str:
        with self.lock:
            key = new_id()
            self.previews[key] = html
            while len(self.previews) > PREVIEWS_KEPT:
                self.previews.popitem(last=False)
            return key

    def preview(self, key: str) -> bytes | None:
        with self.lock:
            return self.previews.get(key)

    # ------------------------------------------------------------------------------- uploads
    def keep_upload(self, name: str, suffix: str, data: bytes) -> Upload:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:60] or "upload"
        key = new_id()
        folder = self.upload_dir / key
        folder.mkdir(mode=0o700)
        path = folder / f"{stem}{suffix}"
        path.write_bytes(data)
        upload = Upload(key, path, path.name)
        with self.lock:
            self.uploads[key] = upload
            while len(self.uploads) > UPLOADS_KEPT:
                _, old = self.uploads.popitem(last=False)
                shutil.rmtree(old.path.parent, ignore_errors=True)
        return upload

    def upload(self, key: str) -> Upload:
        with self.lock:
            found = self.uploads.get(key) if valid_id(key) else None
        if found is None:
            raise UsageError("this upload is no longer here", hint="upload the file again")
        return found

    def close(self) -> None:
        shutil.rmtree(self.upload_dir, ignore_errors=True)

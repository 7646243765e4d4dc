"""The batch's workers: each validates and renders rows through the one pipeline, then writes them.

Pass 1 (:meth:`Worker.check`) validates each row with its kind, makes its document in every format
with :func:`hrdocs.pipeline.produce` — exactly what a single command makes — and keeps what it made in
a spool file of its own (the parts that differ from one document to the next, already compressed, in
a private temporary folder removed however the batch ends). Pass 2 (:meth:`Worker.write`) neither
reads the input nor renders again: it packs and writes.

Each worker builds its own :class:`~hrdocs.session.Session` once; :class:`Runner` runs the tasks here
or in worker processes, a few chunks in flight, so memory stays flat however long the input is.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from hrdocs.batch import manifest
from hrdocs.batch.decisions import ADOPT, REPLACE, Checked
from hrdocs.errors import HrdocsError, OutputExists, ValidationFailed
from hrdocs.kinds import Kind, registry
from hrdocs.naming import NamePattern, safe_file_name
from hrdocs.output import write_atomic
from hrdocs.pipeline import DOCX, PDF, Parts, Produced, add_pdfs, fork_safe, pack, produce
from hrdocs.session import Session

VERIFY_EVERY = 100
"""With ``--verify``, every this many rows (and the first) are rendered the plain way too."""


@dataclass(frozen=True)
class Plan:
    """What a worker needs besides the rows: picklable, decided once in the main process."""

    input_name: str
    input_stem: str
    pattern: str | None
    folders: Mapping[str, Path]
    """Kind name -> output folder."""
    formats: Mapping[str, tuple[str, ...]]
    """Kind name -> the formats of its documents."""
    spool: Path | None = None
    """The private folder where pass 1 keeps the rendered rows for pass 2 (None: a dry run)."""
    verify: bool = False


@dataclass
class Done:
    number: int
    action: int
    entries: list[dict[str, Any]]
    """The manifest lines of the row's files, their paths still absolute."""
    error: str | None = None
    fatal: bool = False
    """The batch cannot go on (a full disk); the files listed in ``entries`` are whole."""


Item = tuple[int, int, str, dict[str, Any]]
"""(ordinal, row number, kind name, fields)."""
Job = tuple[str, int, str, int, int]
"""(file-name stem, action, spool file, offset, length)."""
Files = dict[str, "bytes | Parts"]
"""Format -> the file, or (a DOCX from a text template) its own parts, packed in pass 2."""
Spooled = tuple[str, int, str, str, Files]
"""What the spool keeps of a valid row: (kind name, row number, role, input hash, files)."""


def settings_hash(session: Session) -> str:
    return manifest.sha256(session.config.source.read_bytes())


class Worker:
    """One per process: the session, loaded once, and what every document of the batch shares."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.session = session
        self.plan = plan
        self.registry = registry(session)
        self._patterns: dict[str, NamePattern] = {}
        self._templates: dict[str, tuple[str, str]] = {}
        self._folders: dict[str, Path] = {}
        self.settings_sha256 = settings_hash(session)
        self._spool: tuple[str, int] | None = None
        """This worker's spool file: (name, descriptor)."""
        self._spool_size = 0
        self._spools: dict[str, BinaryIO] = {}
        """Spool files open for reading, by name."""
        self._count = 0
        session.config, session.catalogue, session.env, session.docx  # noqa: B018 - load once, up front

    def folder(self, kind: Kind) -> Path:
        """The kind's output folder, resolved once: names are single safe components (see naming)."""
        found = self._folders.get(kind.name)
        if found is None:
            found = self._folders[kind.name] = self.plan.folders[kind.name].resolve()
        return found

    def pattern(self, kind: Kind) -> NamePattern | None:
        if self.plan.pattern is None:
            return None
        found = self._patterns.get(kind.name)
        if found is None:
            found = self._patterns[kind.name] = NamePattern(self.plan.pattern, kind.field_names)
        return found

    def template(self, kind: Kind) -> tuple[str, str]:
        """The template's label and hash, as the manifest records them."""
        found = self._templates.get(kind.name)
        if found is None:
            name = kind.template_name
            found = manifest.template_label(self.session, name), manifest.template_hash(self.session, name)
            self._templates[kind.name] = found
        return found

    # ------------------------------------------------------------------------------ pass 1
    def check(self, items: Sequence[Item]) -> list[Checked]:
        """Validate and render rows, keeping each document in the spool for pass 2. A template that
        fails (or ``--strict`` refusing a warning) stops the batch here, named with the row, before
        anything is written."""
        out: list[Checked] = []
        made: list[tuple[Checked, Produced, str]] = []
        for ordinal, number, kind_name, fields in items:
            kind = self.registry.get(kind_name)
            source = f"{self.plan.input_name}:{number}"
            ihash = manifest.input_hash(kind.short, fields)
            try:
                data = kind.validate(self.session, kind, fields, source, {})
            except ValidationFailed as exc:
                problems = [
                    (None if p.source == source else p.source, p.line, p.field, p.message)
                    for p in exc.problems
                ]
                out.append(Checked(ordinal, number, kind_name, None, ihash, problems, []))
                continue
            except HrdocsError as exc:  # refused as it stands (a posting without its pay range)
                out.append(
                    Checked(ordinal, number, kind_name, None, ihash, [(None, None, None, exc.message)], [])
                )
                continue
            self._count += 1
            verify = self.plan.verify and (self._count % VERIFY_EVERY == 1)
            try:
                document = produce(
                    self.session,
                    kind,
                    data,
                    formats=self.plan.formats[kind.name],
                    pattern=self.pattern(kind),
                    names={"row": str(number), "file": self.plan.input_stem},
                    pack=False,
                    verify=verify,
                )
            except HrdocsError as exc:  # the template's fault, met on this row's data: stop the batch
                located = HrdocsError(f"{source}: {exc.message}", hint=exc.hint)
                located.exit_code = exc.exit_code
                raise located from None
            checked = Checked(
                ordinal,
                number,
                kind_name,
                document.stem,
                ihash,
                [],
                [f"{source}: {w}" for w in document.warnings],
            )
            out.append(checked)
            made.append((checked, document, ihash))
        with_pdf = [m for _, m, _ in made if PDF in self.plan.formats[m.kind.name]]
        for kind_name in {m.kind.name for m in with_pdf}:  # one LibreOffice run per chunk and kind
            add_pdfs(
                self.session, [m for m in with_pdf if m.kind.name == kind_name], self.plan.formats[kind_name]
            )
        if self.plan.spool:
            for checked, document, ihash in made:
                files: Files = dict(document.files)
                if DOCX in self.plan.formats[document.kind.name] and document.parts is not None:
                    files[DOCX] = document.parts
                record = (checked.kind, checked.number, document.role or "", ihash, files)
                checked.spooled = self.put(record)
        return out

    def put(self, record: Spooled) -> tuple[str, int, int]:
        """Append a rendered row to this worker's spool file; say where it lies."""
        assert self.plan.spool is not None
        try:
            if self._spool is None:
                fd, path = tempfile.mkstemp(suffix=".spool", dir=self.plan.spool)  # mode 600
                self._spool = (os.path.basename(path), fd)
            name, fd = self._spool
            view = memoryview(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
            offset, length = self._spool_size, len(view)
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:  # a full or read-only temporary folder
            raise HrdocsError(
                f"{self.plan.spool}: cannot keep the checked rows here: {exc.strerror or exc}",
                hint="set TMPDIR to a folder with room (about 3 kB a row)",
            ) from None
        self._spool_size += length
        return name, offset, length

    def take(self, name: str, offset: int, length: int) -> Spooled:
        """A row from any worker's spool file (all were written before pass 2 began)."""
        assert self.plan.spool is not None
        handle = self._spools.get(name)
        if handle is None:
            handle = self._spools[name] = (self.plan.spool / name).open("rb", buffering=0)
        handle.seek(offset)
        record: Spooled = pickle.loads(handle.read(length))  # our own pickle, in a private folder
        return record

    def close_spools(self) -> None:
        if self._spool is not None:
            os.close(self._spool[1])
            self._spool = None
        for handle in self._spools.values():
            handle.close()
        self._spools.clear()

    # ------------------------------------------------------------------------------ pass 2
    def write(self, jobs: Sequence[Job]) -> list[Done]:
        out = []
        for stem, action, spool, offset, length in jobs:
            kind_name, number, role, ihash, files = self.take(spool, offset, length)
            done = self._write_one(number, self.registry.get(kind_name), role, ihash, files, stem, action)
            out.append(done)
            if done.fatal:  # a full disk: the rest of the chunk would fail the same way
                break
        return out

    def _write_one(
        self, number: int, kind: Kind, role: str, ihash: str, files: Files, stem: str, action: int
    ) -> Done:
        label, template_sha256 = self.template(kind)
        entries: list[dict[str, Any]] = []
        for fmt in self.plan.formats[kind.name]:
            made = files[fmt]
            blob = made if isinstance(made, bytes) else pack(self.session, made)
            target = self.folder(kind) / safe_file_name(stem, f".{fmt}")
            digest = manifest.sha256(blob)
            try:
                if action == ADOPT and target.exists():
                    if manifest.sha256(target.read_bytes()) != digest:
                        raise OutputExists(target)  # not what this batch would write: someone else's file
                else:
                    write_atomic(target, blob, force=action == REPLACE, private=kind.private, sync=False)
            except OutputExists:  # named by its folder: the file's own name holds the candidate's
                why = f"its {fmt} file in {target.parent} already exists and is not what this batch makes"
                return Done(number, action, entries, why + ", not overwritten")
            except HrdocsError as exc:  # the disk is full or the folder unwritable: stop the batch
                reason = exc.message.rpartition(": cannot write: ")[2] or exc.message
                return Done(number, action, entries, f"{target.parent}: cannot write: {reason}", fatal=True)
            entries.append(
                {
                    "path": str(target),
                    "kind": kind.short,
                    "format": fmt,
                    "role": role,
                    "input": self.plan.input_name,
                    "row": number,
                    "template": label,
                    "template_sha256": template_sha256,
                    "settings_sha256": self.settings_sha256,
                    "input_sha256": ihash,
                    "sha256": digest,
                    "bytes": len(blob),
                }
            )
        return Done(number, action, entries)


# ----------------------------------------------------------------------------------- processes
_STATE: Worker | None = None
_BUSY = False


class _Stop(BaseException):
    """Raised in a worker by SIGTERM while it works: unwinds (a temporary file is removed), then exits."""


def _on_terminate(signum: int, frame: Any) -> None:
    if _BUSY:
        raise _Stop
    os._exit(1)  # idle: nothing to clean, and no exit handlers (they may wait on the dead main process)


def _init_worker(
    workspace: Any, today: date, strict: bool, plan: Plan, pdf: Mapping[str, str | None] | None = None
) -> None:
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C does
    signal.signal(signal.SIGTERM, _on_terminate)
    _STATE = Worker(Session(workspace, today=today, strict=strict, pdf=pdf), plan)
    gc.freeze()  # the session lives as long as the worker: keep the garbage collector off it


def _task(method: str, item: Any) -> Any:
    global _BUSY
    assert _STATE is not None
    try:
        _BUSY = True
        try:
            return getattr(_STATE, method)(item)
        finally:
            _BUSY = False
    except _Stop:
        os._exit(1)
    except HrdocsError as exc:  # every subclass pickled as the one root, its words and exit code kept
        portable = HrdocsError(exc.message, hint=exc.hint)
        portable.exit_code = exc.exit_code
        raise portable from None


def _start_method() -> Any:
    """``fork`` where there is one (the workers start in milliseconds, sharing what is loaded), unless
    this process has made a PDF with Typst: its compiler's threads are not copied by ``fork``, and a
    forked worker's first PDF would wait for them for ever. Then ``forkserver``, whose server is a fresh
    process that has started no threads (the workers take about a second longer to start)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and fork_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["hrdocs.batch.workers"])
        return context
    return multiprocessing.get_context("spawn")


class Runner:
    """Runs tasks here or in worker processes; results in order, a few chunks in flight.

    A worker that dies (killed from outside, out of memory) stops the batch with an error rather
    than leaving it waiting: ``concurrent.futures`` notices, where ``multiprocessing.Pool`` would not.
    """

    def __init__(self, session: Session, plan: Plan, jobs: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.local: Worker | None = None
        self.jobs = jobs
        if jobs > 1:
            self.pool = ProcessPoolExecutor(
                jobs,
                mp_context=_start_method(),
                initializer=_init_worker,
                initargs=(session.workspace, session.today, session.strict, plan, session.pdf_overrides),
            )
        else:
            self.local = Worker(session, plan)

    def map(self, method: str, items: Iterable[Any]) -> Iterator[Any]:
        if self.local is not None:
            call = getattr(self.local, method)
            for item in items:
                yield call(item)
            return
        assert self.pool is not None
        pending: deque[Future[Any]] = deque()
        try:
            for item in items:
                pending.append(self.pool.submit(_task, method, item))
                if len(pending) >= self.jobs * 3:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise HrdocsError(
                "a worker process died (killed, or out of memory); run the batch again with --resume"
            ) from None

    def close(self, *, abort: bool = False) -> None:
        if self.local is not None:
            self.local.close_spools()
        if self.pool is None:
            return
        if abort:  # stop now: each worker removes the temporary file it was writing (see _init_worker)
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=abort)
        self.pool = None

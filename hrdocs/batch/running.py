"""Running a batch: check every row first, then write, in worker processes, streaming the input.

Pass 1 validates and renders every row (in chunks, spread over the workers), gives each valid row
its unique file name in row order, and finds files that already exist. Each worker keeps what it
rendered in a spool file of its own (the parts that differ from one document to the next, already
compressed, in a private temporary folder removed however the batch ends), so that pass 2 neither
reads the input nor renders again: it packs and writes. Nothing is written unless every row is valid
(or ``--skip-invalid``), every document renders (a template that fails on one row's data stops the
batch before its first file), and no file would be overwritten by accident. The main process appends
the manifest in row order and reports progress.

Each worker builds its own :class:`~hrdocs.api.Session` once. Only a chunk of rows at a time is in
flight, so memory stays flat however long the input is. Files are written atomically (a temporary
file beside the target, then a rename) but not synced one by one: a Ctrl-C or a kill leaves whole
documents only, and the batch syncs the file system once at the end (see docs/batch.md).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import tempfile
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from jinja2 import Template

from hrdocs.api import Session
from hrdocs.batch import manifest
from hrdocs.batch.columns import ADDRESS_PARTS, ColumnMap, column_key, field_for, join_address
from hrdocs.batch.kinds import KINDS, Kind, RoleNames, kind_named, require_kind
from hrdocs.batch.masking import Masked
from hrdocs.batch.mdcache import CachedReader
from hrdocs.batch.naming import NamePattern, UniqueNames
from hrdocs.batch.reading import Input, PlanInput, Row, open_input
from hrdocs.errors import HrdocsError, OutputExists, Problem, UsageError, ValidationFailed
from hrdocs.output import write_atomic
from hrdocs.render import load_template, render_fenced
from hrdocs.templates import word_values
from hrdocs.writers.zipfast import Member

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 128
"""Rows per task sent to a worker: big enough to make the hand-over cheap, small enough for a smooth bar."""
MAX_WARNINGS = 1000
"""Warnings kept for the report (all are counted): memory must not grow with the input."""
SMALL = 400
"""Below about this many rows the batch runs in this process: starting workers would cost more."""

_LEFTOVER = re.compile(r"\.(.+)\.[^.]+\.part$")
"""``.NAME.docx.PID-N.part``: how :func:`hrdocs.output.write_atomic` names its temporary file."""

# What pass 2 does with a row.
SKIP, WRITE, DONE, ADOPT, REPLACE = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Options:
    kind: str | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)
    """Fields given on the command line (``--stage``, ``--set``): they win over the row's."""
    maps: Sequence[str] = ()
    name: str | None = None
    out: Path | None = None
    manifest: Path | None = None
    force: bool = False
    resume: bool = False
    skip_invalid: bool = False
    dry_run: bool = False
    jobs: int = 1
    sync: bool = True
    """Sync the file system once when the batch is done, so the documents survive a power cut."""


@dataclass
class Report:
    """What a batch did; the CLI prints it, a program reads it."""

    input: str
    rows: int = 0
    valid: int = 0
    written: int = 0
    skipped: int = 0
    """Already written (``--resume``): left as they are."""
    invalid: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The first :data:`MAX_WARNINGS`; ``warning_count`` has them all."""
    warning_count: int = 0
    notes: list[str] = field(default_factory=list)
    manifest: Path | None = None
    folders: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False
    """Nothing was written because some rows are invalid (and ``--skip-invalid`` was not given)."""

    @property
    def ok(self) -> bool:
        return not (self.invalid or self.failed or self.problems)


Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total)``; stage is ``check`` or ``write``; total is None while unknown."""


# ---------------------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Plan:
    """What a worker needs besides the rows: picklable, decided once in the main process."""

    input_name: str
    pattern: str | None
    folders: Mapping[str, Path]
    """Kind name -> output folder."""
    spool: Path | None = None
    """The private folder where pass 1 keeps the validated rows for pass 2 (None: a dry run)."""


@dataclass
class _Checked:
    ordinal: int
    number: int
    kind: str
    stem: str | None
    input_sha256: str
    problems: list[tuple[str | None, int | None, str | None, str]]
    """(source, line, field, message); source None: the row itself."""
    warnings: list[str]
    spooled: tuple[str, int, int] | None = None
    """Where the validated row lies: (spool file, offset, length)."""


@dataclass
class _Done:
    number: int
    action: int
    entry: dict[str, Any] | None
    """The manifest line, its path still absolute."""
    error: str | None = None


Item = tuple[int, int, str, dict[str, Any]]
"""(ordinal, row number, kind name, fields)."""
Job = tuple[str, int, str, int, int]
"""(file name, action, spool file, offset, length)."""
Made = bytes | tuple[tuple[str, int, int, bytes], ...]
"""A rendered document: the whole file (from a Word template), or the fields of its own compressed
:class:`~hrdocs.writers.zipfast.Member` parts, to be packed with the prepared ones."""
Spooled = tuple[str, int, str, str, Made]
"""What the spool keeps of a valid row: (kind name, row number, role, input hash, document)."""


class _Worker:
    """One per process: the session, loaded once, and what every document of the batch shares."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.session = session
        self.plan = plan
        self.reader = CachedReader()
        self.roles = RoleNames(session)
        self.patterns = {k.name: NamePattern(plan.pattern or k.default_name) for k in KINDS.values()}
        self.templates: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.folders: dict[str, Path] = {}
        self.compiled: dict[str, Template] = {}
        self.settings_sha256 = settings_hash(session)
        self._spool: tuple[str, int] | None = None
        """This worker's spool file: (name, descriptor)."""
        self._spool_size = 0
        self._spools: dict[str, BinaryIO] = {}
        """Spool files open for reading, by name."""
        session.config, session.catalogue, session.env, session.docx  # noqa: B018 - load once, up front

    def folder(self, kind: Kind) -> Path:
        """The kind's output folder, resolved once: names are single safe components (see naming)."""
        found = self.folders.get(kind.name)
        if found is None:
            found = self.folders[kind.name] = self.plan.folders[kind.name].resolve()
        return found

    def template_label(self, kind: Kind) -> str:
        found = self.labels.get(kind.name)
        if found is None:
            found = self.labels[kind.name] = manifest.template_label(self.session, kind.template)
        return found

    def template_sha256(self, kind: Kind) -> str:
        found = self.templates.get(kind.name)
        if found is None:
            found = self.templates[kind.name] = manifest.template_hash(self.session, kind.template)
        return found

    def validate(self, kind: Kind, number: int, fields: Mapping[str, Any]) -> Any:
        prepared = dict(fields)
        if "role" in prepared:
            prepared["role"] = self.roles(prepared["role"])
        return kind.validate(self.session, prepared, f"{self.plan.input_name}:{number}")

    def stem(self, kind: Kind, number: int, data: Any) -> str:
        return self.patterns[kind.name].stem({**kind.names(data), "kind": kind.name, "row": str(number)})

    def document(self, kind: Kind, data: Any) -> Masked:
        """As :meth:`Session.render`, with the Markdown of repeated passages read once per batch, the
        values that differ from letter to letter masked (see hrdocs.batch.masking)."""
        session = self.session
        template = self.compiled.get(kind.name)
        if template is None:
            template = self.compiled[kind.name] = load_template(session.env, kind.template)
        fenced = render_fenced(template, kind.context(session, data))
        source = template.filename or kind.template
        return self.reader.read(fenced, session.terms, kind=kind.template, source=source)

    def make(self, kind: Kind, data: Any) -> Made:
        """The DOCX, through the kind's Word template when the workspace has one (as for a single
        letter: :meth:`Session.produce`), else through its text template and the DOCX writer: then
        only its own parts, which :meth:`pack` completes."""
        session = self.session
        word = session.word_template(kind.template)
        if word is not None:
            return word.render(word_values(kind.context(session, data)))
        masked = self.document(kind, data)
        when = kind.letter_date(session, data)
        parts = session.docx.parts(masked.document, when=when, values=masked.values)
        return tuple((m.name, m.crc, m.size, m.data) for m in parts)

    def pack(self, made: Made) -> bytes:
        if isinstance(made, bytes):
            return made
        return self.session.docx.pack([Member(*fields) for fields in made])

    # ------------------------------------------------------------------------------ the passes
    def check(self, items: Sequence[Item]) -> list[_Checked]:
        """Validate and render rows, keeping each document in the spool for pass 2. A template that
        fails stops the batch here, named with the row it failed on, before anything is written."""
        out = []
        for ordinal, number, kind_name, fields in items:
            kind = KINDS[kind_name]
            source = f"{self.plan.input_name}:{number}"
            ihash = manifest.input_hash(kind.name, fields)
            try:
                data = self.validate(kind, number, fields)
            except ValidationFailed as exc:
                problems = [
                    (None if p.source == source else p.source, p.line, p.field, p.message)
                    for p in exc.problems
                ]
                out.append(_Checked(ordinal, number, kind_name, None, ihash, problems, []))
                continue
            try:
                made = self.make(kind, data)
            except HrdocsError as exc:  # the template's fault, met on this row's data: stop the batch
                located = HrdocsError(f"{source}: {exc.message}", hint=exc.hint)
                located.exit_code = exc.exit_code
                raise located from None
            warnings = [f"{source}: {w}" for w in kind.warnings(self.session, data)]
            stem = self.stem(kind, number, data)
            record = (kind_name, number, kind.role(data), ihash, made)
            spooled = self.put(record) if self.plan.spool else None
            out.append(_Checked(ordinal, number, kind_name, stem, ihash, [], warnings, spooled))
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

    def write(self, jobs: Sequence[Job]) -> list[_Done]:
        out = []
        for name, action, spool, offset, length in jobs:
            kind_name, number, role, ihash, made = self.take(spool, offset, length)
            try:
                out.append(self._write_one(number, KINDS[kind_name], role, ihash, made, name, action))
            except OutputExists as exc:
                out.append(_Done(number, action, None, exc.message))
        return out

    def _write_one(
        self, number: int, kind: Kind, role: str, ihash: str, made: Made, name: str, action: int
    ) -> _Done:
        target = self.folder(kind) / name
        blob = self.pack(made)
        digest = manifest.sha256(blob)
        if action == ADOPT and target.exists():
            if manifest.sha256(target.read_bytes()) != digest:
                raise OutputExists(target)  # not what this batch would write: someone else's file
        else:
            write_atomic(target, blob, force=action == REPLACE, private=kind.private, sync=False)
        entry = {
            "path": str(target),
            "kind": kind.name,
            "role": role,
            "input": self.plan.input_name,
            "row": number,
            "template": self.template_label(kind),
            "template_sha256": self.template_sha256(kind),
            "settings_sha256": self.settings_sha256,
            "input_sha256": ihash,
            "sha256": digest,
            "bytes": len(blob),
        }
        return _Done(number, action, entry)


def settings_hash(session: Session) -> str:
    return manifest.sha256(session.config.source.read_bytes())


# ----------------------------------------------------------------------------------- processes
_STATE: _Worker | None = None


_BUSY = False


class _Stop(BaseException):
    """Raised in a worker by SIGTERM while it works: unwinds (a temporary file is removed), then exits."""


def _on_terminate(signum: int, frame: Any) -> None:
    if _BUSY:
        raise _Stop
    os._exit(1)  # idle: nothing to clean, and no exit handlers (they may wait on the dead main process)


def _init_worker(workspace: Any, today: Any, plan: Plan) -> None:
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C does
    signal.signal(signal.SIGTERM, _on_terminate)
    _STATE = _Worker(Session(workspace, today=today), plan)
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


class _Runner:
    """Runs tasks here or in worker processes; results in order, a few chunks in flight.

    A worker that dies (killed from outside, out of memory) stops the batch with an error rather
    than leaving it waiting: ``concurrent.futures`` notices, where ``multiprocessing.Pool`` would not.
    """

    def __init__(self, session: Session, plan: Plan, jobs: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.local: _Worker | None = None
        self.jobs = jobs
        if jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            self.pool = ProcessPoolExecutor(
                jobs,
                mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
                initializer=_init_worker,
                initargs=(session.workspace, session.today, plan),
            )
        else:
            self.local = _Worker(session, plan)

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


# ------------------------------------------------------------------------------------ the batch
def run_batch(session: Session, path: Path, options: Options, progress: Progress | None = None) -> Report:
    """Check every row of ``path``, then (unless ``dry_run``) write one document per valid row."""
    started = time.perf_counter()
    progress = progress or (lambda stage, done, total: None)
    source = open_input(path)
    fixed = require_kind(options.kind) if options.kind else None
    kinds = [fixed] if fixed else list(KINDS.values())
    known = {f for k in kinds for f in k.fields}
    for key in options.overrides:
        if key not in known:
            raise UsageError(f"--set {key}: not a field of {' or '.join(k.name for k in kinds)}")
    pattern = NamePattern(options.name) if options.name else None  # a bad pattern: usage error, now
    shape = _Shape.of(source, fixed, known, options.maps)
    session.config, session.catalogue  # noqa: B018 - the company's problems are reported once, up front

    folders = {k.name: (options.out or session.workspace.output_dir / k.folder) for k in KINDS.values()}
    manifest_path = options.manifest or _manifest_path(session, source, options, fixed)
    report = Report(input=source.name, manifest=manifest_path, notes=list(shape.notes))
    if manifest_path.exists() and not (options.resume or options.force or options.dry_run):
        raise HrdocsError(
            f"{manifest_path}: the manifest of an earlier batch is here, not overwritten",
            hint="pass --resume to finish that batch, or --force to write it again",
        )
    # Personal data: a private folder (mode 700) of the system's, removed however the batch ends.
    spool = None if options.dry_run else Path(tempfile.mkdtemp(prefix="hrdocs-batch-"))
    plan = Plan(source.name, pattern.pattern if pattern else None, folders, spool)
    decide = _Decisions(session, options, folders, manifest_path)
    jobs = max(1, options.jobs)
    if jobs > 1 and _estimate_rows(source) < SMALL:
        jobs = 1
    try:
        _run(session, source, shape, options, plan, decide, report, progress, jobs)
    finally:
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)
    if options.sync and report.written:
        os.sync()
    report.seconds = time.perf_counter() - started
    return report


def _run(
    session: Session,
    source: Input,
    shape: _Shape,
    options: Options,
    plan: Plan,
    decide: _Decisions,
    report: Report,
    progress: Progress,
    jobs: int,
) -> None:
    folders = plan.folders
    runner = _Runner(session, plan, jobs)
    try:
        _pass_one(runner, source, shape, options, decide, report, progress)
        report.folders = sorted({folders[k] for k in decide.kinds})
        decide.raise_conflicts()
        if report.problems and not options.skip_invalid:
            report.stopped = True
        elif not options.dry_run and decide.pending:
            _pass_two(runner, source, options, decide, report, progress)
        runner.close()
    except BaseException:
        runner.close(abort=True)
        raise


def _estimate_rows(source: Input) -> int:
    if isinstance(source, PlanInput):
        return len(source.entries)
    with source.path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _manifest_path(session: Session, source: Input, options: Options, fixed: Kind | None) -> Path:
    """Beside the documents: in --out, else in the kind's folder, else (mixed kinds) in output/."""
    if options.out is not None:
        folder = options.out
    elif fixed is not None:
        folder = session.workspace.output_dir / fixed.folder
    else:
        folder = session.workspace.output_dir
    return folder / f"{source.path.stem}{manifest.SUFFIX}"


# ------------------------------------------------------------------------------- rows -> fields
@dataclass
class _Shape:
    """How each row becomes (kind, fields): the column map, the fixed kind, the command-line fields."""

    fixed: Kind | None
    columns: ColumnMap | None
    notes: list[str]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """A plan's ``defaults:``, fields spelled as fields."""

    @classmethod
    def of(cls, source: Input, fixed: Kind | None, known: set[str], maps: Sequence[str]) -> _Shape:
        if isinstance(source, PlanInput):
            if maps:
                raise UsageError("--map is for CSV and Excel files; a plan names its fields itself")
            return cls(fixed, None, [], plan_fields(source.defaults))
        columns = ColumnMap.build(source.columns, known, maps)
        if fixed is None and not columns.has("kind"):
            raise UsageError(
                f"{source.path}: which kind of document? The file has no `kind` column",
                hint="pass --kind offer, --kind denial or --kind jd",
            )
        return cls(fixed, columns, columns.notes)

    def fields(self, row: Row, overrides: Mapping[str, str]) -> tuple[Kind | None, dict[str, Any], str]:
        """(kind or None, fields, what is wrong with the kind)."""
        fields = self.columns.apply(row.values) if self.columns is not None else plan_fields(row.values)
        kind_value = fields.pop("kind", None)
        kind = self.fixed
        if kind is None:
            if kind_value is None:
                return None, fields, "required, but missing (offer, denial or jd)"
            kind = kind_named(kind_value)
            if kind is None:
                return None, fields, f"unknown kind (choose from {', '.join(KINDS)})"
        if self.columns is not None:  # a column for another kind's field is not this row's business
            fields = {k: v for k, v in fields.items() if k in kind.fields}
        for key, value in self.defaults.items():
            if key not in fields and (key in kind.fields or not any(key in k.fields for k in KINDS.values())):
                fields[key] = value  # a key no kind has is passed on, to be reported as unknown
        fields.update({k: v for k, v in overrides.items() if k in kind.fields})
        return kind, fields, ""

    def label(self, name: str | None) -> str | None:
        """A problem's field as the user knows it: the column that feeds it."""
        if name is None or self.columns is None:
            return name
        top, sep, rest = name.partition(".")
        base, bracket, index = top.partition("[")
        return self.columns.label(base) + bracket + index + sep + rest


def plan_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A plan entry's keys spelled leniently; keys that are no field stay, to be reported as unknown."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = column_key(key)
        out[field_for(name) or name] = value
    if any(k in ADDRESS_PARTS for k in out) and "address" not in out:
        parts = {k: str(out.pop(k)) for k in list(out) if k in ADDRESS_PARTS}
        out["address"] = join_address(parts)
    return out


def _rows(
    source: Input, shape: _Shape, options: Options
) -> Iterator[tuple[int, Row, Kind | None, dict[str, Any], str]]:
    for ordinal, row in enumerate(source.rows()):
        yield (ordinal, row, *shape.fields(row, options.overrides))


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------------- decisions
class _Decisions:
    """Each valid row's file name (unique, in row order) and what pass 2 does with it.

    Kept per row as an action byte and the file name (about 100 bytes a row), not the row itself.
    """

    def __init__(self, session: Session, options: Options, folders: Mapping[str, Path], manifest_path: Path):
        self.session = session
        self.options = options
        self.folders = folders
        self.root = manifest_path.parent.resolve()
        self.actions = bytearray()
        self.files: list[str | None] = []
        """Each row's file name (None: nothing to write)."""
        self.spools: list[str] = []
        """The workers' spool files; a row's index in it, offset and length are in ``where``."""
        self.where = array("q")
        self._spool_index: dict[str, int] = {}
        self.names = UniqueNames()
        self.kinds: set[str] = set()
        self.pending = 0
        self.skipped = 0
        self._existing: dict[str, set[str]] = {}
        self._leftovers: dict[str, list[str]] = {}
        self._recorded = _recorded(manifest_path) if options.resume else {}
        self._hashes: dict[str, str] = {}
        self.conflicts: list[Path] = []
        self.conflict_count = 0

    def row(self) -> None:
        self.actions.append(SKIP)
        self.files.append(None)
        self.where.extend((-1, 0, 0))

    def valid(self, item: _Checked) -> None:
        assert item.stem is not None
        name = self.names.claim(item.stem)
        self.files[item.ordinal] = name
        if item.spooled is not None:
            spool, offset, length = item.spooled
            index = self._spool_index.setdefault(spool, len(self.spools))
            if index == len(self.spools):
                self.spools.append(spool)
            at = 3 * item.ordinal
            self.where[at : at + 3] = array("q", (index, offset, length))
        self.kinds.add(item.kind)
        folder = self.folders[item.kind]
        existing = self._existing.get(item.kind)
        if existing is None:
            existing = self._existing[item.kind] = self._listing(folder)
        if self.options.resume and name in self._leftovers:
            for part in self._leftovers.pop(name):  # a temporary file of a killed run: never a document
                with contextlib.suppress(OSError):
                    (folder / part).unlink()
        action = WRITE
        if name in existing:
            target = folder / name
            if self._done(item, target):
                action = DONE
            elif self.options.force:
                action = REPLACE
            elif self.options.resume:
                action = ADOPT
            else:
                action = SKIP
                self.conflict_count += 1
                if len(self.conflicts) < 3:
                    self.conflicts.append(target)
        self.actions[item.ordinal] = action
        self.pending += action in (WRITE, ADOPT, REPLACE)
        self.skipped += action == DONE

    def _listing(self, folder: Path) -> set[str]:
        """The names in ``folder``; temporary files left by a killed run are noted for --resume."""
        names = set(os.listdir(folder)) if folder.is_dir() else set()
        for name in names:
            match = _LEFTOVER.match(name)
            if match:
                self._leftovers.setdefault(match.group(1), []).append(name)
        return names

    def _done(self, item: _Checked, target: Path) -> bool:
        recorded = self._recorded.get(manifest.relative(target.resolve(), self.root))
        if recorded is None:
            return False
        kind = KINDS[item.kind]
        if kind.name not in self._hashes:
            self._hashes[kind.name] = manifest.template_hash(self.session, kind.template)
        if "settings" not in self._hashes:
            self._hashes["settings"] = settings_hash(self.session)
        expected = (item.input_sha256, self._hashes[kind.name], self._hashes["settings"], _size(target))
        return recorded == expected

    def raise_conflicts(self) -> None:
        if not self.conflict_count:
            return
        count = self.conflict_count
        shown = ", ".join(str(p) for p in self.conflicts)
        more = f" and {count - len(self.conflicts)} more" if count > len(self.conflicts) else ""
        raise HrdocsError(
            f"{count} document{'s' if count != 1 else ''} already exist{'' if count != 1 else 's'}, "
            f"not overwritten: {shown}{more}",
            hint="pass --resume to finish an interrupted batch, or --force to replace them",
        )


def _recorded(path: Path) -> dict[str, tuple[str, str, str, int]]:
    """The manifest's documents: path -> (input hash, template hash, settings hash, size)."""
    return {
        rel: (
            str(entry.get("input_sha256")),
            str(entry.get("template_sha256")),
            str(entry.get("settings_sha256")),
            int(entry.get("bytes") or -1),
        )
        for rel, entry in manifest.read(path).items()
    }


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -2


# ---------------------------------------------------------------------------------------- pass 1
def _pass_one(
    runner: _Runner,
    source: Input,
    shape: _Shape,
    options: Options,
    decide: _Decisions,
    report: Report,
    progress: Progress,
) -> None:
    def items() -> Iterator[Item]:
        for ordinal, row, kind, fields, problem in _rows(source, shape, options):
            report.rows += 1
            decide.row()
            if kind is None:
                report.problems.append(Problem(source.name, row.number, shape.label("kind"), problem))
                continue
            yield ordinal, row.number, kind.name, fields

    done = 0
    seen: set[tuple[str, str]] = set()
    for checked in runner.map("check", _chunks(items())):
        for item in checked:
            done += 1
            if not item.problems:
                decide.valid(item)
                report.valid += 1
                report.warning_count += len(item.warnings)
                report.warnings.extend(item.warnings[: MAX_WARNINGS - len(report.warnings)])
                continue
            for where, line, name, message in item.problems:
                if where is None:
                    report.problems.append(Problem(source.name, item.number, shape.label(name), message))
                elif (where, message) not in seen:  # the company's settings: once, not once per row
                    seen.add((where, message))
                    report.problems.append(Problem(where, line, name, message))
        progress("check", done, None)
    report.problems.extend(source.problems)
    report.problems.sort(key=lambda p: (p.source != source.name, p.line or 0))
    report.invalid = report.rows - report.valid
    report.skipped = decide.skipped


# ---------------------------------------------------------------------------------------- pass 2
def _pass_two(
    runner: _Runner,
    source: Input,
    options: Options,
    decide: _Decisions,
    report: Report,
    progress: Progress,
) -> None:
    actions, files, where, spools = decide.actions, decide.files, decide.where, decide.spools

    def jobs() -> Iterator[Job]:
        for ordinal, action in enumerate(actions):
            if action in (WRITE, ADOPT, REPLACE):
                name = files[ordinal]
                assert name is not None
                index, offset, length = where[3 * ordinal : 3 * ordinal + 3]
                yield name, action, spools[index], offset, length

    assert report.manifest is not None
    writer = manifest.Writer(report.manifest, append=options.resume)
    done = 0
    try:
        for results in runner.map("write", _chunks(jobs())):
            entries = []
            for item in results:
                done += 1
                if item.entry is None:
                    report.failed += 1
                    report.problems.append(Problem(source.name, item.number, None, item.error or "failed"))
                    continue
                item.entry["path"] = manifest.relative(Path(item.entry["path"]), decide.root)
                entries.append(item.entry)
                if item.action == ADOPT:
                    report.skipped += 1
                else:
                    report.written += 1
            writer.write(entries)
            progress("write", done, decide.pending)
    finally:
        writer.close()

"""Running a batch: a scheduler over the one pipeline — check every row, then write, in workers.

Pass 1 validates and renders every row (in chunks, over the workers: :mod:`hrdocs.batch.workers`)
through :func:`hrdocs.pipeline.produce`, the very function ``hrdocs offer`` and every other command
call, with its checks (lint, ``--strict``). Each valid row gets its unique file name in row order, and
files that exist already are found. Nothing is written unless every row is valid (or
``--skip-invalid``), every document renders, and no file would be overwritten by accident; nothing is
written either onto the input, or into a folder another batch is writing (a lock says which).

Pass 2 packs and writes the documents the workers kept, and the main process appends the manifest in
row order: a line for each file once it is whole. Files are written atomically but not synced one by
one: a Ctrl-C or a kill leaves whole files only, and ``--resume`` finishes the job (docs/batch.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from hrdocs.batch import manifest
from hrdocs.batch.decisions import ADOPT, REPLACE, WRITE, Checked, Decisions
from hrdocs.batch.options import MAX_WARNINGS, Options, Progress, Report
from hrdocs.batch.reading import Input, PlanInput, open_input
from hrdocs.batch.rows import Shape, chunks, numbered
from hrdocs.batch.workers import Item, Job, Plan, Runner, settings_hash
from hrdocs.errors import HrdocsError, Problem, UnknownName, UsageError
from hrdocs.fields import Field
from hrdocs.kinds import Kind, registry
from hrdocs.kinds.generic import role_problem
from hrdocs.lock import FolderLock
from hrdocs.naming import NamePattern
from hrdocs.pipeline import check_formats
from hrdocs.plan import missing_folders
from hrdocs.session import Session

SMALL = 400
"""Below about this many rows the batch runs in this process: starting workers would cost more."""


def run_batch(session: Session, path: Path, options: Options, progress: Progress | None = None) -> Report:
    """Check every row of ``path``, then (unless ``dry_run``) write one document per valid row."""
    started = time.perf_counter()
    progress = progress or (lambda stage, done, total: None)
    kinds = registry(session)
    fixed = kinds.get(options.kind) if options.kind else None
    if fixed is None and options.kind:
        raise UsageError(f"unknown kind `{options.kind}`")
    source = open_input(path)
    in_play = [fixed] if fixed else kinds.all()
    known = {f for k in in_play for f in k.field_names}
    for key in options.overrides:
        if key not in known and not (fixed and fixed.open_fields):
            raise UsageError(f"--set {key}: not a field of {' or '.join(k.short for k in in_play)}")
    check_overrides(session, in_play, options.overrides)
    if options.name:
        NamePattern(options.name, sorted(known))  # a bad pattern: a usage error, now
    formats = {k.name: tuple(options.formats or k.formats) for k in in_play}
    for kind in [fixed] if fixed else []:  # a mixed batch: each row's kind is checked as it comes
        check_formats(session, kind, formats[kind.name])
    shape = Shape.of(source, kinds, fixed, options.maps, options.profile)
    session.config, session.catalogue  # noqa: B018 - the company's problems are reported once, up front

    folders = {k.name: (options.out or session.workspace.output_dir / k.folder) for k in in_play}
    manifest_path = options.manifest or _manifest_path(session, source, options, fixed)
    report = Report(input=source.name, manifest=manifest_path, notes=list(shape.notes))
    _refuse_input_as_output(path, manifest_path, folders)
    if manifest_path.exists() and not (options.resume or options.force or options.dry_run):
        raise HrdocsError(
            f"{manifest_path}: the manifest of an earlier batch is here, not overwritten",
            hint="pass --resume to finish that batch, or --force to write it again",
        )
    with contextlib.ExitStack() as held:
        if not options.dry_run:  # another batch writing here would mix its files with ours
            locked = sorted({*folders.values(), manifest_path.parent})
            held.callback(_remove_if_empty, missing_folders(locked))  # runs last, once the locks are released
            for folder in locked:
                held.enter_context(FolderLock(folder, f"{options.command} {path.name}"))
        # Personal data: a private folder (mode 700) of the system's, removed however the batch ends.
        spool = None if options.dry_run else Path(tempfile.mkdtemp(prefix="hrdocs-batch-"))
        plan = Plan(source.name, path.stem, options.name, folders, formats, spool, options.verify)
        decide = Decisions(options, folders, formats, manifest_path, _expected(session, in_play))
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


def check_overrides(session: Session, kinds: Sequence[Kind], overrides: Mapping[str, str]) -> None:
    """A value given once for every row (``--stage``, ``--set``) is checked once, here, by the field's
    own parser: a bad one is bad usage (exit 2) named by its option, not the same problem on every
    row blamed on the input. (A flag of a single-letter command is that letter's data: exit 1, with
    the letter's other problems; see docs/batch.md.)"""
    for key, value in overrides.items():
        option = "--stage" if key == "stage" else f"--set {key}"
        for kind in kinds:
            field = kind.field(key)
            if field is None:
                continue
            if not str(value).strip():  # a blank clears the field: of an optional one, that is all
                why = f"is blank, but every {kind.short} needs its {key}" if field.required else None
            else:
                why = _value_problem(session, field, value)
            if why is not None:
                lists = "`hrdocs roles` lists the roles" if field.type == "role" else None
                raise UsageError(
                    f"{option}: {why}", hint=lists or f"`hrdocs kinds show {kind.short}` describes {key}"
                )


def _value_problem(session: Session, field: Field, value: str) -> str | None:
    """What is wrong with one value of ``field``, in words that name no value; None if nothing."""
    if field.type == "role":
        try:
            session.catalogue.resolve_id(value)
        except UnknownName as exc:
            return role_problem(exc, shown=True)  # the user's own command line, and a catalogue name
        return None
    try:
        TypeAdapter(field.annotation).validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        if field.choices and error["type"] in ("enum", "literal_error"):
            return f"must be one of {', '.join(field.choices)}"
        return str(error["msg"]).removeprefix("Value error, ")
    return None


def _remove_if_empty(folders: list[Path]) -> None:
    """The folders the locks made (deepest first), if nothing was written: a refusal leaves nothing."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _expected(session: Session, kinds: list[Kind]) -> Callable[[str], tuple[str, str]]:
    """``(template hash, settings hash)`` of a kind's documents as this batch makes them, found once."""
    found: dict[str, tuple[str, str]] = {}
    by_name = {k.name: k for k in kinds}

    def expected(kind: str) -> tuple[str, str]:
        if kind not in found:
            found[kind] = (
                manifest.template_hash(session, by_name[kind].template_name),
                settings_hash(session),
            )
        return found[kind]

    return expected


def _refuse_input_as_output(path: Path, manifest_path: Path, folders: Mapping[str, Path]) -> None:
    """The manifest onto the export, or documents into the export's own name: refused, even with --force."""
    source = path.resolve()
    if manifest_path.resolve() == source:
        raise UsageError(
            f"{manifest_path}: the manifest would overwrite the input", hint="pass another --manifest"
        )
    if source.suffix.lstrip(".").lower() in (
        "docx",
        "html",
        "md",
        "txt",
        "json",
        "pdf",
    ) and source.parent in {f.resolve() for f in folders.values()}:
        raise UsageError(
            f"{path}: the input is in the output folder, where a document could replace it",
            hint="move the input, or pass another --out",
        )


def _run(
    session: Session,
    source: Input,
    shape: Shape,
    options: Options,
    plan: Plan,
    decide: Decisions,
    report: Report,
    progress: Progress,
    jobs: int,
) -> None:
    runner = Runner(session, plan, jobs)
    try:
        _pass_one(runner, source, shape, options, decide, report, progress)
        report.folders = sorted({plan.folders[k] for k in decide.kinds})
        decide.raise_conflicts(source.name)
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


def _pass_one(
    runner: Runner,
    source: Input,
    shape: Shape,
    options: Options,
    decide: Decisions,
    report: Report,
    progress: Progress,
) -> None:
    def items() -> Iterator[Item]:
        for ordinal, row, kind, fields, refused in numbered(source, shape, options.overrides):
            report.rows += 1
            decide.row()
            unread = [(c, why) for c, why in row.unread if shape.columns and c in shape.columns.fields]
            if unread:  # an Excel formula never calculated: not a blank, and not the row's fault
                report.problems.extend(Problem(source.name, row.number, c, why) for c, why in unread)
                continue
            if kind is None or refused:  # the kind, or a cell as read (a stage name: once, after the rows)
                report.problems.extend(
                    Problem(source.name, row.number, shape.label(name), why) for name, why in refused if why
                )
                continue
            yield ordinal, row.number, kind.name, fields

    done = 0
    seen: set[tuple[str, str]] = set()
    for checked in runner.map("check", chunks(items())):
        item: Checked
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
    report.problems.extend(shape.problems(source.name))
    report.problems.extend(source.problems)
    report.rows += len({p.line for p in source.problems})  # rows that could not even be read: invalid
    report.problems.sort(key=lambda p: (p.source != source.name, p.line or 0))
    report.invalid = report.rows - report.valid
    report.skipped = decide.skipped


def _pass_two(
    runner: Runner,
    source: Input,
    options: Options,
    decide: Decisions,
    report: Report,
    progress: Progress,
) -> None:
    actions, stems, where, spools = decide.actions, decide.stems, decide.where, decide.spools

    def jobs() -> Iterator[Job]:
        for ordinal, action in enumerate(actions):
            if action in (WRITE, ADOPT, REPLACE):
                stem = stems[ordinal]
                assert stem is not None
                index, offset, length = where[3 * ordinal : 3 * ordinal + 3]
                yield stem, action, spools[index], offset, length

    assert report.manifest is not None
    files = sum(len(decide.formats[k]) for k in decide.kinds)  # at most, a row's files
    writer = manifest.Writer(
        report.manifest, append=options.resume, reserve=decide.pending * files * manifest.LINE_ROOM
    )
    done = 0
    try:
        for results in runner.map("write", chunks(jobs())):
            entries = []
            for item in results:
                done += 1
                for entry in item.entries:  # the files that are whole, even of a row that failed
                    entry["path"] = manifest.relative(Path(entry["path"]), decide.root)
                    entries.append(entry)
                    report.files += item.action != ADOPT  # an adopted file was there already
                if item.error is not None:
                    report.failed += 1
                    report.problems.append(Problem(source.name, item.number, None, item.error))
                elif item.action == ADOPT:
                    report.skipped += 1
                else:
                    report.written += 1
            writer.write(entries)
            progress("write", done, decide.pending)
            fatal = next((item for item in results if item.fatal), None)
            if fatal is not None:
                raise HrdocsError(
                    f"{source.name}:{fatal.number}: {fatal.error}",
                    hint=f"the {report.written} documents written so far are whole and in the manifest; "
                    "make room, then run the same command with --resume to finish",
                )
    finally:
        writer.close()

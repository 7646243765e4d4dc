"""Batch: upload a CSV or XLSX export, see how its columns are read (and which are ignored) before
anything runs, change the mapping, see every bad row with its reason, run it with a progress bar
(server-sent events) and download the letters as a zip with the manifest.

The page is ``hrdocs batch --dry-run`` and ``hrdocs batch`` with options chosen by clicking: the
mapping preview is :func:`hrdocs.batch.preview.preview`, the check and the run are
:func:`hrdocs.api.run_batch` with the same :class:`~hrdocs.api.Options`. The upload is kept in the
server's private temporary folder; the documents go where the CLI puts them, with the same refusals.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
import zipfile
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from hrdocs.api import Options, Session, run_batch
from hrdocs.batch.preview import preview
from hrdocs.errors import HrdocsError
from hrdocs.kinds import registry
from hrdocs.serve.files import output_file
from hrdocs.serve.roles import attachment
from hrdocs.serve.state import Job, Upload
from hrdocs.serve.web import call, error_page, page, posted, read_upload, state, values

SUFFIXES = frozenset({".csv", ".xlsx"})
FORMATS = ("docx", "pdf", "html", "md")
AS_READ, IGNORE = "", "-"


def options_of(upload: Upload, **more: Any) -> Options:
    return Options(
        kind=upload.kind,
        formats=upload.formats,
        maps=upload.maps,
        jobs=1,
        command="hrdocs serve (batch)",
        **more,
    )


async def start(request: Request) -> Response:
    def make(session: Session) -> list[tuple[str, str]]:
        return [(k.short, k.title) for k in registry(session).all() if k.problem is None]

    return page(request, "batch.html", kinds=await call(request, make))


async def upload(request: Request) -> Response:
    form = await posted(request, files=1)
    try:
        name, suffix, data = await read_upload(form, "file", SUFFIXES)
    except HrdocsError as exc:
        return error_page(request, exc)
    kept = state(request).keep_upload(name, suffix, data)
    kept.kind = values(form).get("kind") or None
    return RedirectResponse(f"/batch/{kept.id}", status_code=303)


async def review(request: Request) -> Response:
    """The mapping and the dry run: every column, what it feeds, every bad row; nothing written."""
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)

    def make(session: Session) -> dict[str, Any]:
        kinds = [k for k in registry(session).all() if k.problem is None]
        in_play = [registry(session).get(kept.kind)] if kept.kind else kinds
        fields = sorted({f for k in in_play for f in k.field_names})
        out: dict[str, Any] = {
            "upload": kept,
            "kinds": [(k.short, k.title) for k in kinds],
            "fields": fields,
            "formats": FORMATS,
        }
        try:
            shown = preview(session, kept.path, options_of(kept))
            report = run_batch(session, kept.path, options_of(kept, dry_run=True))
        except HrdocsError as exc:
            out["problem"] = str(exc)
            return out
        chosen = {m.rpartition("=")[0]: m.rpartition("=")[2] for m in kept.maps}
        columns: list[dict[str, str | None]] = [
            {"column": c, "field": f, "said": said, "chosen": chosen.get(c, AS_READ)}
            for c, f, said in shown.mapped
        ]
        columns += [
            {"column": c, "field": None, "said": why, "chosen": chosen.get(c, AS_READ)}
            for c, why in shown.ignored
        ]
        out.update(preview=shown, columns=columns, report=report, problems=[str(p) for p in report.problems])
        return out

    return page(request, "batch_review.html", **await call(request, make))


async def choose(request: Request) -> Response:
    """The kind, the formats and the column mapping chosen on the review page."""
    form = await posted(request)
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    given = values(form)
    kept.kind = given.get("kind") or None
    kept.formats = tuple(f for f in form.getlist("formats") if f in FORMATS)
    maps = []
    for key, value in form.multi_items():
        if key.startswith("map:") and isinstance(value, str) and value != AS_READ:
            maps.append(f"{key[4:]}={value}")
    kept.maps = tuple(maps)
    return RedirectResponse(f"/batch/{kept.id}", status_code=303)


async def run(request: Request) -> Response:
    """Start the batch in a thread of its own, with a session of its own; the page follows it."""
    form = await posted(request)
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    if kept.job is not None and not kept.job.finished:
        return RedirectResponse(f"/batch/{kept.id}/job", status_code=303)
    job = kept.job = Job()
    chosen = values(form)
    options = options_of(
        kept, force=chosen.get("force") == "yes", skip_invalid=chosen.get("skip_invalid") == "yes"
    )
    shared = state(request)

    def work() -> None:
        try:
            session = shared.new_session()
            report = run_batch(
                session, kept.path, options, lambda s, d, t: job.update(stage=s, done=d, total=t)
            )
        except HrdocsError as exc:
            job.update(error=str(exc), finished=True)
            return
        except Exception:  # a bug: say so without a traceback that may quote a row
            job.update(
                error="internal error (a bug in hrdocs); run `hrdocs batch` with --debug", finished=True
            )
            return
        if report.stopped:
            summary = f"nothing written: {report.invalid} of {report.rows} rows are invalid"
        else:
            summary = (
                f"written {report.written} ({report.files} files), invalid {report.invalid}, "
                f"failed {report.failed}"
            )
        job.update(
            summary=summary,
            manifest=None if report.stopped else report.manifest,
            problems=[str(p) for p in report.problems],
            finished=True,
        )

    threading.Thread(target=work, name="hrdocs-serve-batch", daemon=True).start()
    return RedirectResponse(f"/batch/{kept.id}/job", status_code=303)


async def job_page(request: Request) -> Response:
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    return page(request, "batch_job.html", upload=kept, job=kept.job)


def _event(job: Job, upload_id: str) -> str:
    data = {
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "finished": job.finished,
        "summary": job.summary,
        "error": job.error,
        "problems": job.problems[:50],
        "zip": f"/batch/{upload_id}/letters.zip" if job.finished and job.manifest else None,
    }
    return f"event: {'done' if job.finished else 'progress'}\ndata: {json.dumps(data)}\n\n"


async def events(request: Request) -> Response:
    """Server-sent events: the job's progress, then its outcome."""
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    job = kept.job
    if job is None:
        return error_page(request, HrdocsError("this batch has not been started"), 404)

    async def stream() -> AsyncIterator[str]:
        last = None
        while True:
            now = _event(job, kept.id)
            if now != last:
                yield now
                last = now
            if job.finished or await request.is_disconnected():
                return
            await asyncio.sleep(0.1)

    return StreamingResponse(stream(), media_type="text/event-stream")


async def letters_zip(request: Request) -> Response:
    """The documents the batch's manifest lists, with the manifest, as one zip."""
    try:
        kept = state(request).upload(request.path_params["id"])
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    job = kept.job
    if job is None or job.manifest is None:
        return error_page(request, HrdocsError("this batch wrote nothing to download"), 404)
    manifest = job.manifest

    def make(session: Session) -> bytes:
        out = session.workspace.output_dir
        real = output_file(session, manifest.resolve().relative_to(out.resolve()).as_posix())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.write(real, real.name)
            for line in real.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line) if line.strip() else {}
                if isinstance(entry.get("path"), str):
                    path = (real.parent / entry["path"]).resolve()
                    zipped.write(
                        output_file(session, path.relative_to(out.resolve()).as_posix()), entry["path"]
                    )
        return buffer.getvalue()

    try:
        data = await call(request, make)
    except (HrdocsError, ValueError, OSError):  # the reason would name a file, which names a candidate
        problem = HrdocsError("the batch's files cannot be zipped", hint="hrdocs batch --resume says why")
        return error_page(request, problem, 400)
    return attachment(kept.path.stem + "-letters", "zip", data)


ROUTES = [
    Route("/batch", start),
    Route("/batch", upload, methods=["POST"]),
    Route("/batch/{id}", review),
    Route("/batch/{id}/options", choose, methods=["POST"]),
    Route("/batch/{id}/run", run, methods=["POST"]),
    Route("/batch/{id}/job", job_page),
    Route("/batch/{id}/events", events),
    Route("/batch/{id}/letters.zip", letters_zip),
]

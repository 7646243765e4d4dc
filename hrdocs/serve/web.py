"""What every page of the app shares: the page templates, the form guard, calls into the library.

The app's own pages are rendered by a Jinja environment of their own, with autoescape on: it is not
the document sandbox (:mod:`hrdocs.sandbox`), which renders the company's templates, and it never
sees one. Every call into the library goes through :func:`call`, in a worker thread, holding the
session (the event loop stays free for other requests and the progress stream).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from hrdocs.api import Session
from hrdocs.errors import HrdocsError
from hrdocs.serve.security import CSRF_FIELD, CSRF_HEADER, cookies, csrf_ok
from hrdocs.serve.state import State

T = TypeVar("T")

PAGES = Environment(
    loader=PackageLoader("hrdocs.serve", "pages"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

NAV = (
    ("/roles", "Roles"),
    ("/letters", "Letters"),
    ("/batch", "Batch"),
    ("/lint", "Lint"),
    ("/templates", "Templates"),
)

MAX_UPLOAD = 10 * 1024 * 1024
"""The largest upload (a CSV of some 50,000 rows); a body larger than this is refused as it arrives."""


def state(request: Request) -> State:
    return request.app.state.hrdocs


def page(request: Request, template: str, /, *, status: int = 200, **values: Any) -> HTMLResponse:
    """One of the app's pages, with what the layout needs (the CSRF token for its forms)."""
    values.setdefault("section", "/" + request.url.path.strip("/").split("/")[0])
    html = PAGES.get_template(template).render(
        csrf=request.scope.get("state", {}).get("csrf", ""),
        nav=NAV,
        workspace=Path(state(request).workspace_path or Path.cwd()).resolve(),
        **values,
    )
    return HTMLResponse(html, status_code=status)


async def call(request: Request, func: Callable[[Session], T]) -> T:
    """``func(session)`` in a worker thread, holding the shared session."""
    shared = state(request)

    def run() -> T:
        with shared.session() as session:
            return func(session)

    return await run_in_threadpool(run)


async def posted(request: Request, *, files: int = 0) -> FormData:
    """The form of a POST, once its CSRF token is checked (403 without it). Parts are held to the
    upload limit; ``files`` is how many files the form may carry."""
    form = await request.form(max_files=files, max_fields=200, max_part_size=MAX_UPLOAD)
    sent = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if not csrf_ok(cookies(request.scope), sent if isinstance(sent, str) else None):
        raise HTTPException(403, "The form has expired or did not come from this app: reload and retry.")
    return form


def values(form: FormData) -> dict[str, str]:
    """The form's text fields, blanks left out (as an option not given)."""
    out: dict[str, str] = {}
    for key, value in form.multi_items():
        if key == CSRF_FIELD or isinstance(value, UploadFile) or not str(value).strip():
            continue
        out[key] = str(value)
    return out


async def read_upload(form: FormData, name: str, suffixes: frozenset[str]) -> tuple[str, str, bytes]:
    """``(file name, suffix, bytes)`` of the form's file ``name``, its type checked by suffix and
    content; raises :class:`HrdocsError` naming what is accepted."""
    item = form.get(name)
    if not isinstance(item, UploadFile) or not item.filename:
        raise HrdocsError("no file was uploaded", hint="choose a file first")
    suffix = Path(item.filename).suffix.lower()
    if suffix not in suffixes:
        raise HrdocsError(
            f"a {suffix or 'nameless'} file cannot be read here", hint=f"upload {', '.join(sorted(suffixes))}"
        )
    data = await item.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, "The upload is too large.")
    zipped = suffix in (".xlsx", ".docx")
    if zipped != data.startswith(b"PK\x03\x04"):
        raise HrdocsError(f"the file is not really a {suffix} file", hint="save it again in that format")
    return item.filename, suffix, data


def error_page(request: Request, exc: HrdocsError, status: int = 400) -> Response:
    """The library's own words, as the CLI shows them (they name fields, never their values)."""
    return page(request, "error.html", status=status, message=exc.message, hint=exc.hint)

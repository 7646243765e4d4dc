"""The app: routes of every section, the guard in front of them, the assets served from the package.

:func:`create_app` is what ``hrdocs serve`` runs with uvicorn and what the tests drive with
Starlette's test client; :func:`serve` starts uvicorn with the access log replaced by the guard's own
(method, route pattern, status: no path, query or body, which could hold a candidate's name).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from hrdocs.api import Session
from hrdocs.errors import HrdocsError, UnknownName
from hrdocs.serve import batch, files, letters, lint, roles, templates_page
from hrdocs.serve.security import LOOPBACK, Guard, GuardMiddleware
from hrdocs.serve.state import State
from hrdocs.serve.web import call, page

STATIC = Path(__file__).parent / "static"

PAGES_LOGGED = frozenset({"/", "/roles", "/compare", "/letters", "/batch", "/lint", "/templates"})
LOGGED = [  # (path prefix, what the log line says): never the path itself
    ("/files/", "/files/…"),
    ("/preview/", "/preview/…"),
    ("/batch/", "/batch/…"),
    ("/roles/", "/roles/…"),
    ("/letters/", "/letters/…"),
    ("/templates/", "/templates/…"),
    ("/static/", "/static/…"),
    ("/compare/", "/compare/…"),
]


async def home(request: Request) -> Response:
    def make(session: Session) -> dict[str, Any]:
        company = session.config.settings.company
        return {"company": company.name, "roles": len(session.catalogue.all())}

    return page(request, "home.html", **await call(request, make))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return page(request, "error.html", status=exc.status_code, message=exc.detail, hint=None)


async def refused(request: Request, exc: Exception) -> Response:
    """What the library refused, in its own words (they name fields and files, never values)."""
    assert isinstance(exc, HrdocsError)
    status = 404 if isinstance(exc, UnknownName) else 400
    return page(request, "error.html", status=status, message=exc.message, hint=exc.hint)


def create_app(
    workspace: Path | None = None,
    *,
    token: str | None = None,
    hosts: frozenset[str] | None = LOOPBACK,
    today: date | None = None,
    max_body: int | None = None,
    strict: bool = False,
) -> Starlette:
    """The app over the workspace at ``workspace`` (default: the current folder). ``hosts`` are the
    host names it answers to (default: loopback's; None: any); ``token``, when given, is asked of every
    request; ``strict`` is the global ``--strict`` (the checks' warnings refuse a document)."""
    shared = State(workspace, today, strict)
    guard = Guard(token=token, hosts=hosts, routes=LOGGED, pages=PAGES_LOGGED)
    if max_body is not None:
        guard.max_body = max_body

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            shared.close()

    routes = [
        Route("/", home),
        *roles.ROUTES,
        *letters.ROUTES,
        *files.ROUTES,
        *batch.ROUTES,
        *lint.ROUTES,
        *templates_page.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(GuardMiddleware, guard=guard)],
        exception_handlers={HTTPException: http_error, HrdocsError: refused},
        lifespan=lifespan,
    )
    app.state.hrdocs = shared
    return app


def serve(app: Starlette, host: str, port: int) -> None:
    """Run ``app`` until interrupted; one log line per request, with nothing personal in it."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False)

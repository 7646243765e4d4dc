"""Templates: the templates in use and where each comes from (``hrdocs templates``), the results of
``hrdocs templates check`` with the place of each problem, and each kind's template previewed with
its sample data (the samples ``templates vars`` shows, made from the real catalogue)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hrdocs.api import Input, Session, render
from hrdocs.errors import HrdocsError
from hrdocs.kinds import registry
from hrdocs.serve.web import call, page, state
from hrdocs.template_check import check_templates, display
from hrdocs.templates import template_files


async def index(request: Request) -> Response:
    def make(session: Session) -> dict[str, Any]:
        rows = []
        for item in template_files(session.workspace):
            rows.append(
                {
                    "kind": item.kind,
                    "partial": item.partial,
                    "engine": item.engine,
                    "origin": item.origin,
                    "file": display(item.path),
                    "used": item.used,
                    "refused": item.refused is not None,
                }
            )
        try:
            report = check_templates(session, ())
            findings = [
                {"level": f.level, "where": f.where, "message": f.message, "hint": f.hint}
                for f in report.findings
            ]
            checked, problem = len(report.checked), None
        except HrdocsError as exc:
            findings, checked, problem = [], 0, str(exc)
        kinds = [k.name for k in registry(session).all() if k.problem is None]
        return {"rows": rows, "findings": findings, "checked": checked, "problem": problem, "kinds": kinds}

    return page(request, "templates.html", **await call(request, make))


async def sample(request: Request) -> Response:
    """The kind's template made from each of its samples, nothing written."""
    name = request.path_params["kind"]

    def make(session: Session) -> dict[str, Any]:
        found = registry(session).get(name)
        previews, problems = [], []
        for number, raw in enumerate(found.samples(session, found), start=1):
            try:
                produced = render(
                    session, found.name, Input(raw, source=f"sample {number}"), formats=["html"]
                )
            except HrdocsError as exc:
                problems.append(str(exc))
                continue
            previews.append(state(request).keep_preview(produced.files["html"]))
        return {"kind": found.name, "title": found.title, "previews": previews, "problems": problems}

    try:
        result = await call(request, make)
    except HrdocsError as exc:
        return page(request, "error.html", status=404, message=exc.message, hint=exc.hint)
    return page(request, "template_sample.html", **result)


ROUTES = [Route("/templates", index), Route("/templates/{kind}/sample", sample)]

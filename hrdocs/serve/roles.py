"""Roles: the catalogue, searchable; each role's job description and posting as they will read, in
every format; roles compared side by side. Nothing here is written to the workspace: a download is
made in memory, as ``hrdocs jd`` would make it, and sent."""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hrdocs.api import Input, Session, kind, render
from hrdocs.errors import HrdocsError
from hrdocs.serve.web import call, error_page, page, state

DOCS = {"jd": "job description", "posting": "posting"}
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "json": "application/ld+json",
    "zip": "application/zip",
}


def attachment(name: str, fmt: str, data: bytes) -> Response:
    """``data`` as a download named ``name.fmt`` (safe characters only)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{name}.{fmt}").strip("-") or f"document.{fmt}"
    return Response(
        data,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        headers={"content-disposition": f'attachment; filename="{safe}"'},
    )


def formats_of(session: Session, doc: str) -> list[str]:
    found = kind(session, doc)
    out = ["docx", "pdf", "html", "md"]
    return [*out, "json"] if found.structured else out


async def catalogue(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()

    def find(session: Session) -> list[dict[str, str]]:
        words = query.lower().split()
        out = []
        for role in session.catalogue.all():
            text = " ".join([role.id, role.title, role.department, *role.aliases, role.summary]).lower()
            if all(w in text for w in words):
                out.append(
                    {
                        "id": role.id,
                        "title": role.title,
                        "department": role.department,
                        "duties": str(role.duty_count),
                        "search": text,
                    }
                )
        return out

    roles = await call(request, find)
    return page(request, "roles.html", roles=roles, query=query)


async def role_page(request: Request) -> Response:
    role_id = request.path_params["role"]

    def make(session: Session) -> dict[str, Any]:
        role = session.role(role_id)
        docs = []
        for doc, title in DOCS.items():
            entry: dict[str, Any] = {"doc": doc, "title": title, "formats": formats_of(session, doc)}
            try:
                html = render(session, doc, Input({"role": role.id}, source=role.id), formats=["html"])
                entry["preview"] = state(request).keep_preview(html.files["html"])
                entry["warnings"] = html.warnings
            except HrdocsError as exc:  # a posting refused (no pay range where the law asks for one)
                entry["problem"] = str(exc)
            docs.append(entry)
        facts = [
            ("Department", role.department),
            ("Reports to", role.reports_to.title if role.reports_to else "-"),
            ("Employment", ", ".join(t.label for t in (role.employment_type, role.flsa_status) if t)),
            ("Locations", ", ".join(loc.label for loc in role.locations) or "-"),
        ]
        return {
            "role": {"id": role.id, "title": role.title, "summary": role.summary},
            "facts": facts,
            "docs": docs,
            "others": [(r.id, r.title) for r in session.catalogue.all() if r.id != role.id],
        }

    try:
        found = await call(request, make)
    except HrdocsError as exc:
        return error_page(request, exc, 404)
    return page(request, "role.html", **found)


async def download(request: Request) -> Response:
    role_id, doc, fmt = (request.path_params[k] for k in ("role", "doc", "fmt"))
    if doc not in DOCS:
        raise HTTPException(404, "no such document")

    def make(session: Session) -> tuple[str, bytes]:
        role = session.role(role_id)
        produced = render(session, doc, Input({"role": role.id}, source=role.id), formats=[fmt])
        return produced.stem, produced.files[fmt]

    try:
        stem, data = await call(request, make)
    except HrdocsError as exc:
        return error_page(request, exc)
    return attachment(stem, fmt, data)


def _compared(request: Request) -> list[str]:
    roles = [r for r in request.query_params.getlist("roles") if r.strip()]
    if len(roles) < 2:
        raise HrdocsError("choose two or more roles to compare")
    return roles


async def compare(request: Request) -> Response:
    chosen = request.query_params.getlist("roles")

    def make(session: Session) -> dict[str, Any]:
        roles = [(r.id, r.title) for r in session.catalogue.all()]
        if len([r for r in chosen if r]) < 2:
            return {"roles": roles, "chosen": chosen}
        produced = render(
            session, "comparison", Input({"roles": list(chosen)}, source="compare"), formats=["html"]
        )
        return {
            "roles": roles,
            "chosen": chosen,
            "preview": state(request).keep_preview(produced.files["html"]),
            "formats": ["docx", "pdf", "html", "md"],
            "query": request.url.query,
        }

    try:
        found = await call(request, make)
    except HrdocsError as exc:
        return error_page(request, exc)
    return page(request, "compare.html", **found)


async def compare_download(request: Request) -> Response:
    fmt = request.path_params["fmt"]

    def make(session: Session) -> tuple[str, bytes]:
        roles = _compared(request)
        produced = render(session, "comparison", Input({"roles": roles}, source="compare"), formats=[fmt])
        return produced.stem, produced.files[fmt]

    try:
        stem, data = await call(request, make)
    except HrdocsError as exc:
        return error_page(request, exc)
    return attachment(stem, fmt, data)


ROUTES = [
    Route("/roles", catalogue),
    Route("/roles/{role}", role_page),
    Route("/roles/{role}/{doc}.{fmt}", download),
    Route("/compare", compare),
    Route("/compare/comparison.{fmt}", compare_download),
]

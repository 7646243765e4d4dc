"""Letters: a form per kind, made from the kind's fields (built-in and workspace kinds alike),
checked as the person types with the CLI's own messages, a live preview beside it, then "Write" into
the workspace's output folder through the API's write plan (an existing file is refused unless
"replace" is ticked, as with ``--force``) and a download of what was written.

The form is only a way of typing a data file: its fields are the kind's, by name, and a value goes to
the library exactly as a ``--data`` file would give it. The messages are the library's.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hrdocs.api import Input, Session, Written, generate, kind, render
from hrdocs.errors import HrdocsError, UnknownName, ValidationFailed
from hrdocs.fields import Field
from hrdocs.kinds import Kind, registry
from hrdocs.serve.files import file_url
from hrdocs.serve.web import call, error_page, page, posted, state, values

SOURCE = "form"
"""Where the form's values come from, as messages name it (the CLI says ``command line``)."""
WRITE_FORMATS = ("docx", "pdf", "html", "md")
OPTION_FIELDS = frozenset({"formats", "force"})


def label(field: Field) -> str:
    return field.name.replace("_", " ").capitalize()


def widget(field: Field) -> str:
    """The control a field is typed in (the page template draws each)."""
    if field.choices or field.type == "yes/no":
        return "select"
    if field.type in ("multiline", "lines"):
        return "textarea"
    return {"date": "date", "email": "email", "role": "role"}.get(field.type, "text")


def form_fields(session: Session, found: Kind) -> list[dict[str, Any]]:
    currency = session.config.settings.voice.currency
    out = []
    for f in found.fields:
        choices = list(f.choices) or (["yes", "no"] if f.type == "yes/no" else [])
        out.append(
            {
                "name": f.name,
                "label": label(f),
                "help": f.help,
                "example": f.example,
                "required": f.required,
                "widget": widget(f),
                "choices": choices,
                "type": f.type,
                "unit": currency if f.type == "money" else "",
                "list": f.type in ("list", "ids", "roles"),
            }
        )
    return out


def letter_kinds(session: Session) -> list[Kind]:
    """Every kind that makes a form: the letters first, then the others, workspace kinds included."""
    usable = [k for k in registry(session).all() if k.problem is None]
    return sorted(usable, key=lambda k: (not k.private, k.source is not None, k.name))


def gathered(found: Kind, given: dict[str, str]) -> Input:
    """The form's values as a data file would give them: a ``lines`` field one line per line."""
    fields: dict[str, Any] = {}
    for name, value in given.items():
        if name in OPTION_FIELDS:
            continue
        f = found.field(name)
        if f is not None and f.type == "lines":
            fields[name] = [line for line in value.splitlines() if line.strip()]
        else:  # an unknown key is the library's to refuse, with its "did you mean"
            fields[name] = value
    return Input(fields, source=SOURCE)


def problems_of(exc: HrdocsError) -> tuple[dict[str, str], list[str]]:
    """``({field: message}, every line)`` of a refusal, as the CLI prints them."""
    if isinstance(exc, ValidationFailed):
        by_field: dict[str, str] = {}
        for p in exc.problems:
            if p.field:
                by_field.setdefault(p.field.split(".")[0].split("[")[0], p.message)
        return by_field, [str(p) for p in exc.problems]
    return {}, [str(exc)]


def _kind(session: Session, name: str) -> Kind:
    try:
        found = kind(session, name)
    except UnknownName as exc:
        raise HTTPException(404, exc.message) from None
    return found


async def index(request: Request) -> Response:
    def make(session: Session) -> list[dict[str, Any]]:
        return [
            {
                "name": k.name,
                "title": k.title,
                "origin": "workspace" if k.source else "built-in",
                "private": k.private,
            }
            for k in letter_kinds(session)
        ]

    return page(request, "letters.html", kinds=await call(request, make))


def _form_page(request: Request, session: Session, found: Kind, **extra: Any) -> dict[str, Any]:
    roles = [(r.id, r.title) for r in session.catalogue.all()]
    return {
        "kind": {
            "name": found.name,
            "title": found.title,
            "formats": list(found.formats),
            "origin": "workspace" if found.source else "built-in",
        },
        "fields": form_fields(session, found),
        "roles": roles,
        "formats": list(WRITE_FORMATS),
        **extra,
    }


async def form(request: Request) -> Response:
    def make(session: Session) -> dict[str, Any]:
        return _form_page(request, session, _kind(session, request.path_params["kind"]), given={})

    return page(request, "letter.html", **await call(request, make))


async def check(request: Request) -> Response:
    """Validate and preview (JSON, for the page's script): nothing is written."""
    given = values(await posted(request))

    def make(session: Session) -> dict[str, Any]:
        found = _kind(session, request.path_params["kind"])
        try:
            produced = render(session, found.name, gathered(found, given), formats=["html"])
        except HrdocsError as exc:
            by_field, lines = problems_of(exc)
            return {"ok": False, "fields": by_field, "problems": lines}
        key = state(request).keep_preview(produced.files["html"])
        return {
            "ok": True,
            "fields": {},
            "problems": [],
            "warnings": produced.warnings,
            "preview": f"/preview/{key}",
        }

    return JSONResponse(await call(request, make))


async def write(request: Request) -> Response:
    """Write the letter as the CLI would; the page again, with what was written or why not."""
    form_data = await posted(request)
    given = values(form_data)
    formats = [f for f in form_data.getlist("formats") if f in WRITE_FORMATS] or None
    force = given.get("force") == "yes"

    def make(session: Session) -> dict[str, Any]:
        found = _kind(session, request.path_params["kind"])
        written: Written | None = None
        by_field: dict[str, str] = {}
        lines: list[str] = []
        try:
            written = generate(session, found.name, gathered(found, given), formats=formats, force=force)
        except HrdocsError as exc:
            by_field, lines = problems_of(exc)
        out = session.workspace.output_dir
        files = [{"name": p.name, "url": file_url(out, p)} for p in written.paths] if written else []
        return _form_page(
            request,
            session,
            found,
            given=given,
            errors=by_field,
            problems=lines,
            written=files,
            warnings=written.warnings if written else [],
        )

    found = await call(request, make)
    return page(request, "letter.html", status=200 if found["written"] else 400, **found)


async def preview(request: Request) -> Response:
    """A preview the app made, framed by its own page (its CSP says ``frame-ancestors 'self'``)."""
    html = state(request).preview(request.path_params["key"])
    if html is None:
        return error_page(request, HrdocsError("this preview has expired", hint="reload the page"), 404)
    return Response(html, media_type="text/html; charset=utf-8")


ROUTES = [
    Route("/letters", index),
    Route("/letters/{kind}", form),
    Route("/letters/{kind}/check", check, methods=["POST"]),
    Route("/letters/{kind}/write", write, methods=["POST"]),
    Route("/preview/{key}", preview),
]

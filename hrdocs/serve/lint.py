"""Lint: paste or upload a posting (or any document); each finding is highlighted in the text, with its
explanation and the source of its rule — ``hrdocs lint FILE`` with the text in view."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hrdocs.api import Session
from hrdocs.errors import HrdocsError
from hrdocs.lint import KINDS, RULES, Finding
from hrdocs.lint.sources import DOCX_SUFFIXES, HTML_SUFFIXES, TEXT_SUFFIXES, LintSources, read_file
from hrdocs.postings import parse_location
from hrdocs.serve.web import MAX_UPLOAD, call, page, posted, read_upload, values

SUFFIXES = frozenset(DOCX_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES) - {".j2"}
MAX_TEXT = MAX_UPLOAD


def segments(text: str, findings: list[Finding]) -> list[list[tuple[str, int | None]]]:
    """Each line of ``text`` cut into ``(piece, finding number or None)``: what the page marks."""
    lines = text.split("\n")
    marks: dict[int, list[tuple[int, int, int]]] = {}
    for number, f in enumerate(findings):
        if f.line and f.column and f.match and f.line <= len(lines):
            start = f.column - 1
            marks.setdefault(f.line - 1, []).append((start, start + len(f.match), number))
    out = []
    for index, line in enumerate(lines):
        pieces: list[tuple[str, int | None]] = []
        at = 0
        for start, end, number in sorted(marks.get(index, [])):
            if start < at or end > len(line):
                continue  # overlapping marks: the first one shows, the list names them all
            pieces += [(line[at:start], None), (line[start:end], number)]
            at = end
        pieces.append((line[at:], None))
        out.append(pieces)
    return out


def explained(findings: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for number, f in enumerate(findings):
        rule = RULES.get(f.rule)
        out.append(
            {
                "number": number,
                "rule": f.rule,
                "level": f.level.value,
                "line": f.line,
                "column": f.column,
                "match": f.match,
                "message": f.message,
                "suggestion": f.suggestion,
                "summary": rule.summary if rule else "",
                "source": rule.source if rule else "",
            }
        )
    return out


async def form(request: Request) -> Response:
    return page(request, "lint.html", kinds=KINDS, given={"kind": "posting"})


async def lint(request: Request) -> Response:
    form_data = await posted(request, files=1)
    given = values(form_data)
    kind = given.get("kind", "posting")
    upload = form_data.get("file")
    has_file = bool(getattr(upload, "filename", ""))
    try:
        if has_file:
            name, suffix, data = await read_upload(form_data, "file", SUFFIXES)
        elif given.get("text"):
            name, suffix, data = "pasted text", ".md", given["text"].encode("utf-8")
        else:
            raise HrdocsError("nothing to lint", hint="paste the posting's text or upload its file")
    except HrdocsError as exc:
        return page(request, "lint.html", status=400, kinds=KINDS, given=given, problem=str(exc))

    def run(session: Session) -> dict[str, Any]:
        sources = LintSources(session)
        locale = session.config.settings.voice.locale
        places = [parse_location(p, locale) for p in given.get("locations", "").split(";") if p.strip()]
        with tempfile.TemporaryDirectory(prefix="hrdocs-lint-") as folder:
            path = Path(folder) / f"document{suffix}"
            path.write_bytes(data)
            text, blocks = read_file(path)
            found = sources.lint(text, source=name, kind=kind, blocks=blocks, locations=places)
        found.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
        return {"lines": segments(text, found), "findings": explained(found), "name": name}

    try:
        result = await call(request, run)
    except HrdocsError as exc:
        return page(request, "lint.html", status=400, kinds=KINDS, given=given, problem=str(exc))
    return page(request, "lint.html", kinds=KINDS, given=given, **result)


ROUTES = [Route("/lint", form), Route("/lint", lint, methods=["POST"])]

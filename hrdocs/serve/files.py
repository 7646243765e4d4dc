"""Downloads of written documents: from the workspace's output folder and nowhere else.

A request names a file by its path under ``output/``; the path goes through the workspace's jail
(:class:`hrdocs.workspace.Jail`, rooted at the output folder alone), which follows every link and
``..`` and refuses what leads out. Hidden files, folders and lock files are not served either.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from hrdocs.api import Session
from hrdocs.errors import HrdocsError
from hrdocs.serve.roles import MEDIA
from hrdocs.serve.web import call
from hrdocs.workspace import Jail

PREFIX = "/files/"


def file_url(output_dir: Path, path: Path) -> str:
    """The download address of a file written under ``output_dir``."""
    relative = path.resolve().relative_to(output_dir.resolve())
    return PREFIX + quote(relative.as_posix())


def output_file(session: Session, relative: str) -> Path:
    """The real path of ``relative`` under the output folder, or an error saying why not."""
    parts = PurePosixPath(relative).parts
    if not parts or any(p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        raise HrdocsError("no such file in the output folder")
    out = session.workspace.output_dir
    real = Jail((out,)).check(out.joinpath(*parts))
    if not real.is_file():
        raise HrdocsError("no such file in the output folder")
    return real


async def download(request: Request) -> Response:
    relative = request.path_params["path"]
    try:
        real = await call(request, lambda session: output_file(session, relative))
    except HrdocsError:  # the message would name the path, which names a candidate: say less
        raise HTTPException(404, "no such file in the output folder") from None
    fmt = real.suffix.lstrip(".").lower()
    return FileResponse(
        real,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        filename=real.name,
        content_disposition_type="attachment",
    )


ROUTES = [Route(PREFIX + "{path:path}", download)]

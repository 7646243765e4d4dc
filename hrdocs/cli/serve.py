"""``hrdocs serve``: the local web app (:mod:`hrdocs.serve`) over the workspace, in the browser.

It binds 127.0.0.1 unless told otherwise; any other ``--host`` needs an access token (``--token``,
or ``--token auto`` to have one made and printed), and without one the command refuses to start.
"""

from __future__ import annotations

import socket
import threading
import webbrowser

import click

from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.errors import HrdocsError, UsageError

DEFAULT_PORT = 8750
AUTO = "auto"
WILDCARD = frozenset({"0.0.0.0", "::", ""})


def _free(host: str, port: int) -> None:
    """Refuse, before anything starts, a port another program holds."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise HrdocsError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                hint=f"another program uses the port: try --port {port + 1}",
            ) from None


@cli.command()
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but loopback (127.0.0.1, ::1, localhost) needs --token.",
)
@click.option(
    "--token",
    envvar="HRDOCS_SERVE_TOKEN",
    metavar="SECRET",
    help=f"Ask every request for this access token ({AUTO!r}: make one and print it); also read from "
    "HRDOCS_SERVE_TOKEN. Required with a --host other than loopback.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@pass_ctx
def serve(ctx: Ctx, port: int, host: str, token: str | None, no_browser: bool) -> None:
    """Open the web app for this workspace: roles, letters, batches, lint and templates.

    \b
    hrdocs serve                          http://127.0.0.1:8750, opened in the browser
    hrdocs serve --port 9000 --no-browser
    hrdocs serve --host 0.0.0.0 --token auto

    Everything stays on this computer; letters are written to output/ as the commands write them.
    Stop it with Ctrl-C. See docs/serve.md.
    """
    from hrdocs.serve import create_app
    from hrdocs.serve import serve as run_server
    from hrdocs.serve.security import LOOPBACK, is_loopback, new_token

    host = host.strip()
    loopback = is_loopback(host)
    if not loopback and not token:
        raise UsageError(
            f"--host {host or '(empty)'} lets other computers reach the app and its candidate data: "
            "it needs an access token",
            hint=f"pass --token SECRET, or --token {AUTO} to have one made and printed",
        )
    if token == AUTO:
        token = new_token()
    if token is not None and len(token) < 12:
        raise UsageError("--token: use at least 12 characters", hint=f"--token {AUTO} makes a strong one")
    _free(host, port)
    hosts = None if host in WILDCARD else LOOPBACK | {host.lower(), f"[{host.lower()}]"}
    ctx.session  # noqa: B018 - the workspace's problems are reported now, before the server starts
    app = create_app(ctx.workspace_path, token=token, hosts=hosts, today=ctx.date, strict=ctx.strict)
    shown = "127.0.0.1" if host in WILDCARD else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{port}/"
    opened = url + (f"?token={token}" if token else "")
    click.echo(f"hrdocs serve: {url} (Ctrl-C to stop)")
    if token:
        click.echo(f"access token: {token}  (open {opened})")
    if not no_browser:
        threading.Timer(0.8, webbrowser.open, args=(opened,)).start()
    run_server(app, host, port)

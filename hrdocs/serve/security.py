"""What stands between a browser and the workspace: the access token, CSRF, limits, headers and logs.

The app holds candidates' names, addresses and salaries, so it is guarded as if someone else could
reach it, even on loopback:

- **Host.** A request whose ``Host`` is not one the server answers to is refused (a web page that
  rebinds its own DNS name to 127.0.0.1 must not reach the app).
- **Token.** With a token (required off loopback), every request carries it: once as ``?token=``, which
  sets an HttpOnly cookie and redirects to the same page without it, then as that cookie.
- **CSRF.** A random cookie is set on the first page; every POST must echo it (a hidden form field or
  the ``X-CSRF-Token`` header: double submit), and a cross-site ``Origin`` is refused outright.
- **Limits.** A body larger than the limit is refused as it arrives (413), whatever it claims.
- **Headers.** A CSP with no inline script, ``nosniff``, ``frame-ancestors 'none'`` (a preview page,
  framed by the app itself, gets ``'self'`` and a CSP of its own), no referrer to another site.
- **Logs.** One line per request: method, the route's pattern (never the path itself: a file name
  holds a candidate's name), status. No query string, header or body is ever logged.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

LOG = logging.getLogger("hrdocs.serve")

TOKEN_COOKIE = "hrdocs_token"
CSRF_COOKIE = "hrdocs_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
PREVIEW_CSP = (  # a document as the HTML writer makes it: its own <style>, a data: logo, no script at all
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
PREVIEW_PREFIX = "/preview/"
"""Paths whose pages are documents framed by the app (they say so with their CSP)."""


def new_token() -> str:
    """A token for ``--host`` without ``--token``: printed once at start, 128 bits."""
    return secrets.token_urlsafe(16)


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


@dataclass
class Guard:
    """The settings of one server's guard."""

    token: str | None = None
    hosts: frozenset[str] | None = LOOPBACK
    """Host names (without port) the server answers to; None: any (bound to every interface, where
    the token is what keeps others out)."""
    max_body: int = 10 * 1024 * 1024
    secure_cookies: bool = False
    routes: list[tuple[str, str]] = field(default_factory=list)
    """(path prefix, the pattern logged for it), longest first."""

    pages: frozenset[str] = frozenset()
    """Paths logged as they are (``/roles``): they hold nothing a person typed."""

    def logged_path(self, path: str) -> str:
        if path in self.pages:
            return path
        for prefix, pattern in self.routes:
            if path.startswith(prefix):
                return pattern
        return "(another path)"  # a mistyped address may be anything, a name included


def cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: as if none were sent
                continue
    return {k: m.value for k, m in jar.items()}


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def host_name(value: str) -> str:
    """``127.0.0.1:8750`` -> ``127.0.0.1``; ``[::1]:8750`` -> ``[::1]``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]")[0] + "]"
    return value.rsplit(":", 1)[0]


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def csrf_ok(request_cookies: dict[str, str], sent: str | None) -> bool:
    """The double submit: the form field or header equals the cookie the app set."""
    return same(request_cookies.get(CSRF_COOKIE), sent)


class GuardMiddleware:
    """The pure-ASGI layer in front of every route; see the module docstring."""

    def __init__(self, app: App, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        status = {"code": 0}
        jar = cookies(scope)
        csrf = jar.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = csrf
        set_csrf = CSRF_COOKIE not in jar

        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers += self._security_headers(path)
                if set_csrf:
                    headers.append((b"set-cookie", self._cookie(CSRF_COOKIE, csrf, http_only=False)))
                message["headers"] = headers
            await send(message)

        try:
            refusal = self._refusal(scope, jar)
            if refusal is not None:
                await self._plain(send_headers, *refusal)
                return
            if self.guard.token and not same(jar.get(TOKEN_COOKIE), self.guard.token):
                query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
                if method == "GET" and same(query.pop("token", None), self.guard.token):
                    await self._redirect_with_token(send_headers, path, query)
                    return
                await self._plain(send_headers, 403, "This hrdocs server needs its access token.")
                return
            await self.app(scope, self._limited(receive), send_headers)
        except _TooLarge:
            if not status["code"]:
                await self._plain(send_headers, 413, "The upload is too large.")
        except Exception as exc:  # a bug: logged by its type and place only, never its message (a value)
            LOG.error("internal error: %s in %s", type(exc).__name__, _where(exc))
            if not status["code"]:
                await self._plain(send_headers, 500, "Internal error (a bug in hrdocs): see the server log.")
        finally:
            LOG.info("%s %s %s", method, self.guard.logged_path(path), status["code"])

    def _refusal(self, scope: Scope, jar: dict[str, str]) -> tuple[int, str] | None:
        hosts = self.guard.hosts
        if hosts is not None and host_name(header(scope, b"host") or "") not in hosts:
            return 421, "This server does not answer to that host name."
        length = header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.guard.max_body):
            return 413, "The upload is too large."
        if scope["method"] not in ("GET", "HEAD"):
            origin = header(scope, b"origin")
            if origin and not self._same_origin(scope, origin):  # "null" too: a sandboxed page
                return 403, "A form from another site cannot post here."
            if header(scope, b"sec-fetch-site") == "cross-site":
                return 403, "A form from another site cannot post here."
            if CSRF_COOKIE not in jar:
                return 403, "The form has expired: reload the page and try again."
        return None

    def _same_origin(self, scope: Scope, origin: str) -> bool:
        """The ``Origin`` of a POST is this server, as the request addressed it (host and port)."""
        try:
            netloc = urlsplit(origin).netloc.lower()
        except ValueError:
            return False
        return bool(netloc) and netloc == (header(scope, b"host") or "").strip().lower()

    def _limited(self, receive: Receive) -> Receive:
        seen = {"bytes": 0}
        limit = self.guard.max_body

        async def limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    raise _TooLarge
            return message

        return limited

    def _security_headers(self, path: str) -> list[tuple[bytes, bytes]]:
        preview = path.startswith(PREVIEW_PREFIX)
        return [
            (b"content-security-policy", (PREVIEW_CSP if preview else PAGE_CSP).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"SAMEORIGIN" if preview else b"DENY"),
            # same-origin, not no-referrer: with no-referrer a browser posts a form with `Origin: null`
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"cache-control", b"no-store"),
        ]

    def _cookie(self, name: str, value: str, *, http_only: bool) -> bytes:
        parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
        if http_only:
            parts.append("HttpOnly")
        if self.guard.secure_cookies:
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")

    async def _redirect_with_token(self, send: Send, path: str, query: dict[str, str]) -> None:
        target = path + ("?" + urlencode(query) if query else "")
        assert self.guard.token is not None
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", target.encode("latin-1", "replace")),
                    (b"set-cookie", self._cookie(TOKEN_COOKIE, self.guard.token, http_only=True)),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _plain(self, send: Send, code: int, text: str) -> None:
        body = text.encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": code,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _where(exc: BaseException) -> str:
    """``module:line`` of the innermost frame of ``exc``'s traceback."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{tb.tb_frame.f_globals.get('__name__', '?')}:{tb.tb_lineno}"


class _TooLarge(Exception):
    """The body grew past the limit while it arrived."""

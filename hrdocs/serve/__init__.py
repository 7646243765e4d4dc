"""``hrdocs serve``: a local web app over :mod:`hrdocs.api`, for the people who do not use a terminal.

It is an adapter like :mod:`hrdocs.cli`: every page calls the library (roles, letters, batches,
lint, templates) and shows what it returns; it has no document logic of its own (``lint-imports``
holds it to that). See docs/serve.md.

- ``app``       — the routes, the guard in front of them, uvicorn.
- ``security``  — token, CSRF, host check, body limit, security headers, the log line.
- ``state``     — the shared session, previews, uploads and batch jobs, in memory.
- ``web``       — the app's own pages (Jinja, autoescaped), the form guard, calls into the library.
- ``roles``, ``letters``, ``batch``, ``lint``, ``templates_page``, ``files`` — one module per section.
"""

from __future__ import annotations

from hrdocs.serve.app import create_app, serve

__all__ = ["create_app", "serve"]

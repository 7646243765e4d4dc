"""``hrdocs batch`` commands (filled in by its issue)."""

from __future__ import annotations

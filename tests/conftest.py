"""Fixtures shared by every test module: small workspaces in tmp_path, and the CLI as users run it.

- ``make_workspace(files, company=...)`` writes a workspace folder (``hrdocs.yaml`` from a dict, plus
  any ``roles/`` or ``templates/`` files) and returns its path.
- ``runner`` is a plain :class:`click.testing.CliRunner`.
- ``hrdocs(*args)`` runs a command line in-process through :func:`hrdocs.cli.run` — exactly what the
  installed script does, including how errors are shown and the exit code (1 bad data, 2 bad usage) —
  and returns an :class:`Outcome` with ``code``, ``out`` and ``err``.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from hrdocs.cli import run
from tests.util import write_files

BASE_COMPANY: dict[str, Any] = {
    "company": {
        "name": "Acme Widgets",
        "legal_name": "Acme Widgets LLC",
        "address": ["1 Main Street", "Springfield, IL 62701"],
        "website": "https://acme.example",
        "benefits": ["Health insurance from day one", "25 days of paid time off"],
    },
    "voice": {
        "tone": "warm",
        "locale": "en_US",
        "currency": "USD",
        "signatory": {"name": "Riley Park", "title": "Head of People"},
    },
    "brand": {"footer": {"text": "Acme Widgets · Confidential", "page_numbers": True}},
}
"""A small, valid ``hrdocs.yaml``; ``make_workspace(company={...})`` merges changes into it."""


def merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` merged in, mapping by mapping; a ``None`` value removes the key."""
    out = copy.deepcopy(dict(base))
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """``make_workspace(files=None, *, company=None, name="workspace") -> Path``.

    ``company`` is merged into :data:`BASE_COMPANY` and written as ``hrdocs.yaml``; pass
    ``company=False`` for a workspace without one (the built-in example company).
    """

    def make(
        files: Mapping[str, str | bytes] | None = None,
        *,
        company: Mapping[str, Any] | bool = True,
        name: str = "workspace",
    ) -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        content: dict[str, str | bytes] = dict(files or {})
        if company is not False:
            settings = merged(BASE_COMPANY, company if isinstance(company, Mapping) else {})
            content.setdefault("hrdocs.yaml", yaml.safe_dump(settings, allow_unicode=True, sort_keys=False))
        return write_files(root, content)

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def hrdocs(runner: CliRunner) -> Callable[..., Outcome]:
    """``hrdocs(*args, cwd=None) -> Outcome``: one command line, run as the installed script runs it."""

    def invoke(*args: str, cwd: Path | None = None) -> Outcome:
        with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():  # noqa: SIM117
            with runner.isolation() as (out, err, _):
                code = run([str(a) for a in args])
        return Outcome(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))

    return invoke

"""Write the ATS docs from the data: a page per built-in import profile, and docs/ats.md's tables.

    python docs/ats/make.py                # rewrites docs/ats/NAME.md for every built-in profile, and
                                           # the systems and tokens tables of docs/ats.md
    python docs/ats/make.py greenhouse     # prints one page (a workspace's own profile, if the
                                           # current folder has profiles/NAME.yaml)

A page is :func:`hrdocs.batch.profiles.markdown_page`'s. tests/test_ats.py fails when a committed page
or table differs from what this makes, so the docs never drift from the profile and token files.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from hrdocs import ats_tokens
from hrdocs.batch import profiles
from hrdocs.batch.columns import ADDRESS_PARTS
from hrdocs.kinds import registry
from hrdocs.session import Session
from hrdocs.workspace import Workspace

PAGES = Path(__file__).resolve().parent
INDEX = PAGES.parent / "ats.md"
MARKED = re.compile(r"^<!-- (?P<what>systems|tokens) -->\n.*?^<!-- /(?P=what) -->$", re.M | re.S)


def load(workspace: Workspace, name: str) -> tuple[profiles.Profile, ats_tokens.Table | None]:
    """Profile ``name`` as the workspace reads it (its own files over the built-in ones), and the
    token table of the same system."""
    session = Session(workspace)
    fields = {f.name for kind in registry(session).all() for f in kind.fields} | set(ADDRESS_PARTS)
    profile = profiles.load(workspace, name, fields)
    tables = ats_tokens.for_workspace(workspace).tables
    return profile, next((t for t in tables if t.system == profile.system), None)


def page(workspace: Workspace, name: str) -> str:
    return profiles.markdown_page(*load(workspace, name))


def systems(workspace: Workspace) -> str:
    """The table of docs/ats.md that links every system's page."""
    out = ["| system | profile | known by its header row | token syntax |", "|---|---|---|---|"]
    for name in profiles.names(workspace):
        profile, table = load(workspace, name)
        detect = ", ".join(f"`{c}`" for c in profile.spec.detect) or f"no: `--from {name}`"
        syntax = f"`{table.kind().described}`" if table else "none shipped"
        out.append(f"| [{profile.system}](ats/{name}.md) | {profile.spec.status} | {detect} | {syntax} |")
    return "\n".join(out)


def built_in() -> dict[Path, str]:
    """Every file this writes, with its text (read from an empty workspace: no local files)."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.at(folder)
        out = {PAGES / f"{name}.md": page(workspace, name) for name in profiles.names(workspace)}
        made = {"systems": systems(workspace), "tokens": ats_tokens.markdown_table()}
    index = INDEX.read_text(encoding="utf-8")
    out[INDEX] = MARKED.sub(
        lambda m: f"<!-- {m['what']} -->\n{made[m['what']]}\n<!-- /{m['what']} -->", index
    )
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(page(Workspace.at("."), sys.argv[1]), end="")
    else:
        for path, text in built_in().items():
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(PAGES.parent.parent)}")

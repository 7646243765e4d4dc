"""The docs say what the code does: field tables come from the registry, Python examples import.

A field table in ``docs/*.md`` stands between ``<!-- fields: KIND -->`` and ``<!-- /fields -->`` and is
the output of ``hrdocs kinds show KIND --markdown``. A field added to a kind (or its help changed)
fails here until the docs are regenerated::

    python tests/test_docs.py      # rewrites every table in docs/*.md from the registry
"""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from pathlib import Path

import pytest

from hrdocs.cli.kinds import markdown_table
from hrdocs.fields import Field
from hrdocs.kinds import BUILTIN, registry
from hrdocs.session import Session

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
TABLE = re.compile(r"^<!-- fields: (?P<kind>[^ ]+) -->\n(?P<body>.*?)^<!-- /fields -->$", re.M | re.S)
OPEN, CLOSE = re.compile(r"^<!-- fields: [^ ]+ -->$", re.M), re.compile(r"^<!-- /fields -->$", re.M)


def tables(path: Path) -> list[tuple[str, str]]:
    """``(kind, table)`` for every marked table of a page, in order."""
    return [(m["kind"], m["body"].strip("\n")) for m in TABLE.finditer(path.read_text(encoding="utf-8"))]


ALL_TABLES = [(path.name, kind, body) for path in DOCS for kind, body in tables(path)]


def session(folder: Path) -> Session:
    """The built-in kinds only: an empty workspace, so no kinds/ folder of anyone's adds to them."""
    return Session(folder)


def test_docs_have_tables() -> None:
    assert {"letters.md", "postings.md", "roles.md"} <= {page for page, _, _ in ALL_TABLES}


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_markers_pair_up(path: Path) -> None:
    """Every opening marker has its closing one, and nothing else looks like a marker."""
    text = path.read_text(encoding="utf-8")
    assert len(OPEN.findall(text)) == len(CLOSE.findall(text)) == len(TABLE.findall(text))
    assert text.count("<!-- fields") == len(OPEN.findall(text)), f"{path.name}: a malformed marker"


@pytest.mark.parametrize(("page", "kind", "body"), ALL_TABLES, ids=[f"{p}:{k}" for p, k, _ in ALL_TABLES])
def test_table_is_the_registrys(tmp_path: Path, page: str, kind: str, body: str) -> None:
    found = registry(session(tmp_path)).get(kind)
    assert found.name == kind, f"{page}: write the kind's own name in the marker, `{found.name}`"
    assert body == markdown_table(found), f"{page}: `{kind}` table stale: run python tests/test_docs.py"


def test_every_builtin_kind_with_fields_has_a_table() -> None:
    documented = {kind for _, kind, _ in ALL_TABLES}
    assert {k.name for k in BUILTIN if k.fields} <= documented


def test_a_new_field_fails_the_check(tmp_path: Path) -> None:
    """The comparison above can fail: a field added to a documented kind changes its table."""
    _, kind, body = next(t for t in ALL_TABLES if t[1] == "offer-letter")
    offer = registry(session(tmp_path)).get(kind)
    relocation = Field("relocation", "money", "Relocation pay.")
    grown = dataclasses.replace(offer, fields=(*offer.fields, relocation))
    assert body != markdown_table(grown)
    assert "| `relocation` | money |  | Relocation pay. |  |" in markdown_table(grown)


def test_the_cli_prints_the_same_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.util import cli

    result = cli(capsys, "-w", str(tmp_path), "kinds", "show", "denial", "--markdown")
    assert result.code == 0, result.err
    assert result.out == dict((k, b) for _, k, b in ALL_TABLES)["denial-letter"] + "\n"


def test_table_cells_are_escaped(tmp_path: Path) -> None:
    """A `|` in a help text would split its row; a shell's quotes around an example are dropped."""
    jd = registry(session(tmp_path)).get("jd")
    odd = dataclasses.replace(jd, fields=(Field("x", "text", "a | b", '"Jane Q. Doe"'),))
    assert markdown_table(odd).splitlines()[-1] == "| `x` | text |  | a \\| b E.g. `Jane Q. Doe`. |  |"


# ------------------------------------------------------------------------------ the rest of the docs
def python_blocks() -> list[tuple[str, str]]:
    out = []
    for path in [*DOCS, ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        out += [(path.name, m[1]) for m in re.finditer(r"^```python\n(.*?)^```$", text, re.M | re.S)]
    return out


@pytest.mark.parametrize(("page", "code"), python_blocks(), ids=[p for p, _ in python_blocks()])
def test_python_examples_import(page: str, code: str) -> None:
    """Every name a Python example imports exists (the API moved once; the docs must follow it)."""
    tree = ast.parse(code)
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imports, f"{page}: a Python example that imports nothing from hrdocs"
    for node in imports:
        module = __import__(node.module or "", fromlist=["*"])
        for alias in node.names:
            assert hasattr(module, alias.name), f"{page}: `from {node.module} import {alias.name}` fails"


NAMED = re.compile(r"(?<![\w.])hrdocs(?:\.[A-Za-z_]+)+")
FILES = re.compile(r"(?<![\w.])hrdocs/[\w/.-]+\.(?:py|yaml)")


@pytest.mark.parametrize("path", [*DOCS, ROOT / "README.md"], ids=lambda p: p.name)
def test_named_modules_and_files_exist(path: Path) -> None:
    """`hrdocs.kinds.offer`, `hrdocs.api.run_batch`, `hrdocs/mdcache.py`: what the prose names is there."""
    text = path.read_text(encoding="utf-8")
    for name in sorted(set(NAMED.findall(text)) - {"hrdocs.yaml"}):
        parts = name.split(".")
        found: object = __import__(parts[0])
        for i, part in enumerate(parts[1:], start=2):
            if not hasattr(found, part):
                try:
                    __import__(".".join(parts[:i]))  # a module its package does not import
                except ImportError:
                    pytest.fail(f"{path.name}: `{name}` does not exist (no module {'.'.join(parts[:i])})")
            assert hasattr(found, part), f"{path.name}: `{name}` does not exist"
            found = getattr(found, part)
    for file in sorted(set(FILES.findall(text))):
        assert (ROOT / file).is_file(), f"{path.name}: {file} does not exist"


def test_readme_keeps_its_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install . && hrdocs jd generalist" in readme
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]' && pytest" in readme


def regenerate(folder: Path) -> list[str]:
    """Rewrite every marked table in docs/*.md from the registry; the pages changed."""
    kinds = registry(session(folder))
    changed = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")

        def fill(match: re.Match[str]) -> str:
            kind = kinds.get(match["kind"])
            return f"<!-- fields: {kind.name} -->\n{markdown_table(kind)}\n<!-- /fields -->"

        new = TABLE.sub(fill, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.name)
    return changed


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as empty:
        print("\n".join(regenerate(Path(empty))) or "the docs' tables are up to date", file=sys.stderr)

"""Helpers shared by the tests: small workspaces in tmp_path and running the real CLI entry point."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document as open_docx

from hrdocs.cli import run

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT), reason="LibreOffice and pdftotext are not installed (.ci/run installs them)"
)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a workspace: ``{"roles/x.yaml": "...", "hrdocs.yaml": "..."}``; text is dedented."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run ``hrdocs ARGS`` exactly as the installed script does, and capture what it prints."""
    capsys.readouterr()
    code = run(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def docx_text(path: Path) -> str:
    """Body text of a DOCX, paragraphs and table cells, one per line, as Word would show it."""
    doc = open_docx(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def pdf_text(docx_path: Path, tmp: Path) -> str:
    """Convert with LibreOffice headless and read the PDF back: proves a real reader opens the file."""
    outdir = tmp / "pdf"
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice made no PDF of {docx_path.name}"
    return subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def docx_lines(data: bytes) -> list[str]:
    """Body paragraphs and table rows of a DOCX in document order, whitespace collapsed, empty lines
    dropped: what a reader sees, for comparing two documents' text."""
    import io

    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_docx(io.BytesIO(data))
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            lines += [" | ".join(cell.text for cell in row.cells) for row in Table(child, document).rows]
    return [" ".join(line.split()) for line in lines if line.strip()]

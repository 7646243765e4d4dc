"""PDF writer: the branded DOCX converted by LibreOffice headless, many documents per LibreOffice start.

LibreOffice takes seconds to start and well under one to convert a page, so documents are converted in
batches: every DOCX of a run (up to :attr:`PdfConverter.batch_size` at a time) goes to one
``soffice --convert-to pdf`` call. Each call runs

* in a throw-away profile (``-env:UserInstallation=file://…``), so it neither waits for nor disturbs a
  LibreOffice the user has open, and leaves nothing behind;
* in its own process group with a time limit, after which the whole group is stopped;
* on files in a private temporary folder (letters carry personal data), removed afterwards.

A warm LibreOffice kept running (``unoserver``, one per worker) was measured against this on the same
200 letters and was slower — about 0.5 s a letter through its XML-RPC bridge against 0.06–0.14 s here,
start-up included — and less robust: with two started at once one LibreOffice died and its client
waited for ever (docs/pdf.md, "LibreOffice").

``standard="a-2b"`` exports PDF/A-2b (see :data:`EXPORT_FILTERS`).

The program is ``$HRDOCS_SOFFICE`` when set, else ``soffice`` or ``libreoffice`` on ``PATH`` (or the
usual macOS and Windows install places). Without it, :class:`PdfUnavailable` says how to install it,
and a command that asks for a PDF is refused before anything is written
(:func:`hrdocs.pipeline.check_formats`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from hrdocs.errors import HrdocsError

SOFFICE_ENV = "HRDOCS_SOFFICE"
TIMEOUT_ENV = "HRDOCS_PDF_TIMEOUT"
INSTALL_HINT = (
    "install LibreOffice: `sudo apt-get install libreoffice-writer-nogui` (Debian, Ubuntu), "
    "`brew install --cask libreoffice` (macOS) or https://www.libreoffice.org/download/ ; "
    f"or set {SOFFICE_ENV} to its `soffice` program"
)
EXPORT_FILTERS = {
    "a-2b": 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
}
"""``--convert-to`` for each PDF standard: the Writer PDF export filter with its options as JSON (LibreOffice
7.4 and later); ``SelectPdfVersion`` 2 is PDF/A-2b (1: PDF/A-1b, 0: plain PDF). The property is
documented at https://wiki.openoffice.org/wiki/API/Tutorials/PDF_export ; the JSON form was checked on
LibreOffice 7.4 here (the PDF's XMP says ``pdfaid:part`` 2, ``pdfaid:conformance`` B;
tests/test_pdf_options.py)."""
_USUAL_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


class PdfUnavailable(HrdocsError):
    """LibreOffice is not installed (or ``$HRDOCS_SOFFICE`` names no program): no PDF can be made."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"PDF not written: {reason}", hint=INSTALL_HINT)


def find_soffice() -> str:
    """The LibreOffice program to run; :class:`PdfUnavailable` when there is none."""
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise PdfUnavailable(f"{SOFFICE_ENV}={configured} is not a program that can be run")
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _USUAL_PLACES:
        if os.access(place, os.X_OK):
            return place
    raise PdfUnavailable("LibreOffice (`soffice`) was not found on PATH")


def _default_timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, "") or 90)
    except ValueError:
        return 90.0


class PdfConverter:
    """DOCX bytes in, PDF bytes out, in as few LibreOffice starts as the batch size allows."""

    def __init__(
        self,
        program: str | None = None,
        *,
        timeout: float | None = None,
        per_document: float = 5.0,
        batch_size: int = 200,
        standard: str | None = None,
    ) -> None:
        if standard is not None and standard not in EXPORT_FILTERS:
            raise HrdocsError(f"pdf.standard: {standard!r} is not one of {', '.join(EXPORT_FILTERS)}")
        self._program = program
        self.standard = standard
        """``a-2b``: PDF/A-2b, through the PDF export filter's ``SelectPdfVersion`` (see EXPORT_FILTERS)."""
        self.timeout = timeout if timeout is not None else _default_timeout()
        """Seconds a LibreOffice start may take, plus ``per_document`` for each document in its batch."""
        self.per_document = per_document
        self.batch_size = max(1, batch_size)
        """Documents per LibreOffice start: more than a batch worker's chunk (128 rows), so each chunk is
        one start. A warm LibreOffice (unoserver) was measured slower here and less robust (docs/pdf.md)."""

    @property
    def program(self) -> str:
        if self._program is None:
            self._program = find_soffice()
        return self._program

    def convert(self, documents: Sequence[bytes]) -> list[bytes]:
        if not documents:
            return []
        program = self.program
        with tempfile.TemporaryDirectory(prefix="hrdocs-pdf-") as tmp:  # mode 0700: private
            root = Path(tmp)
            out: list[bytes] = []
            for start in range(0, len(documents), self.batch_size):
                batch = documents[start : start + self.batch_size]
                out.extend(self._batch(program, batch, root, start))
            return out

    def convert_one(self, document: bytes) -> bytes:
        return self.convert([document])[0]

    def _batch(self, program: str, documents: Sequence[bytes], root: Path, first: int) -> list[bytes]:
        source = root / f"in-{first}"
        target = root / f"out-{first}"
        source.mkdir()
        target.mkdir()
        files = []
        for k, data in enumerate(documents):
            path = source / f"{first + k:06d}.docx"
            path.write_bytes(data)
            files.append(path)
        command = [
            program,
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--convert-to",
            EXPORT_FILTERS.get(self.standard or "", "pdf"),
            "--outdir",
            str(target),
            *(str(f) for f in files),
        ]
        limit = self.timeout + self.per_document * len(documents)
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, so a timeout stops soffice.bin too
            )
        except OSError as exc:
            raise PdfUnavailable(f"cannot run {program}: {exc.strerror or exc}") from None
        try:
            _, stderr = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise HrdocsError(
                f"LibreOffice did not finish converting {len(documents)} document"
                f"{'s' if len(documents) != 1 else ''} to PDF within {limit:.0f} s; stopped it",
                hint=f"set {TIMEOUT_ENV} to allow more seconds per LibreOffice start",
            ) from None
        results = []
        missing = 0
        for path in files:
            pdf = target / (path.stem + ".pdf")
            if pdf.is_file() and pdf.stat().st_size > 0:
                results.append(pdf.read_bytes())
            else:
                missing += 1
        if missing:
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            raise HrdocsError(
                f"LibreOffice did not convert {missing} of {len(documents)} document"
                f"{'s' if len(documents) != 1 else ''} to PDF (exit code {process.returncode})"
                + (f": {detail[-1]}" if detail else "")
            )
        return results


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the LibreOffice we started: its whole process group, then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)

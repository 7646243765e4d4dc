"""PDF offer letters per second and peak memory: Typst in the batch, side by side with LibreOffice.

    python bench/bench_pdf.py                    # N = 1,000 and 5,000, 2 workers, LibreOffice on 200
    python bench/bench_pdf.py -n 1000 --lo-sample 1000
    python bench/bench_pdf.py --only typst -n 20000
    python bench/bench_pdf.py --instructions     # valgrind: instructions per PDF letter (20 and 60)

Each run generates the CSV of N offers that bench_letters.py makes, then measures, each in a fresh
process so that its peak memory is its own:

- ``typst``: :func:`hrdocs.batch.run_batch` with ``formats=("pdf",)``, exactly what ``hrdocs batch
  offers.csv --kind offer --format pdf`` runs: every row validated, rendered, typeset by Typst in the
  worker processes, written atomically, with its manifest line;
- ``typst+docx``: the same with ``--format docx,pdf`` (both files of every letter);
- ``libreoffice``: the DOCX files of the same letters (written first, not timed) converted to PDF the
  way hrdocs converts them with ``pdf.engine: libreoffice``: :class:`hrdocs.writers.pdf.PdfConverter`,
  one ``soffice --convert-to pdf`` start per 50 documents, one converter per core working at once. Its
  rate is steady (start-up, then about the same time a letter), so it converts a sample of the letters
  (``--lo-sample``, default 200) and the rate is that sample's.

Printed for each: letters per second (wall clock, start-up included), CPU milliseconds per letter (this
process and its children: what a letter costs whatever else the shared machine runs), and peak resident
memory of the measuring process and its largest worker. See bench/README.md and docs/pdf.md.

``--instructions`` counts instead, with valgrind's callgrind, the instructions of two ``--format pdf``
batches (``--jobs 1``, all in one process, every thread counted: Typst's too) and prints the difference
divided by the extra letters: the cost of a PDF letter once everything is loaded, a figure a busy
machine cannot move (bench/instructions.py does the same for DOCX letters).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_letters import LETTER_DATE, cpu_seconds, machine_speed, make_csv, peak_mb  # noqa: E402

METHODS = ("typst", "typst+docx", "libreoffice")


def run_batch_formats(csv_path: Path, out: Path, jobs: int, formats: tuple[str, ...]) -> dict[str, float]:
    from hrdocs.api import Session
    from hrdocs.batch import Options, run_batch

    session = Session(None, today=LETTER_DATE)
    options = Options(
        kind="offer", out=out, jobs=jobs, sync=False, formats=formats, overrides={"location": "Denver, CO"}
    )
    started = time.perf_counter()
    report = run_batch(session, csv_path, options)
    seconds = time.perf_counter() - started
    assert report.ok and report.written == report.rows, (report.problems[:3], report.written, report.rows)
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == report.written and pdfs[0].read_bytes().startswith(b"%PDF")
    return {"documents": report.written, "seconds": seconds}


def run_libreoffice(csv_path: Path, work: Path, jobs: int, sample: int) -> dict[str, float]:
    """The DOCX of the first ``sample`` letters (made by the same batch, untimed), converted by
    LibreOffice: ``jobs`` converters at once, each starting ``soffice`` once per 50 documents."""
    from hrdocs.api import Session
    from hrdocs.batch import Options, run_batch
    from hrdocs.writers.pdf import PdfConverter

    head = work / "sample.csv"
    with (
        csv_path.open(encoding="utf-8", newline="") as source,
        head.open("w", encoding="utf-8", newline="") as target,
    ):
        rows = list(csv.reader(source))
        csv.writer(target).writerows(rows[: sample + 1])
    out = work / "out-docx"
    session = Session(None, today=LETTER_DATE)
    options = Options(kind="offer", out=out, jobs=1, sync=False, overrides={"location": "Denver, CO"})
    assert run_batch(session, head, options).ok
    documents = [p.read_bytes() for p in sorted(out.glob("*.docx"))]
    shares = [documents[k::jobs] for k in range(jobs)]
    PdfConverter().program  # noqa: B018 - found before the clock starts
    cpu = cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:  # each converter waits on its own soffice process
        made = list(pool.map(lambda share: PdfConverter(batch_size=50).convert(share), shares))
    seconds = time.perf_counter() - started
    assert sum(len(m) for m in made) == len(documents) and made[0][0].startswith(b"%PDF")
    return {"documents": len(documents), "seconds": seconds, "cpu": cpu_seconds() - cpu}


def measure(method: str, csv_path: Path, work: Path, jobs: int, sample: int) -> None:
    """One method, in this (fresh) process; prints one JSON line."""
    cpu = cpu_seconds()
    if method == "typst":
        result = run_batch_formats(csv_path, work / "out-typst", jobs, ("pdf",))
    elif method == "typst+docx":
        result = run_batch_formats(csv_path, work / "out-both", jobs, ("docx", "pdf"))
    else:
        result = run_libreoffice(csv_path, work, jobs, sample)
    result["peak_mb"], result["worker_peak_mb"] = peak_mb()
    spent = result.pop("cpu", None)  # LibreOffice's: the conversion alone, not the DOCX made for it
    result["cpu_ms"] = (spent if spent is not None else cpu_seconds() - cpu) / result["documents"] * 1000
    print(json.dumps({"method": method, **result}))


def run_n(n: int, work: Path, methods: list[str], jobs: int, sample: int) -> dict[str, float]:
    csv_path = work / "offers.csv"
    make_csv(csv_path, n)
    rates: dict[str, float] = {}
    for method in methods:
        command = [sys.executable, __file__, "--jobs", str(jobs), "--lo-sample", str(sample)]
        command += ["--measure", method, str(csv_path), str(work)]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rate = result["documents"] / result["seconds"]
        rates[method] = rate
        part = f" (a sample of {result['documents']:,.0f})" if result["documents"] < n else ""
        workers = f" + worker {result['worker_peak_mb']:.0f} MB" if result["worker_peak_mb"] else ""
        print(
            f"  N={n:>6,}  {method:<12} {rate:8,.0f} letters/s  ({result['seconds']:.2f} s, "
            f"{result['cpu_ms']:.2f} CPU ms/letter)  peak RSS {result['peak_mb']:.0f} MB{workers}{part}",
            flush=True,
        )
    if "typst" in rates and "libreoffice" in rates:
        print(f"  N={n:>6,}  typst / libreoffice = {rates['typst'] / rates['libreoffice']:.1f}x")
    return rates


def instructions_run(n: int, work: Path) -> None:
    """The counted batch (in the process valgrind runs)."""
    from hrdocs.api import Session
    from hrdocs.batch import Options, run_batch

    csv_path = work / f"offers-{n}.csv"
    make_csv(csv_path, n)
    options = Options(
        kind="offer",
        out=work / f"out-{n}",
        jobs=1,
        sync=False,
        formats=("pdf",),
        overrides={"location": "Denver, CO"},
    )
    report = run_batch(Session(None, today=LETTER_DATE), csv_path, options)
    assert report.ok and report.written == n, report.problems[:3]


def instructions(small: int, large: int) -> None:
    counts = []
    with tempfile.TemporaryDirectory(prefix="hrdocs-instructions-pdf-") as work:
        for n in (small, large):
            command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
            command += [__file__, "--count", str(n), work]
            env = {**os.environ, "PYTHONHASHSEED": "0"}
            done = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=ROOT)
            found = re.search(r"Collected : (\d+)", done.stderr)
            if not found:
                raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
            counts.append(int(found[1]))
    per_letter = (counts[1] - counts[0]) / (large - small)
    print(
        f"{per_letter / 1e6:.2f} million instructions per PDF letter "
        f"({small} letters: {counts[0]:,}; {large}: {counts[1]:,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, action="append", help="letters (repeatable; default 1000 and 5000)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="worker processes")
    parser.add_argument("--only", choices=METHODS, action="append")
    parser.add_argument(
        "--lo-sample", type=int, default=200, help="letters LibreOffice converts (default 200)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--measure", nargs=3, metavar=("METHOD", "CSV", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--instructions", action="store_true", help="count instructions per PDF letter")
    parser.add_argument("--count", nargs=2, metavar=("N", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        instructions_run(int(args.count[0]), Path(args.count[1]))
        return
    if args.instructions:
        instructions(20, 60)
        return
    if args.measure:
        method, csv_path, work = args.measure
        measure(method, Path(csv_path), Path(work), args.jobs, args.lo_sample)
        return
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, speed {machine_speed():.2f} s "
        f"(a fixed Python loop; lower is faster); --jobs {args.jobs}",
        flush=True,
    )
    works: list[Path] = []
    try:
        for index, n in enumerate(args.n or [1000, 5000]):
            work = Path(tempfile.mkdtemp(prefix=f"hrdocs-bench-pdf-{n}-"))
            works.append(work)
            methods = args.only or (
                list(METHODS) if index == 0 else ["typst"]
            )  # LibreOffice's rate is steady
            run_n(n, work, methods, args.jobs, min(args.lo_sample, n))
        print(f"speed {machine_speed():.2f} s at the end; peak RSS is resource.ru_maxrss")
    finally:
        for work in works:  # removed at the end: deleting thousands of files slows the next writes
            if args.keep:
                print(f"  kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

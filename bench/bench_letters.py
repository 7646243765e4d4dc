"""Offer letters per second and peak memory: ``hrdocs batch`` against a plain python-docx loop.

    python bench/bench_letters.py                    # N = 1,000 and 10,000, every core
    python bench/bench_letters.py -n 100000 --only hrdocs --jobs 2
    python bench/bench_letters.py -n 2000 --profile  # cProfile of the batch in one process

Each run generates a CSV of N offers (distinct names, addresses, salaries, start dates and
managers), then times, in a fresh process each so that peak memory is its own:

- ``hrdocs``: :func:`hrdocs.batch.run_batch` on the CSV (the same as ``hrdocs batch``): every row
  validated first, then rendered with the company letterhead, written atomically, with a manifest;
- ``python-docx``: the same letters' text (rendered by hrdocs' template, so both write the same
  words) written by a plain loop: ``Document()``, ``add_heading``/``add_paragraph``/``add_table``,
  ``save`` per letter — no letterhead, no validation, no manifest, so it is the cheaper job;
- ``docxtpl``: if installed, a one-page Word template filled per row (skipped otherwise).

Peak memory is the peak resident set size (``ru_maxrss``) of the measuring process, and of its largest
worker process. Figures depend on the machine: run it on a quiet one, and see bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTER_DATE = dt.date(2026, 12, 1)
FIRST = ["Jane", "Richard", "Amelia", "José", "Zoë", "Wei", "Aisha", "Liam", "Noah", "Priya", "Mateo", "Olga"]
LAST = ["Doe", "Roe", "Nguyen", "Núñez", "O'Brien", "Schmidt", "Okafor", "Kowalski", "Smith", "Tanaka"]
MANAGERS = ["Dana Whitfield", "Sam Ortiz", "Lee Park", "Robin Keller"]
ROLES = [("generalist", "Denver, CO"), ("recruiter", None), ("payroll-specialist", None)]


def make_csv(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["Candidate Name", "Email", "Address", "Job", "Base Salary", "Start Date", "Hiring Manager"]
        )
        for i in range(n):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            out.writerow(
                [
                    f"{first} {last} {i}",
                    f"candidate{i}@example.org",
                    f"{rnd.randint(1, 9999)} Elm Street\nDenver, CO 80{rnd.randint(200, 299)}",
                    "generalist",
                    str(rnd.randrange(62000, 75000, 250)),
                    (LETTER_DATE + dt.timedelta(days=rnd.randint(14, 60))).isoformat(),
                    rnd.choice(MANAGERS),
                ]
            )


# ------------------------------------------------------------------------------- the measured runs
def run_hrdocs(csv_path: Path, out: Path, jobs: int, profile: bool) -> dict[str, float]:
    from hrdocs.api import Session
    from hrdocs.batch import Options, run_batch

    session = Session(None, today=LETTER_DATE)
    options = Options(kind="offer", out=out, jobs=jobs, sync=False, overrides={"location": "Denver, CO"})
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        report = profiler.runcall(run_batch, session, csv_path, options)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    else:
        report = run_batch(session, csv_path, options)
    seconds = time.perf_counter() - started
    assert report.ok and report.written == report.rows, (report.problems[:3], report.written, report.rows)
    return {"documents": report.written, "seconds": seconds}


def run_python_docx(csv_path: Path, out: Path, limit: int) -> dict[str, float]:
    """The same letters, written the way a hand-made loop writes them (the first ``limit``)."""
    import docx

    from hrdocs.api import Input, Session, document
    from hrdocs.docmodel import Container, Heading, ListBlock, Paragraph, Table, spans_text

    session = Session(None, today=LETTER_DATE)
    out.mkdir(parents=True, exist_ok=True)

    def add(d: docx.document.Document, block: object) -> None:
        match block:
            case Heading(level=level, spans=spans):
                d.add_heading(spans_text(spans), level=min(level - 1, 9))
            case Paragraph(spans=spans):
                p = d.add_paragraph()
                for span in spans:
                    run = p.add_run(span.text)
                    run.bold, run.italic = span.bold or None, span.italic or None
            case ListBlock(ordered=ordered, items=items):
                for item in items:
                    d.add_paragraph(spans_text(item.spans), style="List Number" if ordered else "List Bullet")
            case Table(header=header, rows=rows):
                table = d.add_table(rows=0, cols=max(len(header), *(len(r) for r in rows)))
                for row in ((header,) if header else ()) + rows:
                    cells = table.add_row().cells
                    for cell, spans in zip(cells, row, strict=False):
                        cell.text = spans_text(spans)
            case Container(blocks=blocks):
                for inner in blocks:
                    add(d, inner)

    # The letters' text is made first and not timed: this measures python-docx's writing only.
    documents = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if i >= limit:
                break
            raw = {
                "candidate": row["Candidate Name"],
                "email": row["Email"],
                "address": row["Address"],
                "role": row["Job"],
                "salary": row["Base Salary"],
                "start": row["Start Date"],
                "manager": row["Hiring Manager"],
                "location": "Denver, CO",
            }
            documents.append(document(session, "offer", Input(raw, source=f"{csv_path.name}:{i + 2}")))
    started = time.perf_counter()
    for i, doc in enumerate(documents):
        d = docx.Document()
        for block in doc.blocks:
            add(d, block)
        d.save(str(out / f"letter-{i}.docx"))
    return {"documents": len(documents), "seconds": time.perf_counter() - started}


def run_docxtpl(csv_path: Path, out: Path, limit: int) -> dict[str, float] | None:
    try:
        import docx
        from docxtpl import DocxTemplate
    except ImportError:
        return None
    template = out / "template.docx"
    out.mkdir(parents=True, exist_ok=True)
    d = docx.Document()
    d.add_heading("Your Offer to Join Us", 0)
    d.add_paragraph("{{ name }}")
    d.add_paragraph("Dear {{ name }},")
    d.add_paragraph("We are delighted to offer you the position of HR Generalist, starting {{ start }}.")
    d.add_paragraph("Your base pay will be ${{ salary }} per year. Your manager will be {{ manager }}.")
    d.save(str(template))
    started = time.perf_counter()
    n = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if i >= limit:
                break
            tpl = DocxTemplate(str(template))
            tpl.render(
                {
                    "name": row["Candidate Name"],
                    "start": row["Start Date"],
                    "salary": row["Base Salary"],
                    "manager": row["Hiring Manager"],
                }
            )
            tpl.save(str(out / f"letter-{i}.docx"))
            n += 1
    return {"documents": n, "seconds": time.perf_counter() - started}


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest worker, in MB (ru_maxrss is in kB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its workers: what the letters cost, whatever else the machine runs."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def measure(method: str, csv_path: Path, work: Path, jobs: int, profile: bool, limit: int) -> None:
    """One method, in this (fresh) process; prints one JSON line."""
    out = work / f"out-{method}"
    cpu = cpu_seconds()
    if method == "hrdocs":
        result: dict[str, float] | None = run_hrdocs(csv_path, out, jobs, profile)
    elif method == "python-docx":
        result = run_python_docx(csv_path, out, limit)
    else:
        result = run_docxtpl(csv_path, out, limit)
    if result is not None:
        result["peak_mb"], result["worker_peak_mb"] = peak_mb()
        result["cpu_ms"] = (cpu_seconds() - cpu) / result["documents"] * 1000
    print(json.dumps({"method": method, **(result or {"skipped": True})}))


# ------------------------------------------------------------------------------------------ driver
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, action="append", help="letters (repeatable; default 1000 and 10000)")
    parser.add_argument(
        "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="hrdocs worker processes"
    )
    parser.add_argument("--only", choices=["hrdocs", "python-docx", "docxtpl"], action="append")
    parser.add_argument("--profile", action="store_true", help="cProfile hrdocs in one process (--jobs 1)")
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=2000,
        help="python-docx and docxtpl write at most this many letters (their rate is steady; default 2000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--measure", nargs=3, metavar=("METHOD", "CSV", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        method, csv_path, work = args.measure
        measure(method, Path(csv_path), Path(work), args.jobs, args.profile, args.baseline_max)
        return

    methods = args.only or ["hrdocs", "python-docx", "docxtpl"]
    jobs = 1 if args.profile else args.jobs
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"speed {machine_speed():.2f} s (a fixed Python loop; lower is faster); hrdocs --jobs {jobs}"
    )
    works: list[Path] = []
    try:
        for n in args.n or [1000, 10000]:
            work = Path(tempfile.mkdtemp(prefix=f"hrdocs-bench-{n}-"))
            works.append(work)
            run_n(n, work, methods, jobs, args)
        print(f"speed {machine_speed():.2f} s at the end")
    finally:
        # Removed at the very end: deleting thousands of files stalls the file system's next writes
        # for a while (its journal discards the freed blocks), which would slow the next measurement.
        for work in works:
            if args.keep:
                print(f"  kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop, best of three: shared virtual machines run at different
    speeds from one minute to the next, and this says how fast this one ran during the benchmark."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best


def run_n(n: int, work: Path, methods: list[str], jobs: int, args: argparse.Namespace) -> None:
    """Every method on a CSV of ``n`` offers, each in a fresh process; prints one line each."""
    csv_path = work / "offers.csv"
    make_csv(csv_path, n)
    rates: dict[str, float] = {}
    for method in methods:
        command = [
            sys.executable,
            __file__,
            "--jobs",
            str(jobs),
            "--baseline-max",
            str(args.baseline_max),
            "--measure",
            method,
            str(csv_path),
            str(work),
        ]
        if args.profile:
            command.insert(2, "--profile")
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        if args.profile:
            sys.stderr.write(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result.get("skipped"):
            print(f"  N={n:>7,}  {method:<12} skipped (not installed)")
            continue
        rate = result["documents"] / result["seconds"]
        rates[method] = rate
        part = f" (first {result['documents']:,.0f})" if result["documents"] < n else ""
        workers = f" + worker {result['worker_peak_mb']:.0f} MB" if result["worker_peak_mb"] else ""
        print(
            f"  N={n:>7,}  {method:<12} {rate:8,.0f} letters/s  ({result['seconds']:.2f} s, "
            f"{result['cpu_ms']:.2f} CPU ms/letter)  peak RSS {result['peak_mb']:.0f} MB"
            f"{workers}{part}"
        )
    if "hrdocs" in rates and "python-docx" in rates:
        print(f"  N={n:>7,}  hrdocs / python-docx = {rates['hrdocs'] / rates['python-docx']:.1f}x")


if __name__ == "__main__":
    main()

"""Instructions per offer letter, counted by valgrind: the one figure a busy machine cannot move.

    python bench/instructions.py            # letters 40 and 200 in one process, the difference / 160

Wall-clock rates on a shared virtual machine wander by a third from minute to minute; an instruction
count (``valgrind --tool=callgrind``) is the same run after run. Two batches of different sizes are
counted in full, start-up included, and the difference divided by the extra letters is the cost of a
letter once everything is loaded: both passes, the validation, the rendering, the DOCX, the file and
the manifest line (``--jobs 1``, so that it is all in one process). Needs valgrind (Debian: ``apt-get
install valgrind``); each count takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(n: int, work: Path) -> None:
    """The measured batch (in the process valgrind runs)."""
    sys.path.insert(0, str(HERE))
    import bench_letters as bench

    from hrdocs.api import Session
    from hrdocs.batch import Options, run_batch

    csv_path = work / f"offers-{n}.csv"
    bench.make_csv(csv_path, n)
    options = Options(
        kind="offer", out=work / f"out-{n}", jobs=1, sync=False, overrides={"location": "Denver, CO"}
    )
    report = run_batch(Session(None, today=bench.LETTER_DATE), csv_path, options)
    assert report.ok and report.written == n, report.problems[:3]


def count(n: int, work: Path) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--run",
        str(n),
        str(work),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"}
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--run", nargs=2, metavar=("N", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(int(args.run[0]), Path(args.run[1]))
        return
    with tempfile.TemporaryDirectory(prefix="hrdocs-instructions-") as work:
        small, large = count(args.small, Path(work)), count(args.large, Path(work))
    per_letter = (large - small) / (args.large - args.small)
    print(
        f"{per_letter / 1e6:.2f} million instructions per letter "
        f"({args.small} letters: {small:,}; {args.large}: {large:,})"
    )


if __name__ == "__main__":
    main()

"""The Word engine alone: compile time of a one-page offer template, and letters rendered per second.

    python bench/bench_word.py              # 1,000 letters, compile timed 20 times
    python bench/bench_word.py -n 5000 --docxtpl

The template is built with python-docx the way Word saves one (a letterhead header, a footer, tags
split across runs, a ``{%p if %}`` block, a ``{%tr for %}`` table of benefits, about one page). It is
timed three ways: compiled (``DocxTemplate.compile``, the median of ``--compiles`` runs), rendered
``-n`` times with distinct data (``plain``: the fast path every offer letter takes), and rendered
with the docxtpl forms that need more work after Jinja (``constructs``: ``{{r }}``, a ``\\a`` in a
value, a merged and coloured cell, a ``{%tc for %}`` loop whose grid is fixed). With ``--docxtpl``,
docxtpl fills the same template for comparison (it recompiles per document). One process, one core:
the batch multiplies by its workers. Wall-clock letters per second depend on what else the machine
runs; the CPU figure (``time.process_time``) much less. See bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import docx
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hrdocs.docx_template import DocxTemplate  # noqa: E402

BODY = (
    "We are delighted to offer you the position of {{ role }} at {{ company }}, reporting to "
    "{{ manager }}. Your first day will be {{ start }}, and your place of work is {{ office }}. "
)


def build(path: Path, constructs: bool) -> None:
    """A one-page offer letter as Word would store it."""
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "{{ company }} — Offer of employment"
    doc.sections[0].footer.paragraphs[0].text = "{{ company }} · {{ address }} · Ref {{ ref }}"
    doc.add_heading("Offer of employment", 1)
    doc.add_paragraph("{{ today }}")
    p = doc.add_paragraph("Dear ")
    p.add_run("{{ candi").bold = True
    p.add_run("date.first }} {{ candidate.last }},")
    for _ in range(5):
        doc.add_paragraph(BODY)
    doc.add_paragraph("Your annual base salary will be {{ salary }}, paid {{ frequency }}.")
    doc.add_paragraph("{%p if bonus %}")
    doc.add_paragraph("You are also eligible for a yearly bonus of up to {{ bonus }} of your salary.")
    doc.add_paragraph("{%p endif %}")
    table = doc.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Benefit", "Detail"
    table.cell(1, 0).text = "{%tr for b in benefits %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ b.name }}", "{{ b.detail }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    if constructs:
        doc.add_paragraph("Signed: {{r signatory }} for {{ company }}")
        doc.add_paragraph("{{ notes }}")
        grid = doc.add_table(rows=3, cols=2)
        grid.cell(0, 0).text = "{%tr for b in benefits %}"
        grid.cell(1, 0).text = "{{ b.name }}{% vm %}"
        grid.cell(1, 1).text = "{% cellbg 'DDEEFF' %}{{ b.detail }}"
        grid.cell(2, 0).text = "{%tr endfor %}"
        days = doc.add_table(rows=1, cols=4)
        texts = ["Days", "{%tc for d in days %}", "{{ d }}", "{%tc endfor %}"]
        for cell, text in zip(days.rows[0].cells, texts, strict=True):
            cell.text = text
    doc.add_paragraph("Please sign and return this letter by {{ deadline }}.")
    doc.add_paragraph("Yours sincerely,")
    doc.add_paragraph("{{ signatory }}")
    doc.save(str(path))


def context(i: int) -> dict[str, Any]:
    return {
        "company": "Acme & Sons <Ltd>",
        "address": "1 Main Street, Denver",
        "ref": f"OF-{i:06d}",
        "today": "1 December 2026",
        "candidate": {"first": f"Zoë{i}", "last": "O'Brien"},
        "role": "HR Generalist",
        "manager": "Dana Whitfield",
        "start": "4 January 2027",
        "office": "Denver, CO",
        "salary": f"${62000 + i % 5000:,}",
        "frequency": "every two weeks",
        "bonus": "10%" if i % 2 else None,
        "benefits": [{"name": "Leave", "detail": "25 days"}, {"name": "Health", "detail": "Full cover"}],
        "deadline": "15 December 2026",
        "signatory": "Dana Whitfield",
        "notes": "First line\nsecond line\athird paragraph",
        "days": ["Mon", "Tue", "Wed", "Thu", "Fri"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="letters to render (default 1,000)")
    parser.add_argument("--compiles", type=int, default=20, help="compiles to time (default 20)")
    parser.add_argument("--docxtpl", action="store_true", help="also time docxtpl on the same template")
    args = parser.parse_args()
    env = SandboxedEnvironment(undefined=StrictUndefined)
    contexts = [context(i) for i in range(args.n)]
    with tempfile.TemporaryDirectory() as tmp:
        for constructs in (False, True):
            label = "constructs" if constructs else "plain"
            path = Path(tmp) / f"{label}.docx"
            build(path, constructs)
            times, cpus = [], []
            for _ in range(args.compiles):
                start, cpu = time.perf_counter(), time.process_time()
                template = DocxTemplate.compile(path, env)
                times.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            template.render(contexts[0])  # warm
            start, cpu = time.perf_counter(), time.process_time()
            size = sum(len(template.render(c)) for c in contexts)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            compiled, compiled_cpu = statistics.median(times) * 1000, statistics.median(cpus) * 1000
            print(f"{label:>10}: compile {compiled:5.1f} ms wall, {compiled_cpu:5.1f} ms CPU; "
                  f"{args.n / took:6,.0f} letters/s wall, {args.n / cpu:6,.0f}/s of CPU "
                  f"({cpu / args.n * 1000:.2f} ms CPU each, {size / args.n / 1024:.0f} KiB)")  # fmt: skip
            if args.docxtpl and not constructs:
                _docxtpl(path, contexts[: min(args.n, 300)])


def _docxtpl(path: Path, contexts: list[dict[str, Any]]) -> None:
    try:
        from docxtpl import DocxTemplate as Theirs
    except ImportError:
        print("   docxtpl: not installed")
        return
    import io

    start = time.perf_counter()
    for c in contexts:
        theirs = Theirs(str(path))
        theirs.render({**c, "bonus": c["bonus"] or ""}, autoescape=True)
        theirs.save(io.BytesIO())
    took = time.perf_counter() - start
    print(f"   docxtpl: {len(contexts) / took:8,.0f} letters/s (template loaded per letter, as it must be)")


if __name__ == "__main__":
    main()

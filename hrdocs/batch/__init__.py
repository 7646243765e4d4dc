"""Batches: one document per row of a CSV or Excel export, or per entry of a YAML plan.

The library API is :func:`run_batch` with :class:`Options`; it returns a :class:`Report` and raises
:class:`hrdocs.errors.HrdocsError` for what stops a batch as a whole. The modules, in the order a
batch uses them:

- ``reading``   — CSV (UTF-8, with or without BOM; ``,`` ``;`` or tab), ``.xlsx``, YAML plans; streamed.
- ``columns``   — spreadsheet columns to fields: lenient names, the aliases each kind declares, ``--map``.
- ``rows``      — each row's kind (any kind in the registry) and fields.
- ``workers``   — pass 1 through :func:`hrdocs.pipeline.produce`, pass 2 packing and writing, in processes.
- ``decisions`` — each row's unique file name, and whether its files exist, are done or conflict.
- ``manifest``  — the JSON Lines audit record beside the documents; what ``--resume`` trusts.
- ``running``   — the two passes (check everything, then write), the folder locks.

A batch has no rendering of its own: every document is made by the one pipeline, so it is the same
bytes as the single command's.
"""

from __future__ import annotations

from hrdocs.batch.options import Options, Report
from hrdocs.batch.running import run_batch

__all__ = ["Options", "Report", "run_batch"]

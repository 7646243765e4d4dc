"""Batches: one document per row of a CSV or Excel export, or per entry of a YAML plan.

The library API is :func:`run_batch` with :class:`Options`; it returns a :class:`Report` and raises
:class:`hrdocs.errors.HrdocsError` for what stops a batch as a whole. The modules, in the order a
batch uses them:

- ``reading``  — CSV (UTF-8, with or without BOM; ``,`` ``;`` or tab), ``.xlsx``, YAML plans; streamed.
- ``columns``  — spreadsheet columns to fields: lenient names, ATS export aliases, ``--map``.
- ``kinds``    — offer, denial, job description: validation and context from :mod:`hrdocs.letters`.
- ``naming``   — file names from a pattern, safe and unique in row order.
- ``mdcache``  — the Markdown of repeated passages read once per batch.
- ``manifest`` — the JSON Lines audit record beside the documents; what ``--resume`` trusts.
- ``running``  — the two passes (check everything, then write) over worker processes.
"""

from __future__ import annotations

from hrdocs.batch.running import Options, Report, run_batch

__all__ = ["Options", "Report", "run_batch"]

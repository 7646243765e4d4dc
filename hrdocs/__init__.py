"""hrdocs: job descriptions, postings, offer and denial letters from role catalogues, in the company's voice.

The library API lives in :mod:`hrdocs.api`; the command line in :mod:`hrdocs.cli` is a thin layer over it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hrdocs")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

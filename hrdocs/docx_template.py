"""Render Word-authored ``.docx`` templates with Jinja, using docxtpl's tags with docxtpl's meaning.

Recruiters type ``{{ candidate.first_name }}``, ``{% if bonus %}``, ``{%p if … %}``, ``{%tr for … %}``,
``{{r name | bold }}`` or ``{% cellbg 'FF0000' %}`` straight into Word. This module is the public
entry; the engine lives in :mod:`hrdocs.word` (``template``: compile and render, ``preprocess``:
XML to Jinja, ``cells``: merged and coloured cells and the table grid, ``join``: ``{%- -%}``,
``properties``: the document's properties, ``values``: how a value becomes Word XML).
"""

from __future__ import annotations

from hrdocs.word.place import DocxTemplateError
from hrdocs.word.template import RENDERED, DocxTemplate

_RENDERED = RENDERED  # the parts whose text is rendered (hrdocs.ats_tokens names it)

__all__ = ["DocxTemplate", "DocxTemplateError"]

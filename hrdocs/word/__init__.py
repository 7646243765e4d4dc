"""The Word engine's parts: what a ``.docx`` template's values can be and how they reach the package.

``hrdocs.docx_template`` compiles and renders Word templates; this package holds what sits beside
it: values richer than text (``fragment.py``: the contract; rich text, images, sub-documents in
their own modules) and the per-render collector of what those values add to the package (media,
relationships, styles, numbering).
"""

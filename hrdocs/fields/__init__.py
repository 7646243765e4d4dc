"""Fields: what a document's input is made of, written once per field and used everywhere.

A kind of document (see :mod:`hrdocs.kinds`) declares its input as a tuple of :class:`Field`: name,
type, whether it is required, help text, an example and the column names applicant tracking systems
export for it. The package's parts, from the bottom up:

- :mod:`~hrdocs.fields.values`: how one value of each type is read (lenient parsers, refusing with a
  message that names no value) and the annotated types that carry them into models;
- :mod:`~hrdocs.fields.declaration`: :class:`Field`, the types by name, :func:`flat_model`;
- :mod:`~hrdocs.fields.inputs`: keys spelled as fields (:func:`normalize_fields`) and
  :class:`Problems`, every problem of one input collected before anything is refused.

Everything is importable from ``hrdocs.fields`` itself, as before the split.
"""

from hrdocs.fields.declaration import TYPES, Field, flat_model
from hrdocs.fields.inputs import NAME_KEYS, Problems, field_key, normalize_fields
from hrdocs.fields.values import (
    Day,
    Email,
    Hours,
    IdList,
    Lines,
    ManyLines,
    Model,
    Money,
    Number,
    OneLine,
    TextList,
    YesNo,
    choice,
)

__all__ = [
    "NAME_KEYS",
    "TYPES",
    "Day",
    "Email",
    "Field",
    "Hours",
    "IdList",
    "Lines",
    "ManyLines",
    "Model",
    "Money",
    "Number",
    "OneLine",
    "Problems",
    "TextList",
    "YesNo",
    "choice",
    "field_key",
    "flat_model",
    "normalize_fields",
]

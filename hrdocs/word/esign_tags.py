"""The template global ``esign``: a Word template's own places for the e-signature provider's tags.

A letter written from the document model gets the provider's tags in its acceptance block by itself
(:mod:`hrdocs.esign`). A Word template has no such block: its author knows where the candidate signs,
so ``{{ esign.candidate_signature }}``, ``{{ esign.candidate_name }}``, ``{{ esign.candidate_date }}``
(and ``signatory_signature``, ``signatory_name``, ``signatory_date`` for the company's signer) print
the configured provider's tag there, as a rich-text fragment that is white and as small as the
provider's file says (2 pt by default), so the printed letter shows nothing and the provider finds
the text. With ``esign.provider: none`` each is empty text, so one template serves both ways.

A text template printing one gets nothing: its documents carry the tags in the acceptance block
already, and a Markdown or HTML page must not hide text (screen readers read it out).
"""

from __future__ import annotations

from hrdocs.esign import COLOUR, SignerTags, Signing
from hrdocs.word.rich import Look, Piece, Rich

NAMES = tuple(f"{who}_{what}" for who in ("candidate", "signatory") for what in ("signature", "name", "date"))
"""The attributes a template may use: ``esign.candidate_signature`` … ``esign.signatory_date``."""


class Hidden(Rich):
    """A tag for the provider, not the reader: in a Word template, white tiny runs; in a text
    template, nothing (the writers place the tags there)."""

    __slots__ = ()

    def markdown(self) -> str:
        return ""


class EsignTags:
    """What ``esign`` is in a template: one attribute per tag of the configured provider."""

    def __init__(self, signing: Signing | None) -> None:
        # private: the sandbox refuses _-names, so a template sees only the tags
        self._tags: dict[str, Rich | str] = dict.fromkeys(NAMES, "")
        if signing is None:
            return
        half_points = round(signing.spec.size_pt * 2)
        look = Look(color=COLOUR, size=half_points)
        signers: dict[str, SignerTags] = {
            "candidate": signing.spec.candidate,
            "signatory": signing.spec.signatory,
        }
        for who, tags in signers.items():
            for what in ("signature", "name", "date"):
                spec = getattr(tags, what)
                if spec is not None:
                    self._tags[f"{who}_{what}"] = Hidden(((Piece(spec.text, look),),))

    def __getattr__(self, name: str) -> Rich | str:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._tags[name]
        except KeyError:
            raise AttributeError(f"esign has no `{name}` (it has {', '.join(NAMES)})") from None

    def __dir__(self) -> list[str]:
        return list(NAMES)

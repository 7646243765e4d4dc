"""The checks step: lint every generated document, and refuse it under ``--strict``.

Every document gets the checks ``hrdocs lint`` makes (banned and preferred words of the company voice,
biased wording, readability, …, as far as the kind's lint rules go), whichever command made it.
Informational findings (the gender balance, …) are left to ``hrdocs lint``.

What is read depends on whether the kind carries personal data:

- a document without any (a job description, a posting) is read whole, the catalogue's wording with
  the template's;
- a letter is read with its values masked — the template's own wording, which is the company's, not
  the candidate's: a candidate named Guy is no breach of a voice that avoids "guys", and no warning
  may quote a candidate's data. A Word-template letter is read as its template's text.

Findings are remembered by the text read, so the letters of a batch that say the same thing are
checked once, not once per letter (a full letter takes milliseconds to lint).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from hrdocs.docmodel import TOKEN
from hrdocs.errors import HrdocsError
from hrdocs.language import LANGUAGE, PRIMARY
from hrdocs.session import Session, per_session
from hrdocs.templates import visible_text

if TYPE_CHECKING:
    from hrdocs.engines import Rendered
    from hrdocs.kinds.base import Kind
    from hrdocs.lint.findings import Finding

_REMEMBERED = 256
_GAP = "…"
"""What a masked value reads as: a mark, not a word, so no rule matches it."""


class Checks:
    """One per session: the lint findings of each text already read."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._found: OrderedDict[tuple[str, str], list[Finding]] = OrderedDict()

    def warnings(self, kind: Kind, rendered: Rendered, label: str) -> list[str]:
        """The warnings of one document, each ``LABEL:LINE: rule: message (`match`)``."""
        cache_key, text = self._text(kind, rendered)
        language = rendered.meta.get(LANGUAGE, PRIMARY)  # its own word lists (hrdocs.lint.languages)
        cache_key = f"{language}\x00{cache_key}"
        found = self._found.get((kind.lint, cache_key))
        if found is None:
            found = self._lint(kind, text if text is not None else self._read(kind, rendered), language)
            self._found[(kind.lint, cache_key)] = found
            if len(self._found) > _REMEMBERED:
                self._found.popitem(last=False)
        else:
            self._found.move_to_end((kind.lint, cache_key))
        return [
            f"{label}:{f.line}: {f.rule}: {f.message} (`{f.match}`)"
            if f.line
            else f"{label}: {f.rule}: {f.message}"
            for f in found
        ]

    def _text(self, kind: Kind, rendered: Rendered) -> tuple[str, str | None]:
        """(what the findings are remembered by, the text itself when it is at hand)."""
        if rendered.word:
            if kind.private:
                return f"word:{rendered.template}", None
            text = visible_text(rendered.docx or b"")
            return text, text
        assert rendered.masked is not None
        if kind.private and rendered.masked.key:
            return f"masked:{rendered.masked.key}", None
        text = rendered.document().plain_text()
        return text, text

    def _read(self, kind: Kind, rendered: Rendered) -> str:
        if rendered.word:
            template = self.session.word_template(rendered.template)
            assert template is not None
            return "\n".join(text for _, text in template.text_fragments())
        assert rendered.masked is not None
        return TOKEN.sub(_GAP, rendered.masked.document.plain_text())

    def _lint(self, kind: Kind, text: str, language: str) -> list[Finding]:
        from hrdocs.lint import Level, lint_text

        settings = self.session.config.settings
        findings = lint_text(
            text,
            source=kind.name,
            kind=kind.lint,
            settings=settings.lint,
            voice=settings.voice,
            employer_size=settings.postings.employer_size,
            on=self.session.today,
            language=language,
        )
        return [f for f in findings if f.level is not Level.INFO]


checks = per_session(Checks)


def refuse_if_strict(session: Session, warnings: list[str]) -> None:
    """Under ``--strict`` a warning stops the command before anything is written."""
    if session.strict and warnings:
        count = len(warnings)
        shown = warnings[:20] + ([f"… and {count - 20} more"] if count > 20 else [])
        raise HrdocsError(
            f"--strict: {count} warning{'s' if count != 1 else ''}, nothing written:\n  "
            + "\n  ".join(shown),
            hint="fix the wording, or change the rule's level in hrdocs.yaml (lint:)",
        )

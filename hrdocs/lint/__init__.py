"""A linter for HR documents: biased or coded wording, clichés, the company's voice, readability and
what pay-transparency laws require a posting to say.

Library API (the ``hrdocs lint`` command and the generation commands call exactly this)::

    from hrdocs.lint import Finding, Level, LintReport, lint_text

    findings = lint_text(text, source="posting.md", kind="posting",
                         settings=config.settings.lint, voice=config.settings.voice,
                         locations=role.locations or (), has_pay_range=role.pay_range is not None)
    report = LintReport()
    report.add("posting.md", findings)
    print(report.format_text(color=True))

Every rule, its level and its source are listed in ``docs/lint.md`` and in :data:`RULES`.
"""

from __future__ import annotations

from hrdocs.lint.engine import lint_text
from hrdocs.lint.findings import Finding, Level, LintReport, balance_verdict
from hrdocs.lint.rules import KINDS, RULES, Rule, check_settings

__all__ = [
    "KINDS",
    "RULES",
    "Finding",
    "Level",
    "LintReport",
    "Rule",
    "balance_verdict",
    "check_settings",
    "lint_text",
]

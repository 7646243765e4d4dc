"""Readability: a syllable counter and the Flesch–Kincaid grade level.

Flesch–Kincaid grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59, from Kincaid,
Fishburne, Rogers & Chissom (1975), *Derivation of New Readability Formulas for Navy Enlisted
Personnel*, Research Branch Report 8-75. The result reads as a US school grade: 8 is plain English,
above 12 is hard going for many readers.

The syllable counter is a heuristic of our own (no dictionary, so no dependency and no data file):
count groups of vowels, then correct for the commonest English spellings that break that rule (silent
final *e*, *-es* and *-ed* endings, the *-ia-/-io-* hiatus). It is off by one on some words, which
moves a grade computed over a whole document very little.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_HIATUS = re.compile(r"[^aeiouct]i[ao]")  # va-ri-ous, ma-te-ri-al, pe-ri-od
_SILENT_ES = re.compile(r"(?:[^aeiou]l|[sxz]|[cs]h|g|c|[aeiouy])es$")  # endings where -es is heard
_EXCEPTIONS = {
    "business": 2,
    "every": 2,
    "people": 2,
    "area": 3,
    "idea": 3,
    "create": 2,
    "creative": 3,
    "recipe": 3,
    "employee": 3,
    "employees": 3,
    "via": 2,
}


def syllables(word: str) -> int:
    """Syllables in one English word (at least 1 for anything with a letter)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1 if any(ch.isalpha() for ch in word) else 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w.removeprefix("y")))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        count -= 1  # make, role, drive
    elif w.endswith("es") and not _SILENT_ES.search(w):
        count -= 1  # makes, roles (but boxes, tables, pages)
    elif w.endswith("ed") and not w.endswith(("ted", "ded")):
        count -= 1  # worked, hired (but wanted, needed)
    count += len(_HIATUS.findall(w))
    return max(1, count)


def flesch_kincaid_grade(words: Sequence[str], sentence_count: int) -> float | None:
    """The grade level of a text with these words in this many sentences; None when empty."""
    if not words or sentence_count < 1:
        return None
    total = sum(syllables(w) for w in words)
    return 0.39 * (len(words) / sentence_count) + 11.8 * (total / len(words)) - 15.59

"""Output file names from a pattern such as ``{kind}-{role}-{candidate.last_name}``: safe and unique.

Every value is turned into a file-name part with :func:`slug` (``José Ñúñez`` -> ``jose-nunez``,
``王小明`` kept), the whole name is made valid on Windows, macOS and Linux and cut whole (:func:`cut`)
to :data:`STEM_BYTES`, and a name already taken in the batch gets ``-2``, ``-3``, … in row order, so
the same input always gives the same names. :func:`safe_file_name` is the one rule that puts a stem
and a suffix together, for one document and a batch alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from pathvalidate import sanitize_filename

from hrdocs.errors import UsageError

# ------------------------------------------------------------------------------------- the budget

NAME_BYTES = 120
"""The most a file name hrdocs makes may take, in UTF-8 bytes: its stem, counter (``-2``) and suffix.

255 is the limit of one name on ext4, XFS, Btrfs, ZFS and APFS (bytes), NTFS and exFAT (UTF-16 units,
never more than the bytes) and HFS+ (UTF-16 units of the decomposed name, at most 1.5 times the
bytes). The temporary ``.NAME.PID-N.part`` (:func:`hrdocs.output.temporary_name`) adds up to 38 (two
dots, a 10-digit process id, a hyphen, a 20-digit counter, ``.part``): 158 bytes, 237 units on HFS+.
120 also leaves 140 of the 260 characters of a Windows path (``MAX_PATH``) to the folder, and holds
about 40 Chinese or 60 Cyrillic letters: a whole name and a role. ASCII names kept their length."""
SUFFIX_BYTES = 8
"""Kept free for the suffix in every stem, whichever formats are asked for (``.docx``, ``.html`` and
``.json`` take 5): all formats of a document share one stem, and asking for one more renames none."""
STEM_BYTES = NAME_BYTES - SUFFIX_BYTES
"""The most a stem may take, its uniqueness counter included."""

# ------------------------------------------------------------------------------ letters of a name

_LATIN_ASCII = str.maketrans(
    {"ß": "ss", "æ": "ae", "ǣ": "ae", "ǽ": "ae", "ð": "d", "ø": "o", "ǿ": "o", "þ": "th", "đ": "d"}
    | {"ħ": "h", "ı": "i", "ĸ": "q", "ŀ": "l", "ł": "l", "ŉ": "n", "ŋ": "ng", "œ": "oe", "ŧ": "t"}
    | {"ə": "e", "ǝ": "e", "\u00b7": ""}
)
"""The letters of Latin-1 and Latin Extended-A (every European alphabet's) that have no accent to
drop, in ASCII as anyascii 0.3.3 (ISC licence) spells them (``ĸ`` and ``ŉ`` aside), with Azerbaijani
``ə``. The Catalan middle dot (``l·l``) joins a name rather than splitting it.

Neither anyascii (ISC, 2.6 MB of tables) nor text-unidecode (Artistic or GPL v2+) is a dependency:
names outside the Latin script keep their script (see :func:`slug`), so all a library would give is
these twenty letters."""
_MAX_MARKS = 4
"""Accents kept on one letter: no orthography stacks more (Vietnamese two, pointed Hebrew four), and a
letter with fifty ("Zalgo" text) would fill a name alone."""
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Cn"})
"""Controls, invisible format characters (joiners; direction overrides that make ``cod.exe`` read as
``exe.doc``), lone surrogates (undecodable bytes on a command line) and unassigned code points."""
_FLAG_HALVES = "".join(map(chr, range(0x1F1E6, 0x1F200)))
_NOT_WORD = re.compile(r"[^\w]+")
_HYPHENS = re.compile(r"-{2,}")
_TRIM = "-_. "


def slug(text: str, *, max_length: int = 60, max_bytes: int = 80, fallback: str = "document") -> str:
    """A file-name part from any text: ``José Ñúñez`` -> ``jose-nunez``, ``王小明`` kept as is.

    Names stay in their own script. Transliterated (``山田太郎`` -> ``ShanTianTaiLang``, a Chinese
    reading of a Japanese name; ``محمد`` -> ``mhmd``; ``김민준`` -> ``GimMinJun``) they would be lost
    on the one person who reads the folder, and every file system, zip writer and mail program in use
    today takes Unicode names. Latin letters lose their accents (``jose-nunez`` reads as well and
    travels further); a letter of another script keeps its own (``й``, ``ガ``, the vowel signs of
    ``हिन्दी``): they are its spelling. Anything else becomes one hyphen, an invisible character
    nothing, and text with no letter or digit at all (symbols, emoji) gives ``fallback``. At most
    ``max_length`` characters and ``max_bytes`` bytes, so that a role still fits after a long name.
    """
    # ASCII has nothing to decompose: most names (a batch slugs one a letter) take the short way
    cleaned = _NOT_WORD.sub("-", text.lower()).replace("_", "-") if text.isascii() else _letters(text)
    cleaned = cut(_HYPHENS.sub("-", cleaned).strip("-"), max_bytes, max_length).strip("-")
    return _sanitize(cleaned, 255) or fallback


def _letters(text: str) -> str:
    """:func:`slug`'s long way: letters and digits of any script, with the accents they keep."""
    out: list[str] = []
    marks = -1  # accents the last letter may still take; -1: it takes none
    for char in unicodedata.normalize("NFKD", text.lower().translate(_LATIN_ASCII)):
        category = unicodedata.category(char)
        if category[0] == "M":
            if marks > 0:
                out.append(char)
                marks -= 1
        elif category == "Cf":  # invisible: a joiner inside a word leaves the word whole
            continue
        elif char.isalnum():
            out.append(char)
            marks = _MAX_MARKS if char.isalpha() and not _latin(char) else -1
        else:
            out.append("-")
            marks = -1
    return unicodedata.normalize("NFC", "".join(out))


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


# ------------------------------------------------------------------------------- cutting, whole


def cut(text: str, budget: int, chars: int | None = None) -> str:
    """The longest start of ``text`` that takes at most ``budget`` UTF-8 bytes (and ``chars``
    characters), ending where a character as the eye sees it ends: never inside a character's bytes,
    nor between a letter and its accents, the parts of a Hangul syllable, a consonant and its
    conjunct, or the halves of a flag. A single such character longer than the budget is cut inside."""
    limit = len(text) if chars is None else min(len(text), chars)
    if limit == len(text) and (len(text) <= budget if text.isascii() else _size(text) <= budget):
        return text
    data = text[:limit].encode("utf-8", "surrogatepass")[:budget]
    try:
        end = whole = len(data.decode("utf-8", "surrogatepass"))
    except UnicodeDecodeError as exc:  # the budget ends inside a character: up to the one before
        end = whole = len(data[: exc.start].decode("utf-8", "surrogatepass"))
    while end > 0 and not _boundary(text, end):
        end -= 1
    return text[: end or whole]


def _size(text: str) -> int:
    """UTF-8 bytes, counting a lone surrogate as the 3 it would take escaped (it raises when encoded)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _boundary(text: str, at: int) -> bool:
    """Whether ``text[:at]`` ends a grapheme: Unicode's rules (UAX #29) as far as names need them."""
    if at <= 0 or at >= len(text):
        return True
    char, before = text[at], text[at - 1]
    if (
        unicodedata.category(char)[0] == "M"  # an accent, a vowel sign
        or "\u200d" in (char, before)  # an emoji joined to the next
        or "\u1160" <= char <= "\u11ff"  # a Hangul vowel or final
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # a skin tone
        or (unicodedata.combining(before) == 9 and char.isalpha())  # after a virama: one conjunct
    ):
        return False
    if char in _FLAG_HALVES and before in _FLAG_HALVES:  # flags are pairs: an even count before
        return (at - len(text[:at].rstrip(_FLAG_HALVES))) % 2 == 0
    return True


# ------------------------------------------------------------------------ valid on every system

_PLAIN_NAME = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "clock$"] + [f"{p}{n}" for p in ("com", "lpt") for n in "0123456789¹²³"]
)
"""Windows' device names, reserved with any suffix (pathvalidate's list: the digits include ¹²³)."""


def safe_file_name(stem: str, suffix: str) -> str:
    """``stem`` + ``suffix`` as one path component valid on Windows, macOS and Linux, at most
    :data:`NAME_BYTES`: the one rule for every file name hrdocs makes. The suffix is always whole."""
    return safe_stem(stem, NAME_BYTES - max(SUFFIX_BYTES, _size(suffix))) + suffix


def safe_stem(stem: str, budget: int = STEM_BYTES) -> str:
    """``stem`` made the start of a name valid on Windows, macOS and Linux (no ``/``, ``:``, ``CON``,
    invisible characters) with room for any suffix: cut whole to ``budget`` bytes, never empty, hidden
    (a stem starting with a dot gives ``document``) or read as an option (``-a``). A stem it made comes
    back as it is: the name a batch claims is the name every format gets."""
    if _ready(stem, budget):
        return stem  # every stem of a batch once claimed
    if not stem.isprintable():  # pathvalidate keeps what cannot be seen, and fails on a lone surrogate
        stem = "".join(c for c in stem if unicodedata.category(c) not in _INVISIBLE)
    if not stem.isascii():
        stem = unicodedata.normalize("NFC", stem)
    name = _sanitize(cut(stem, 255), 255)  # cut first, whole: pathvalidate cuts through a letter
    if not name.isascii():  # composed again: sanitizing may take away what kept two apart
        name = unicodedata.normalize("NFC", name)
    if not name or name.startswith("."):
        return "document"
    return _sanitize(cut(name.lstrip("-. "), budget).rstrip(_TRIM), 255) or "document"


def _ready(stem: str, budget: int) -> bool:
    """Whether ``stem`` is already what :func:`safe_stem` would make of it."""
    if stem.isascii() and len(stem) <= budget and _PLAIN_NAME.fullmatch(stem):  # the most, the quickest
        return stem[0] != "-" and stem[-1] != "-" and stem.split(".", 1)[0].lower() not in _RESERVED
    if stem[:1] in ("", "-", ".") or stem[-1] in _TRIM or _size(stem) > budget or not stem.isprintable():
        return False
    return (stem.isascii() or unicodedata.is_normalized("NFC", stem)) and _sanitize(stem, 255) == stem


def _sanitize(name: str, max_len: int) -> str:
    """pathvalidate's universal sanitizing, which leaves a plain name (letters and digits of any script
    with their accents, hyphens, inner dots) that is short and reserved nowhere exactly as it is: such
    names skip it, as nearly all of a batch's do (it costs more than the rest of naming a file)."""
    if name.isascii():
        plain = len(name) <= max_len and _PLAIN_NAME.fullmatch(name) is not None
    else:
        plain = _size(name) <= max_len and _plain(name)
    if plain and name.split(".", 1)[0].lower() not in _RESERVED:
        return name
    return sanitize_filename(name, platform="universal", max_len=max_len)


def _plain(name: str) -> bool:
    if name[0] == "." or name[-1] == "." or ".." in name:
        return False
    letters = name.replace("-", "").replace("_", "").replace(".", "")
    return letters.isalnum() or all(c.isalnum() or unicodedata.category(c)[0] == "M" for c in letters)


# ------------------------------------------------------------------------ patterns and uniqueness

FIELDS = (
    "kind",
    "role",
    "title",
    "department",
    "candidate",
    "candidate.name",
    "candidate.first_name",
    "candidate.last_name",
    "candidate.preferred_name",
    "stage",
    "date",
    "start",
    "location",
    "roles",
    "file",
    "row",
)
"""What every pattern may use; a kind's own fields may be used too (see :class:`NamePattern`)."""
_MAX_STEM = 100
"""Characters of a stem before its counter: long enough for any name and role, short enough to read."""
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class NamePattern:
    def __init__(self, pattern: str, allowed: Sequence[str] = ()) -> None:
        known = (*FIELDS, *(a for a in allowed if a not in FIELDS))
        self.pattern = pattern
        self.parts: list[tuple[bool, str]] = []
        """(is a field, text) in order."""
        pos = 0
        for match in _PLACEHOLDER.finditer(pattern):
            self.parts.append((False, pattern[pos : match.start()]))
            name = match.group(1).strip()
            if name not in known:
                raise UsageError(
                    f"--name {pattern!r}: unknown field {{{name}}}",
                    hint="use " + ", ".join(f"{{{f}}}" for f in known),
                )
            self.parts.append((True, name))
            pos = match.end()
        rest = pattern[pos:]
        if "{" in rest or "}" in rest:
            raise UsageError(f"--name {pattern!r}: unbalanced {{ or }}")
        self.parts.append((False, rest))
        if "/" in pattern or "\\" in pattern:
            raise UsageError(f"--name {pattern!r}: a name, not a path (use --out for the folder)")

        self._slugs: dict[str, str] = {}

    def stem(self, values: Mapping[str, str]) -> str:
        """The file name, without counter or suffix, of a document with these values. A value given
        but with no letter or digit (symbols, emoji) is ``document``, or in a batch its row
        (``row-7``), which says where to look; a name left with nothing is the kind's."""
        row = values.get("row")
        unnamed = f"row-{row}" if row else "document"
        out = []
        for is_field, text in self.parts:
            if is_field:
                value = values.get(text, "")
                out.append(self._slug(value) or (unnamed if value.strip() else ""))
            else:
                out.append(text)
        stem = _HYPHENS.sub("-", "".join(out)).strip(_TRIM)
        stem = cut(stem, STEM_BYTES, _MAX_STEM).rstrip(_TRIM)
        kind = self._slug(values.get("kind", ""))
        return stem or (f"{kind}-{unnamed}" if kind and row else kind or unnamed)

    def _slug(self, value: str) -> str:
        """Roles, kinds and dates repeat from row to row: each is made safe once."""
        if not value:
            return ""
        found = self._slugs.get(value)
        if found is None:
            if len(self._slugs) > 4096:
                self._slugs.clear()
            found = self._slugs[value] = slug(value, fallback="")
        return found


class UniqueNames:
    """Hands out file-name stems in row order; a stem taken (in any letter case) gets the next number.

    Every format of a document shares its stem (``offer-jane-doe.docx``, ``offer-jane-doe.pdf``): a
    stem leaves room for any suffix (:data:`hrdocs.output.SUFFIX_BYTES`), and a counter is made room
    for by cutting the stem, never by losing the counter. It always ends: the counters ``-N`` differ
    in their last characters, so each number gives a name no other number gives, and at most as many
    numbers are tried as names were taken; each stem remembers its next number, so a batch of 100,000
    rows with one name costs 100,000 tries, not five billion."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}
        """A stem taken more than once (its key) -> the number its next claim tries first."""

    def claim(self, stem: str) -> str:
        name = base = safe_stem(stem)
        key = base_key = _key(name)
        if key in self._used:
            number = self._next.get(base_key, 2)
            while key in self._used:
                tail = f"-{number}"
                name = safe_stem(cut(base, STEM_BYTES - len(tail)).rstrip(_TRIM) + tail)
                key = _key(name)
                number += 1
            self._next[base_key] = number
        if key == name:
            name = key  # one string for both: a batch of 100,000 names costs their memory once
        self._used.add(key)
        return name


def _key(name: str) -> str:
    """What makes two names one on a case-insensitive file system (Windows, macOS): letter case, and
    on macOS composed or decomposed accents too."""
    if name.isascii():
        return name.lower()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())

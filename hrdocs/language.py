"""The languages documents are written in: their Babel locale, salutations, sign-offs and titles.

A document's language is the candidate's (or the posting's readers'), not the company's: ``voice.locale``
says how the company writes numbers at home, ``voice.language`` which language its documents use by
default, and ``--language`` (a ``language`` column in a batch) changes it for one document. Dates and
money in a document come from Babel in the document's language, so an English letter of a Berlin
company says "February 1, 2027", never "1. Februar 2027" (:func:`format_locale`).

Salutations follow each language's own conventions (sources in docs/languages.md and
``/work/shared/reference/intl-letters.md``): a title and the family name where the language expects
them for a formal letter, and a gender-neutral form with the full name when no ``honorific`` is given.
A gender is never guessed from a name: only the honorific the data gives decides "Sehr geehrte Frau"
or "Sehr geehrter Herr".

This module is data and small functions on the models floor: the fields, the settings and the
template step all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from babel import Locale
from pydantic import BeforeValidator

from hrdocs.errors import UsageError
from hrdocs.fields import Field

PRIMARY = "en"
"""The language of the built-in templates in ``templates/`` itself; variants live in ``templates/TAG/``."""


class Gender(StrEnum):
    """What an honorific says, and nothing more: never derived from a name."""

    FEMALE = "f"
    MALE = "m"
    NONE = "x"
    """No gendered title: Mx, or none at all."""


@dataclass(frozen=True)
class Honorific:
    gender: Gender
    doctor: bool = False


HONORIFICS: dict[str, Honorific] = {
    "ms": Honorific(Gender.FEMALE),
    "mr": Honorific(Gender.MALE),
    "mx": Honorific(Gender.NONE),
    "dr": Honorific(Gender.NONE, doctor=True),
    "none": Honorific(Gender.NONE),
    "frau": Honorific(Gender.FEMALE),
    "herr": Honorific(Gender.MALE),
    "madame": Honorific(Gender.FEMALE),
    "monsieur": Honorific(Gender.MALE),
    "sra": Honorific(Gender.FEMALE),
    "sr": Honorific(Gender.MALE),
    "mevrouw": Honorific(Gender.FEMALE),
    "meneer": Honorific(Gender.MALE),
}
"""The ``honorific`` field's values: English titles, ``none``, and each language's own forms, which
mean the same in every language (``Frau`` in an English letter reads "Ms")."""
_HONORIFIC_ALIASES = {
    "mrs": "ms", "miss": "ms", "mme": "madame", "m": "monsieur", "señora": "sra", "senora": "sra",
    "señor": "sr", "senor": "sr", "heer": "meneer", "mevr": "mevrouw", "dhr": "meneer", "doctor": "dr",
    "-": "none", "": "none",
}  # fmt: skip


def parse_honorific(value: Any) -> Any:
    """``Ms.``, ``frau``, ``Mme`` -> the canonical key; anything else a field problem listing them."""
    if not isinstance(value, str):
        return value
    key = value.strip().lower().rstrip(".").strip()
    key = _HONORIFIC_ALIASES.get(key, key)
    if key not in HONORIFICS:
        raise ValueError(f"unknown honorific (choose from {', '.join(HONORIFICS)})")
    return key


HonorificChoice = Annotated[str, BeforeValidator(parse_honorific)]


@dataclass(frozen=True)
class Letters:
    """One language's conventions for letters (salutation and sign-off per tone)."""

    titles: dict[Gender, str]
    """The title printed before the family name, by gender (no entry: none in this language)."""
    doctor: str
    formal: dict[Gender, str]
    """The formal salutation with a title, by the title's gender; ``{title}``, ``{family}``."""
    neutral: str
    """The formal salutation without a (gendered) title: ``{name}`` is the full name."""
    warm: str
    """Warm and plain tones: ``{given}`` is the preferred or first name."""
    plain: str
    stop: str
    """What ends the salutation line: ``,`` or ``:``."""
    closing: dict[str, str]
    """Sign-off by tone (``formal``, ``warm``, ``plain``)."""
    capital_after: bool = True
    """Whether the letter's first sentence starts with a capital after the salutation."""
    casual_stop: str | None = None
    """What ends a warm or plain salutation, where it differs (US English: "Dear Jane,")."""
    warm_titled: str | None = None
    """Warm tone with an honorific, in languages where a first name alone is too familiar for a letter
    to a candidate (German, French): ``{title} {family}``."""


@dataclass(frozen=True)
class Language:
    tag: str
    """``de``, ``en-GB``: the folder of its templates and the HTML ``lang``."""
    name: str
    locale: str
    """The Babel locale its dates and money use when the company's locale is of another language."""
    letters: Letters
    aliases: tuple[str, ...] = field(default=())

    @property
    def language(self) -> str:
        """The language without a region: ``en`` for ``en-GB``."""
        return self.tag.split("-")[0]


_F, _M, _X = Gender.FEMALE, Gender.MALE, Gender.NONE
LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        Language("en", "English (US)", "en_US", Letters(
            titles={_F: "Ms.", _M: "Mr.", _X: "Mx."}, doctor="Dr.",
            formal={_F: "Dear {title} {family}", _M: "Dear {title} {family}", _X: "Dear {title} {family}"},
            neutral="Dear {name}", warm="Dear {given}", plain="Hello {given}", stop=":", casual_stop=",",
            closing={"formal": "Sincerely,", "warm": "Warm regards,", "plain": "Best,"},
        ), ("en-us",)),
        Language("en-GB", "English (UK)", "en_GB", Letters(
            titles={_F: "Ms", _M: "Mr", _X: "Mx"}, doctor="Dr",
            formal={_F: "Dear {title} {family}", _M: "Dear {title} {family}", _X: "Dear {title} {family}"},
            neutral="Dear {name}", warm="Dear {given}", plain="Hello {given}", stop=",",
            closing={"formal": "Yours sincerely,", "warm": "Kind regards,", "plain": "Best wishes,"},
        ), ("en-uk",)),
        Language("de", "German", "de_DE", Letters(
            titles={_F: "Frau", _M: "Herr"}, doctor="Dr.",
            formal={_F: "Sehr geehrte {title} {family}", _M: "Sehr geehrter {title} {family}"},
            neutral="Guten Tag {name}", warm="Guten Tag {given}", plain="Hallo {given}", stop=",",
            warm_titled="Guten Tag {title} {family}",
            closing={"formal": "Mit freundlichen Grüßen", "warm": "Herzliche Grüße", "plain": "Viele Grüße"},
            capital_after=False,
        ), ("de-de",)),
        Language("fr", "French", "fr_FR", Letters(
            titles={_F: "Madame", _M: "Monsieur"}, doctor="",
            formal={_F: "{title}", _M: "{title}"},
            neutral="Bonjour {name}", warm="Bonjour {given}", plain="Bonjour {given}", stop=",",
            warm_titled="Bonjour {title} {family}",
            closing={
                "formal": "Veuillez agréer, {address}, l'expression de nos salutations distinguées.",
                "warm": "Bien cordialement,", "plain": "Cordialement,",
            },
        ), ("fr-fr",)),
        Language("es", "Spanish", "es_ES", Letters(
            titles={_F: "Sra.", _M: "Sr."}, doctor="",
            formal={_F: "Estimada {title} {family}", _M: "Estimado {title} {family}"},
            neutral="Buenos días, {name}", warm="Hola, {given}", plain="Hola, {given}", stop=":",
            closing={"formal": "Atentamente,", "warm": "Un cordial saludo,", "plain": "Un saludo,"},
        ), ("es-es",)),
        Language("nl", "Dutch", "nl_NL", Letters(
            titles={_F: "mevrouw", _M: "heer"}, doctor="dr.",
            formal={_F: "Geachte {title} {family}", _M: "Geachte {title} {family}"},
            neutral="Geachte {name}", warm="Beste {given}", plain="Beste {given}", stop=",",
            closing={"formal": "Met vriendelijke groet,", "warm": "Hartelijke groet,", "plain": "Groeten,"},
        ), ("nl-nl",)),
    )
}  # fmt: skip
"""Every language with built-in templates. Sources for each convention: docs/languages.md."""
_BY_ALIAS = {alias: tag for tag, lang in LANGUAGES.items() for alias in (tag.lower(), *lang.aliases)}


def available() -> str:
    return ", ".join(LANGUAGES)


def language_tag(value: str) -> str | None:
    """``de``, ``de_DE``, ``en-gb`` -> the tag; ``None`` for a language without templates."""
    return _BY_ALIAS.get(value.strip().replace("_", "-").lower())


def parse_language(value: Any) -> Any:
    """The ``language`` field's parser: a known tag, or a problem listing the known ones."""
    if not isinstance(value, str):
        return value
    tag = language_tag(value)
    if tag is None:
        raise ValueError(f"unknown language (available: {available()})")
    return tag


LanguageChoice = Annotated[str, BeforeValidator(parse_language)]


def get(tag: str) -> Language:
    """The language called ``tag``; a usage error listing the available ones otherwise."""
    found = language_tag(tag)
    if found is None:
        raise UsageError(f"unknown language {tag!r}", hint=f"available languages: {available()}")
    return LANGUAGES[found]


def default_language(language: str | None) -> str:
    """The documents' language when none is asked for: ``voice.language``, else US English. Never
    taken from the locale: the language is the reader's, which the company's locale does not tell (a
    British company sets ``voice.language: en-GB``)."""
    return get(language).tag if language else PRIMARY


def format_locale(language: Language, locale: str) -> str:
    """The Babel locale for dates and money in a document of ``language``: the company's locale when
    it is of that language (``de_AT`` for German keeps Austria's forms), else the language's own. So
    a German letter of a US company says "1. Februar 2027" and an English one of a German company
    "February 1, 2027"; the currency stays the company's (or the pay range's)."""
    if "-" in language.tag:  # a regional variant (en-GB) has its own forms
        return language.locale
    own = Locale.parse(locale.replace("-", "_"))
    return str(own) if own.language == language.language else language.locale


# ------------------------------------------------------------------------------------ names
PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "del", "della", "di", "da", "das", "dos", "du", "des", "la", "le",
     "ter", "ten", "zu", "zum", "zur", "'t", "op", "af"}
)  # fmt: skip
"""Lower-case words that belong to the family name when they stand before its last word: "Ludwig van
Beethoven" is Mr van Beethoven, "Charles de Gaulle" Monsieur de Gaulle."""


def family_name(name: str, last_name: str | None = None) -> str:
    """The family name a formal salutation uses: ``last_name`` when the data gives it (always right:
    two Spanish surnames, a name written family name first); else the last word of the full name
    with the lower-case particles before it."""
    if last_name:
        return last_name.strip()
    words = name.split()
    if not words:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def salutation(
    tag: str,
    tone: str,
    *,
    name: str,
    given: str,
    family: str,
    honorific: str | None,
) -> str:
    """The salutation line, with its closing punctuation, for ``tone`` in language ``tag``.

    Formal: title and family name where the honorific gives a title this language has; otherwise the
    neutral form with the full name ("Guten Tag Siobhán O'Connor,"). Warm and plain: the given name
    (in German and French, a warm letter with an honorific keeps title and family name).
    """
    lang = get(tag)
    letters = lang.letters
    honour = HONORIFICS.get(honorific or "none", HONORIFICS["none"])
    title = letters.titles.get(honour.gender) if honorific not in (None, "none") else None
    if honour.doctor:
        title = letters.doctor or None
    if tone != "formal":
        stop = letters.casual_stop or letters.stop
        if tone == "warm" and title and letters.warm_titled and honour.gender is not Gender.NONE:
            return letters.warm_titled.format(title=title, family=family) + stop
        return (letters.plain if tone == "plain" else letters.warm).format(given=given) + stop
    template = letters.formal.get(honour.gender) if title else None
    if title and template is None:  # a title without a gendered greeting (de "Dr."): neutral, titled
        line = letters.neutral.format(name=f"{title} {family}")
    elif title and template:
        if lang.language == "nl" and family[:1].islower():
            family = family[:1].upper() + family[1:]  # "Geachte heer Van der Aa" (taaladvies.net)
        line = template.format(title=title, family=family)
    else:
        line = letters.neutral.format(name=name)
    return line + letters.stop


def closing(tag: str, tone: str, honorific: str | None = None) -> str:
    """The sign-off for ``tone`` (``voice.sign_off`` replaces it in every language). A formal French
    letter ends on the full formula, which repeats the salutation's "Madame" or "Monsieur" (or none
    of them after a neutral "Bonjour Prénom Nom")."""
    text = get(tag).letters.closing.get(tone) or get(tag).letters.closing["formal"]
    if "{address}" in text:
        honour = HONORIFICS.get(honorific or "none", HONORIFICS["none"])
        title = get(tag).letters.titles.get(honour.gender) if honorific not in (None, "none") else None
        text = text.replace(", {address}," if title is None else "{address}", "" if title is None else title)
    return text


# --------------------------------------------------------------------------- posting titles
_INCLUSIVE_DE = re.compile(
    r"\(\s*[mwfdxi]\s*/\s*[mwfdxi]\s*(?:/\s*[mwfdxi]\s*)?\)|\b[a-z]/[a-z]/[a-z]\b", re.I
)


def inclusive_title(tag: str, title: str) -> str:
    """A posting's title with the inclusive form its language expects: German "(m/w/d)" (AGG §§ 1, 11,
    practice after BVerfG 1 BvR 2019/16), added when the title has no such mark yet. French titles
    are written épicène or in the double form in the role's translation itself (a mark tacked onto a
    gendered title is what the Pôle emploi guide calls discriminatory), so they are left as written."""
    if get(tag).language == "de" and not _INCLUSIVE_DE.search(title):
        return f"{title} (m/w/d)"
    return title


# ----------------------------------------------------------------------------------- the field
LANGUAGE = "language"
"""The field's name, and the key of a document's ``meta`` that says its language."""
LANGUAGE_FIELD = Field(
    LANGUAGE,
    "choice",
    "The document's language (default: voice.language, else en): " + ", ".join(LANGUAGES) + ".",
    "de",
    "lang document_language letter_language candidate_language preferred_language",
    choices=tuple(LANGUAGES),
    parser=LanguageChoice,
)
"""Declared once: every kind written in several languages takes it (an option, a batch column)."""


def html_lang(tag: str) -> str:
    """The HTML ``lang`` of a document in ``tag``: the language's own tag, ``en-US`` for US English."""
    return "en-US" if tag == PRIMARY else tag


# ------------------------------------------------------------------------- words in the data
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "year": "per year", "month": "per month", "week": "per week", "day": "per day", "hour": "per hour",
        "full-time": "Full-time", "part-time": "Part-time", "contract": "Contract",
        "temporary": "Temporary", "intern": "Intern",
        "remote": "Remote", "on-site": "On site", "on-site-or-remote": "On site or remote",
    },
    "de": {
        "year": "pro Jahr", "month": "pro Monat", "week": "pro Woche", "day": "pro Tag", "hour": "pro Stunde",
        "full-time": "Vollzeit", "part-time": "Teilzeit", "contract": "Werkvertrag / freie Mitarbeit",
        "temporary": "Befristet", "intern": "Praktikum",
        "remote": "Remote", "on-site": "Vor Ort", "on-site-or-remote": "Vor Ort oder remote",
    },
    "fr": {
        "year": "par an", "month": "par mois", "week": "par semaine", "day": "par jour", "hour": "de l'heure",
        "full-time": "Temps plein", "part-time": "Temps partiel", "contract": "Prestation indépendante",
        "temporary": "Contrat à durée déterminée", "intern": "Stage",
        "remote": "Télétravail", "on-site": "Sur site", "on-site-or-remote": "Sur site ou en télétravail",
    },
    "es": {
        "year": "al año", "month": "al mes", "week": "a la semana", "day": "al día", "hour": "por hora",
        "full-time": "Jornada completa", "part-time": "Jornada parcial", "contract": "Colaboración autónoma",
        "temporary": "Contrato temporal", "intern": "Prácticas",
        "remote": "En remoto", "on-site": "Presencial", "on-site-or-remote": "Presencial o en remoto",
    },
    "nl": {
        "year": "per jaar", "month": "per maand", "week": "per week", "day": "per dag", "hour": "per uur",
        "full-time": "Voltijd", "part-time": "Deeltijd", "contract": "Freelance / opdracht",
        "temporary": "Tijdelijk contract", "intern": "Stage",
        "remote": "Op afstand", "on-site": "Op locatie", "on-site-or-remote": "Op locatie of op afstand",
    },
}  # fmt: skip
"""The words hrdocs itself puts into template data (a pay range's period, the employment type, where
the work is), by language without region (``en-GB`` shares ``en``'s)."""


def word(tag: str, key: str) -> str:
    return WORDS[get(tag).language][key]


def prose_date(text: str, day: int, locale: str) -> str:
    """A date as Babel writes it, with the French ordinal for the first of the month: "le 1er août
    2026" (question-orthographe.fr), which Babel's patterns do not give."""
    if day == 1 and locale.startswith("fr"):
        return re.sub(r"(?<!\d)1(?= )", "1er", text, count=1)
    return text

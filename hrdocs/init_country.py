"""``hrdocs init --country GB``: a new workspace that fits the country its people work in.

The starter ``hrdocs.yaml`` is the US example company. For another country the workspace gets that
country's voice (a locale of the country, its currency, A4 paper, dates as the locale writes them),
``company.country``, no at-will statement, the built-in (US) roles hidden (``catalogue.builtin:
false``) and one example role of its own without an FLSA status, and a jurisdiction pack of the
workspace's own whose ``defaults`` give every item the country's pack requires an example value
(the company's notice period, hours and holiday): replace them with the company's real terms.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml
from babel import Locale

from hrdocs import places
from hrdocs.errors import UsageError
from hrdocs.jurisdiction import Packs
from hrdocs.language import language_tag
from hrdocs.workspace import Workspace

EXAMPLE_DEFAULTS = {
    "notice_period": "1 month",
    "hours_per_week": 40,
    "working_days": "Monday to Friday",
    "sick_pay": "as set out in our sickness absence policy, which you receive on your first day",
    "pension": "our workplace pension scheme, with an employer contribution of 5% of your salary",
}
"""Example terms for the items a pack requires; the workspace's pack says to replace them."""

ROLE = """\
# An example role of this workspace (the built-in roles are US ones and hidden: catalogue.builtin).
# Copy it for each of your roles; docs/roles.md has every key.
id: hr-generalist
title: HR Generalist
aliases: [generalist]
department: Human Resources
level: Mid-level
employment_type: full-time
summary: >-
  The HR Generalist runs the day-to-day work of HR and is the first point of contact for employees
  and managers, keeping records, documents and policies in order.
duties:
  hr-operations:
    - Onboards new employees to HR systems and offboards departing employees from them.
    - Prepares job descriptions, offer letters and rejection letters.
    - Maintains accurate and complete employee records.
  employee-relations:
    - Answers policy questions from employees and managers.
qualifications:
  required:
    - Three or more years of HR experience across several HR functions.
    - Working knowledge of the employment law of {name}.
locations:
  - "{city}, {country}"
"""

ROLE_TRANSLATIONS: dict[str, dict[str, object]] = {
    "de": {
        "title": "HR Generalist", "department": "Personal", "level": "Mit Berufserfahrung",
        "summary": "Als HR Generalist verantworten Sie das Tagesgeschäft der Personalabteilung und sind "
        "erste Ansprechperson für Beschäftigte und Führungskräfte. Sie halten Personalakten, Dokumente "
        "und Richtlinien auf dem aktuellen Stand.",
        "duties": {
            "hr-operations": [
                "Richtet neue Beschäftigte in den HR-Systemen ein und meldet ausscheidende Beschäftigte ab.",
                "Erstellt Stellenbeschreibungen, Vertragsangebote und Absageschreiben.",
                "Führt die Personalakten genau und vollständig.",
            ],
            "employee-relations": [
                "Beantwortet Fragen von Beschäftigten und Führungskräften zu den Richtlinien."
            ],
        },
        "qualifications": {"required": [
            "Mindestens drei Jahre Berufserfahrung in mehreren Bereichen des Personalwesens.",
            "Gute Kenntnisse des örtlichen Arbeitsrechts ({name}).",
        ]},
    },
    "fr": {
        "title": "Généraliste RH", "department": "Ressources humaines", "level": "Confirmé·e",
        "summary": "Le ou la Généraliste RH assure la gestion quotidienne des ressources humaines et "
        "constitue le premier point de contact des salariés et des managers. Ce poste tient à jour les "
        "dossiers, les documents et les politiques RH.",
        "duties": {
            "hr-operations": [
                "Intègre les nouveaux salariés dans les outils RH et gère les départs.",
                "Rédige les fiches de poste, les propositions d'embauche et les réponses négatives "
                "aux candidatures.",
                "Tient les dossiers du personnel à jour et complets.",
            ],
            "employee-relations": [
                "Répond aux questions des salariés et des managers sur les politiques de l'entreprise."
            ],
        },
        "qualifications": {"required": [
            "Au moins trois ans d'expérience RH couvrant plusieurs domaines.",
            "Bonne connaissance du droit du travail local ({name}).",
        ]},
    },
    "es": {
        "title": "Generalista de RR. HH.", "department": "Recursos Humanos", "level": "Nivel intermedio",
        "summary": "La persona Generalista de RR. HH. gestiona el día a día del departamento de Recursos "
        "Humanos y es el primer punto de contacto para la plantilla y los mandos. Mantiene al día los "
        "expedientes, los documentos y las políticas.",
        "duties": {
            "hr-operations": [
                "Da de alta a las nuevas incorporaciones en los sistemas de RR. HH. y de baja a quienes "
                "se marchan.",
                "Redacta descripciones de puesto, cartas de oferta y cartas de respuesta negativa.",
                "Mantiene los expedientes del personal completos y exactos.",
            ],
            "employee-relations": ["Resuelve las dudas de la plantilla y de los mandos sobre las políticas."],
        },
        "qualifications": {"required": [
            "Al menos tres años de experiencia en varias áreas de RR. HH.",
            "Buen conocimiento del derecho laboral local ({name}).",
        ]},
    },
    "nl": {
        "title": "HR-generalist", "department": "HR", "level": "Medior",
        "summary": "De HR-generalist verzorgt het dagelijkse HR-werk en is het eerste aanspreekpunt voor "
        "medewerkers en leidinggevenden. In deze functie houd je dossiers, documenten en beleid op orde.",
        "duties": {
            "hr-operations": [
                "Zet nieuwe medewerkers in de HR-systemen en meldt vertrekkende medewerkers af.",
                "Stelt functiebeschrijvingen, aanbiedingsbrieven en afwijzingsbrieven op.",
                "Houdt de personeelsdossiers nauwkeurig en volledig bij.",
            ],
            "employee-relations": ["Beantwoordt beleidsvragen van medewerkers en leidinggevenden."],
        },
        "qualifications": {"required": [
            "Minimaal drie jaar HR-ervaring in meerdere HR-vakgebieden.",
            "Goede kennis van het lokale arbeidsrecht ({name}).",
        ]},
    },
}  # fmt: skip
"""The example role in the languages with built-in letters, taken from the built-in HR Generalist's
translations: a workspace whose ``voice.language`` is one of them gets its own in the role file, as a
German document prints only the role's German text (docs/languages.md)."""


def _role(country: str, language: str | None, city: str) -> str:
    name = Locale("en").territories.get(country, country)
    text = ROLE.format(name=name, city=city, country=name)
    base = (language or "en").split("-")[0]
    if base not in ROLE_TRANSLATIONS:
        return text
    own = Locale(base).territories.get(country, name)
    translated: Any = copy.deepcopy(ROLE_TRANSLATIONS[base])
    translated["qualifications"]["required"] = [
        line.format(name=own) for line in translated["qualifications"]["required"]
    ]
    body = yaml.safe_dump({"translations": {base: translated}}, allow_unicode=True, sort_keys=False)
    return text + "# The role's text in the documents' language (voice.language; docs/languages.md).\n" + body


def country_of(country: str | None, locale: str | None) -> str | None:
    """The country asked for: ``--country``, else the territory of ``--locale``; refused when unknown."""
    if locale is not None and places.locale_problem(locale) is not None:
        raise UsageError(f"--locale: {places.locale_problem(locale)}")
    if country is None:
        return places.home_country(locale) if locale else None
    code = places.country_code(country)
    if code is None or places.country_problem(code) is not None:
        raise UsageError(f"--country: `{country}` is not a country code", hint="write it like GB, DE, CA")
    return code


def _locale_for(country: str, locale: str | None) -> str:
    if locale:
        return locale
    first = "en" if country in ENGLISH_AT_WORK else _language(country)
    for candidate in (f"{first}_{country}", f"en_{country}"):
        if places.home_country(candidate) == country and places.locale_problem(candidate) is None:
            return candidate
    return "en_US"


ENGLISH_AT_WORK = frozenset({"IN"})
"""Countries whose CLDR main language (Hindi for India) is not the usual language of HR letters there."""


LANGUAGE_OF = {"GB": "en-GB", "IE": "en-GB", "AU": "en-GB", "DE": "de", "FR": "fr", "ES": "es",
               "NL": "nl", "CA": "en"}  # fmt: skip
"""The documents' language (``voice.language``) init writes for a country with a built-in variant of
its letters. Ireland and Australia get British English: their salutations and sign-offs are "as UK"
in the reference (/work/shared/reference/intl-letters.md, marked NOT VERIFIED), so it is only the
starting value, a setting to change; Canada gets US English (the reference: "a UK/US mix", NOT
VERIFIED), or French with a French locale (``--locale fr_CA``, as in Quebec)."""


def voice_language(country: str, locale: str) -> str | None:
    """The ``voice.language`` for a workspace in ``country`` writing for ``locale``: the country's
    own (:data:`LANGUAGE_OF`) when the locale is of that language, else the locale's language when
    hrdocs has letters in it; ``None`` (US English, the default) otherwise."""
    spoken = locale.replace("-", "_").split("_")[0].lower()
    own = LANGUAGE_OF.get(country)
    if own is not None and own.split("-")[0] == spoken:
        return own
    found = language_tag(spoken)
    return found if found is not None and found != "en" else None


def _language(country: str) -> str:
    from babel.core import get_global

    return str(get_global("likely_subtags").get(f"und_{country}", "en").split("_")[0])


def _capital(country: str) -> str:
    cities = {"GB": "London", "DE": "Berlin", "FR": "Paris", "NL": "Amsterdam", "ES": "Madrid",
              "IE": "Dublin", "CA": "Toronto", "AU": "Sydney", "IN": "Mumbai", "US": "Denver"}  # fmt: skip
    return cities.get(country, "Capital City")


def country_files(starter: str, country: str, locale: str | None) -> dict[str, str]:
    """The files that differ from the US starter: ``hrdocs.yaml``, an example role, a pack."""
    chosen = _locale_for(country, locale)
    currency = places.territory_currency(country) or "USD"
    city = _capital(country)
    name = Locale("en").territories.get(country, country)
    language = voice_language(country, chosen)
    settings = _settings(starter, country, chosen, currency, city, language)
    out = {"hrdocs.yaml": settings}
    if country == "US":
        return out
    out["roles/hr-generalist.yaml"] = _role(country, language, city)
    pack = Packs(Workspace.at(".")).for_place(country)
    defaults: dict[str, object] = {}
    for item in pack.required:
        if item.when == "always" and item.field in EXAMPLE_DEFAULTS:
            defaults[item.field] = EXAMPLE_DEFAULTS[item.field]
        elif item.when == "always" and item.field == "holiday_days":
            least = [lim.min for lim in pack.limits if lim.field == "holiday_days" and lim.min is not None]
            defaults[item.field] = int(max(least)) if least else 25
    body = yaml.safe_dump({"defaults": defaults}, allow_unicode=True, sort_keys=False) if defaults else ""
    out[f"jurisdictions/{country}.yaml"] = (
        f"# Your terms for offers in {name}, merged over hrdocs' built-in pack for {country}\n"
        "# (docs/international.md). These are EXAMPLE values: replace each with your company's own.\n"
        "# A letter's own value wins over these; an item left out here must be given per letter.\n" + body
    )
    return out


def _settings(starter: str, country: str, locale: str, currency: str, city: str, language: str | None) -> str:
    text = starter
    replacements = [
        ("    - Denver, CO 80202\n", f"    - {city}\n"),
        ("  phone: +1 303 555 0100\n", "  #phone: +00 000 000 000\n"),
        (
            "    - 401(k) plan with a 4% company match\n",
            "    - Life assurance of four times your salary\n",
        ),
        (
            "    - Medical, dental and vision insurance, with 90% of premiums paid by the company\n",
            "    - Private medical insurance\n",
        ),
        ("    - A yearly learning budget of $1,500\n", "    - A yearly learning budget\n"),
        ("250 people works from Denver, New York and home,", f"250 people works from {city} and home,"),
        ("  locale: en_US ", f"  locale: {locale} "),
        ("  currency: USD ", f"  currency: {currency} "),
        ("  legal_name: Example Company, Inc. ", "  legal_name: Example Company Ltd "),
    ]
    if country != "US":
        replacements += [
            ("    size: letter ", "    size: a4     "),
            ("  at_will: true  ", "  at_will: false "),
            ("    - 20 days of paid time off plus 10 company holidays\n", ""),
            ("    - 16 weeks of paid parental leave\n", "    - Enhanced parental leave\n"),
        ]
    for old, new in replacements:
        if old in text:
            text = text.replace(old, new, 1)
    text = re.sub(
        r"(?m)^  #country: US( +)",
        lambda m: f"  country: {country}" + " " * max(1, len(m[1]) + 2 - len(country)),
        text,
    )
    if language is not None:
        text = re.sub(
            r"(?m)^  #language: en( +)",
            lambda m: f"  language: {language}" + " " * max(1, len(m[1]) + 1 - len(language) + 2),
            text,
        )
    if language not in (None, "en"):  # the language's own closing ("Mit freundlichen Grüßen"), by tone
        text = text.replace("  sign_off: Warm regards,  ", "  #sign_off: Warm regards, ", 1)
    if country != "US":
        text = text.replace("#catalogue:\n  #builtin: true  ", "catalogue:\n  builtin: false  ", 1)
    return text

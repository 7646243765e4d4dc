"""One document's language, applied to its template data: the step between prepare and render.

Every kind that takes a ``language`` field (job descriptions, postings, offers, denials, and the
workspace kinds ``like`` them) goes through :func:`localize` in :func:`hrdocs.pipeline.produce`. It
decides the language (the field, else ``voice.language``, else ``en``), names the template of that
language (``de/denial-letter``: see :mod:`hrdocs.templates`), and puts into the data what the
template must not have to know:

- ``language``: ``tag``, ``name`` and the Babel ``locale`` the ``date`` and ``money`` filters use;
- the role in that language (:func:`hrdocs.translations.translated`: refused when any text is missing),
  its pay range and employment type in words of that language;
- the company's ``about``, ``benefits`` and ``eeo_statement`` from ``company.translations``, left out
  with a warning where there is none (never printed in English in a German document);
- a posting's places and work arrangement in that language, and a German posting's title with
  "(m/w/d)" (:func:`hrdocs.language.inclusive_title`);
- a letter's ``letter.salutation`` and ``letter.closing``, from the honorific, tone and language.

The kinds' own prepare steps stay as they are: English data in, the document's language out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from babel import Locale

from hrdocs.context import View, layered, role_view
from hrdocs.formatting import money
from hrdocs.language import (
    LANGUAGE,
    PRIMARY,
    Language,
    closing,
    default_language,
    family_name,
    format_locale,
    get,
    inclusive_title,
    salutation,
    word,
)
from hrdocs.session import per_session
from hrdocs.translations import translated
from hrdocs.writers import jsonld

if TYPE_CHECKING:
    from hrdocs.catalogue import Role
    from hrdocs.kinds.base import Kind, Prepared
    from hrdocs.kinds.letter import DenialInput, OfferInput
    from hrdocs.session import Session


class _Cache:
    """Per session: the roles' views by language, and the warnings already given."""

    def __init__(self, session: Session) -> None:
        self.views: dict[tuple[str, str], tuple[View, View]] = {}
        self.warned: set[tuple[str, str]] = set()


_cache = per_session(_Cache)


def language_of(session: Session, kind: Kind, prepared: Prepared) -> Language | None:
    """The document's language; ``None`` for a kind written in one language only (a comparison)."""
    if kind.field(LANGUAGE) is None:
        return None
    given = prepared.meta.get(LANGUAGE)
    place = prepared.context.get("jurisdiction")
    first = place.get("language_first") if isinstance(place, View) else None
    if first:  # Quebec: the law, not the company's default, says which language comes first
        if not given:
            return get(first)
        if get(given).language != get(first).language:
            law = place.get("language_law") or "the work location's language law"
            prepared.warnings.append(
                f"an offer for work in {place.get('code')} is due in {get(first).name} first ({law}); "
                f"this one is in {get(given).name}: keep the candidate's express request for it on file"
            )
    return get(given or default_language(session.config.settings.voice.language))


def template_for(kind: Kind, language: Language | None) -> str:
    """The template's name for the document: ``de/denial-letter`` for German, the kind's own for ``en``."""
    if language is None or language.tag == PRIMARY:
        return kind.template_name
    return f"{language.tag}/{kind.template_name}"


def localize(session: Session, kind: Kind, prepared: Prepared) -> str:
    """Apply the document's language to ``prepared`` (in place) and return its template's name."""
    lang = language_of(session, kind, prepared)
    if lang is None:
        return kind.template_name
    voice = session.config.settings.voice
    locale = format_locale(lang, voice.locale)
    prepared.meta[LANGUAGE] = lang.tag
    context = prepared.context
    context[LANGUAGE] = View({"tag": lang.tag, "name": lang.name, "locale": locale})
    role = context.get("role")
    if isinstance(role, View) and prepared.role and (lang.tag != PRIMARY or locale != voice.locale):
        context["role"] = _role(session, session.role(prepared.role), lang, locale, role)
    if lang.tag != PRIMARY:
        if isinstance(context.get("company"), View):
            letter, offer = "letter" in context, "offer" in context
            context["company"] = _company(
                session, lang, context["company"], prepared.warnings, letter=letter, offer=offer
            )
        if isinstance(context.get("posting"), View):
            _posting_title(context, prepared, lang)
    if isinstance(context.get("posting"), View) and (lang.tag != PRIMARY or locale != voice.locale):
        context["posting"] = _posting(context["posting"], lang, locale)  # country names in its language
    place = context.get("jurisdiction")
    if isinstance(place, View) and place.get("country") and lang.tag != PRIMARY:  # an offer's work country
        names = Locale.parse(locale).territories
        context["jurisdiction"] = layered(place, country_name=names.get(place.country, place.country_name))
    if isinstance(context.get("letter"), View) and isinstance(context.get("candidate"), View):
        context["letter"] = _letter(session, lang, context["letter"], context["candidate"])
    return template_for(kind, lang)


def _role(session: Session, role: Role, lang: Language, locale: str, given: View) -> View:
    """The role's view in ``lang``, keeping what the document set itself (an offer's own title); in
    English, the role's own view with its pay range written in the document's locale."""
    cache = _cache(session)
    found = cache.views.get((role.id, lang.tag))
    if found is None:
        english = role_view(role, session.config, session.terms)
        words: dict[str, Any] = {}
        if lang.tag == PRIMARY:  # English text; only the pay range's figures follow the language
            view = english
        else:
            own = translated(role, lang.tag, session.catalogue.areas)
            view = role_view(own, session.config, lambda text: text)
            words["employment_type"] = word(lang.tag, role.employment_type.value)
        if role.pay_range is not None and view.pay_range is not None:
            words["pay_range"] = layered(view.pay_range, text=_pay_text(role, lang, locale, session))
        found = cache.views[(role.id, lang.tag)] = (english, layered(view, **words))
    english, view = found
    changed = {k: v for k, v in given.items() if k not in english or english[k] != v}
    return layered(view, **changed)


def _pay_text(role: Role, lang: Language, locale: str, session: Session) -> str:
    pay = role.pay_range
    assert pay is not None
    currency = pay.currency or session.config.settings.voice.currency
    cents = pay.period.value == "hour"
    low = money(pay.min, currency, locale, cents=cents)
    high = money(pay.max, currency, locale, cents=cents)
    span = low if pay.min == pay.max else f"{low} – {high}"
    return f"{span} {word(lang.tag, pay.period.value)}"


def _company(
    session: Session, lang: Language, company: View, warnings: list[str], *, letter: bool, offer: bool
) -> View:
    """The company's own text in ``lang``: from ``company.translations``, else left out, said once."""
    settings = session.config.settings.company
    own = settings.translations.get(lang.tag) or settings.translations.get(lang.language)
    terms = session.terms
    changes: dict[str, Any] = {}
    for key in ("about", "eeo_statement", "benefits"):
        english = getattr(settings, key)
        text = getattr(own, key) if own is not None else None
        if not english or (text is None and lang.language == PRIMARY):
            continue  # nothing to say, or English (en-GB) reads the English text itself
        if letter and (key != "benefits" or not offer):
            changes[key] = None if key != "benefits" else []
            continue  # letters print none of it (an offer prints the benefits): nothing to say
        if text is None:
            changes[key] = [] if key == "benefits" else None
            cache = _cache(session)
            if (lang.tag, key) not in cache.warned:
                cache.warned.add((lang.tag, key))
                warnings.append(
                    f"company.{key} has no {lang.name} text, so {lang.name} documents leave it out: "
                    f"add it as company.translations.{lang.tag}.{key} in hrdocs.yaml"
                )
        else:
            changes[key] = [terms(b) for b in text] if key == "benefits" else terms(text)
    return layered(company, **changes)


def _posting(posting: View, lang: Language, locale: str) -> View:
    names = Locale.parse(locale).territories
    places = []
    for place in posting.locations:
        country = names.get(place.country, place.country_name) if place.country else place.country_name
        parts = [p for p in (place.city, place.region, country) if p]
        text = f"{word(lang.tag, 'remote')} ({country})" if place.remote else ", ".join(parts)
        places.append(layered(place, country_name=country, text=text))
    arrangement = (
        "on-site-or-remote"
        if posting.remote and posting.on_site
        else "remote"
        if posting.remote
        else "on-site"
    )
    return layered(posting, locations=places, arrangement=word(lang.tag, arrangement))


def _posting_title(context: dict[str, Any], prepared: Prepared, lang: Language) -> None:
    """A German posting's title with "(m/w/d)", in the page and in its structured data alike."""
    role = context["role"]
    title = inclusive_title(lang.tag, role.title)
    context["role"] = layered(role, title=title)
    facts = prepared.meta.get(jsonld.META_KEY)
    if facts:
        data = json.loads(facts)
        data["title"] = title
        prepared.meta[jsonld.META_KEY] = json.dumps(data, ensure_ascii=False)


def _letter(session: Session, lang: Language, letter: View, candidate: View) -> View:
    return layered(letter, **greeting(session, lang.tag, candidate))


def greeting(session: Session, tag: str, candidate: Mapping[str, Any]) -> dict[str, str]:
    """``salutation`` and ``closing`` of a letter in language ``tag`` to ``candidate`` (its view or
    dump), from the honorific and the tone (:mod:`hrdocs.language`). ``voice.sign_off`` is the
    company's own words in its default language, so it replaces the sign-off only in that language."""
    voice = session.config.settings.voice
    tone = voice.tone.value
    line = salutation(
        tag,
        tone,
        name=candidate["name"],
        given=candidate.get("preferred_name") or candidate.get("first_name") or candidate["name"],
        family=family_name(candidate["name"], candidate.get("last_name")),
        honorific=candidate.get("honorific"),
    )
    own = voice.sign_off if tag == default_language(voice.language) else None
    return {"salutation": line, "closing": own or closing(tag, tone, candidate.get("honorific"))}


def letter_view(session: Session, kind: str, data: OfferInput | DenialInput) -> View:
    """A letter's ``letter``: its kind, date, salutation and sign-off (the last two made again by
    :mod:`hrdocs.kinds.localized` for the language the document is written in)."""
    tag = default_language(data.candidate.language or session.config.settings.voice.language)
    return View({"kind": kind, "date": data.date, **greeting(session, tag, data.candidate.model_dump())})

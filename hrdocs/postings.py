"""Job postings: the candidate-facing text of a catalogue role, checked against pay-transparency law.

A job description is internal; a posting is what candidates read on a careers page or job board and
what search engines index. :class:`Postings` makes one per role (for the role's own locations or one
given location) from the ``posting`` template, and attaches the facts the schema.org ``JobPosting``
needs as ``Document.meta["posting"]`` (see :mod:`hrdocs.writers.jsonld`).

Pay transparency (hr-facts §4): where a location falls under a rule in force that requires a pay
range (:mod:`hrdocs.compliance`, for the company's ``postings.employer_size`` on the session's date),
a role without ``pay_range`` is refused with :class:`PayRangeRequired`, naming every rule, unless the
caller passes ``no_pay_range=True`` (``--no-pay-range``): then the posting is written and the rules are
named in warnings. Other requirements of the same rules (a description of benefits, an application
deadline, Ontario's range width and banned wording, reminders of duties not checked) are warnings, and
so are the notes of rules that only recommend (the EU directive where a state has no law yet) or are
not in force. Rules are data: ``postings.extra_rules_file`` adds or replaces rules by id,
``postings.disabled_rules`` switches rules off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from babel import Locale
from pydantic import ValidationError

from hrdocs.catalogue import Role
from hrdocs.compliance import PayRule, load_rules, notes_for, posting_warnings, rules_for
from hrdocs.context import View, base_context, role_view
from hrdocs.docmodel import Document, Heading, Paragraph, Span, Table
from hrdocs.environment import Md
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.formatting import long_date, pay_range_text
from hrdocs.models import LOCALE, Location
from hrdocs.output import slug
from hrdocs.session import Session
from hrdocs.writers import jsonld
from hrdocs.writers.html import logo_data_url
from hrdocs.writers.markdown import escape_inline, link_destination

POSTING_KIND = "posting"
INDEX_NAME = "index.html"


# ------------------------------------------------------------------------------------------ errors
class PostingRefused(HrdocsError):
    """A posting that must not be published as it stands; ``role`` names the role."""

    def __init__(self, role: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.role = role


class PayRangeRequired(PostingRefused):
    """The role has no pay range, and a pay-transparency rule covering one of its locations needs one."""

    def __init__(self, role: Role, covered: dict[str, list[PayRule]], *, on: date) -> None:
        places: dict[str, list[str]] = {}
        rules: dict[str, PayRule] = {}
        for where, found in covered.items():
            for rule in found:
                rules.setdefault(rule.id, rule)
                places.setdefault(rule.id, []).append(where)
        self.rules = list(rules.values())
        count = len(self.rules)
        rules_require = (
            "a pay-transparency rule requires" if count == 1 else f"{count} pay-transparency rules require"
        )
        lines = [
            f"posting for `{role.id}` refused: {role.title} has no pay range, and {rules_require} one "
            "where it would be posted:"
        ]
        for rule in self.rules:
            size = (
                f", employers of {rule.min_employees}+"
                if rule.min_employees and rule.min_employees > 1
                else ""
            )
            lines.append(
                f"  {rule.id}: {rule.name} (since {rule.in_force}{size}) covers {'; '.join(places[rule.id])}"
            )
        if any(loc.startswith("Remote") for loc in covered):
            lines.append("  (a remote job open to a whole country falls under every rule of that country)")
        super().__init__(
            role.id,
            "\n".join(lines),
            hint=f"add a pay_range to {role.source.name}, post for another --location, or pass "
            "--no-pay-range to post without one on your own responsibility",
        )


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _requires(subjects: Sequence[str] | set[str]) -> str:
    return "requires" if len(subjects) == 1 else "require"


# ----------------------------------------------------------------------------------------- results
@dataclass
class Posting:
    """One posting's template data (not yet rendered), its file name and what was noticed."""

    role: Role
    context: dict[str, Any]
    facts: dict[str, Any]
    """What the schema.org ``JobPosting`` says (see :mod:`hrdocs.writers.jsonld`)."""
    stem: str
    location: str
    """The one location it was made for, as a file-name part ("" for the role's own locations)."""
    warnings: list[str] = field(default_factory=list)
    language: str | None = None
    """The language asked for (``--language``), else the company's default (hrdocs.language)."""

    @property
    def meta(self) -> dict[str, str]:
        return {"role": self.role.id, jsonld.META_KEY: json.dumps(self.facts, ensure_ascii=False)}


def parse_location(text: str, locale: str | None = None) -> Location:
    """``"Denver, CO"``, ``"Berlin, Germany"`` or ``"Remote (US)"`` as a :class:`Location`, read as the
    company's roles are: ``locale`` is its ``voice.locale`` (see :mod:`hrdocs.places`)."""
    try:
        return Location.model_validate(text, context={LOCALE: locale})
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise UsageError(f"--location {text!r}: {message}") from None


def md_link(text: str, url: str) -> Md:
    """A Markdown link a template prints as is (``[text](<url>)``), the text escaped."""
    return Md(f"[{escape_inline(text)}]({link_destination(url)})")


# ------------------------------------------------------------------------------------------ making
class Postings:
    """Postings for one session: the pay-transparency rules are loaded once."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @cached_property
    def rules(self) -> list[PayRule]:
        config = self.session.config
        settings = config.settings.postings
        extra = (config.source.parent / settings.extra_rules_file) if settings.extra_rules_file else None
        return load_rules(extra, settings.disabled_rules)

    @property
    def folder(self) -> Path:
        return self.session.workspace.output_dir / "postings"

    def rules_for(self, location: Location) -> list[PayRule]:
        return rules_for(
            location,
            rules=self.rules,
            employer_size=self.session.config.settings.postings.employer_size,
            on=self.session.today,
        )

    def check(self, role: Role, locations: Sequence[Location], *, no_pay_range: bool = False) -> list[str]:
        """Warnings for a posting of ``role`` at ``locations``; :class:`PayRangeRequired` refuses it."""
        today = self.session.today
        covered = {loc.label: self.rules_for(loc) for loc in locations}
        needs_pay = {
            where: [r for r in rules if "pay-range" in r.requirements_on(today)]
            for where, rules in covered.items()
        }
        needs_pay = {where: rules for where, rules in needs_pay.items() if rules}
        warnings = []
        if role.pay_range is None and needs_pay:
            if not no_pay_range:
                raise PayRangeRequired(role, needs_pay, on=today)
            names = sorted({f"{r.name} [{r.id}]" for rules in needs_pay.values() for r in rules})
            warnings.append(
                f"posting `{role.id}`: posted without a pay range (--no-pay-range) although "
                f"{_join(names)} {_requires(names)} one"
            )
        return warnings

    def _requirement_warnings(
        self, role: Role, locations: Sequence[Location], valid_through: date | None
    ) -> list[str]:
        today = self.session.today
        need: dict[str, set[str]] = {"benefits": set(), "application-deadline": set()}
        for loc in locations:
            for rule in self.rules_for(loc):
                for what in rule.requirements_on(today):
                    if what in need:
                        need[what].add(rule.name)
        warnings = self._law_warnings(role, locations)
        if need["benefits"] and not self.session.config.settings.company.benefits:
            warnings.append(
                f"posting `{role.id}`: {_join(sorted(need['benefits']))} {_requires(need['benefits'])} "
                "a general description of benefits; company.benefits in hrdocs.yaml is empty"
            )
        if need["application-deadline"] and valid_through is None:
            warnings.append(
                f"posting `{role.id}`: {_join(sorted(need['application-deadline']))} "
                f"{_requires(need['application-deadline'])} an application deadline; pass --valid-through"
            )
        return warnings

    def _law_warnings(self, role: Role, locations: Sequence[Location]) -> list[str]:
        """Notes of rules that only recommend or are not in force, and what rules in force say beyond
        pay (:func:`hrdocs.compliance.posting_warnings`), each once however many places share it."""
        today, size = self.session.today, self.session.config.settings.postings.employer_size
        notes, applying = [], {}
        for loc in locations:
            if role.pay_range is None:  # every note so far is about showing pay
                notes += notes_for(loc, rules=self.rules, employer_size=size, on=today)
            applying.update({rule.id: rule for rule in self.rules_for(loc)})
        quals = role.qualifications
        texts = [role.title, role.summary, *quals.required, *quals.preferred]
        texts += [duty for group in role.duty_groups for duty in group.duties]
        found = posting_warnings(
            list(applying.values()),
            on=today,
            pay=role.pay_range,
            currency=self.session.config.settings.voice.currency,
            texts=texts,
        )
        return [f"posting `{role.id}`: {text}" for text in dict.fromkeys([*notes, *found])]

    def make(
        self,
        role: Role | str,
        *,
        location: Location | str | None = None,
        valid_through: date | None = None,
        no_pay_range: bool = False,
    ) -> Posting:
        """The posting of ``role`` for ``location`` (default: every location of the role)."""
        session = self.session
        role = role if isinstance(role, Role) else session.role(role)
        if isinstance(location, str):
            location = parse_location(location, session.config.settings.voice.locale)
        locations = [location] if location is not None else list(role.locations)
        if not locations:
            raise PostingRefused(
                role.id,
                f"posting for `{role.id}` refused: {role.title} has no locations, and a posting must say "
                "where the job is",
                hint=f"add locations to {role.source.name} or pass --location",
            )
        if valid_through is not None and valid_through < session.today:
            raise UsageError(f"--valid-through {valid_through} is before the posting date {session.today}")
        warnings = self.check(role, locations, no_pay_range=no_pay_range)
        warnings += self._requirement_warnings(role, locations, valid_through)
        if location is not None and role.locations and location not in role.locations:
            listed = "; ".join(loc.label for loc in role.locations)
            warnings.append(
                f"posting `{role.id}`: {location.label} is not one of the role's locations ({listed})"
            )

        where = "" if location is None else slug(location.label)
        identifier = f"{role.id}-{where}" if where else role.id
        facts = self._facts(role, locations, identifier, valid_through)
        context = {
            **base_context(session.config, session.terms, today=session.today),
            "role": role_view(role, session.config, session.terms),
            "posting": self._view(facts, locations, valid_through),
        }
        return Posting(role, context, facts, identifier, where, warnings)

    def _facts(
        self, role: Role, locations: Sequence[Location], identifier: str, valid_through: date | None
    ) -> dict[str, Any]:
        settings = self.session.config.settings
        voice = settings.voice
        pay = role.pay_range
        territories = Locale.parse(voice.locale).territories
        organization = {"name": settings.company.name, "url": settings.company.website, "logo": None}
        logo = settings.company.logo_url or logo_data_url(self.session.config)
        if logo:
            organization["logo"] = logo
        return {
            "identifier": identifier,
            "title": role.title,
            "date_posted": self.session.today.isoformat(),
            "valid_through": valid_through.isoformat() if valid_through else None,
            "employment_type": role.employment_type.schema_org,
            "organization": organization,
            "locations": [
                {
                    "city": loc.city,
                    "region": loc.region,
                    "country": loc.country,
                    "country_name": territories.get(loc.country, loc.country),
                    "remote": loc.remote,
                }
                for loc in locations
            ],
            "pay": {
                "min": str(pay.min),
                "max": str(pay.max),
                "currency": pay.currency or voice.currency,
                "unit": pay.period.schema_org,
            }
            if pay
            else None,
            "direct_apply": False,
        }

    def _view(self, facts: dict[str, Any], locations: Sequence[Location], valid_through: date | None) -> View:
        postings = self.session.config.settings.postings
        company = self.session.config.settings.company
        places = []
        for loc, data in zip(locations, facts["locations"], strict=True):
            parts = [p for p in (loc.city, loc.region, data["country_name"]) if p]
            places.append(
                {
                    **data,
                    "label": loc.label,
                    "text": f"Remote ({data['country_name']})" if loc.remote else ", ".join(parts),
                }
            )
        remote = any(loc.remote for loc in locations)
        on_site = any(not loc.remote for loc in locations)
        arrangement = "On site or remote" if remote and on_site else "Remote" if remote else "On site"
        url, email = postings.apply_url, postings.apply_email
        return View(
            {
                "id": facts["identifier"],
                "date_posted": self.session.today,
                "valid_through": valid_through,
                "locations": places,
                "remote": remote,
                "on_site": on_site,
                "arrangement": arrangement,
                "apply_url": url,
                "apply_email": email,
                "apply_link": md_link(url, url) if url else None,
                "apply_email_link": md_link(email, f"mailto:{email}") if email else None,
                "website_link": md_link(company.website, company.website) if company.website else None,
            }
        )

    def index(self, postings: Sequence[tuple[Posting, Sequence[Path]]]) -> Document:
        """A page linking every posting (its HTML file, else its first file), with where and what pay;
        ``postings`` pairs each posting with the files it is written to."""
        company = self.session.config.settings.company.name
        title = f"Open positions at {company}"
        rows = []
        for posting, paths in postings:
            html_files = [p for p in paths if p.suffix == ".html"]
            target = (html_files or list(paths) or [Path(posting.stem)])[0].name
            facts = posting.facts
            places = "; ".join(
                f"Remote ({loc['country_name']})"
                if loc["remote"]
                else ", ".join(p for p in (loc["city"], loc["region"]) if p)
                for loc in facts.get("locations", [])
            )
            pay = posting.role.pay_range
            pay_text = pay_range_text(pay, self.session.config.settings.voice) if pay else "—"
            rows.append(
                (
                    (Span(posting.role.title, href=target),),
                    (Span(posting.role.department),),
                    (Span(places),),
                    (Span(pay_text),),
                )
            )
        count = len(postings)
        voice = self.session.config.settings.voice
        when = long_date(self.session.today, voice.locale, voice.date_format)
        return Document(
            title=title,
            kind="posting-index",
            blocks=[
                Heading(1, (Span(title),)),
                Paragraph((Span(f"{count} open position{'s' if count != 1 else ''}, as of {when}."),)),
                Table(
                    header=(
                        (Span("Position"),),
                        (Span("Department"),),
                        (Span("Location"),),
                        (Span("Pay range"),),
                    ),
                    rows=tuple(rows),
                ),
            ],
        )

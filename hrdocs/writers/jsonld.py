"""schema.org ``JobPosting`` as JSON-LD: the structured posting that search engines and job boards read.

A writer works from the document model; a posting's facts that are not text (pay as numbers, places as
parts, dates) travel with its :class:`~hrdocs.docmodel.Document` in ``meta["posting"]``, a JSON object
written by :mod:`hrdocs.postings`::

    {"identifier": "hr-generalist", "title": "HR Generalist", "date_posted": "2025-01-31",
     "valid_through": "2025-03-01" | null, "employment_type": "FULL_TIME",
     "organization": {"name": ..., "url": ... | null, "logo": ... | null},
     "locations": [{"city": ..., "region": ..., "country": "US", "country_name": "United States",
                    "remote": false}, ...],
     "pay": {"min": 62000, "max": 82000, "currency": "USD", "unit": "YEAR"} | null,
     "direct_apply": false}

The ``description`` is the posting's body as HTML (:func:`hrdocs.writers.html.blocks_html`), so the
structured posting says exactly what the visible one says. Required and recommended properties follow
hr-facts §5: a fully remote job is ``jobLocationType: TELECOMMUTE`` with
``applicantLocationRequirements``; a job open both on site and remotely carries both.
"""

from __future__ import annotations

import json
from typing import Any

from hrdocs.docmodel import Document
from hrdocs.errors import UsageError
from hrdocs.writers.html import blocks_html, body_blocks

META_KEY = "posting"


def posting_facts(doc: Document) -> dict[str, Any] | None:
    raw = doc.meta.get(META_KEY)
    return json.loads(raw) if raw else None


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _place(loc: dict[str, Any]) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if loc.get("city"):
        address["addressLocality"] = loc["city"]
    if loc.get("region"):
        address["addressRegion"] = loc["region"]
    address["addressCountry"] = loc["country"]
    return {"@type": "Place", "address": address}


def job_posting(doc: Document) -> dict[str, Any] | None:
    """The ``JobPosting`` of a posting document; ``None`` for every other kind of document."""
    facts = posting_facts(doc)
    if facts is None:
        return None
    org = facts["organization"]
    organization: dict[str, Any] = {"@type": "Organization", "name": org["name"]}
    if org.get("url"):
        organization["sameAs"] = org["url"]
    if org.get("logo"):
        organization["logo"] = org["logo"]

    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": facts["title"],
        "description": blocks_html(body_blocks(doc)).strip(),
        "datePosted": facts["date_posted"],
    }
    if facts.get("valid_through"):
        data["validThrough"] = facts["valid_through"]
    data["employmentType"] = facts["employment_type"]
    data["hiringOrganization"] = organization

    on_site = [loc for loc in facts["locations"] if not loc.get("remote")]
    remote = [loc for loc in facts["locations"] if loc.get("remote")]
    if on_site:
        places = [_place(loc) for loc in on_site]
        data["jobLocation"] = places[0] if len(places) == 1 else places
    if remote:
        data["jobLocationType"] = "TELECOMMUTE"
        countries = [
            {"@type": "Country", "name": loc.get("country_name") or loc["country"]} for loc in remote
        ]
        data["applicantLocationRequirements"] = countries[0] if len(countries) == 1 else countries

    pay = facts.get("pay")
    if pay:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": pay["unit"]}
        if pay["min"] == pay["max"]:
            value["value"] = _number(pay["min"])
        else:
            value["minValue"] = _number(pay["min"])
            value["maxValue"] = _number(pay["max"])
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": pay["currency"], "value": value}

    data["identifier"] = {"@type": "PropertyValue", "name": org["name"], "value": facts["identifier"]}
    data["directApply"] = bool(facts.get("direct_apply"))
    return data


def render(doc: Document) -> bytes:
    data = job_posting(doc)
    if data is None:
        raise UsageError(
            f"format json (schema.org JobPosting) is for job postings only, not a {doc.kind}",
            hint="hrdocs posting ROLE --format json",
        )
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

"""Job postings: the template's sections, the schema.org JobPosting, pay transparency, ``--all``.

The JSON-LD is parsed and checked property by property against hr-facts §5; the HTML is parsed with
html5lib and its embedded JSON-LD compared with the JSON file; every structured fact must also be in
the visible text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

from hrdocs.api import Session, document, generate
from hrdocs.docmodel import Document
from hrdocs.errors import UsageError
from hrdocs.postings import PayRangeRequired, PostingRefused, Postings
from hrdocs.writers.jsonld import job_posting
from tests.conftest import Outcome
from tests.util import docx_text

TODAY = date(2025, 3, 3)
XHTML = "{http://www.w3.org/1999/xhtml}"
EMPLOYMENT_LABELS = {"FULL_TIME": "Full-time", "PART_TIME": "Part-time", "CONTRACTOR": "Contract"}


BUILTIN_CSM = Path(__file__).parents[1] / "roles/customer-success-manager.yaml"


@pytest.fixture(autouse=True)
def csm_without_pay_range(tmp_path: Path) -> None:
    """The refusal case: the built-in customer-success-manager (New York, Chicago, Remote (US)) with its
    pay range taken out, as a workspace role that overrides the built-in one by name (in tmp_path and
    in make_workspace's default folder)."""
    text = BUILTIN_CSM.read_text("utf-8")
    start = text.index("pay_range:")
    end = text.index("locations:")
    for root in (tmp_path, tmp_path / "workspace"):
        (root / "roles").mkdir(parents=True, exist_ok=True)
        (root / "roles/customer-success-manager.yaml").write_text(text[:start] + text[end:], "utf-8")


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(tmp_path, today=TODAY)


def posting_doc(session: Session, role: str, **fields: Any) -> Document:
    """The posting's document model, made as every command makes it (:func:`hrdocs.api.document`)."""
    return document(session, "posting", {"role": role, **fields})


def visible_text(html_bytes: bytes) -> str:
    root = html5lib.HTMLParser(strict=True).parse(html_bytes.decode("utf-8"))
    article = root.find(f"{XHTML}body/{XHTML}main/{XHTML}article")
    return " ".join(" ".join(article.itertext()).split())


def embedded_json_ld(html_bytes: bytes) -> dict[str, Any]:
    root = html5lib.HTMLParser(strict=True).parse(html_bytes.decode("utf-8"))
    scripts = [s for s in root.iter(f"{XHTML}script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    assert root.find(f"{XHTML}head/{XHTML}script") is scripts[0]
    return json.loads(scripts[0].text)


def check_job_posting(data: dict[str, Any]) -> None:
    """Required and recommended JobPosting properties, with their types (hr-facts §5)."""
    assert data["@context"] in ("https://schema.org/", "https://schema.org")
    assert data["@type"] == "JobPosting"
    for key in ("title", "description", "datePosted"):
        assert isinstance(data[key], str) and data[key]
    date.fromisoformat(data["datePosted"])
    assert data["description"].lstrip().startswith("<")
    org = data["hiringOrganization"]
    assert org["@type"] == "Organization" and org["name"]
    assert "jobLocation" in data or data.get("jobLocationType") == "TELECOMMUTE"
    places = data.get("jobLocation", [])
    for place in places if isinstance(places, list) else [places]:
        assert place["@type"] == "Place"
        address = place["address"]
        assert address["@type"] == "PostalAddress"
        assert {"addressLocality", "addressRegion", "addressCountry"} <= set(address)
    if data.get("jobLocationType") == "TELECOMMUTE":
        requirements = data["applicantLocationRequirements"]
        for req in requirements if isinstance(requirements, list) else [requirements]:
            assert req["@type"] == "Country" and req["name"]
    assert data["employmentType"] in {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN"}
    if "baseSalary" in data:
        salary = data["baseSalary"]
        assert salary["@type"] == "MonetaryAmount" and len(salary["currency"]) == 3
        value = salary["value"]
        assert value["@type"] == "QuantitativeValue"
        assert value["unitText"] in {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
        assert isinstance(value["minValue"], int | float) and isinstance(value["maxValue"], int | float)
        assert value["minValue"] <= value["maxValue"]
    if "validThrough" in data:
        date.fromisoformat(data["validThrough"])
    assert data["identifier"]["@type"] == "PropertyValue" and data["identifier"]["value"]
    assert isinstance(data["directApply"], bool)


def check_visible(data: dict[str, Any], text: str) -> None:
    """Every structured field is also in the posting's visible text."""
    assert data["title"] in text
    assert data["hiringOrganization"]["name"] in text
    assert EMPLOYMENT_LABELS[data["employmentType"]] in text
    assert data["identifier"]["value"] in text
    posted = date.fromisoformat(data["datePosted"])
    assert f"{posted:%B} {posted.day}, {posted.year}" in text
    if "validThrough" in data:
        until = date.fromisoformat(data["validThrough"])
        assert f"{until:%B} {until.day}, {until.year}" in text
    places = data.get("jobLocation", [])
    for place in places if isinstance(places, list) else [places]:
        a = place["address"]
        assert f"{a['addressLocality']}, {a['addressRegion']}" in text
        assert {"US": "United States"}[a["addressCountry"]] in text
    if data.get("jobLocationType") == "TELECOMMUTE":
        assert "Remote" in text and data["applicantLocationRequirements"]["name"] in text
    if "baseSalary" in data:
        value = data["baseSalary"]["value"]
        assert f"${value['minValue']:,}" in text and f"${value['maxValue']:,}" in text
        assert {"YEAR": "per year", "HOUR": "per hour"}[value["unitText"]] in text
    if "sameAs" in data["hiringOrganization"]:
        assert data["hiringOrganization"]["sameAs"] in text


# --------------------------------------------------------------------------------- the document
@pytest.mark.parametrize(
    ("role", "location"),
    [
        ("hr-generalist", None),
        ("hr-generalist", "Denver, CO"),
        ("software-engineer", None),  # on site and remote
        ("recruiter", "Remote (US)"),  # fully remote
        ("hr-coordinator", None),  # hourly pay
        ("senior-recruiter", None),  # inherits from recruiter
        ("hr-executive", None),
    ],
)
def test_json_ld_is_complete_and_every_fact_is_visible(
    session: Session, role: str, location: str | None
) -> None:
    doc = posting_doc(session, role, location=location, valid_through=date(2025, 4, 30))
    writers = session.writers()
    data = json.loads(writers["json"](doc))
    check_job_posting(data)
    page = writers["html"](doc)
    assert embedded_json_ld(page) == data
    check_visible(data, visible_text(page))
    check_visible(data, writers["txt"](doc).decode())
    assert data["datePosted"] == "2025-03-03" and data["validThrough"] == "2025-04-30"
    assert data["description"] == job_posting(doc)["description"]  # type: ignore[index]
    assert "<h1>" not in data["description"] and "<h2>What you" in data["description"]


def test_json_ld_values_match_the_catalogue(session: Session) -> None:
    data = job_posting(posting_doc(session, "software-engineer"))
    assert data is not None
    assert data["title"] == "Software Engineer"
    assert data["employmentType"] == "FULL_TIME"
    assert "validThrough" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "unitText": "YEAR", "minValue": 115000, "maxValue": 155000},
    }
    assert [p["address"]["addressLocality"] for p in data["jobLocation"]] == ["Denver", "Seattle"]
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "United States"}
    org = data["hiringOrganization"]
    assert org["sameAs"] == "https://www.example.com" and org["logo"].startswith("data:image/png;base64,")
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Example Co.",
        "value": "software-engineer",
    }

    hourly = job_posting(posting_doc(session, "hr-coordinator"))
    assert hourly is not None
    assert hourly["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "HOUR",
        "minValue": 22,
        "maxValue": 28,
    }
    assert "jobLocationType" not in hourly and isinstance(hourly["jobLocation"], dict)

    remote = job_posting(posting_doc(session, "recruiter", location="Remote (US)"))
    assert remote is not None
    assert "jobLocation" not in remote and remote["jobLocationType"] == "TELECOMMUTE"
    assert remote["identifier"]["value"] == "recruiter-remote-us"


def test_posting_has_every_section_in_order(session: Session) -> None:
    doc = posting_doc(session, "hr-generalist")
    headings = [b.spans[0].text for b in doc.blocks if type(b).__name__ == "Heading" and b.level == 2]
    assert headings == [
        "About Example Co.",
        "About the role",
        "What you'll do",
        "What you bring",
        "Pay and benefits",
        "Location and work arrangement",
        "How to apply",
    ]
    text = doc.plain_text()
    role = session.role("hr-generalist")
    for group in role.duty_groups:
        assert group.area.name in text
    assert "https://www.example.com/careers" in text and "careers@example.com" in text
    assert "equal opportunity employer" in text
    assert "401(k) plan" in text
    assert "team members" in text and " employees " not in text  # the company's preferred terms


def test_values_with_markup_come_out_exactly(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        company={
            "company": {
                "name": "Tom & Jerry <Ltd> *Best*",
                "website": "https://example.com/a_b?x=1&y=(2)",
                "about": "We | you.",
            },
            "postings": {"apply_url": "https://jobs.example.com/apply?id=1&src=hrdocs_site"},
        }
    )
    s = Session(root, today=TODAY)
    doc = posting_doc(s, "hr-generalist")
    text = doc.plain_text()
    assert "Tom & Jerry <Ltd> *Best*" in text and "We | you." in text
    data = json.loads(s.writers()["json"](doc))
    assert data["hiringOrganization"]["name"] == "Tom & Jerry <Ltd> *Best*"
    hrefs = [sp.href for b in doc.blocks for sp in getattr(b, "spans", ()) if sp.href]
    assert "https://jobs.example.com/apply?id=1&src=hrdocs_site" in hrefs
    assert "https://example.com/a_b?x=1&y=(2)" in hrefs
    page = s.writers()["html"](doc)
    assert "Tom &amp; Jerry &lt;Ltd&gt; *Best*" in page.decode()
    assert embedded_json_ld(page)["hiringOrganization"]["name"] == "Tom & Jerry <Ltd> *Best*"


def test_the_posting_template_is_customizable(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "templates/posting.md.j2": """
                # {{ role.title }} at {{ company.name }}

                Posted {{ posting.date_posted | date }}; job {{ posting.id }}; {{ posting.arrangement }}.
                """
        },
        company=False,
    )
    s = Session(root, today=TODAY)
    doc = posting_doc(s, "hr-executive")
    assert doc.title == "HR Executive at Example Co."
    assert doc.plain_text().endswith("Posted March 3, 2025; job hr-executive; On site.")
    assert json.loads(s.writers()["json"](doc))["title"] == "HR Executive"


# ---------------------------------------------------------------------------- pay transparency
def test_role_without_pay_range_is_refused_where_a_rule_requires_one(session: Session) -> None:
    with pytest.raises(PayRangeRequired) as caught:
        Postings(session).make("customer-success-manager")
    message = str(caught.value)
    assert "posting for `customer-success-manager` refused" in message
    assert "has no pay range" in message
    assert "us-ny-nyc: New York City" in message and "us-il: Illinois" in message
    assert "--no-pay-range" in message
    assert {r.id for r in caught.value.rules} >= {"us-ny-nyc", "us-ny", "us-il", "us-co"}

    with pytest.raises(PayRangeRequired, match=r"us-co: Colorado .* covers Denver, CO"):
        Postings(session).make("customer-success-manager", location="Denver, CO")


def test_no_pay_range_posts_anyway_and_names_the_rules(session: Session) -> None:
    posting = Postings(session).make("customer-success-manager", location="New York, NY", no_pay_range=True)
    doc = posting_doc(session, "customer-success-manager", location="New York, NY", no_pay_range=True)
    assert "Pay range" not in doc.plain_text()
    assert "baseSalary" not in json.loads(session.writers()["json"](doc))
    warning = " ".join(posting.warnings)
    assert "without a pay range" in warning and "New York City [us-ny-nyc]" in warning


def test_no_rule_no_refusal(session: Session) -> None:
    posting = Postings(session).make("customer-success-manager", location="Austin, TX")
    assert "not one of the role's locations" in " ".join(posting.warnings)


def test_rules_depend_on_the_date_and_the_employer_size(
    tmp_path: Path, make_workspace: Callable[..., Path]
) -> None:
    before = Session(tmp_path, today=date(2022, 10, 1))  # before New York City's rule
    Postings(before).make("customer-success-manager", location="New York, NY")
    root = make_workspace(company={"postings": {"employer_size": 3}})
    tiny = Session(root, today=TODAY)  # New York's rules start at 4 employees
    Postings(tiny).make("customer-success-manager", location="New York, NY")
    with pytest.raises(PayRangeRequired):  # Colorado's covers every employer
        Postings(tiny).make("customer-success-manager", location="Denver, CO")


def test_rules_are_data_the_company_extends_and_switches_off(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "rules/pay.yaml": """
                rules:
                  - id: us-tx-austin
                    name: Austin (our own policy)
                    where: {country: US, region: TX, cities: [Austin]}
                    requires: [pay-range]
                    in_force: 2024-01-01
                    source: company policy
                """,
        },
        company={"postings": {"extra_rules_file": "rules/pay.yaml", "disabled_rules": ["us-co"]}},
    )
    s = Session(root, today=TODAY)
    Postings(s).make("customer-success-manager", location="Denver, CO")  # us-co switched off
    with pytest.raises(PayRangeRequired, match="us-tx-austin: Austin \\(our own policy\\)"):
        Postings(s).make("customer-success-manager", location="Austin, TX")


def test_deadline_and_benefit_requirements_are_warnings(
    tmp_path: Path, make_workspace: Callable[..., Path]
) -> None:
    s = Session(tmp_path, today=TODAY)
    warnings = Postings(s).make("hr-generalist", location="Denver, CO").warnings
    assert any("Colorado requires an application deadline" in w for w in warnings)
    assert (
        not Postings(s).make("hr-generalist", location="Denver, CO", valid_through=date(2025, 4, 1)).warnings
    )
    bare = Session(make_workspace(company={"company": {"benefits": []}}), today=TODAY)
    warnings = Postings(bare).make("hr-generalist", location="Denver, CO").warnings
    assert any("general description of benefits" in w for w in warnings)


def test_a_role_without_locations_is_refused(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"roles/nowhere.yaml": "id: nowhere\nextends: hr-generalist\nlocations: []\n"})
    with pytest.raises(PostingRefused, match="has no locations"):
        Postings(Session(root, today=TODAY)).make("nowhere")


def test_bad_dates_and_places_are_usage_errors(session: Session) -> None:
    with pytest.raises(UsageError, match="before the posting date"):
        Postings(session).make("hr-generalist", valid_through=date(2025, 1, 1))
    with pytest.raises(UsageError, match="--location 'Denver'"):
        Postings(session).make("hr-generalist", location="Denver")


# ------------------------------------------------------------------------------------------- CLI
def test_cli_writes_the_formats_asked_for(tmp_path: Path, hrdocs: Callable[..., Outcome]) -> None:
    result = hrdocs(
        "--date", "2025-03-03", "posting", "generalist", "--location", "Denver, CO",
        "--format", "html,md,json,txt,docx", "--valid-through", "2025-04-30", cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    folder = tmp_path / "output/postings"
    names = ["hr-generalist-denver-co" + s for s in (".html", ".md", ".json", ".txt", ".docx")]
    assert result.out.split() == [str(folder / n) for n in names]
    data = json.loads((folder / names[2]).read_text())
    check_job_posting(data)
    assert data["validThrough"] == "2025-04-30"
    check_visible(data, docx_text(folder / names[4]))
    assert (folder / names[1]).read_text().startswith("# HR Generalist\n")
    assert hrdocs("posting", "generalist", "-l", "Denver, CO", "-f", "html", cwd=tmp_path).code == 1


def test_cli_refusal_and_override(tmp_path: Path, hrdocs: Callable[..., Outcome]) -> None:
    result = hrdocs("posting", "csm", cwd=tmp_path)
    assert result.code == 1
    assert "error: posting for `customer-success-manager` refused" in result.err
    assert "us-ny-nyc" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "output").exists()
    result = hrdocs("posting", "csm", "--no-pay-range", "--format", "html,json", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "warning:" in result.err and "without a pay range" in result.err
    assert (tmp_path / "output/postings/customer-success-manager.json").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["posting"],
        ["posting", "generalist", "--all"],
        ["posting", "generalist", "--format", "xyz"],
    ],
)
def test_cli_bad_usage_exits_2(tmp_path: Path, hrdocs: Callable[..., Outcome], args: list[str]) -> None:
    result = hrdocs(*args, cwd=tmp_path)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--location", "Denver"], 'location: write a location as "City, Region"'),
        (["--valid-through", "soon"], "valid_through: must be a date written as YYYY-MM-DD"),
        (["--valid-through", "2000-01-01"], "valid_through: is before the posting date 2025-03-03"),
    ],
)
def test_cli_bad_values_are_problems_of_the_command_line(
    tmp_path: Path, hrdocs: Callable[..., Outcome], args: list[str], problem: str
) -> None:
    """A bad value is bad data, checked by the kind's fields as a data file's would be (exit 1)."""
    result = hrdocs("--date", "2025-03-03", "posting", "generalist", *args, cwd=tmp_path)
    assert result.code == 1, result.err
    assert result.err.startswith("error: 1 problem in command line:\n")
    assert f"  command line: {problem}" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "output").exists()


def test_all_writes_every_allowed_posting_and_an_index(
    tmp_path: Path, hrdocs: Callable[..., Outcome]
) -> None:
    refused = hrdocs("--date", "2025-03-03", "posting", "--all", "--format", "html,json", cwd=tmp_path)
    assert refused.code == 1  # one refused: nothing written
    assert refused.err.startswith("error: 1 of 9 postings refused, nothing written:\n")
    assert "  posting for `customer-success-manager` refused" in refused.err
    assert "hint: fix each as it says, or pass --skip-refused" in refused.err
    assert refused.out == "" and not (tmp_path / "output").exists()

    result = hrdocs(
        "--date", "2025-03-03", "posting", "--all", "--skip-refused", "--format", "html,json", cwd=tmp_path
    )  # fmt: skip
    assert result.code == 1  # one refused, the others written
    assert "refused: posting for `customer-success-manager` refused" in result.err
    assert "1 of 9 postings refused: customer-success-manager; the others were written" in result.err
    folder = tmp_path / "output/postings"
    session = Session(tmp_path, today=TODAY)
    posted = [r for r in session.catalogue.all() if r.pay_range is not None]
    assert len(posted) == 8
    for role in posted:
        check_job_posting(json.loads((folder / f"{role.id}.json").read_text()))
        assert (folder / f"{role.id}.html").is_file()
    assert not list(folder.glob("customer-success-manager.*"))

    index = (folder / "index.html").read_bytes()
    root = html5lib.HTMLParser(strict=True).parse(index.decode())
    links = {a.get("href"): a.text for a in root.iter(f"{XHTML}a")}
    assert links == {f"{r.id}.html": r.title for r in posted}
    assert all((folder / href).is_file() for href in links)
    assert str(folder / "index.html") in result.out.split()


def test_library_api(tmp_path: Path) -> None:
    written = generate(
        Session(tmp_path, today=TODAY),
        "posting",
        {"role": "software-engineer", "location": "Seattle, WA"},
        formats=("json", "md"),
    )
    assert [p.name for p in written.paths] == [
        "software-engineer-seattle-wa.json",
        "software-engineer-seattle-wa.md",
    ]
    assert written.paths[0].parent == tmp_path / "output/postings"


def test_a_logo_url_replaces_the_embedded_logo_in_the_json_ld(tmp_path: Path) -> None:
    import hrdocs
    from hrdocs.errors import ValidationFailed

    example = Path(hrdocs.__file__).parent / "data" / "example-company.yaml"
    settings = yaml.safe_load(example.read_text(encoding="utf-8"))
    settings["company"]["logo"] = str(example.parent / settings["company"]["logo"])
    settings["company"]["logo_url"] = "https://careers.example.com/logo.png"
    (tmp_path / "hrdocs.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    data = job_posting(posting_doc(Session(tmp_path), "software-engineer"))
    assert data is not None
    assert data["hiringOrganization"]["logo"] == "https://careers.example.com/logo.png"
    settings["company"]["logo_url"] = "http://careers.example.com/logo.png"
    (tmp_path / "hrdocs.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="logo_url"):
        Session(tmp_path).config  # noqa: B018

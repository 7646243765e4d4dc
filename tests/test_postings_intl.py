"""Pay transparency outside the US, run as a user runs it: Canada (BC, Ontario, PEI, Newfoundland and
Labrador, Quebec) and the EU directive with its national transpositions, switched on by date.

Each test writes a small workspace (``make_workspace``) holding one role, and runs ``hrdocs posting`` or
``hrdocs lint`` on it; what is checked is the exit code, the message on stderr and the file written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from hrdocs.compliance import load_rules, rules_table
from tests.conftest import Outcome

ROLE: dict[str, Any] = {
    "id": "support-lead",
    "title": "Support Lead",
    "department": "Customer Support",
    "employment_type": "full-time",
    "summary": "The Support Lead runs the help desk team and keeps customers' problems moving to a fix.",
    "duties": {"customer-care": ["Leads the help desk team and sets its weekly priorities."]},
    "qualifications": {"required": ["Three or more years leading a support team."]},
}
"""A role with no pay range and no US location (so no FLSA status); each test adds what it needs."""

Run = Callable[..., Outcome]


@pytest.fixture
def workspace(make_workspace: Callable[..., Path]) -> Callable[..., Path]:
    """``workspace(role_changes, company_changes, files) -> Path``: a workspace with the one role."""

    def make(
        role: dict[str, Any] | None = None,
        company: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> Path:
        text = yaml.safe_dump({**ROLE, **(role or {})}, allow_unicode=True, sort_keys=False)
        return make_workspace({"roles/support-lead.yaml": text, **(files or {})}, company=company or {})

    return make


def posting(hrdocs: Run, root: Path, on: str, location: str, *extra: str) -> Outcome:
    return hrdocs(
        "--date", on, "posting", "support-lead", "--location", location, "-f", "md", *extra, cwd=root
    )


def written(root: Path) -> list[str]:
    folder = root / "output/postings"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


PAY_CAD = {"pay_range": {"min": 60000, "max": 75000, "currency": "CAD"}}


# ------------------------------------------------------------------------------------------ Canada
def test_vancouver_without_pay_is_refused(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    root = workspace()
    result = posting(hrdocs, root, "2025-03-03", "Vancouver, BC, Canada")
    assert result.code == 1
    assert "ca-bc: British Columbia (since 2023-11-01) covers Vancouver, BC, CA" in result.err
    assert written(root) == []
    # before the Act: no rule, the posting is written
    earlier = posting(hrdocs, root, "2023-10-31", "Vancouver, BC, Canada")
    assert earlier.code == 0, earlier.err
    assert written(root) == ["support-lead-vancouver-bc-ca.md"]


def test_remote_canada_falls_under_bc(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    result = posting(hrdocs, workspace(), "2025-03-03", "Remote (CA)")
    assert result.code == 1
    assert "ca-bc: British Columbia" in result.err and "ca-pe: Prince Edward Island" in result.err


def test_open_ended_range_in_a_bc_posting_is_flagged(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    files = {
        "open.posting.md": "# Support Lead\n\nPay: $20+ per hour. Benefits: dental.\n",
        "closed.posting.md": "# Support Lead\n\nPay: $20 to $24 per hour. Benefits: dental.\n",
    }
    root = workspace(files=files)
    args = ("--date", "2025-03-03", "lint", "--format", "json", "--location", "Vancouver, BC, Canada")
    open_ended = hrdocs(*args, "open.posting.md", cwd=root)
    assert open_ended.code == 1
    messages = [f["message"] for f in yaml.safe_load(open_ended.out) if f["rule"] == "compliance.pay-range"]
    assert any(m.startswith("open-ended pay: British Columbia") for m in messages), messages
    closed = hrdocs(*args, "closed.posting.md", cwd=root)
    assert not [f for f in yaml.safe_load(closed.out) if f["rule"] == "compliance.pay-range"]
    # the same open-ended text for Denver: Colorado asks for a range, not for two ends of it
    denver = hrdocs(*args[:-1], "Denver, CO", "open.posting.md", cwd=root)
    assert not any(m["message"].startswith("open-ended") for m in yaml.safe_load(denver.out))


@pytest.mark.parametrize(("size", "refused"), [(10, False), (30, True)])
def test_toronto_depends_on_employer_size(
    hrdocs: Run, workspace: Callable[..., Path], size: int, refused: bool
) -> None:
    root = workspace(company={"postings": {"employer_size": size}})
    result = posting(hrdocs, root, "2026-02-01", "Toronto, ON, Canada")
    assert (result.code == 1) is refused, result.err
    assert ("ca-on: Ontario (since 2026-01-01, employers of 25+)" in result.err) is refused
    assert written(root) == ([] if refused else ["support-lead-toronto-on-ca.md"])


def test_toronto_range_width_reminders_and_canadian_experience(
    hrdocs: Run, workspace: Callable[..., Path]
) -> None:
    role = {
        "pay_range": {"min": 60000, "max": 120000, "currency": "CAD"},
        "qualifications": {"required": ["Canadian experience leading a support team."]},
    }
    root = workspace(role=role, company={"postings": {"employer_size": 30}})
    result = posting(hrdocs, root, "2026-02-01", "Toronto, ON, Canada")
    assert result.code == 0, result.err
    assert "Ontario allows a pay range at most 50,000 CAD wide; this one spans 60,000" in result.err
    assert "Ontario forbids asking for “Canadian experience”" in result.err
    assert "disclose any use of artificial intelligence" in result.err
    assert "existing vacancy" in result.err
    # a narrow range, no such wording, and before the rule: none of it
    root2 = workspace(role={**PAY_CAD}, company={"postings": {"employer_size": 30}})
    calm = posting(hrdocs, root2, "2026-02-01", "Toronto, ON, Canada", "--force")
    assert "allows a pay range" not in calm.err and "forbids" not in calm.err
    before = posting(hrdocs, root, "2025-12-31", "Toronto, ON, Canada", "--force")
    assert before.code == 0 and "Ontario" not in before.err


def test_pei(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    root = workspace()
    assert (
        "ca-pe: Prince Edward Island" in posting(hrdocs, root, "2022-06-01", "Charlottetown, PE, Canada").err
    )
    assert posting(hrdocs, root, "2022-05-31", "Charlottetown, PE, Canada").code == 0


def test_newfoundland_is_off_but_noted_and_can_be_switched_on(
    hrdocs: Run, workspace: Callable[..., Path]
) -> None:
    root = workspace()
    result = posting(hrdocs, root, "2026-02-01", "St. John's, NL, Canada")
    assert result.code == 0, result.err
    assert "Newfoundland and Labrador" in result.err and "NOT VERIFIED" in result.err
    # a company rules file switches it on with two lines
    rules = yaml.safe_dump({"rules": [{"id": "ca-nl", "in_force": "2026-01-01"}]})
    root = workspace(
        company={"postings": {"extra_rules_file": "pay-rules.yaml"}}, files={"pay-rules.yaml": rules}
    )
    on = posting(hrdocs, root, "2026-02-01", "St. John's, NL, Canada", "--force")
    assert on.code == 1 and "ca-nl: Newfoundland and Labrador (since 2026-01-01)" in on.err


def test_quebec_reminds_of_french_and_s46(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    result = posting(hrdocs, workspace(role=PAY_CAD), "2026-02-01", "Montreal, QC, Canada")
    assert result.code == 0, result.err
    assert "must state why the duties need it (s.46)" in result.err


# ---------------------------------------------------------------------------------------------- EU
def test_germany_after_the_deadline_is_a_note_not_an_error(
    hrdocs: Run, workspace: Callable[..., Path]
) -> None:
    root = workspace()
    result = posting(hrdocs, root, "2026-07-01", "Berlin, Germany")
    assert result.code == 0, result.err
    assert "not yet transposed in DE (as of June 2026): a pay range recommended, not required" in result.err
    assert written(root) == ["support-lead-berlin-de.md"]
    assert "Berlin" in (root / "output/postings/support-lead-berlin-de.md").read_text()
    # before the deadline: nothing at all
    before = posting(hrdocs, root, "2026-06-06", "Berlin, Germany", "--force")
    assert before.code == 0 and "transposed" not in before.err


def test_italy_has_its_law(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    root = workspace()
    result = posting(hrdocs, root, "2027-02-01", "Milan, Italy")
    assert result.code == 1
    assert "eu-it: Italy" in result.err and "eu-directive" not in result.err
    earlier = posting(hrdocs, root, "2026-06-01", "Milan, Italy")
    assert earlier.code == 0 and "eu-" not in earlier.err and "pay range" not in earlier.err


def test_a_company_switches_a_pending_national_law_on(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    rules = yaml.safe_dump({"rules": [{"id": "eu-de", "in_force": "2027-01-01"}]})
    root = workspace(
        company={"postings": {"extra_rules_file": "pay-rules.yaml"}}, files={"pay-rules.yaml": rules}
    )
    assert "not yet transposed in DE" in posting(hrdocs, root, "2026-12-31", "Berlin, Germany").err
    after = posting(hrdocs, root, "2027-02-01", "Berlin, Germany", "--force")
    assert after.code == 1 and "eu-de: Germany" in after.err


def test_poland_recommends(hrdocs: Run, workspace: Callable[..., Path]) -> None:
    result = posting(hrdocs, workspace(), "2026-01-15", "Warsaw, Poland")
    assert result.code == 0, result.err
    assert "Poland (Labour Code art. 18³ᶜᵃ) (in force since 2025-12-24)" in result.err


# -------------------------------------------------------------------------------------------- docs
def test_docs_table_is_the_data() -> None:
    text = (Path(__file__).parents[1] / "docs/postings.md").read_text("utf-8")
    table = text.split("<!-- pay-rules -->\n", 1)[1].split("\n<!-- /pay-rules -->", 1)[0]
    assert table == rules_table(load_rules()), (
        "run rules_table(load_rules()) and paste it into docs/postings.md"
    )
    assert "| `ca-nl` | Newfoundland and Labrador | all | pay range | no — " in table

"""``hrdocs compare``: a column per role, a row per duty area, checked cell by cell against the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import html5lib
import pytest

from hrdocs.api import Session, document, generate
from hrdocs.compare import comparison_data
from hrdocs.docmodel import Document, Table, parse_markdown
from hrdocs.errors import ValidationFailed
from tests.conftest import Outcome
from tests.seed_duties import SEED_DUTIES

XHTML = "{http://www.w3.org/1999/xhtml}"
TODAY = date(2025, 3, 3)


def comparison(session: Session, roles: list[str]) -> Document:
    """The comparison's document model, as the library makes it for ``hrdocs compare``."""
    return document(session, "comparison", {"roles": roles})


@pytest.fixture
def plain(make_workspace: Callable[..., Path]) -> Session:
    """A company without preferred terms, so duties appear exactly as the catalogue words them."""
    return Session(make_workspace(), today=TODAY)


def duty_table(session: Session, roles: list[str]) -> tuple[list[str], dict[str, list[list[str]]]]:
    """The DOCX's duty table: header, and per area name the lines of each role's cell."""
    data = session.writers()["docx"](comparison(session, roles))
    path = session.workspace.root / "cmp.docx"
    path.write_bytes(data)
    tables = docx.Document(str(path)).tables
    table = tables[-1]
    header = [c.text for c in table.rows[0].cells]
    cells = {row.cells[0].text: [c.text.split("\n") for c in row.cells[1:]] for row in table.rows[1:]}
    return header, cells


def test_docx_table_has_every_duty_in_the_right_cell(plain: Session) -> None:
    names = ["hr-executive", "hr-generalist"]
    header, cells = duty_table(plain, names)
    assert header == ["Duty area", "HR Executive", "HR Generalist"]
    roles = [plain.role(n) for n in names]
    areas = [a for a in plain.catalogue.areas.values() if any(r.duties_in(a.id) for r in roles)]
    assert list(cells) == [a.name for a in areas]  # one row per area, in catalogue order
    for area in areas:
        for k, role in enumerate(roles):
            expected = [f"• {d}" for d in role.duties_in(area.id)] or ["—"]
            assert cells[area.name][k] == expected, (area.name, role.id)


@pytest.mark.parametrize(("role", "area", "seed", "phrases"), SEED_DUTIES)
def test_every_seed_duty_lands_in_its_role_and_area(
    plain: Session, role: str, area: str, seed: str, phrases: tuple[str, ...]
) -> None:
    doc = comparison(plain, ["hr-executive", "hr-generalist"])
    table = [b for b in doc.blocks if isinstance(b, Table)][-1]
    column = 1 + ["hr-executive", "hr-generalist"].index(role)
    name = plain.catalogue.areas[area].name
    row = next(r for r in table.rows if "".join(s.text for s in r[0]) == name)
    cell = "".join(s.text for s in row[column]).lower()
    other = "".join(s.text for s in row[3 - column]).lower()
    other_role = plain.role(["hr-executive", "hr-generalist"][2 - column])
    for phrase in (p.lower() for p in phrases):
        assert phrase in cell, (seed, phrase)
        assert (phrase in other) == any(phrase in d.lower() for d in other_role.duties_in(area))


def test_three_roles_with_areas_only_some_have(plain: Session) -> None:
    names = ["software-engineer", "customer-success-manager", "hr-coordinator"]
    header, cells = duty_table(plain, names)
    assert header == ["Duty area", "Software Engineer", "Customer Success Manager", "HR Coordinator"]
    assert cells["Delivery"][1] == ["—"] and cells["Delivery"][2] == ["—"]
    assert cells["Collaboration"][2] == ["—"]
    assert len(cells["Collaboration"][0]) == 4 and len(cells["Collaboration"][1]) == 4
    assert cells["HR Operations"][0] == ["—"]


def test_summary_says_how_the_roles_differ(plain: Session) -> None:
    text = comparison(plain, ["executive", "generalist"]).plain_text()
    assert "Level: HR Executive: Executive; HR Generalist: Mid-level." in text
    assert "Reports to: HR Executive: —; HR Generalist: HR Executive." in text
    assert "Reporting: the HR Generalist reports to the HR Executive." in text
    assert "Same for both roles: Department, Employment type, and FLSA status." in text
    assert "Focus of the HR Executive: The HR Executive sets the direction" in text
    assert "Most of its 18 duties are in HR Operations (6 of 18)." in text
    assert "Its 16 duties are spread evenly over 4 areas." in text

    text = comparison(plain, ["software-engineer", "hr-coordinator"]).plain_text()
    assert "FLSA status: Software Engineer: Exempt; HR Coordinator: Non-exempt." in text
    assert "Only this role covers Delivery, Quality, and Collaboration." in text


def test_comparison_data_is_plain_facts(plain: Session) -> None:
    data = comparison_data(plain, [plain.role("executive"), plain.role("generalist")])
    level = next(f for f in data["facts"] if f["label"] == "Level")
    assert level == {"label": "Level", "by_role": ["Executive", "Mid-level"], "differ": True}
    assert [a["id"] for a in data["areas"]] == [
        "strategic-planning",
        "policy-formation",
        "employee-relations",
        "hr-operations",
    ]


def test_html_and_markdown(plain: Session) -> None:
    doc = comparison(plain, ["executive", "generalist"])
    writers = plain.writers()
    md = writers["md"](doc).decode()
    assert md.startswith("# HR Executive vs HR Generalist\n")
    assert "<br>• " in md
    assert parse_markdown(md).plain_text() == doc.plain_text()
    root = html5lib.HTMLParser(strict=True).parse(writers["html"](doc).decode())
    table = root.find(f".//{XHTML}table")
    assert [th.text for th in table.findall(f"{XHTML}thead/{XHTML}tr/{XHTML}th")] == [
        "Duty area",
        "HR Executive",
        "HR Generalist",
    ]
    first = table.find(f"{XHTML}tbody/{XHTML}tr")
    assert "".join(first.find(f"{XHTML}th").itertext()) == "Strategic Planning"
    assert len(first.find(f"{XHTML}td").findall(f"{XHTML}br")) == 3  # four duties, three breaks


def test_roles_are_checked(plain: Session) -> None:
    with pytest.raises(ValidationFailed, match="input: roles: name at least two roles to compare"):
        comparison(plain, ["executive"])
    with pytest.raises(ValidationFailed, match="input: roles: names a role twice"):
        comparison(plain, ["executive", "hr-executive"])


def test_cli(tmp_path: Path, hrdocs: Callable[..., Outcome]) -> None:
    result = hrdocs("compare", "executive", "generalist", "--format", "docx,html,md", cwd=tmp_path)
    folder = tmp_path / "output/comparisons"
    assert result.code == 0, result.err
    assert result.out.split() == [
        str(folder / f"hr-executive-vs-hr-generalist.{s}") for s in ("docx", "html", "md")
    ]
    assert hrdocs("compare", "executive", "generalist", cwd=tmp_path).code == 1  # exists: kept
    assert hrdocs("compare", "executive", "generalist", "--force", cwd=tmp_path).code == 0
    one = hrdocs("compare", "executive", cwd=tmp_path)  # one ROLE is a usage error
    assert one.code == 2 and "name at least two roles to compare" in one.err
    assert hrdocs("compare", cwd=tmp_path).code == 2
    unknown = hrdocs("compare", "executive", "generalst", cwd=tmp_path)
    assert unknown.code == 1 and "roles[1]: unknown role `generalst`" in unknown.err
    assert "did you mean `generalist`" in unknown.err
    assert hrdocs("compare", "executive", "generalist", "--format", "json", cwd=tmp_path).code == 2


def test_library_api(tmp_path: Path) -> None:
    session = Session(tmp_path)
    written = generate(session, "comparison", {"roles": ["recruiter", "senior-recruiter"]}, formats=["md"])
    assert written.paths == [tmp_path / "output/comparisons/recruiter-vs-senior-recruiter.md"]
    assert written.kind == "comparison"
    assert "Senior Recruiter" in written.paths[0].read_text()

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hrdocs.catalogue import Catalogue
from hrdocs.errors import UnknownName, ValidationFailed
from hrdocs.workspace import Workspace
from tests.seed_duties import SEED_DUTIES
from tests.util import write_files

SEED_AREAS = ["strategic-planning", "policy-formation", "employee-relations", "hr-operations"]


@pytest.fixture
def builtin() -> Catalogue:
    return Catalogue(Workspace.at(Path(__file__).parent))  # a folder with no roles/ of its own


def test_builtin_catalogue_has_the_seed_roles_and_more(builtin: Catalogue) -> None:
    roles = builtin.all()
    ids = {r.id for r in roles}
    assert {"hr-executive", "hr-generalist"} <= ids
    assert len(ids) >= 8
    assert list(builtin.areas)[:4] == SEED_AREAS
    generalist = builtin.get("generalist")
    assert generalist.id == "hr-generalist"
    assert generalist.reports_to is not None and generalist.reports_to.id == "hr-executive"
    assert [g.area.id for g in generalist.duty_groups] == SEED_AREAS


@pytest.mark.parametrize(("role", "area", "seed", "phrases"), SEED_DUTIES)
def test_every_seed_duty_is_in_the_catalogue(
    builtin: Catalogue, role: str, area: str, seed: str, phrases: tuple[str, ...]
) -> None:
    text = " ".join(builtin.get(role).duties_in(area)).lower()
    for phrase in phrases:
        assert phrase.lower() in text, f"{role}/{area}: seed duty {seed!r} is missing"


def test_seed_count() -> None:
    assert sum(1 for r, *_ in SEED_DUTIES if r == "hr-executive") == 15
    assert sum(1 for r, *_ in SEED_DUTIES if r == "hr-generalist") == 13


def test_duties_are_sentences(builtin: Catalogue) -> None:
    for role in builtin.all():
        for group in role.duty_groups:
            for duty in group.duties:
                assert duty[0].isupper() and duty.endswith("."), f"{role.id}: {duty!r}"


def test_unknown_role_suggests_the_closest(builtin: Catalogue) -> None:
    with pytest.raises(UnknownName) as err:
        builtin.get("generalst")
    assert "generalist" in err.value.suggestions
    assert "did you mean" in str(err.value)


def test_prefix_and_alias_lookup(builtin: Catalogue) -> None:
    assert builtin.get("hr-gen").id == "hr-generalist"
    assert builtin.get("executive").id == "hr-executive"
    assert builtin.get("HRBP").id == "hr-business-partner"


ROLE = textwrap.dedent("""
    id: {id}
    title: {title}
    department: Sales
    employment_type: full-time
    flsa_status: exempt
    summary: Sells things.
    duties:
      strategic-planning:
        - Plans the sales year.
""")


def test_workspace_overrides_builtin_by_name_and_adds_roles(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "roles/hr-generalist.yaml": ROLE.format(id="hr-generalist", title="People Generalist"),
            "roles/account-executive.yaml": ROLE.format(id="account-executive", title="Account Executive"),
        },
    )
    cat = Catalogue(Workspace.at(tmp_path))
    assert cat.get("hr-generalist").title == "People Generalist"
    assert cat.get("account-executive").source == tmp_path / "roles/account-executive.yaml"
    assert cat.get("hr-executive").title == "HR Executive"  # built-in still there


def test_extends_adds_and_replaces_duties(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "roles/senior-generalist.yaml": """
                id: senior-generalist
                extends: hr-generalist
                title: Senior HR Generalist
                duties:
                  hr-operations:
                    - Mentors the HR coordinators.
                replace_duties:
                  strategic-planning:
                    - Owns the yearly HR plan.
            """
        },
    )
    cat = Catalogue(Workspace.at(tmp_path))
    base, child = cat.get("hr-generalist"), cat.get("senior-generalist")
    assert child.title == "Senior HR Generalist"
    assert child.department == base.department and child.reports_to == base.reports_to
    assert child.duties_in("strategic-planning") == ("Owns the yearly HR plan.",)
    assert child.duties_in("hr-operations") == (
        *base.duties_in("hr-operations"),
        "Mentors the HR coordinators.",
    )
    assert child.duties_in("policy-formation") == base.duties_in("policy-formation")


def test_broken_files_are_reported_with_lines_but_do_not_block_others(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "roles/broken.yaml": """
                id: broken
                title: Broken
                duties:
                  sales-magic:
                    - Does magic.
            """,
            "roles/loop-a.yaml": "id: loop-a\nextends: loop-b\n",
            "roles/loop-b.yaml": "id: loop-b\nextends: loop-a\n",
            "roles/wrong-name.yaml": ROLE.format(id="other", title="Other"),
        },
    )
    cat = Catalogue(Workspace.at(tmp_path))
    assert cat.get("generalist").id == "hr-generalist"
    with pytest.raises(ValidationFailed) as err:
        cat.all()
    text = str(err.value)
    assert f"{tmp_path / 'roles/broken.yaml'}:4: duties.sales-magic: unknown duty area" in text
    assert "broken.yaml:1: department: required, but missing" in text
    assert "cycle: loop-a -> loop-b -> loop-a" in text or "cycle: loop-b -> loop-a -> loop-b" in text
    assert "wrong-name.yaml:1: id: must match the file name `wrong-name`" in text


def test_an_unreadable_role_file_is_named_when_its_alias_is_unknown(tmp_path: Path) -> None:
    """A typo in the generalist's own file must not read as "there is no such role"."""
    text = (Path(__file__).parents[1] / "roles/hr-generalist.yaml").read_text(encoding="utf-8")
    broken = text.replace("department:", "department: : [", 1)
    write_files(tmp_path, {"roles/hr-generalist.yaml": broken})
    with pytest.raises(UnknownName) as err:
        Catalogue(Workspace.at(tmp_path)).get("generalist")
    line = next(i for i, x in enumerate(broken.splitlines(), 1) if x.startswith("department:"))
    hint = err.value.hint or ""
    assert f"{tmp_path / 'roles/hr-generalist.yaml'} cannot be read (line {line}: YAML: " in hint
    assert hint.endswith("and may define `generalist`")
    with pytest.raises(UnknownName) as err:  # nothing unreadable: no such hint
        Catalogue(Workspace.at(tmp_path / "elsewhere")).get("nosuchrole")
    assert "cannot be read" not in (err.value.hint or "")


def test_unknown_reports_to_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {"roles/x.yaml": ROLE.format(id="x", title="X") + "reports_to: chief-of-fun\n"})
    with pytest.raises(ValidationFailed, match="reports_to: unknown role `chief-of-fun`"):
        Catalogue(Workspace.at(tmp_path)).get("x")

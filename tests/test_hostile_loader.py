"""Hostile YAML and JSON: what a careless user or an attacker hands the one loader (issue 12).

Every file hrdocs reads as data goes through :mod:`hrdocs.loader` (and, for JSON data files,
:mod:`hrdocs.datafile`). Each case here is met through the command a user would run: one located
error (``file:line: field: message``), exit 1, no value of the file printed, nothing written. The
generated cases (Hypothesis) hold the loader's duplicate-key and date checks, and its reading of
ordinary YAML, against what PyYAML's ``safe_load`` and the calendar say.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdocs.datafile import parse_json, read_data_file
from hrdocs.errors import ValidationFailed
from hrdocs.loader import MAX_ALIASED, compose_yaml, parse_yaml
from tests.conftest import Outcome

Run = Callable[..., Outcome]

SECRET = "Zebulon Quartermaine"
"""A candidate's name no message may print."""
OFFER_FIELDS = {
    "candidate": SECRET,
    "role": "generalist",
    "salary": 73517,
    "start": "2027-01-04",
    "manager": "Dana Whitfield",
    "location": "Denver, CO",
}
OFFER = "".join(f"{key}: {value}\n" for key, value in OFFER_FIELDS.items())
"""A valid offer's data file: each test breaks one thing in it."""

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
"""Nine levels of nine aliases: under 1 KB of text standing for 9⁹ (387 million) values."""


def offer(hrdocs: Run, ws: Path, data_file: str) -> Outcome:
    return hrdocs("--date", "2026-12-01", "offer", "--data", data_file, cwd=ws)


def refused(result: Outcome, *parts: str) -> str:
    """The error of a refused command: exit 1, each part in it, no personal value, no traceback."""
    assert result.code == 1, (result.code, result.err)
    for part in parts:
        assert part in result.err, (part, result.err)
    for secret in (SECRET, "Zebulon", "73517", "99999"):
        assert secret not in result.err + result.out
    assert "Traceback" not in result.err and "internal error" not in result.err
    return result.err


def nothing_written(ws: Path) -> None:
    written = [p for p in (ws / "output").rglob("*") if p.is_file()] if (ws / "output").exists() else []
    assert written == []


# ------------------------------------------------------------------------------- duplicate keys
def test_a_key_twice_in_a_data_file_is_refused_with_both_lines(hrdocs: Run, make_workspace: Any) -> None:
    ws = make_workspace({"jane.yaml": OFFER + "salary: 99999\n"})
    refused(offer(hrdocs, ws, "jane.yaml"), "jane.yaml:7: salary: given twice (first on line 3)")
    nothing_written(ws)
    ws = make_workspace({"jane.yaml": OFFER.replace("salary: 73517", "Salary: 73517") + "salary: 99999\n"})
    refused(offer(hrdocs, ws, "jane.yaml"), "jane.yaml:7: salary: given twice (first on line 3 as `Salary`")
    ws = make_workspace(
        {
            "jane.yaml": OFFER.replace(
                f"candidate: {SECRET}", f"candidate:\n  name: {SECRET}\n  full_name: Zebulon Q"
            )
        }
    )
    refused(offer(hrdocs, ws, "jane.yaml"), "jane.yaml:3: candidate: given twice (first on line 2")


def test_a_key_twice_in_a_json_data_file_is_refused_with_both_lines(hrdocs: Run, make_workspace: Any) -> None:
    fields = OFFER_FIELDS
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in fields.items()]
    text = "{\n" + "\n".join(lines) + '\n  "salary": 99999\n}\n'
    ws = make_workspace({"jane.json": text})
    refused(offer(hrdocs, ws, "jane.json"), "jane.json:8: salary: given twice (first on line 4)")
    nothing_written(ws)
    nested = '{"candidate": {"name": "Zebulon", "name": "Zebulon Quartermaine"}, "role": "generalist"}'
    ws = make_workspace({"jane.json": nested})
    refused(offer(hrdocs, ws, "jane.json"), "jane.json:1: candidate.name: given twice (first on line 1)")


def test_company_name_twice_in_the_settings_is_refused(hrdocs: Run, make_workspace: Any) -> None:
    settings_text = "company:\n  name: Acme\n  legal_name: Acme LLC\n  name: Other\n"
    ws = make_workspace({"hrdocs.yaml": settings_text})
    refused(hrdocs("roles", cwd=ws), "hrdocs.yaml:4: company.name: given twice (first on line 2)")


def test_a_title_twice_in_a_role_is_refused(hrdocs: Run, make_workspace: Any) -> None:
    role = (Path(__file__).parent.parent / "roles" / "hr-coordinator.yaml").read_text(encoding="utf-8")
    role = role.replace("\ntitle: HR Coordinator\n", "\ntitle: HR Coordinator\ntitle: Chief Everything\n", 1)
    ws = make_workspace({"roles/hr-coordinator.yaml": role})
    refused(hrdocs("roles", cwd=ws), "roles/hr-coordinator.yaml:3: title: given twice (first on line 2)")


def test_a_key_twice_in_a_plan_entry_is_refused_and_nothing_is_written(
    hrdocs: Run, make_workspace: Any
) -> None:
    plan = "documents:\n  - kind: offer\n" + "".join(f"    {line}\n" for line in OFFER.splitlines())
    plan += "    salary: 99999\n"
    ws = make_workspace({"plan.yaml": plan})
    refused(
        hrdocs("batch", "plan.yaml", cwd=ws),
        "plan.yaml:9: documents[0].salary: given twice (first on line 5)",
    )
    nothing_written(ws)


# --------------------------------------------------------------------------------------- aliases
def test_a_billion_laughs_is_refused_quickly_in_bounded_memory(hrdocs: Run, make_workspace: Any) -> None:
    assert len(BILLION_LAUGHS.encode()) < 1024
    ws = make_workspace({"bomb.yaml": BILLION_LAUGHS})
    tracemalloc.start()
    began = time.perf_counter()
    try:
        result = offer(hrdocs, ws, "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - began < 5
    assert peak < 50 * 2**20
    refused(result, "bomb.yaml:8: aliases repeat the value anchored here", f"over {MAX_ALIASED:,} values")
    nothing_written(ws)
    ws = make_workspace(
        {
            "hrdocs.yaml": "company:\n  name: Acme\n"
            + BILLION_LAUGHS.replace("\n", "\n  ").join(["x:\n  ", ""])
        }
    )
    refused(hrdocs("roles", cwd=ws), "hrdocs.yaml:", "aliases repeat")


def test_an_alias_that_holds_itself_is_refused() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_yaml("a: &a\n  b: *a\n", "loop.yaml")
    assert str(err.value.problems[0]) == (
        "loop.yaml:2: a.b: an alias here stands for a value that holds it (a loop); write it out"
    )


def test_ordinary_anchors_and_merge_keys_still_work(hrdocs: Run, make_workspace: Any) -> None:
    """A plan whose first entry is anchored and merged into the others reads as if written out."""
    plan = (
        "documents:\n  - &first\n    kind: offer\n    candidate: Person Zero\n    role: generalist\n"
        "    salary: 70000\n    start: 2027-01-04\n    manager: Dana Whitfield\n    location: Denver, CO\n"
        "  - <<: *first\n    candidate: Person One\n  - {<<: *first, candidate: Person Two, salary: 70002}\n"
    )
    data, _ = parse_yaml(plan, "plan.yaml")
    first, _one, two = data["documents"]
    assert two == {**first, "candidate": "Person Two", "salary": 70002}
    ws = make_workspace({"plan.yaml": plan})
    result = hrdocs("--date", "2026-12-01", "batch", "plan.yaml", cwd=ws)
    assert result.code == 0, result.err
    assert len(list((ws / "output" / "offers").glob("*.docx"))) == 3


def test_a_long_plan_reusing_its_defaults_stays_inside_the_alias_bound() -> None:
    entries = "".join(f"  - <<: *d\n    candidate: Person {i}\n" for i in range(3000))
    text = "defaults: &d {kind: offer, role: generalist, start: 2027-01-04, manager: M}\ndocuments:\n"
    data, lines = parse_yaml(text + entries, "plan.yaml")
    assert len(data["documents"]) == 3000 and lines.line(("documents", 2999)) == 3 + 2 * 2999


# ------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-02-30", "February has 28 days in 2025"),
        ("2024-02-30", "February has 29 days in 2024"),
        ("2025-04-31", "April has 30 days"),
        ("2025-13-01", "there is no month 13; months go from 01 to 12"),
        ("2025-00-10", "there is no month 0; months go from 01 to 12"),
        ("0000-01-01", "there is no year 0000"),
        ("2025-01-01 25:00:00", "its time of day is past 23:59:59"),
    ],
)
def test_an_impossible_unquoted_date_in_a_data_file_is_located(
    hrdocs: Run, make_workspace: Any, value: str, reason: str
) -> None:
    ws = make_workspace({"jane.yaml": OFFER.replace("start: 2027-01-04", f"start: {value}")})
    refused(offer(hrdocs, ws, "jane.yaml"), f"jane.yaml:4: start: is not a real date ({reason})")
    nothing_written(ws)


def test_an_impossible_quoted_date_says_why_as_well(hrdocs: Run, make_workspace: Any) -> None:
    ws = make_workspace({"jane.yaml": OFFER.replace("start: 2027-01-04", 'start: "2027-02-29"')})
    refused(
        offer(hrdocs, ws, "jane.yaml"),
        "jane.yaml:4: start: is not a real date (February has 28 days in 2027)",
    )
    ws = make_workspace({"jane.json": json.dumps({**OFFER_FIELDS, "start": "2027-02-29"})})
    refused(
        offer(hrdocs, ws, "jane.json"),
        "jane.json:1: start: is not a real date (February has 28 days in 2027)",
    )


def test_an_impossible_date_in_a_plan_a_role_and_the_settings_is_located(
    hrdocs: Run, make_workspace: Any
) -> None:
    plan = "defaults:\n  start: 2027-02-29\ndocuments:\n  - kind: jd\n    role: generalist\n"
    ws = make_workspace({"plan.yaml": plan})
    refused(hrdocs("batch", "plan.yaml", cwd=ws), "plan.yaml:2: defaults.start: is not a real date (February")
    nothing_written(ws)
    role = "id: sales\ntitle: Sales\nsummary: 2025-06-31\n"
    ws = make_workspace({"roles/sales.yaml": role})
    refused(hrdocs("roles", cwd=ws), "roles/sales.yaml:3: summary: is not a real date (June has 30 days)")
    ws = make_workspace({"hrdocs.yaml": "company:\n  name: Acme\n  about: 2025-09-31\n"})
    refused(
        hrdocs("roles", cwd=ws), "hrdocs.yaml:3: company.about: is not a real date (September has 30 days)"
    )


# ------------------------------------------------------------------------------ files and values
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "jane.yaml",
            f"candidate: {SECRET}\nrole: g\u00e9n\u00e9raliste\n".encode("cp1252"),
            "jane.yaml:2: is not UTF-8 text",
        ),
        ("jane.yaml", "candidate: x\n".encode("utf-16"), "jane.yaml:1: is UTF-16 text; save it as UTF-8"),
        (
            "jane.yaml",
            f"candidate: {SECRET}\nrole: x\x00\n".encode(),
            "jane.yaml:2: contains a NUL character",
        ),
        ("jane.yaml", f"candidate: {SECRET}\nrole: x\x01\n".encode(), "jane.yaml:2: YAML: contains U+0001"),
        (
            "jane.yaml",
            f"candidate:\n\tname: {SECRET}\n",
            "jane.yaml:2: YAML: found character that cannot start any token (the line is indented with a tab",
        ),
        (
            "jane.yaml",
            f"- candidate: {SECRET}\n- role: generalist\n",
            "jane.yaml:1: must be a mapping of field: value, not a list",
        ),
        (
            "jane.json",
            '{"candidate": "Zebulon",\n "role": "generalist",\n}\n',
            "jane.json:3: JSON: a comma before `}`: JSON allows none after the last item",
        ),
        (
            "jane.json",
            '{"candidate": "Zebulon", "salary": 1e400}',
            "jane.json:1: salary: is too large a number to be right",
        ),
        (
            "jane.json",
            '{"candidate": "Zebulon", "salary": NaN}',
            "jane.json:1: salary: is not a number (NaN and Infinity are not JSON)",
        ),
        (
            "jane.yaml",
            OFFER.replace("salary: 73517", "salary: 1e400"),
            "jane.yaml:3: salary: must be a number",
        ),
        (
            "jane.yaml",
            OFFER.replace("salary: 73517", "salary: 1.0e+400"),
            "jane.yaml:3: salary: is too large a number to be right",
        ),
        (
            "jane.yaml",
            OFFER.replace("salary: 73517", "salary: .inf"),
            "jane.yaml:3: salary: is infinite or not a number",
        ),
        (
            "jane.yaml",
            OFFER.replace("salary: 73517", "salary: .NaN"),
            "jane.yaml:3: salary: is infinite or not a number",
        ),
        (
            "jane.yaml",
            OFFER.replace("salary: 73517", "salary: " + "7" * 5000),
            "jane.yaml:3: salary: is a number of more than 1,000 digits",
        ),
        (
            "jane.yaml",
            OFFER.replace(f"candidate: {SECRET}", "candidate: no"),
            "jane.yaml:1: candidate: must be text (in YAML, put yes, no, on or off in quotes)",
        ),
        (
            "jane.yaml",
            "candidate: !!python/object/apply:os.system ['echo pwned']\n",
            "jane.yaml:1: YAML: could not determine a constructor for the tag",
        ),
        (
            "jane.yaml",
            "candidate: x\n---\nrole: y\n",
            "jane.yaml:2: YAML: expected a single document in the stream, but found another",
        ),
        (
            "jane.yaml",
            "candidate: " + "[" * 60 + "]" * 60 + "\n",
            "jane.yaml:1: nested more than 50 levels deep",
        ),
        ("jane.yaml", "candidate: !!int Zebulon\n", "jane.yaml:1: candidate: is not a whole number"),
    ],
)
def test_a_hostile_data_file_gets_one_located_error(
    hrdocs: Run, make_workspace: Any, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    ws = make_workspace()
    (ws / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    refused(offer(hrdocs, ws, name), message)
    nothing_written(ws)
    assert not (tmp_path / "pwned").exists()


def test_python_tags_are_refused_in_the_settings(hrdocs: Run, make_workspace: Any, tmp_path: Path) -> None:
    evil = f"company:\n  name: !!python/object/apply:os.system ['touch {tmp_path / 'pwned'}']\n"
    ws = make_workspace({"hrdocs.yaml": evil})
    refused(
        hrdocs("roles", cwd=ws), "hrdocs.yaml:2: YAML: could not determine a constructor", "never objects"
    )
    assert not (tmp_path / "pwned").exists()


def test_settings_and_roles_that_are_not_mappings_or_not_text(hrdocs: Run, make_workspace: Any) -> None:
    ws = make_workspace({"hrdocs.yaml": "- company\n- voice\n"})
    refused(hrdocs("roles", cwd=ws), "hrdocs.yaml:1: must be a mapping of key: value, not a list")
    ws = make_workspace({"roles/sales.yaml": "id: sales\ntitle: no\n"})
    refused(
        hrdocs("roles", cwd=ws), "roles/sales.yaml:2: title: must be text (YAML reads yes, no, on and off"
    )


# ------------------------------------------------------------------------------------- generated
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
"""Plain words YAML 1.1 reads as booleans or null, not as text keys."""
_KEY = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).filter(lambda k: k not in _YAML_WORDS)
_SCALAR = st.one_of(
    st.integers(-(10**12), 10**12),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
    st.booleans(),
    st.none(),
    st.dates(),
)
_DOCUMENT = st.recursive(
    st.dictionaries(_KEY, _SCALAR, max_size=5),
    lambda inner: st.dictionaries(_KEY, st.one_of(inner, st.lists(inner, max_size=3)), max_size=4),
    max_leaves=20,
)
_FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(_DOCUMENT, st.data())
def test_generated_yaml_reads_as_safe_load_reads_it_and_a_repeated_key_is_found(
    doc: dict[str, Any], data: Any
) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
    assert parse_yaml(text, "g.yaml")[0] == yaml.safe_load(text)
    if not doc:
        return
    lines = text.splitlines()
    tops = [i for i, line in enumerate(lines) if not line.startswith((" ", "-"))]
    first = data.draw(st.sampled_from(tops))
    key = lines[first].split(":", 1)[0]
    copy = data.draw(st.sampled_from([i for i in tops if i > first] + [len(lines)]))
    repeated = [*lines[:copy], f"{key}: again", *lines[copy:]]
    with pytest.raises(ValidationFailed) as err:
        parse_yaml("\n".join(repeated) + "\n", "g.yaml")
    assert str(err.value.problems[0]) == f"g.yaml:{copy + 1}: {key}: given twice (first on line {first + 1})"


@_FAST
@given(st.integers(1, 9999), st.integers(0, 14), st.integers(0, 33))
def test_generated_unquoted_dates_are_read_or_refused_as_the_calendar_says(
    year: int, month: int, day: int
) -> None:
    text = f"start: {year:04d}-{month:02d}-{day:02d}\n"
    real = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    if real:
        assert parse_yaml(text, "d.yaml")[0] == {"start": dt.date(year, month, day)}
        return
    with pytest.raises(ValidationFailed) as err:
        parse_yaml(text, "d.yaml")
    problem = err.value.problems[0]
    assert (problem.line, problem.field) == (1, "start")
    assert problem.message.startswith("is not a real date (") and text[7:-1] not in problem.message


@_FAST
@given(
    st.dictionaries(_KEY, _SCALAR.filter(lambda v: not isinstance(v, dt.date)), min_size=1, max_size=8),
    st.data(),
)
def test_generated_json_finds_a_repeated_key_and_its_lines(doc: dict[str, Any], data: Any) -> None:
    items = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in doc.items()]
    text = "{\n" + ",\n".join(items) + "\n}\n"
    parsed, lines = parse_json(text, "g.json")
    assert parsed == doc and [lines.line((k,)) for k in doc] == list(range(2, len(doc) + 2))
    first = data.draw(st.integers(0, len(items) - 1))
    key = list(doc)[first]
    items.append(f"{json.dumps(key)}: 1")
    with pytest.raises(ValidationFailed) as err:
        parse_json("{\n" + ",\n".join(items) + "\n}\n", "g.json")
    assert (
        str(err.value.problems[0])
        == f"g.json:{len(items) + 1}: {key}: given twice (first on line {first + 2})"
    )


def test_the_lint_reader_gets_the_same_bounds() -> None:
    """``hrdocs lint`` reads the nodes of role files to locate its findings: the same checks apply."""
    with pytest.raises(ValidationFailed):
        compose_yaml(BILLION_LAUGHS, "bomb.yaml")
    node, lines = compose_yaml("a: 1\nb: [x, y]\n", "ok.yaml")
    assert node is not None and lines.line(("b", 1)) == 2


def test_a_data_file_of_json_keeps_the_lines_of_its_fields(tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text(
        '{\n "Candidate": {"name": "A"},\n "Start Date": "x"\n}\n', encoding="utf-8"
    )
    fields, lines = read_data_file(tmp_path / "d.json")
    assert lines == {"candidate": 2, "start_date": 3} and fields["candidate"] == "A"

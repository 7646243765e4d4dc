"""Templates: strict about undefined names, sandboxed, values escaped, preferred terms, tone."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from hrdocs.api import Session
from hrdocs.docmodel import Container, Document, Heading, ListBlock, Paragraph, Table, parse_markdown
from hrdocs.engines import engines, render_plain
from hrdocs.errors import TemplateError, UnknownName
from tests.util import write_files

NAMES = [
    "O'Brien",
    "Zoë",
    "José Ñúñez",
    "王小明",
    "Tom & Jerry <Ltd>",
    "*Star* _under_ #1",
    "1. Not a list",
    "- dash",
    "a\\b",
    "[link](http://x)",
    "&amp; entity",
]


def session_with(tmp_path: Path, templates: dict[str, str]) -> Session:
    write_files(tmp_path, {f"templates/{k}": v for k, v in templates.items()})
    return Session(tmp_path)


def render(session: Session, name: str, context: Mapping[str, Any]) -> Document:
    """Template ``name`` with ``context`` as a document model, the plain way (no masking, no cache)."""
    return render_plain(session, name, context, {}).document()


def render_both(session: Session, name: str, context: Mapping[str, Any]) -> Document:
    """:func:`render`, and the same through the cached engine every command uses: the same text."""
    doc = render(session, name, context)
    fast = engines(session).render(name, context, {}).document()
    assert fast.plain_text() == doc.plain_text()
    return doc


@pytest.mark.parametrize("cached", [False, True], ids=["plain", "cached"])
def test_undefined_variable_names_template_file_line_and_variable(tmp_path: Path, cached: bool) -> None:
    s = session_with(tmp_path, {"note.md.j2": "# Note\n\nHello\n\nDear {{ candidate.frist_name }},\n"})
    context = {"candidate": {"first_name": "Jane"}}
    with pytest.raises(TemplateError) as err:
        engines(s).render("note", context, {}) if cached else render(s, "note", context)
    message = str(err.value)
    assert f"{tmp_path / 'templates/note.md.j2'}:5" in message
    assert "frist_name" in message
    assert "Jane" not in message


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    s = session_with(tmp_path, {"note.md.j2": "# Note\n\n{% if x %}\nno end\n"})
    with pytest.raises(TemplateError, match=r"note\.md\.j2:\d+: syntax error"):
        render(s, "note", {"x": 1})


def test_unknown_template_kind_suggests(tmp_path: Path) -> None:
    with pytest.raises(UnknownName, match="job-description"):
        render(Session(tmp_path), "job-descripton", {})
    with pytest.raises(UnknownName, match="did you mean `job-description`"):
        engines(Session(tmp_path)).render("job-descripton", {}, {})


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ company.__class__ }}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ company._data }}",
        "{% include '../../etc/passwd' %}",
        "{% include '/etc/passwd' %}",
    ],
)
def test_template_injection_payloads_fail_clearly(tmp_path: Path, payload: str) -> None:
    s = session_with(tmp_path, {"evil.md.j2": f"# Evil\n\n{payload}\n"})
    from hrdocs.context import base_context

    with pytest.raises((TemplateError, UnknownName)):
        render(s, "evil", base_context(s.config, s.terms, today=s.today))


def test_no_live_objects_reach_templates(tmp_path: Path) -> None:
    s = session_with(tmp_path, {"probe.md.j2": "# P\n\n{{ role.source }}\n"})
    from hrdocs.context import jd_context

    with pytest.raises(TemplateError, match="source"):
        render(s, "probe", jd_context(s.role("generalist"), s.config, s.terms, today=s.today))


@pytest.mark.parametrize("name", NAMES)
def test_values_appear_exactly_as_given(tmp_path: Path, name: str) -> None:
    s = session_with(tmp_path, {"n.md.j2": "# Letter\n\nDear {{ name }},\n\n- {{ name }}\n"})
    doc = render_both(s, "n", {"name": name})
    assert isinstance(doc.blocks[1], Paragraph)
    assert doc.plain_text().splitlines()[1:] == [f"Dear {name},", name]


def test_preferred_terms_change_wording_but_never_values(tmp_path: Path) -> None:
    s = session_with(tmp_path, {"t.md.j2": "# T\n\nAll employees welcome {{ who }}.\n"})
    doc = render_both(s, "t", {"who": "Employees United"})  # a candidate's own words stay as given
    assert doc.plain_text().splitlines()[1] == "All team members welcome Employees United."


def test_by_tone_picks_the_company_phrasing(tmp_path: Path) -> None:
    s = session_with(tmp_path, {"t.md.j2": '# T\n\n{{ by_tone(formal="Dear", warm="Hi", plain="Hello") }}\n'})
    from hrdocs.context import base_context

    doc = render_both(s, "t", base_context(s.config, s.terms, today=s.today))
    assert doc.plain_text().splitlines()[1] == "Hi"  # the example company is warm


def test_by_tone_follows_a_voice_set_in_a_block(tmp_path: Path) -> None:
    """by_tone takes a short way through the sandbox, but not past a block's own ``voice``."""
    phrase = '{{ by_tone(formal="Dear", warm="Hi", plain="Hello") }}'
    text = (
        f"# T\n\n{phrase}\n\n{{% block b %}}{{% set voice = plain %}}{phrase}{{% endblock %}}\n\n\n"
        f"{{% block c %}}{{% set voice = formal %}}{phrase}{{% endblock %}}\n\n\n"
        f"{{% block d %}}{{% set other = formal %}}{phrase}{{% endblock %}}\n"
    )
    s = session_with(tmp_path, {"t.md.j2": text})
    from types import SimpleNamespace

    from hrdocs.context import base_context

    context = base_context(s.config, s.terms, today=s.today)
    context.update(plain=SimpleNamespace(tone="plain"), formal=SimpleNamespace(tone="formal"))
    assert render_both(s, "t", context).plain_text().splitlines()[1:] == ["Hi", "Hello", "Dear", "Hi"]


def test_markdown_reader_builds_the_model() -> None:
    doc = parse_markdown(
        "# Title\n\nSome **bold** and *it*.\n\n## Part\n\n- one\n- two\n  - nested\n\n1. first\n\n"
        "| A | B |\n|---|---|\n| x<br>y | z |\n\n::: signature\nMorgan Lee<br>Director\n:::\n"
    )
    assert doc.title == "Title"
    kinds = [type(b) for b in doc.blocks]
    assert kinds == [Heading, Paragraph, Heading, ListBlock, ListBlock, Table, Container]
    para = doc.blocks[1]
    assert [(s.text, s.bold, s.italic) for s in para.spans] == [
        ("Some ", False, False),
        ("bold", True, False),
        (" and ", False, False),
        ("it", False, True),
        (".", False, False),
    ]
    bullets = doc.blocks[3]
    assert not bullets.ordered and bullets.items[1].children[0].items[0].spans[0].text == "nested"
    table = doc.blocks[5]
    assert [s.text for s in table.rows[0][0]] == ["x", "\n", "y"]
    assert doc.blocks[6].name == "signature"

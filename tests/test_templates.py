"""Templates as recruiters change them: checks, variables, Word templates wired into generation, the
text -> Word export (same visible text), and the sandbox in both engines."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement

from hrdocs import api, docx_template
from hrdocs.api import Input, Session
from hrdocs.docx_export import ExportError, export_docx
from hrdocs.docx_template import DocxTemplate, DocxTemplateError
from hrdocs.engines import render_plain
from hrdocs.errors import HrdocsError, TemplateError, UsageError
from hrdocs.export import export_template
from hrdocs.kinds import Kind, registry, sample_contexts
from hrdocs.kinds.denial import denial_context, validate_denial
from hrdocs.kinds.localized import localize
from hrdocs.kinds.offer import offer_context, validate_offer
from hrdocs.shapes import shape_of, walk
from hrdocs.templates import word_values
from tests.util import cli, docx_lines, needs_libreoffice, pdf_text, write_files

ToneConfig = Callable[[str], str]
JD, OFFER, DENIAL = "job-description", "offer-letter", "denial-letter"


def word(path: Path, build: Callable[[DocumentObject], Any] | None = None, *paragraphs: str) -> Path:
    """A Word template as Word saves it, made with python-docx."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if build is not None:
        build(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


visible = docx_lines


def header_footer(data: bytes) -> list[str]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return [p.text for part in (section.header, section.footer) for p in part.paragraphs]


# ------------------------------------------------------------------------------------ check: text
BROKEN_TEXT = {
    "templates/job-description.md.j2": """\
        {% extends "_base.md.j2" %}
        {% block title %}{{ role.titel }}{% endblock %}
        {% block body %}
        We want a Rockstar.
        {% if role.level %}
        Level: {{ role.level | upcase }}
        {% endif %}
        {% for area in role.duty_areas %}
        - {{ area.nme }}
        {% endfor %}
        {{ salary }}
        {% endblock %}
    """,
    "templates/denial-letter.md.j2": "# X\n\n{% if x %}\nno end\n",
}


def test_check_reports_every_problem_of_text_templates_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, BROKEN_TEXT)
    monkeypatch.chdir(tmp_path)
    result = cli(capsys, "templates", "check")
    assert result.code == 1
    jd = "templates/job-description.md.j2"
    assert result.out.splitlines() == [
        "templates/denial-letter.md.j2:4: error: syntax error: Unexpected end of template. Jinja was looking "
        "for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed "
        "is 'if'.",
        f"{jd}:2: error: unknown variable `role.titel` (did you mean `role.title`?)",
        f"{jd}:4: error: uses `rockstar`, which the company voice avoids (voice.avoid in hrdocs.yaml)",
        f"{jd}:6: error: unknown filter `upcase`",  # inside an {% if %}: Jinja alone would not see it
        f"{jd}:9: error: unknown variable `area.nme` (did you mean `area.name`?)",
        f"{jd}:11: error: unknown variable `salary`",
    ]
    assert "error: 5 templates checked: 6 errors, 0 warnings" in result.err


def test_check_of_the_built_in_templates_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "-w", str(tmp_path), "templates", "check")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "templates checked: 0 errors, 0 warnings" in result.err


def test_check_renders_each_tone_to_find_what_only_running_finds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {"templates/job-description.md.j2": '# {{ role.title }}\n\n{{ by_tone(warm="Hi") }} there.\n'},
    )
    result = cli(capsys, "-w", str(tmp_path), "templates", "check", "job-description")
    assert result.code == 1
    assert result.out.startswith(str(tmp_path / "templates" / "job-description.md.j2:3: error: "))
    assert "by_tone() has no phrasing for tone 'formal'" in result.out


def test_check_warns_about_unused_templates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, {"templates/job-description.md.j2": "# {{ role.title }}\n"})
    word(tmp_path / "templates" / "job-description.docx", None, "{{ role.title }}")
    result = cli(capsys, "-w", str(tmp_path), "templates", "check")
    assert result.code == 0
    assert "job-description.md.j2: warning: not used: " in result.out


# ------------------------------------------------------------------------------------ check: Word
def _broken_word(document: DocumentObject) -> None:
    p = document.add_paragraph("Dear ")
    p.add_run("{{ candidate.frist").bold = True
    p._p.append(OxmlElement("w:proofErr"))  # Word's spelling marks between the runs of a tag
    p.add_run("_name }},")
    document.add_paragraph("Your pay: {{ offer.pay.amount | monye }}")
    document.add_paragraph("{%p if offer.bonus %}")
    document.add_paragraph("Bonus: {{ offer.bonus | upper if “yes” else ‘no’ }}")  # Word's quotes
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("All employees get a ninja badge.")
    document.sections[0].footer.paragraphs[0].text = "{{ company.nmae }}"


def test_check_reports_word_templates_by_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    word(tmp_path / "templates" / "offer-letter.docx", _broken_word)
    word(tmp_path / "templates" / "denial-letter.docx", None, "Hello", "{%p if denial.reapply %}", "Again")
    monkeypatch.chdir(tmp_path)
    result = cli(capsys, "templates", "check")
    assert result.code == 1
    offer = "templates/offer-letter.docx"
    assert result.out.splitlines() == [
        'templates/denial-letter.docx: body, paragraph 2 ("{%p if denial.reapply %}"): error: '
        "'{% if %}' is never closed (no '{% endif %}')",
        f'{offer}: body, paragraph 1 ("Dear {{{{ candidate.frist_name }}}},"): error: '
        "unknown variable `candidate.frist_name` "
        "(did you mean `candidate.first_name`, `candidate.last_name`?)",
        f'{offer}: body, paragraph 2 ("Your pay: {{{{ offer.pay.amount | monye }}}}"): error: '
        "unknown filter `monye` (did you mean `money`?)",
        f'{offer}: body, paragraph 6 ("All employees get a ninja badge."): error: uses `ninja`, which the '
        "company voice avoids (voice.avoid in hrdocs.yaml)",
        f'{offer}: body, paragraph 6 ("All employees get a ninja badge."): warning: uses `employees`; the '
        "company voice prefers `team members` (a Word template's wording is printed as written)",
        f'{offer}: footer 1, paragraph 1 ("{{{{ company.nmae }}}}"): error: unknown variable `company.nmae` '
        "(did you mean `company.name`?)",
    ]


def test_check_of_a_clean_word_template_renders_it_with_every_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    word(tmp_path / "templates" / "offer-letter.docx", None, "Hi", "{{ by_tone(warm=“Hello”) }}")
    result = cli(capsys, "-w", str(tmp_path), "templates", "check", "offer-letter")
    assert result.code == 1
    assert 'offer-letter.docx: body, paragraph 2 ("{{ by_tone(warm=“Hello”) }}"): error: ' in result.out
    assert "no phrasing for tone 'formal'" in result.out


# ----------------------------------------------------------------------------------------- vars
def test_vars_lists_names_types_examples_and_what_the_template_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(tmp_path), "templates", "vars", "offer-letter")
    assert result.code == 0, result.err
    rows = {line[3:].split()[0]: line for line in result.out.splitlines()[1:] if line[3:].strip()}
    assert rows["candidate.salutation_name"].startswith("*")
    assert "text" in rows["candidate.name"] and "Jane Q. Doe" in rows["candidate.name"]
    assert "number (may be empty)" in rows["offer.pay.per_period"]
    assert "list of objects" in rows["offer.contingencies"]
    assert "date" in rows["offer.start"]
    assert not rows["offer.pay.periods_per_year"].startswith("*")  # offered, but not used
    assert "filters: money, date, pay_range, join_and, terms" in result.out
    jd = cli(capsys, "-w", str(tmp_path), "templates", "vars", "job-description").out
    assert "role.duty_areas[].duties" in jd and "list of text" in jd


@pytest.mark.parametrize("kind", [JD, OFFER, DENIAL, "posting", "comparison"])
def test_every_kind_has_sample_data_and_docs_name_every_variable(tmp_path: Path, kind: str) -> None:
    samples = sample_contexts(Session(tmp_path), kind)
    assert samples and all("company" in s and "voice" in s for s in samples)
    docs = (Path(__file__).parent.parent / "docs" / "templates.md").read_text()
    missing = [v.name for v in walk(shape_of(samples)) if f"`{v.name}`" not in docs]
    assert not missing, f"docs/templates.md does not list {missing} (hrdocs templates vars {kind})"


# ------------------------------------------------------------------------- Word templates at work
def _jd_word(document: DocumentObject) -> None:
    document.sections[0].header.paragraphs[0].text = "{{ company.name }} — job description"
    p = document.add_paragraph("Role: ")
    p.add_run("{{ role.ti").bold = True
    p.add_run("tle }} ({{ role.department }})")
    document.add_paragraph("{%p if role.pay_range %}")
    document.add_paragraph("Pay: {{ role.pay_range | pay_range }}")
    document.add_paragraph("{%p endif %}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for area in role.duty_areas %}"
    table.cell(1, 0).text, table.cell(1, 1).text = "{{ area.name }}", "{{ area.duties | join_and }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("Reports to: {{ role.reports_to.title if role.reports_to else “nobody” }}")


def test_a_workspace_word_template_makes_the_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            "roles/hr-generalist.yaml": """\
                id: hr-generalist
                extends: hr-executive
                title: Pay & Benefits <Lead> "HR" 'Generalist'
                department: People & Culture
                reports_to: hr-executive
            """
        },
    )
    word(tmp_path / "templates" / "job-description.docx", _jd_word)
    compiled = []
    real = DocxTemplate.compile
    compile_ = lambda p, e, *t: compiled.append(p) or real(p, e, *t)  # noqa: E731
    monkeypatch.setattr(docx_template.DocxTemplate, "compile", compile_)
    result = cli(capsys, "-w", str(tmp_path), "jd", "--all")
    assert result.code == 0, result.err
    assert len(compiled) == 1  # compiled once for the whole run
    out = tmp_path / "output" / "job-descriptions" / "hr-generalist.docx"
    data = out.read_bytes()
    lines = visible(data)
    assert lines[0] == "Role: Pay & Benefits <Lead> \"HR\" 'Generalist' (People & Culture)"
    assert lines[1].startswith("Pay: $")
    assert "Employee Relations | " in "\n".join(lines)
    assert lines[-1] == "Reports to: HR Executive"
    assert header_footer(data)[0] == "Example Co. — job description"
    result = cli(capsys, "-w", str(tmp_path), "jd", "hr-generalist", "--force", "-f", "docx,html")
    assert result.code == 2
    assert "made from the Word template job-description.docx, which gives docx (and pdf) only, not html" in (
        result.err
    )


def test_generate_many_uses_the_text_template_when_no_word_one_wins(tmp_path: Path) -> None:
    session = Session(tmp_path)
    items = [Input({"who": "A & B"}, source="one.yaml")]
    write_files(tmp_path, {"templates/note.md.j2": "# Note\n\n{{ company.name }}: {{ who }}\n"})
    assert session.word_template("note") is None
    (written,) = api.generate_many(session, "note", items, formats=["txt"], out=tmp_path / "out", name="one")
    assert written.paths == [tmp_path / "out" / "one.txt"]
    assert written.paths[0].read_text().strip().endswith("Example Co.: A & B")
    written.paths[0].write_text("kept")
    with pytest.raises(HrdocsError, match="already exists"):
        api.generate_many(session, "note", items, formats=["txt"], out=tmp_path / "out", name="one")
    assert written.paths[0].read_text() == "kept"  # never overwritten


@needs_libreoffice
@pytest.mark.slow
def test_a_word_template_also_gives_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    word(tmp_path / "templates" / "job-description.docx", _jd_word)
    result = cli(capsys, "-w", str(tmp_path), "jd", "generalist", "-f", "docx,pdf")
    assert result.code == 0, result.err
    pdf = tmp_path / "output" / "job-descriptions" / "hr-generalist.pdf"
    assert pdf.is_file()
    assert "Role: HR Generalist" in pdf_text(
        tmp_path / "output" / "job-descriptions" / "hr-generalist.docx", tmp_path
    )


# ------------------------------------------------------------------------ text -> Word equivalence
TONES = ("formal", "warm", "plain")


def _workspace(tmp_path: Path, tone: str) -> Session:
    example = (Session(tmp_path).workspace.example_settings_file).read_text()
    text = example.replace("tone: warm", f"tone: {tone}").replace("logo: example-logo.png", "logo: null")
    if tone == "plain":  # and a company that leaves out the sign-off, at-will and the avoided words
        text = text.replace("  sign_off: Warm regards,\n", "").replace("at_will: true", "at_will: false")
    write_files(tmp_path, {"hrdocs.yaml": text})
    return Session(tmp_path, today=Session(tmp_path).today)


def _word_version(session: Session, kind: str) -> DocxTemplate:
    """The Word export of ``kind``, compiled; the file is removed again, so the text template makes
    ``kind`` in the session as before (and the two can be compared)."""
    export_template(session, kind, docx=True, force=True)
    path = session.workspace.root / "templates" / f"{kind}.docx"
    template = DocxTemplate.compile(path, session.env)
    path.unlink()
    return template


def prepare_language(session: Session, kind: Kind, data: Any) -> dict[str, Any]:
    """The template data the pipeline renders: the kind's, with its language applied."""
    prepared = kind.prepare(session, kind, data)
    localize(session, kind, prepared)
    return prepared.context


def _same(session: Session, kind: str, template: DocxTemplate, context: dict[str, Any]) -> None:
    assert session.word_template(kind) is None  # the text template makes the kind
    text = session.docx.render(render_plain(session, kind, context, {}).document())
    words = template.render(word_values(context))
    assert visible(words) == visible(text)
    assert header_footer(words) == header_footer(text)


OFFERS = {
    "salaried": {
        "salary": "72000",
        "bonus": "10% of base & more",
        "equity": "1,000 <options>",
        "sign_on": "5000",
    },
    "hourly": {
        "hourly_rate": "24.50",
        "flsa_status": "non-exempt",
        "hours_per_week": "20",
        "contingencies": "none",
    },
}


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("pay", sorted(OFFERS))
def test_word_export_of_the_offer_letter_gives_the_same_text(tmp_path: Path, tone: str, pay: str) -> None:
    session = _workspace(tmp_path, tone)
    template = _word_version(session, OFFER)
    raw = {
        "candidate": 'Tom & Jerry <Ltd> "O\'Brien"',
        "preferred_name": "Zoë",
        "role": "generalist",
        "start": "2099-01-05",
        "manager": "Dana O'Neil",
        "location": "Denver, CO",
        "address": ["12 Elm St & Co", "Denver, CO 80202"],
        "email": "zoe@example.org",
        **OFFERS[pay],
    }
    data = validate_offer(raw, session=session)
    _same(session, OFFER, template, offer_context(session, data))


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("stage", ["application", "interview", "final-round", "filled", "cancelled"])
def test_word_export_of_the_denial_letter_gives_the_same_text(tmp_path: Path, tone: str, stage: str) -> None:
    session = _workspace(tmp_path, tone)
    template = _word_version(session, DENIAL)
    raw = {"candidate": "Jane <Doe>", "role": "recruiter", "stage": stage, "reapply": stage != "filled"}
    data = validate_denial(raw, session=session)
    context = denial_context(session, data)
    kind = registry(session).get(DENIAL)  # the salutation and sign-off come with the language
    context["letter"] = prepare_language(session, kind, data)["letter"]
    _same(session, DENIAL, template, context)


@pytest.mark.parametrize("kind", [JD, "posting"])
def test_word_export_gives_the_same_text_for_every_sample(tmp_path: Path, kind: str) -> None:
    session = Session(tmp_path)
    template = _word_version(session, kind)
    contexts = sample_contexts(session, kind)
    assert contexts
    for context in contexts:
        _same(session, kind, template, context)


TORTURE = """\
{#- A template exercising what the export must get right. -#}
# {{ title }}

{% if intro %}
Intro line one
{% endif %}
continues the same paragraph{% if more %}, with more{% endif %}.
{% for x in items %}
{{ x }}
{% endfor %}

- first
{% for x in items %}
- item {{ x }}
  {% if x == "b" %}
  - nested {{ x }}
  {% endif %}
{% endfor %}
- last

| A | B |
|---|---|
{% for x in items %}
| {{ x }} | {{ loop.index }}<br>{{ x | upper }} |
{% endfor %}
| end | {% if more %}yes{% else %}no{% endif %} |

1. one
{% if more %}
2. two
{% endif %}
3. three

{% set greeting = "Hello" -%}
{{ greeting }} {{ title -}}
!

::: small
{{ title }} small print
:::
"""


@pytest.mark.parametrize("intro", [True, False])
@pytest.mark.parametrize("more", [True, False])
def test_word_export_of_a_torture_template(tmp_path: Path, intro: bool, more: bool) -> None:
    write_files(tmp_path, {"templates/torture.md.j2": TORTURE})
    session = Session(tmp_path)
    data = export_docx(session.env, "torture.md.j2", session.config, kind="torture")
    path = tmp_path / "torture.docx"
    path.write_bytes(data)
    template = DocxTemplate.compile(path, session.env)
    for items in ([], ["a"], ["a", "b & <c>", "d"]):
        context = {"title": "T & <U>", "intro": intro, "more": more, "items": items}
        _same(session, "torture", template, context)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("| A |\n|---|\n| {% for x in xs %}{{ x }} | {% endfor %}\n", "makes table cells"),
        (
            "{% macro m() %}x{% endmacro %}\n{{ m() }}\n",
            "`{% macro %}` cannot be turned into a Word template",
        ),
        ("{% include '_base.md.j2' %}\n", "`{% include %}` cannot"),
        (
            "Text {% if x %}more\n\nOther paragraph{% endif %}\n",
            "starts in one paragraph and ends in another",
        ),
    ],
)
def test_word_export_refuses_what_word_cannot_express(tmp_path: Path, source: str, message: str) -> None:
    write_files(tmp_path, {"templates/odd.md.j2": source})
    session = Session(tmp_path)
    with pytest.raises(ExportError, match=message) as caught:
        export_docx(session.env, "odd.md.j2", session.config, kind="odd")
    assert "odd.md.j2:" in str(caught.value)


def test_word_export_of_the_comparison_is_refused_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(tmp_path), "templates", "export", "comparison", "--docx")
    assert result.code == 1
    assert "comparison.md.j2:" in result.err and "makes table cells" in result.err
    assert not (tmp_path / "templates" / "comparison.docx").exists()


def test_exported_word_template_is_readable_and_guides_the_recruiter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "-w", str(tmp_path), "templates", "export", "offer-letter", "--docx").code == 0
    path = tmp_path / "templates" / "offer-letter.docx"
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    # the guidance is in the document properties; the page starts with the letter (tests/test_docx_export.py)
    assert "Word template made by hrdocs from offer-letter.md.j2" in document.core_properties.comments
    assert not texts[0].startswith("{")
    assert "{%p if offer.bonus %}" in texts
    assert any(t.startswith("Dear {{ candidate.salutation_name }},") for t in texts)
    salaried = "{%tr if offer.pay.per_period is not none %}"
    assert any(salaried in c.text for t in document.tables for c in t._cells)
    assert document.styles["Title"] is not None and texts[1] != ""
    with zipfile.ZipFile(path) as archive:
        assert b"\xee\x84" not in archive.read("word/document.xml")  # no placeholder left behind
    assert "Offer letter" in document.core_properties.title
    assert not list((tmp_path / "templates").glob(".*"))  # the scratch copy used to check it is gone


# --------------------------------------------------------------------------------------- security
PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ self._TemplateReference__context }}",
    "{{ config }}",
    "{{ request }}",
    "{{ lipsum.__globals__ }}",
    "{{ '{0.__class__}'.format(company) }}",
    "{{ company.__class__.__init__.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% include '../hrdocs.yaml' %}",
    "{% include '../../../../../../etc/passwd' %}",
]
# test_render.py covers these for text templates already.
COVERED = {PAYLOADS[0], PAYLOADS[1], PAYLOADS[8]}


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HRDOCS_TEST_SECRET", "s3cr3t-value")
    return "s3cr3t-value"


def _sandbox_workspace(tmp_path: Path, secret: str) -> Path:
    example = (Session(tmp_path).workspace.example_settings_file).read_text()
    settings = example.replace("logo: example-logo.png", "logo: null") + f"\n# {secret}\n"
    return write_files(tmp_path / "ws", {"hrdocs.yaml": settings})


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p not in COVERED])
def test_injection_payloads_fail_clearly_in_text_templates(tmp_path: Path, payload: str, secret: str) -> None:
    ws = _sandbox_workspace(tmp_path, secret)
    write_files(ws, {"templates/job-description.md.j2": f"# T\n\n{payload}\n"})
    session = Session(ws)
    with pytest.raises(TemplateError) as caught:
        api.document(session, "jd", {"role": "generalist"})
    assert "job-description.md.j2:3" in str(caught.value)
    assert secret not in str(caught.value) and "root:" not in str(caught.value)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_fail_clearly_in_word_templates(
    tmp_path: Path, payload: str, secret: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _sandbox_workspace(tmp_path, secret)
    typed = payload.replace("'", "’")  # as Word types it
    word(ws / "templates" / "job-description.docx", None, "Title", typed)
    result = cli(capsys, "-w", str(ws), "jd", "generalist")
    assert result.code == 1
    assert f'job-description.docx: body, paragraph 2 ("{typed}")' in result.err
    assert secret not in result.err + result.out and "root:" not in result.err
    assert not (ws / "output").exists()


def test_check_refuses_python_internals_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"templates/job-description.md.j2": "# {{ role.title.__class__ }}\n"})
    result = cli(capsys, "-w", str(tmp_path), "templates", "check")
    assert result.code == 1
    assert "`role.title.__class__` is not allowed: templates cannot reach Python internals" in result.out


def test_word_templates_only_reach_the_template_folders(tmp_path: Path, secret: str) -> None:
    ws = _sandbox_workspace(tmp_path, secret)
    session = Session(ws)
    for name in ("/etc/passwd", "../hrdocs.yaml", str(ws / "hrdocs.yaml")):
        path = word(ws / "t.docx", None, f"{{% include '{name}' %}}")
        with pytest.raises(
            DocxTemplateError, match=r"^t\.docx: body, paragraph 1 .*passwd|hrdocs\.yaml"
        ) as caught:
            DocxTemplate.compile(path, session.env).render({})
        assert secret not in str(caught.value)


def test_a_word_template_asked_for_markdown_is_a_usage_error(tmp_path: Path) -> None:
    word(tmp_path / "templates" / "note.docx", None, "{{ company.name }}")
    session = Session(tmp_path)
    with pytest.raises(UsageError, match="gives docx"):
        api.generate(session, "note", {}, formats=["docx", "md"], out=tmp_path / "o", name="n")
    assert not (tmp_path / "o").exists()  # refused before anything is written
    (written,) = api.generate_many(
        session, "note", [Input({})], formats=["docx"], out=tmp_path / "o", name="n"
    )
    assert visible((tmp_path / "o" / "n.docx").read_bytes()) == ["Example Co."]
    assert written.paths == [tmp_path / "o" / "n.docx"]

"""`hrdocs templates export KIND --docx` writes a letter a recruiter can edit in Word: the company's
choices resolved from hrdocs.yaml, no Jinja code, and the same letter as the text template makes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import jinja2
import pytest

from hrdocs.api import Session
from hrdocs.docx_export import ExportError, Fixed, export_word
from hrdocs.docx_export.unparse import unparse
from hrdocs.docx_template import DocxTemplate
from hrdocs.engines import render_plain
from hrdocs.export import export_template, fixed_settings
from hrdocs.kinds import sample_contexts
from hrdocs.kinds.denial import denial_context, validate_denial
from hrdocs.kinds.offer import offer_context, validate_offer
from hrdocs.templates import word_values
from tests.util import cli, docx_lines, needs_libreoffice, pdf_text, write_files

OFFER, DENIAL = "offer-letter", "denial-letter"
TONES = ("formal", "warm", "plain")
CODE = re.compile(r"\{%-?p?\s*(set|macro|import|include)\b|\{\s*\"[^\"]*\"\s*:|by_tone|\{#")


paragraphs = docx_lines


def header_footer(data: bytes) -> list[str]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return [" ".join(p.text.split()) for part in (section.header, section.footer) for p in part.paragraphs]


def workspace(make_workspace: Any, tone: str, **offers: Any) -> Path:
    company: dict[str, Any] = {"voice": {"tone": tone}}
    if tone == "plain":  # no sign-off, no at-will clause: the other branch of those settings
        company["offers"] = {"at_will": False, **offers}
    else:
        company["voice"]["sign_off"] = "Yours," if tone == "formal" else "Warm regards,"
        company["offers"] = {"at_will": True, **offers}
    return make_workspace(company=company, name=f"ws-{tone}")


def exported(session: Session, kind: str) -> tuple[DocxTemplate, bytes]:
    """The Word export, compiled; the file is moved away so the text template makes ``kind`` again."""
    export_template(session, kind, docx=True, force=True)
    path = session.workspace.root / "templates" / f"{kind}.docx"
    kept = session.workspace.root / f"{kind}.exported.docx"
    shutil.move(path, kept)
    return DocxTemplate.compile(kept, session.env), kept.read_bytes()


def same_letter(session: Session, kind: str, template: DocxTemplate, context: dict[str, Any]) -> None:
    assert session.word_template(kind) is None  # the text template makes the kind
    text = session.docx.render(render_plain(session, kind, context, {}).document())
    words = template.render(word_values(context))
    assert paragraphs(words) == paragraphs(text)
    assert header_footer(words) == header_footer(text)


OFFERS: dict[str, dict[str, Any]] = {
    "salaried, extras, reports-to, remote, monthly": {
        "salary": "72000",
        "bonus": "10% of base & more",
        "equity": "1,000 <options>",
        "sign_on": "5000",
        "arrangement": "remote",
        "pay_frequency": "monthly",
        "reports_to": "VP of People",
        "address": ["12 Elm St & Co", "Denver, CO 80202"],
        "email": "zoe@example.org",
    },
    "hourly, non-exempt, hybrid, weekly, no contingencies": {
        "hourly_rate": "24.50",
        "flsa_status": "non-exempt",
        "hours_per_week": "20",
        "arrangement": "hybrid",
        "pay_frequency": "weekly",
        "contingencies": "none",
    },
    "every contingency, on-site, semimonthly": {
        "salary": "80000",
        "arrangement": "on-site",
        "pay_frequency": "semimonthly",
        "contingencies": ["background-check", "work-authorization", "references", "drug-test"],
    },
}


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("case", sorted(OFFERS))
def test_the_exported_offer_gives_the_text_templates_letter(
    make_workspace: Any, tone: str, case: str
) -> None:
    # a contingency with the company's own wording takes the `item.text` branch
    root = workspace(make_workspace, tone, contingency_texts=[{"id": "references", "text": "two references"}])
    session = Session(root)
    template, _ = exported(session, OFFER)
    raw = {
        "candidate": 'Tom & Jerry <Ltd> "O\'Brien"',
        "preferred_name": "Zoë",
        "role": "generalist",
        "start": "2099-01-05",
        "manager": "Dana O'Neil",
        "location": "Denver, CO",
        **OFFERS[case],
    }
    same_letter(session, OFFER, template, offer_context(session, validate_offer(raw, session=session)))


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("stage", ["application", "interview", "final-round", "filled", "cancelled"])
def test_the_exported_denial_gives_the_text_templates_letter(
    make_workspace: Any, tone: str, stage: str
) -> None:
    session = Session(workspace(make_workspace, tone))
    template, _ = exported(session, DENIAL)
    for reapply in (True, False):
        raw = {"candidate": "Jane <Doe>", "role": "recruiter", "stage": stage, "reapply": reapply}
        same_letter(session, DENIAL, template, denial_context(session, validate_denial(raw, session=session)))


@pytest.mark.parametrize("kind", ["job-description", "posting"])
def test_the_other_exportable_kinds_give_the_same_text(make_workspace: Any, kind: str) -> None:
    session = Session(workspace(make_workspace, "formal"))
    template, data = exported(session, kind)
    contexts = sample_contexts(session, kind)
    assert contexts
    for context in contexts:
        same_letter(session, kind, template, context)
    assert not [p for p in paragraphs(data) if CODE.search(p)]


@pytest.mark.parametrize("kind", [OFFER, DENIAL])
def test_the_export_reads_as_a_letter(make_workspace: Any, kind: str) -> None:
    session = Session(workspace(make_workspace, "warm"))
    template, data = exported(session, kind)
    lines = paragraphs(data)
    context = sample_contexts(session, kind)[0]
    letter = paragraphs(session.docx.render(render_plain(session, kind, context, {}).document()))
    # the letter's own first line (its title), with values as tags: no guidance, no code
    assert paragraphs(template.render(word_values(context)))[0] == letter[0]
    assert "{%" not in lines[0] and "{#" not in lines[0] and "hrdocs" not in lines[0]
    assert letter[0].startswith(lines[0].split("{{")[0])
    assert any(line.startswith("Dear ") for line in paragraphs(template.render(word_values(context)))[:6])
    assert len([line for line in lines[:6] if line.startswith("{%")]) <= 1  # a letter, not code
    assert [line for line in lines if CODE.search(line)] == []
    assert not any("{%p if voice." in line or "{% if voice." in line for line in lines)  # tone resolved


def test_the_tone_is_chosen_at_export_time(make_workspace: Any, capsys: pytest.CaptureFixture[str]) -> None:
    texts = {}
    for tone in ("formal", "warm"):
        root = workspace(make_workspace, tone)
        result = cli(capsys, "-w", str(root), "templates", "export", OFFER, "--docx")
        assert result.code == 0, result.err
        assert f"tone: {tone} — re-export after changing hrdocs.yaml" in result.err.splitlines()
        assert "offers.at_will: yes — re-export after changing hrdocs.yaml" in result.err
        path = root / "templates" / f"{OFFER}.docx"
        texts[tone] = paragraphs(path.read_bytes())
        note = docx.Document(str(path)).core_properties.comments
        assert f"tone: {tone}" in note and f"hrdocs templates export {OFFER} --docx --force" in note
        assert "hrdocs" not in texts[tone][0]
    assert "Dear {{ candidate.name }}:" in texts["formal"]
    assert "Dear {{ candidate.salutation_name }}," in texts["warm"]
    assert "Dear {{ candidate.name }}:" not in texts["warm"]
    assert texts["formal"][0] != texts["warm"][0]  # "Offer of Employment" / "Your Offer to Join Us"


def test_a_letter_from_the_exported_template_is_the_text_templates_letter(
    make_workspace: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a recruiter does it: a letter, the export, the same letter again from the Word template;
    `templates check` passes, and LibreOffice opens the result."""
    root = workspace(make_workspace, "formal")
    offer = ["offer", "generalist", "--candidate", "Zoë O'Brien", "--salary", "72000",
             "--start", "2099-01-04", "--manager", "Dana Whitfield", "--location", "Denver, CO",
             "--date", "2026-12-01"]  # fmt: skip
    assert cli(capsys, "-w", str(root), *offer).code == 0
    (letter,) = (root / "output" / "offers").glob("*.docx")
    before = letter.read_bytes()
    assert cli(capsys, "-w", str(root), "templates", "export", OFFER, "--docx").code == 0
    check = cli(capsys, "-w", str(root), "templates", "check", OFFER)
    assert check.code == 0, check.out + check.err
    assert "error" not in check.out.replace("0 errors", "")
    assert cli(capsys, "-w", str(root), *offer, "--force").code == 0
    after = letter.read_bytes()
    assert after != before  # made by the Word template this time
    assert paragraphs(after) == paragraphs(before)
    assert header_footer(after) == header_footer(before)
    styles = docx.Document(io.BytesIO(after)).styles
    assert styles["Normal"].font.name == docx.Document(io.BytesIO(before)).styles["Normal"].font.name


@needs_libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_export_and_its_letter(make_workspace: Any, tmp_path: Path) -> None:
    session = Session(workspace(make_workspace, "warm"))
    template, data = exported(session, OFFER)
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "template.docx").write_bytes(data)
    assert paragraphs(data)[0] in " ".join(pdf_text(tmp_path / "export" / "template.docx", tmp_path).split())
    context = sample_contexts(session, OFFER)[0]
    path = tmp_path / "letter.docx"
    path.write_bytes(template.render(word_values(context)))
    text = pdf_text(path, tmp_path)
    assert "Dear " in text and "{{" not in text and "{%" not in text


# ------------------------------------------------------------------- resolving, on a template of our own
MEMO = """\
{% set stop = "" if company.name.endswith(".") else "." %}
{% set words = {"a": "the first choice", "b": "the second choice"} %}
{% set greeting = "Dear " ~ who %}
{% set picked = words[choice] %}
{% macro clause(kind) %}{{ kind }} terms, as {{ company.name }} sets them{% endmacro %}
# {{ by_tone(formal="Memorandum", warm="A note", plain="Note") }}

{{ greeting }},

{% if voice.tone == "formal" %}
We write on behalf of {{ company.name }}{{ stop }}
{% else %}
Hi from {{ company.name }}{{ stop }}
{% endif %}
You picked {{ words[choice] }}; {{ clause("standard") }}. Again: {{ picked | upper }}.
{% for benefit in company.benefits %}
- {{ benefit }}
{% endfor %}
{% if flag and voice.tone == "warm" %}
A flagged, warm line.
{% endif %}
"""


@pytest.mark.parametrize("tone", TONES)
def test_settings_sets_macros_and_lookups_are_resolved_generically(make_workspace: Any, tone: str) -> None:
    root = workspace(make_workspace, tone)
    write_files(root, {"templates/memo.md.j2": MEMO})
    session = Session(root)
    fixed = fixed_settings(session)
    assert isinstance(fixed, Fixed)
    result = export_word(
        session.env, "memo.md.j2", session.config, kind="memo", terms=session.terms, fixed=fixed
    )
    lines = paragraphs(result.data)
    assert lines[0] == {"formal": "Memorandum", "warm": "A note", "plain": "Note"}[tone]
    assert not [line for line in lines if CODE.search(line)]
    assert '{{ "Dear " ~ who }},' in lines  # a `set` made from per-letter data: written where it is used
    assert "Health insurance from day one" in lines  # a loop over a setting, written out
    assert any('{% if choice == "a" %}the first choice{% elif choice == "b" %}' in line for line in lines)
    assert any('{% if choice == "a" %}THE FIRST CHOICE{% elif' in line for line in lines)  # via a `set`
    assert any("standard terms, as Acme Widgets sets them" in line for line in lines)  # the macro, as text
    assert result.frozen["voice.tone"] == tone and "company.benefits" in result.frozen
    assert any("greeting" in k for k in result.kept)  # per-letter data: kept as a tag, and said
    path = root / "memo.docx"
    path.write_bytes(result.data)
    template = DocxTemplate.compile(path, session.env)
    for choice in ("a", "b"):
        for flag in (True, False):
            context = {**fixed.values, "who": "Ann & <Bo>", "choice": choice, "flag": flag}
            text = session.docx.render(render_plain(session, "memo", context, {}).document())
            assert paragraphs(template.render(word_values(context))) == paragraphs(text)


def test_a_macro_called_with_per_letter_data_is_refused_with_its_line(make_workspace: Any) -> None:
    root = workspace(make_workspace, "warm")
    write_files(root, {"templates/odd.md.j2": "{% macro m(x) %}[{{ x }}]{% endmacro %}\nHi {{ m(who) }}\n"})
    session = Session(root)
    with pytest.raises(ExportError, match="write the Word template by hand") as caught:
        export_word(session.env, "odd.md.j2", session.config, kind="odd", fixed=fixed_settings(session))
    assert "odd.md.j2:2:" in str(caught.value)


@pytest.mark.parametrize(
    "source",
    ["x[1:]", "x[::2]", 'a.b | join(", ")', "not (a and b)", "x is not none", '"s" if a | length > 1',
     'a ~ "b" ~ (c or d)', "-x + 2", '{"a": [1, 2]}', "f(1, k=v)[0].y", "a in b and c not in d"],
)  # fmt: skip
def test_an_expression_written_back_means_the_same(source: str) -> None:
    env = jinja2.Environment()
    node = env.parse("{{ " + source + " }}").body[0].nodes[0]  # type: ignore[attr-defined]
    again = env.parse("{{ " + unparse(node) + " }}").body[0].nodes[0]  # type: ignore[attr-defined]
    assert again == node


def test_an_export_as_a_new_kind_takes_the_offers_data(
    make_workspace: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    root = workspace(make_workspace, "warm")
    result = cli(capsys, "-w", str(root), "templates", "export", OFFER, "--docx", "--as", "internship-offer")
    assert result.code == 0, result.err
    lines = paragraphs((root / "templates" / "internship-offer.docx").read_bytes())
    assert lines[0] == "Your Offer to Join Us"  # the title first; the kind's line after it
    assert lines[1] == "{#p hrdocs: like offer-letter #}"
    write_files(root, {"jane.yaml": "candidate: Jane Roe\nrole: generalist\nsalary: 70000\n"
                       "start: 2099-02-01\nmanager: Dana Whitfield\nlocation: Denver, CO\n"})  # fmt: skip
    made = cli(capsys, "-w", str(root), "render", "internship-offer", "--data", str(root / "jane.yaml"))
    assert made.code == 0, made.err
    (letter,) = root.glob("output/**/*.docx")
    text = paragraphs(letter.read_bytes())
    assert "Dear Jane Roe," in text and not [line for line in text if "{" in line]

"""Documents in the candidate's language (issue 15, part B): each written through the CLI and read back.

Every language's denial letter, job description and posting is made by the real command, opened with
python-docx (and the HTML parsed for its ``lang``), and checked for that language's salutation,
sign-off, date and money forms, with known English boilerplate absent. A German and a French letter go
through LibreOffice to PDF and pdftotext. Then the refusals: a role without the language's text, an
unknown language, and a variant that lost a clause.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx

from hrdocs.language import LANGUAGES, family_name, salutation
from tests.conftest import Outcome
from tests.util import docx_text, needs_libreoffice, pdf_text

ROOT = Path(__file__).resolve().parent.parent
CANDIDATE = "Siobhán O'Connor"
COMPANY = {  # a Berlin company paying in euros: the locale is never the letter's language
    "voice": {"tone": "formal", "locale": "de_DE", "currency": "EUR"},
    "company": {
        "about": "Acme Widgets makes widgets.",
        "translations": {
            tag: {"about": f"About text in {tag}.", "benefits": [f"Benefit in {tag}"]}
            for tag in ("de", "fr", "es", "nl")
        },
    },
}
ROLE = """\
id: recruiter-eu
title: Recruiter
department: People
employment_type: full-time
summary: Finds and hires people.
duties:
  hr-operations: [Runs interviews.]
qualifications: {required: [Two years of recruiting.]}
pay_range: {min: 42000, max: 48000, currency: EUR, period: year}
locations: ["Berlin, Germany"]
translations:
  de: {title: Recruiter, department: Personal, summary: Findet und stellt Menschen ein.,
       duties: {hr-operations: [Führt Vorstellungsgespräche.]},
       qualifications: {required: [Zwei Jahre Erfahrung im Recruiting.]}}
  fr: {title: Chargé·e de recrutement, department: Ressources humaines,
       summary: Trouve et recrute les talents., duties: {hr-operations: [Mène les entretiens.]},
       qualifications: {required: [Deux ans d'expérience en recrutement.]}}
  es: {title: Técnico/a de selección, department: Personas, summary: Busca y contrata talento.,
       duties: {hr-operations: [Realiza las entrevistas.]},
       qualifications: {required: [Dos años de experiencia en selección.]}}
  nl: {title: Recruiter, department: HR, summary: Vindt en werft mensen.,
       duties: {hr-operations: [Voert sollicitatiegesprekken.]},
       qualifications: {required: [Twee jaar ervaring in werving.]}}
"""

# Per language: formal salutation (honorific Ms) and without one, sign-off, the date 1 February 2027,
# the pay range's low end, the word for the posting's country, and the JD's summary heading.
EXPECT: dict[str, dict[str, str]] = {
    "en": {"ms": "Dear Ms. O'Connor:", "none": "Dear Siobhán O'Connor:", "close": "Sincerely,",
           "date": "February 1, 2027", "money": "€42,000", "country": "Germany", "heading": "Summary"},
    "en-GB": {"ms": "Dear Ms O'Connor,", "none": "Dear Siobhán O'Connor,", "close": "Yours sincerely,",
              "date": "1 February 2027", "money": "€42,000", "country": "Germany", "heading": "Summary"},
    "de": {"ms": "Sehr geehrte Frau O'Connor,", "none": "Guten Tag Siobhán O'Connor,",
           "close": "Mit freundlichen Grüßen", "date": "1. Februar 2027", "money": "42.000\xa0€",
           "country": "Deutschland", "heading": "Zusammenfassung"},
    "fr": {"ms": "Madame,", "none": "Bonjour Siobhán O'Connor,",
           "close": "Veuillez agréer, Madame, l'expression de nos salutations distinguées.",
           "close-none": "Veuillez agréer l'expression de nos salutations distinguées.",
           "date": "1er février 2027", "money": "42\u202f000\xa0€", "country": "Allemagne",
           "heading": "Présentation du poste"},
    "es": {"ms": "Estimada Sra. O'Connor:", "none": "Buenos días, Siobhán O'Connor:",
           "close": "Atentamente,", "date": "1 de febrero de 2027", "money": "42.000\xa0€",
           "country": "Alemania", "heading": "Resumen"},
    "nl": {"ms": "Geachte mevrouw O'Connor,", "none": "Geachte Siobhán O'Connor,",
           "close": "Met vriendelijke groet,", "date": "1 februari 2027", "money": "€\xa042.000",
           "country": "Duitsland", "heading": "Samenvatting"},
}  # fmt: skip
ENGLISH = ("Thank you for", "We wish you", "Duties and responsibilities", "How to apply", "per year")
"""English boilerplate no translated document may keep."""


@pytest.fixture
def workspace(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace({"roles/recruiter-eu.yaml": ROLE}, company=COMPANY)


def run(hrdocs: Callable[..., Outcome], root: Path, *args: str) -> Outcome:
    result = hrdocs("--date", "2027-02-01", *args, "--out", str(root / "out"), cwd=root)
    assert result.code == 0, result.err
    return result


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in open_docx(str(path)).paragraphs]


@pytest.mark.parametrize("tag", list(EXPECT))
def test_denial_in_each_language(hrdocs: Callable[..., Outcome], workspace: Path, tag: str) -> None:
    want = EXPECT[tag]
    for honorific in ("ms", "none"):
        run(hrdocs, workspace, "denial", "recruiter-eu", "--candidate", CANDIDATE, "--stage", "interview",
            "--honorific", honorific, "--language", tag, "--format", "docx", "--force")  # fmt: skip
        (path,) = (workspace / "out").glob("*.docx")
        text = paragraphs(path)
        assert want[honorific] in text, (honorific, text)
        assert want["date"] in text
        close = want["close"] if honorific == "ms" else want.get("close-none", want["close"])
        assert any(p.startswith(close) for p in text)  # the sign-off (French: the formula)
        body = "\n".join(text)
        if tag not in ("en", "en-GB"):
            assert not [phrase for phrase in ENGLISH if phrase in body]
        path.unlink()


@pytest.mark.parametrize("tag", list(EXPECT))
def test_job_description_and_posting_in_each_language(
    hrdocs: Callable[..., Outcome], workspace: Path, tag: str
) -> None:
    want = EXPECT[tag]
    run(hrdocs, workspace, "jd", "recruiter-eu", "--language", tag, "--format", "docx,html")
    jd = docx_text(workspace / "out" / "recruiter-eu.docx")
    assert want["heading"] in jd and want["money"] in jd
    html = (workspace / "out" / "recruiter-eu.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="([^"]+)"', html)[1] == ("en-US" if tag == "en" else tag)  # type: ignore[index]

    run(hrdocs, workspace, "posting", "recruiter-eu", "--language", tag, "--format", "docx,html", "--force")
    posting = docx_text(workspace / "out" / "recruiter-eu.docx")
    assert want["country"] in posting and want["date"] in posting and want["money"] in posting
    if tag not in ("en", "en-GB"):
        assert not [phrase for phrase in ENGLISH if phrase in jd + posting]
        assert f"About text in {tag}." in posting and f"Benefit in {tag}" in posting
        assert "Acme Widgets makes widgets." not in posting
    title = open_docx(str(workspace / "out" / "recruiter-eu.docx")).paragraphs[0].text
    assert title == {"de": "Recruiter (m/w/d)", "fr": "Chargé·e de recrutement"}.get(tag, title)


def test_an_english_letter_of_a_german_company_is_english_through_and_through(
    hrdocs: Callable[..., Outcome], workspace: Path
) -> None:
    """The locale says euros; the language (English by default) says how dates and amounts read."""
    run(hrdocs, workspace, "denial", "recruiter-eu", "--candidate", CANDIDATE, "--stage", "filled")
    (path,) = (workspace / "out").glob("*.docx")
    text = docx_text(path)
    assert "February 1, 2027" in text and "1. Februar" not in text and "€" not in text.split("\n")[1]


def test_voice_language_sets_the_default_and_a_field_changes_it(
    hrdocs: Callable[..., Outcome], make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace(
        {"roles/recruiter-eu.yaml": ROLE},
        company={**COMPANY, "voice": {**COMPANY["voice"], "language": "de"}},
    )
    run(hrdocs, root, "denial", "recruiter-eu", "--candidate", CANDIDATE, "--stage", "filled", "-f", "md")
    assert "Guten Tag Siobhán O'Connor," in next((root / "out").glob("*.md")).read_text(encoding="utf-8")
    run(hrdocs, root, "jd", "recruiter-eu", "-f", "html", "--language", "en-GB")
    assert '<html lang="en-GB">' in (root / "out" / "recruiter-eu.html").read_text(encoding="utf-8")


def test_batch_rows_each_in_their_own_language(hrdocs: Callable[..., Outcome], workspace: Path) -> None:
    sheet = workspace / "denials.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Candidate Name", "Role", "Stage", "Lang", "Honorific"])
        writer.writerow(["Anna Schmidt", "recruiter-eu", "interview", "de", "Frau"])
        writer.writerow(["Jean Martin", "recruiter-eu", "interview", "fr_FR", "monsieur"])
        writer.writerow(["Kim Lee", "recruiter-eu", "interview", "", ""])
    run(hrdocs, workspace, "batch", str(sheet), "--kind", "denial", "--format", "docx")
    texts = {p.name: docx_text(p) for p in (workspace / "out").glob("*.docx")}
    by_name = {name.split("-")[1]: text for name, text in texts.items()}
    assert "Sehr geehrte Frau Schmidt," in by_name["anna"]
    assert "Monsieur," in by_name["jean"].splitlines()
    assert "Veuillez agréer, Monsieur, l'expression de nos salutations distinguées." in by_name["jean"]
    assert "Dear Kim Lee:" in by_name["kim"]


def test_a_role_without_the_language_is_refused_naming_file_and_fields(
    hrdocs: Callable[..., Outcome], workspace: Path
) -> None:
    result = hrdocs("jd", "hr-executive", "--language", "es", "--out", str(workspace / "out"), cwd=workspace)
    assert result.code == 1
    assert "hr-executive.yaml: translations.es: department, summary, level" in result.err
    assert "duties.strategic-planning" in result.err
    assert not (workspace / "out").exists()


def test_the_seed_roles_are_translated(
    hrdocs: Callable[..., Outcome], make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace(company=False)
    run(hrdocs, root, "jd", "generalist", "--language", "de", "--format", "docx")
    text = docx_text(root / "out" / "hr-generalist.docx")
    assert "Leitung Personal" in text and "Strategische Planung" in text and "62.000\xa0$" in text
    run(hrdocs, root, "jd", "executive", "--language", "fr", "--format", "docx")
    assert "Responsable des ressources humaines" in docx_text(root / "out" / "hr-executive.docx")


def test_an_unknown_language_is_a_usage_error_listing_the_languages(
    hrdocs: Callable[..., Outcome], workspace: Path
) -> None:
    result = hrdocs("jd", "recruiter-eu", "--language", "pt", cwd=workspace)
    assert result.code == 2
    assert ", ".join(LANGUAGES) in result.err


def test_a_kind_without_a_template_in_the_language_is_refused(
    hrdocs: Callable[..., Outcome], workspace: Path
) -> None:
    """A workspace kind like a denial, written in English only: a German one is refused, not English."""
    (workspace / "templates").mkdir()
    (workspace / "templates" / "regret.md.j2").write_text(
        "{# hrdocs: like denial-letter #}\n# Sorry\n\n{{ letter.salutation }}\n", encoding="utf-8"
    )
    args = ("render", "regret", "--data")
    data = workspace / "d.yaml"
    data.write_text(yaml.safe_dump({"candidate": CANDIDATE, "role": "recruiter-eu", "stage": "filled",
                                    "language": "de"}), encoding="utf-8")  # fmt: skip
    result = hrdocs(*args, str(data), "--out", str(workspace / "out"), cwd=workspace)
    assert result.code == 2, result.err
    assert "no German (de) template for regret" in result.err


def test_clause_equivalence_catches_a_removed_clause(hrdocs: Callable[..., Outcome], workspace: Path) -> None:
    assert hrdocs("templates", "check", cwd=workspace).code == 0
    source = (ROOT / "templates" / "fr" / "denial-letter.md.j2").read_text(encoding="utf-8")
    broken = "\n".join(line for line in source.splitlines() if "clause: reapply" not in line)
    (workspace / "templates" / "fr").mkdir(parents=True)
    (workspace / "templates" / "fr" / "denial-letter.md.j2").write_text(broken, encoding="utf-8")
    result = hrdocs("templates", "check", cwd=workspace)
    assert result.code == 1
    assert "templates/fr/denial-letter.md.j2: error: no clause `reapply`" in result.out + result.err


def test_every_built_in_variant_has_the_clauses_of_its_primary() -> None:
    from hrdocs.clauses import clause_ids

    for primary in (ROOT / "templates").glob("*.md.j2"):
        if primary.name.startswith("_"):
            continue
        for variant in (ROOT / "templates").glob(f"*/{primary.name}"):
            assert set(clause_ids(variant)) == set(clause_ids(primary)), variant


def test_german_and_french_lint_rules(
    hrdocs: Callable[..., Outcome], make_workspace: Callable[..., Path]
) -> None:
    role = ROLE.replace(
        "summary: Findet und stellt Menschen ein.", "summary: Ein junges Team sucht Berufseinsteiger."
    ).replace("title: Chargé·e de recrutement", "title: Chargé de recrutement H/F")
    root = make_workspace({"roles/recruiter-eu.yaml": role}, company=COMPANY)
    german = run(hrdocs, root, "posting", "recruiter-eu", "--language", "de", "-f", "md")
    assert german.err.count("language.age-bias") == 2  # "junges Team", "Berufseinsteiger"
    assert "readability.grade" not in german.err  # an English formula says nothing of German text
    french = run(hrdocs, root, "posting", "recruiter-eu", "--language", "fr", "-f", "md", "--force")
    assert "language.gendered-title" in french.err and "Chargé" in french.err


@pytest.mark.parametrize(
    ("name", "last", "family"),
    [("Ludwig van Beethoven", None, "van Beethoven"), ("María García López", "García López", "García López"),
     ("Charles de Gaulle", None, "de Gaulle"), ("Cher", None, "Cher")],
)  # fmt: skip
def test_family_names_keep_their_particles(name: str, last: str | None, family: str) -> None:
    assert family_name(name, last) == family


def test_dutch_particles_are_capitalised_after_the_title() -> None:
    line = salutation(
        "nl", "formal", name="Jan van der Berg", given="Jan", family="van der Berg", honorific="mr"
    )
    assert line == "Geachte heer Van der Berg,"


def test_no_gender_is_guessed_without_an_honorific() -> None:
    for tag in LANGUAGES:
        line = salutation(tag, "formal", name="Kim Meyer", given="Kim", family="Meyer", honorific=None)
        assert "Kim Meyer" in line and not re.search(
            r"Frau|Herr|Madame|Monsieur|Sra|Sr\.|mevrouw|heer|Ms|Mr", line
        )


@needs_libreoffice
@pytest.mark.slow
def test_german_and_french_letters_through_libreoffice(
    hrdocs: Callable[..., Outcome], workspace: Path, tmp_path: Path
) -> None:
    texts: dict[str, str] = {}
    for tag, name, honorific in (("de", "Jürgen Weiß", "herr"), ("fr", "Hélène Lefèvre", "madame")):
        run(hrdocs, workspace, "denial", "recruiter-eu", "--candidate", name, "--stage", "final-round",
            "--honorific", honorific, "--language", tag, "--format", "docx", "--force")  # fmt: skip
        (path,) = (workspace / "out").glob("*.docx")
        texts[tag] = " ".join(pdf_text(path, tmp_path).split())
        shutil.move(path, tmp_path / f"{tag}.docx")
    assert "Sehr geehrter Herr Weiß," in texts["de"] and "Mit freundlichen Grüßen" in texts["de"]
    assert "1. Februar 2027" in texts["de"] and "Auswahlverfahrens" in texts["de"]
    assert "Madame," in texts["fr"] and "Hélène Lefèvre" in texts["fr"] and "1er février 2027" in texts["fr"]
    assert "salutations distinguées" in texts["fr"] and "processus de recrutement" in texts["fr"]


OFFER = ("--salary", "42000", "--start", "2027-03-01", "--manager", "Dana Whitfield", "--honorific", "ms")
TERMS = (
    "--hours-per-week",
    "40",
    "--notice-period",
    "4 weeks",
    "--holiday-days",
    "28",
    "--probation-months",
    "6",
)


@pytest.mark.parametrize(
    ("tag", "location", "expect"),
    [
        ("de", "Berlin, Germany", ["Sehr geehrte Frau O'Connor,", "Mit freundlichen Grüßen",
                                   "1. März 2027", "42.000,00\xa0€ pro Jahr", "Probezeit", "§ 623 BGB",
                                   "in Deutschland zu arbeiten"]),
        ("es", "Berlin, Germany", ["Estimada Sra. O'Connor:", "Atentamente,", "1 de marzo de 2027",
                                 "42.000,00\xa0€ al año", "período de prueba"]),
        ("nl", "Berlin, Germany", ["Geachte mevrouw O'Connor,", "Met vriendelijke groet,", "1 maart 2027",
                                   "€\xa042.000,00 per jaar", "proeftijd"]),
        ("fr", "Berlin, Germany", ["Madame,", "1er mars 2027", "42\u202f000,00\xa0€ par an",
                                   "période d'essai",
                                   "Veuillez agréer, Madame, l'expression de nos salutations distinguées."]),
    ],
)  # fmt: skip
def test_offer_in_each_translated_language(
    hrdocs: Callable[..., Outcome], workspace: Path, tag: str, location: str, expect: list[str]
) -> None:
    run(hrdocs, workspace, "offer", "recruiter-eu", "--candidate", CANDIDATE, *OFFER, *TERMS,
        "--location", location, "--language", tag, "--format", "docx")  # fmt: skip
    (path,) = (workspace / "out").glob("*.docx")
    text = docx_text(path)
    assert not [e for e in expect if e not in text], text
    assert not [p for p in ("Thank you", "at will", "Form I-9", "This offer", "per year") if p in text]


def test_a_british_offer(hrdocs: Callable[..., Outcome], make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {"roles/recruiter-eu.yaml": ROLE},
        company={"voice": {"tone": "formal", "locale": "en_GB", "currency": "GBP", "language": "en-GB"}},
    )
    uk = (
        "--hours-per-week",
        "37.5",
        "--notice-period",
        "1 month",
        "--holiday-days",
        "28",
        "--probation-months",
        "3",
        "--working-days",
        "Monday to Friday",
        "--sick-pay",
        "Statutory Sick Pay.",
    )
    run(hrdocs, root, "offer", "recruiter-eu", "--candidate", CANDIDATE, *OFFER, *uk,
        "--location", "London, United Kingdom")  # fmt: skip
    text = docx_text(next((root / "out").glob("*.docx")))
    assert "Dear Ms O'Connor," in text and "Yours sincerely," in text and "1 March 2027" in text
    assert "£42,000 a year" in text and "Sincerely," not in text.replace("Yours sincerely,", "")


def test_templates_check_renders_each_variant(hrdocs: Callable[..., Outcome], workspace: Path) -> None:
    source = (ROOT / "templates" / "de" / "job-description.md.j2").read_text(encoding="utf-8")
    (workspace / "templates" / "de").mkdir(parents=True)
    (workspace / "templates" / "de" / "job-description.md.j2").write_text(
        source.replace("{{ role.summary }}", "{{ role.sumary }}"), encoding="utf-8"
    )
    result = hrdocs("templates", "check", cwd=workspace)
    assert result.code == 1
    assert "templates/de/job-description.md.j2:" in result.out and "`role.sumary`" in result.out

"""``hrdocs init``: a new workspace, ready to run and to edit.

A workspace is a folder with ``hrdocs.yaml`` (the company and its voice), ``roles/`` and ``templates/``
(each overriding the built-in ones of the same name) and ``output/``. The ``hrdocs.yaml`` written here
is the example company with every key of the file present: the ones in use set to the example's
values, the optional ones commented out (``#key: value``) with what they do. Nothing that exists is
ever overwritten: if any of the files is already there, nothing is written at all.
"""

from __future__ import annotations

from pathlib import Path

from hrdocs.errors import HrdocsError
from hrdocs.init_country import country_files, country_of
from hrdocs.workspace import PACKAGE_DIR, SETTINGS_FILE

STARTER = """\
# hrdocs.yaml: your company and its voice. Every document hrdocs writes uses this file.
#
# These are the values of hrdocs' EXAMPLE company: replace each one with yours. Keys starting with
# `#` (like `#legal_name: ...`) are optional: remove the `#` to use one. Unknown keys are errors, so
# a typo is reported with its line. Paths are relative to this file. Every key is described in
# docs/configuration.md.

company:
  name: Example Co.                     # in the letterhead, "About" sections and letters
  legal_name: Example Company, Inc.     # the legal entity that signs letters (default: name)
  address:                              # letterhead lines
    - 1200 Sample Street, Suite 400
    - Denver, CO 80202
  website: https://www.example.com
  email: careers@example.com
  phone: +1 303 555 0100
  logo: logo.png                        # PNG, JPEG or GIF, shown in the letterhead
  #logo_url: https://www.example.com/logo.png  # the logo on your site, for postings' JSON-LD
  about: >-
    Example Co. makes scheduling software for clinics and small hospitals. Our team of about
    250 people works from Denver, New York and home, and we care about clear writing, fair
    process and people who help each other do their best work.
  eeo_statement: >-
    Example Co. is an equal opportunity employer. We consider all qualified applicants without
    regard to race, colour, religion, sex, sexual orientation, gender identity, national origin,
    age, disability, veteran status or any other characteristic protected by law.
  benefits:                             # listed in offers and postings
    - Medical, dental and vision insurance, with 90% of premiums paid by the company
    - 401(k) plan with a 4% company match
    - 20 days of paid time off plus 10 company holidays
    - 16 weeks of paid parental leave
    - A yearly learning budget of $1,500
  #translations:                       # the texts above in other languages (docs/languages.md)
  #  de: {about: ..., eeo_statement: ..., benefits: [...]}
  #country: US                          # where your people work: offers follow its law
  #example: false                       # only hrdocs' built-in example company sets this

voice:
  tone: warm                            # formal | warm | plain: templates pick their wording by it
  locale: en_US                         # dates and money are written for it: en_GB, de_DE, fr_CA, ...
  currency: USD                         # ISO 4217, where a figure names none
  date_format: long                     # short | medium | long | full
  #language: en                         # documents' language: en, en-GB, de, fr, es, nl (docs/languages.md)
  preferred_terms:                      # the left words are replaced in the templates' wording
    employee handbook: team handbook
    employees: team members
    employee: team member
  avoid:                                # words you never use: `hrdocs templates check` reports them
    - rockstar
    - ninja
    - synergy
  sign_off: Warm regards,               # the closing line of letters
  signatory:                            # who signs letters
    name: Morgan Lee
    title: Director of People
    email: morgan.lee@example.com

brand:                                  # the look of every Word document
  fonts:
    body: Calibri
    heading: Calibri Light
  sizes:                                # points
    body: 11
    title: 22
    heading1: 15
    heading2: 12.5
    small: 8.5
  colours:                              # hex RGB ("colors" works too)
    primary: "1F3A5F"                   # title and headings
    accent: "2E7D6B"                    # rules, table headers, links
    text: "222222"
    muted: "666666"                     # header, footer and small print
  page:
    size: letter                        # letter | a4 | legal
    margins: {top: 1in, bottom: 0.9in, left: 1in, right: 1in}
  letterhead:
    logo: true
    address: true
    logo_height: 0.45in
  footer:
    text: Example Co. · www.example.com
    page_numbers: true
  #reference_docx: reference.docx      # a .docx whose styles, header and footer are used instead

offers:
  expiry_days: 7                        # an offer is open this many days after the letter date
  at_will: true                         # state that employment is at will
  contingencies: [background-check, work-authorization]
  #contingency_texts:                   # your wording for a contingency, or a new one
  #  - id: references
  #    text: two satisfactory references from recent managers
  hourly_floor: 15                      # a lower hourly rate for an exempt role is refused as a typo
  pay_frequency: biweekly               # weekly | biweekly | semimonthly | monthly

denials:
  invite_reapply: true                  # invite the candidate to apply again

postings:
  apply_url: https://www.example.com/careers
  apply_email: careers@example.com
  employer_size: 250                    # decides which pay-transparency rules apply to you
  #extra_rules_file: pay-rules.yaml     # more pay-transparency rules (see docs/postings.md)
  #disabled_rules: []                   # rule ids switched off

lint:                                   # `hrdocs lint` (see docs/lint.md)
  #disable: []                          # rule ids switched off
  #levels: {}                           # rule id: error | warning | info
  #extra_words: {}                      # rule id: [more words]
  #allow: []                            # words never reported
  #max_grade: 12.0                      # highest reading grade
  #posting_words: [300, 700]            # a posting's length, in words
  #max_sentence_words: 30
  require_eeo: true                     # postings must carry the EEO statement

pdf:                                    # how PDFs are made (see docs/pdf.md)
  engine: auto                          # auto (Typst; LibreOffice for Word's look) | typst | libreoffice
  #standard: a-2b                       # PDF/A-2b, for records kept for years

#esign:                                 # e-signature tags in offers' acceptance block (docs/pdf.md)
  #provider: none                       # none | docusign | dropbox-sign | adobe-sign
  #signatory: false                     # true: the company signatory's tags too (signer 2)

#catalogue:
  #builtin: true                        # false: hide hrdocs' built-in roles, keep only roles/

#batch:                                 # how your ATS exports are read (see docs/ats.md)
  #date_format: MM/DD/YYYY              # MM/DD/YYYY | DD/MM/YYYY | DD.MM.YYYY | YYYY-MM-DD
  #stage_map:                           # your ATS's stage names -> application | interview |
  #  Phone Interview: interview         #   final-round | filled | cancelled | none (no letter)
"""

README = """\
# hrdocs workspace

- `hrdocs.yaml` — your company and its voice (letterhead, tone, preferred and avoided words, signatory).
  It starts as hrdocs' example company: replace every value.
- `roles/` — your role files (`ROLE.yaml`); one named like a built-in role replaces it. `hrdocs roles`
  lists every role, `hrdocs roles show ROLE` shows one.
- `templates/` — your templates. `hrdocs templates` lists them all; `hrdocs templates export KIND` copies
  a built-in one here to edit (`--docx` for a Word version). A template here wins over the built-in
  one; if both `KIND.docx` and `KIND.md.j2` are here, the `.docx` is used.
- `output/` — what hrdocs writes. Letters carry personal data: keep this folder out of version control
  (`.gitignore` does).

Run from this folder (or pass `-w FOLDER`):

```sh
hrdocs jd generalist                   # a job description
hrdocs offer generalist --data jane.yaml
hrdocs templates check                 # before committing template changes (exits 1 on errors)
hrdocs templates vars offer-letter     # the names a template may use
```
"""

ROLES_README = """\
# Roles

One YAML file per role, named after its id (`hr-generalist.yaml`). A file named like a built-in role
replaces it; `extends: hr-generalist` starts from another role. See docs/roles.md.
"""

TEMPLATES_README = """\
# Templates

`KIND.md.j2` (text: Jinja and Markdown) or `KIND.docx` (Word, with `{{ name }}` and `{%p if … %}` tags).
`hrdocs templates export KIND` copies a built-in one here; `hrdocs templates check` checks them all.
A new name makes a new kind of document: `hrdocs render KIND --data file.yaml`. See docs/templates.md.
"""

GITIGNORE = """\
# Documents hrdocs writes (letters carry personal data)
output/
# Files Word and LibreOffice keep while a document is open
~$*
.~lock.*#
# Half-written files of an interrupted run
.*.part
"""


def files(country: str | None = None, locale: str | None = None) -> dict[str, str | bytes]:
    """What ``init`` writes, by path inside the workspace: for a ``country`` (or the country of a
    ``locale``) other than the US, a workspace that fits it (:mod:`hrdocs.init_country`)."""
    logo = (PACKAGE_DIR / "data" / "example-logo.png").read_bytes()
    out: dict[str, str | bytes] = {
        SETTINGS_FILE: STARTER,
        "logo.png": logo,
        "README.md": README,
        ".gitignore": GITIGNORE,
        "roles/README.md": ROLES_README,
        "templates/README.md": TEMPLATES_README,
    }
    chosen = country_of(country, locale)
    if chosen is not None and (chosen != "US" or locale):
        out.update(country_files(STARTER, chosen, locale))
    return out


def init_workspace(folder: Path, *, country: str | None = None, locale: str | None = None) -> list[Path]:
    """Write a new workspace into ``folder`` (created if needed); the paths written, ``output/`` last.

    Refuses, writing nothing, if ``folder`` is a file or already holds any of these files.
    """
    if folder.exists() and not folder.is_dir():
        raise HrdocsError(f"{folder}: is a file, not a folder")
    planned = files(country, locale)
    taken = [name for name in planned if (folder / name).exists()]
    if taken:
        raise HrdocsError(
            f"{folder}: already has {', '.join(taken)}; nothing was written",
            hint="init never overwrites: choose a new or empty folder",
        )
    written: list[Path] = []
    try:
        for name, content in planned.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as handle:  # "x": fails rather than replace a file made meanwhile
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            written.append(target)
        (folder / "output").mkdir(exist_ok=True)
    except FileExistsError as exc:
        raise HrdocsError(f"{exc.filename}: appeared while writing; not overwritten") from None
    except OSError as exc:
        raise HrdocsError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    return [*written, folder / "output"]

"""Offer templates written for an applicant tracking system, taken as they are.

A recruiter's offer template is often a Word file written for their ATS, with its tokens:
Greenhouse's and Ashby's ``{{CANDIDATE_FIRST_NAME}}``, Workable's ``[candidate]``, SmartRecruiters'
``<<ApplicantFirstName>>``, Personio's ``{{first_name}}``, Teamtailor's ``{first-name}``, Lever's
``{candidate_signature}``. Rather than make them rewrite every token, a Word template's tokens are
rewritten into hrdocs' own Jinja names (``{{ candidate.first_name or candidate.salutation_name }}``)
before it is compiled, through a token table per system: data (``hrdocs/data/tokens/NAME.yaml``),
each token with its source, as for the import profiles. A workspace's ``tokens/NAME.yaml`` extends
or overrides the built-in table of that name, or adds a system, with a syntax of its own
(``syntax: "${NAME}"``). A token of a system's syntax with no hrdocs value is an error that names the
place in the document and lists the tokens that are known; ``templates check`` also says which
system's tokens it found (:func:`check_package`).

Word splits a token over runs as it likes (a spell-check mark, an edit in the middle); tokens are
found in a paragraph's joined text and the Jinja tag put whole into the run the token starts in, the
rest of the text left where it was, as :mod:`hrdocs.docx_template` does for its own tags.

Syntaxes that prose or hrdocs' own tags could be mistaken for are read narrowly: Personio's
``{{first_name}}`` only as Personio writes it (no spaces inside, a name in its table), Workable's
``[term]`` and Lever's ``{term}`` only in a part that has a token their table knows (brackets and
braces are common in prose).
"""

from hrdocs.ats_tokens.document import Hit, Note, check_package, rewrite
from hrdocs.ats_tokens.tables import BUILT_IN, FOLDER, Table, Tables, for_workspace, markdown_table, tables

__all__ = [
    "BUILT_IN",
    "FOLDER",
    "Hit",
    "Note",
    "Table",
    "Tables",
    "check_package",
    "for_workspace",
    "markdown_table",
    "rewrite",
    "tables",
]

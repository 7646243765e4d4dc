"""The whole of ``hrdocs.yaml``: the company, its voice and signatory, its brand, and the settings of
offers, denials, postings, linting, PDFs, e-signature, batches and the catalogue.

Formatted views (money, dates) are built later, in :mod:`hrdocs.formatting` and :mod:`hrdocs.context`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from hrdocs.language import LanguageChoice
from hrdocs.models.base import CountryCode, CurrencyCode, HttpsUrl, LocaleId, RoleId, Strict, Text

HexColour = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$")]
LengthText = Annotated[str, Field(pattern=r"^\d+(\.\d+)?\s*(in|cm|mm|pt)$")]
"""A length as people write it in the settings: ``1in``, ``2.5 cm``, ``25mm``, ``12pt``."""


class Tone(StrEnum):
    FORMAL = "formal"
    WARM = "warm"
    PLAIN = "plain"


class Signatory(Strict):
    name: Text
    title: Text
    email: str | None = None
    signature_image: str | None = None
    """A PNG or JPEG of the signatory's handwritten signature, relative to ``hrdocs.yaml``: the built-in
    letters show it above the name (DOCX, HTML, PDF); Word templates place it with ``image()``."""
    signature_height: LengthText = "1.5cm"
    """How tall the signature prints (its width follows the picture's proportions)."""


class CompanyText(Strict):
    about: Text | None = None
    eeo_statement: Text | None = None
    benefits: list[Text] | None = None


class Company(Strict):
    name: Text
    legal_name: Text | None = None
    address: list[Text] = []
    """Address lines, as printed in the letterhead."""
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    logo: str | None = None
    """Path to a PNG or JPEG, relative to ``hrdocs.yaml``."""
    logo_url: HttpsUrl | None = None
    """Where the careers site serves the logo: postings' JSON-LD names it (search engines want an
    address, not the embedded image they get without it)."""
    about: Text | None = None
    eeo_statement: Text | None = None
    benefits: list[Text] = []
    country: CountryCode | None = None
    """Where the company's people work unless a letter says otherwise: the country of a location that
    names none, and so the jurisdiction pack of an offer (docs/international.md)."""
    translations: dict[Text, CompanyText] = {}
    """``{de: {about: …, benefits: […], eeo_statement: …}}``: the company's own text in another language,
    for documents in that language (docs/languages.md)."""
    example: bool = False
    """True only for the built-in example company, so documents made with it say so."""


class Voice(Strict):
    tone: Tone = Tone.WARM
    locale: LocaleId = "en_US"
    currency: CurrencyCode = "USD"
    """Checked with the locale (declared first, so validated first) at hand for "did you mean"."""
    preferred_terms: dict[Text, Text] = {}
    """``{"employees": "team members"}``: the left word is replaced in generated text."""
    avoid: list[Text] = []
    """Words the company does not use; reported as warnings when a document contains them."""
    sign_off: Text | None = None
    """Closing line of letters; left out, it follows the tone (Sincerely, / Warm regards, / Best,)."""
    signatory: Signatory | None = None
    date_format: Literal["short", "medium", "long", "full"] = "long"
    language: LanguageChoice | None = None
    """The documents' language when none is asked for (``en``, ``en-GB``, ``de``, ``fr``, ``es``, ``nl``;
    see hrdocs.language): unset, English (``en-GB`` for an ``en_GB`` locale)."""


class Fonts(Strict):
    body: Text = "Calibri"
    heading: Text = "Calibri"


class Sizes(Strict):
    body: float = Field(11, gt=4, lt=72)
    title: float = Field(22, gt=4, lt=96)
    heading1: float = Field(15, gt=4, lt=72)
    heading2: float = Field(12.5, gt=4, lt=72)
    small: float = Field(8.5, gt=4, lt=72)


class Colours(Strict):
    primary: HexColour = "1F3A5F"
    """Title and headings."""
    accent: HexColour = "2E7D6B"
    """Rules, table headers, links."""
    text: HexColour = "222222"
    muted: HexColour = "666666"
    """Header and footer text."""


class Margins(Strict):
    top: LengthText = "1in"
    bottom: LengthText = "1in"
    left: LengthText = "1in"
    right: LengthText = "1in"


class Page(Strict):
    size: Literal["letter", "a4", "legal"] = "letter"
    margins: Margins = Margins()


class Letterhead(Strict):
    logo: bool = True
    address: bool = True
    logo_height: LengthText = "0.5in"


class Footer(Strict):
    text: str = ""
    page_numbers: bool = True


class Brand(Strict):
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    colours: Colours = Field(default_factory=Colours, alias="colors")
    page: Page = Page()
    letterhead: Letterhead = Letterhead()
    footer: Footer = Footer()
    reference_docx: str | None = None
    """A .docx whose styles, margins, header and footer are used (like pandoc's --reference-doc)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Contingency(Strict):
    id: RoleId
    text: Text


class OfferSettings(Strict):
    expiry_days: int = Field(7, ge=1, le=90)
    at_will: bool = True
    """Whether employment is at will; the letter states it only when true."""
    contingencies: list[RoleId] = ["background-check", "work-authorization"]
    """Contingency ids applied to every offer unless a letter chooses its own."""
    contingency_texts: list[Contingency] = []
    """Extra or replacement contingency wording, by id."""
    hourly_floor: Decimal = Field(Decimal("15"), gt=0)
    """An hourly rate below this for an exempt role is refused as a likely typo."""
    pay_frequency: Literal["weekly", "biweekly", "semimonthly", "monthly"] = "biweekly"


class DenialSettings(Strict):
    invite_reapply: bool = True


class PostingSettings(Strict):
    apply_url: str | None = None
    apply_email: str | None = None
    employer_size: int | None = Field(None, ge=1)
    """Employees in total; decides which pay-transparency rules apply. Unknown: every rule applies."""
    extra_rules_file: str | None = None
    """A YAML file of further pay-transparency rules, relative to ``hrdocs.yaml``."""
    disabled_rules: list[str] = []


class LintSettings(Strict):
    disable: list[str] = []
    """Rule ids switched off."""
    levels: dict[str, Literal["error", "warning", "info"]] = {}
    """Rule id -> level, overriding the built-in level."""
    extra_words: dict[str, list[Text]] = {}
    """Rule id -> more words or phrases for that rule."""
    allow: list[Text] = []
    """Words never reported (false positives, product names)."""
    max_grade: float = 12.0
    posting_words: tuple[int, int] = (300, 700)
    max_sentence_words: int = 30
    require_eeo: bool = True


class PdfSettings(Strict):
    """How PDFs are made (docs/pdf.md)."""

    engine: Literal["auto", "typst", "libreoffice"] = "auto"
    """``auto``: Typst sets the document model (fast, the voice's look), except for documents whose look
    is Word's (a Word template, or ``brand.reference_docx``), which LibreOffice converts from their DOCX.
    ``typst``: Typst for every document a text template makes. ``libreoffice``: LibreOffice for all."""
    standard: Literal["a-2b"] | None = None
    """``a-2b``: PDF/A-2b, for records kept for years (Typst and LibreOffice alike)."""


class EsignSettings(Strict):
    """E-signature tags in offer letters' acceptance blocks (docs/pdf.md, "E-signature")."""

    provider: Literal["none", "docusign", "dropbox-sign", "adobe-sign"] = "none"
    """The provider whose anchor or text tags the DOCX and PDF carry, white and tiny; ``none``: no tags."""
    signatory: bool = False
    """Also the company signatory's tags (signer 2), for a letter the company countersigns."""


StageName = Literal["application", "interview", "final-round", "filled", "cancelled", "none"]
"""hrdocs' denial stage an export's stage becomes; ``none``: no denial is written for it (Hired)."""
DateFormat = Literal["YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY"]


class CatalogueSettings(Strict):
    builtin: bool = True
    """Whether the built-in roles join the workspace's own (``false``: only the workspace's ``roles/``)."""


class BatchSettings(Strict):
    """How the company's exports are read (docs/ats.md): said, never guessed, over the profile's."""

    stage_map: dict[Text, StageName] = {}
    date_format: DateFormat | None = None


class Settings(Strict):
    """The whole of ``hrdocs.yaml``."""

    company: Company
    voice: Voice = Voice()
    brand: Brand = Brand()
    offers: OfferSettings = OfferSettings()
    denials: DenialSettings = DenialSettings()
    postings: PostingSettings = PostingSettings()
    lint: LintSettings = LintSettings()
    pdf: PdfSettings = PdfSettings()
    esign: EsignSettings = EsignSettings()
    batch: BatchSettings = BatchSettings()
    catalogue: CatalogueSettings = CatalogueSettings()

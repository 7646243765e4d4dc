"""Typed models for everything hrdocs reads: role catalogues and the company's voice.

Every model forbids unknown keys, so a typo in YAML fails loudly instead of being ignored. The models
describe the data as a user writes it; derived views (a role with its parent merged in, formatted
money) are built later, in :mod:`hrdocs.catalogue` and :mod:`hrdocs.context`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from hrdocs import places
from hrdocs.language import LanguageChoice


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1)]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s/$.?#][^\s]*$")]
"""A public web address (search engines want ``https``)."""
RoleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80)]


def _code(problem: Callable[..., str | None]) -> AfterValidator:
    """A code checked against a code list of :mod:`hrdocs.places` (Babel's CLDR data), a wrong one refused
    with what it likely meant; the company's locale (a role's validation context, or ``voice.locale``)
    helps the guess."""

    def check(value: str, info: ValidationInfo) -> str:
        locale = (info.context or {}).get(LOCALE) or info.data.get("locale")
        if (found := problem(value, locale)) is not None:
            raise ValueError(found)
        return value

    return AfterValidator(check)


CurrencyCode = Annotated[str, _code(places.currency_problem)]
"""ISO 4217, of a currency in use today."""
CountryCode = Annotated[str, _code(lambda code, _locale: places.country_problem(code))]  # ISO 3166-1 alpha-2
LocaleId = Annotated[str, _code(lambda locale, _locale: places.locale_problem(locale))]
"""A locale Babel has data for, written as Babel writes it (``en_US``, ``de_DE``, ``zh_CN``)."""


# --------------------------------------------------------------------------------------------- roles
class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERN = "intern"

    @property
    def label(self) -> str:
        return {"full-time": "Full-time", "part-time": "Part-time", "contract": "Contract"}.get(
            self.value, self.value.capitalize()
        )

    @property
    def schema_org(self) -> str:
        return {
            "full-time": "FULL_TIME",
            "part-time": "PART_TIME",
            "contract": "CONTRACTOR",
            "temporary": "TEMPORARY",
            "intern": "INTERN",
        }[self.value]


class FlsaStatus(StrEnum):
    EXEMPT = "exempt"
    NON_EXEMPT = "non-exempt"

    @property
    def label(self) -> str:
        return "Exempt" if self is FlsaStatus.EXEMPT else "Non-exempt"


class PayPeriod(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def schema_org(self) -> str:
        return self.value.upper()


class PayRange(Strict):
    min: Decimal = Field(gt=0, lt=Decimal("1e12"))  # as a salary (hrdocs.fields): a figure past it is a typo
    max: Decimal = Field(gt=0, lt=Decimal("1e12"))
    currency: CurrencyCode | None = None
    """The company's currency when left out."""
    period: PayPeriod = PayPeriod.YEAR

    @model_validator(mode="after")
    def _ordered(self) -> PayRange:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self


_CITY_REGION = re.compile(r"^\s*(?P<city>[^,]+?)\s*,\s*(?P<region>[^,]+?)\s*(?:,\s*(?P<country>[^,]+?))?\s*$")

LOCALE = "locale"
"""Key of the validation context naming the company's locale (``voice.locale``): locations that name no
country lie in its country, and a code like DE after a city is read by it (see :mod:`hrdocs.places`)."""


class Location(Strict):
    """A place of work. Written in YAML as ``"Denver, CO"``, ``"Berlin, Germany"``, ``"Remote (US)"`` or
    a mapping; which country a text means is decided by :func:`hrdocs.places.place`."""

    city: str | None = None
    region: str | None = None
    """State, province or region code as people write it: ``CO``, ``NY``, ``Bavaria``."""
    country: CountryCode = "US"
    remote: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any, info: ValidationInfo) -> Any:
        locale = (info.context or {}).get(LOCALE)
        if isinstance(value, dict):
            if "country" in value:
                return value
            region = value.get("region")
            return {
                **value,
                "country": places.default_country(region if isinstance(region, str) else None, locale),
            }
        if not isinstance(value, str):
            return value
        text = value.strip()
        remote = re.fullmatch(r"(?i)remote(?:\s*\((?P<country>[A-Za-z]{2})\))?", text)
        if remote:
            code = places.country_code(remote["country"] or "") or places.default_country(None, locale)
            return {"remote": True, "country": code}
        match = _CITY_REGION.match(text)
        if not match:
            raise ValueError(
                'write a location as "City, Region", "City, Country", "City, Region, Country" '
                'or "Remote (CC)"'
            )
        if match["country"] is None:
            region, home = places.place(match["region"], locale)
            return {"city": match["city"], "region": region, "country": home}
        country = places.country_code(match["country"], locale)
        if country is None:
            raise ValueError(
                f"unknown country {match['country']!r}: write its two-letter code (DE) or its name (Germany)"
            )
        region = match["region"]
        same = (
            region.upper() == country if len(region) == 2 else places.country_code(region, locale) == country
        )
        return {"city": match["city"], "region": None if same else region, "country": country}

    @model_validator(mode="after")
    def _complete(self) -> Location:
        if not self.remote and not self.city:
            raise ValueError("an on-site location needs a city")
        return self

    @property
    def label(self) -> str:
        if self.remote:
            return f"Remote ({self.country})"
        parts = [p for p in (self.city, self.region) if p]
        if self.country != "US":
            parts.append(self.country)
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.label


class Qualifications(Strict):
    required: list[Text] = []
    preferred: list[Text] = []


class RoleText(Strict):
    """A role's text in another language (``translations: {de: {...}}`` in its file): each field, where
    given, replaces the English one in documents in that language; duties by area id, the same number
    as the English ones (docs/languages.md)."""

    title: Text | None = None
    department: Text | None = None
    level: Text | None = None
    summary: Text | None = None
    duties: dict[RoleId, list[Text]] = {}
    qualifications: Qualifications | None = None
    competencies: list[Text] | None = None
    working_conditions: list[Text] | None = None


class RoleSpec(Strict):
    """A role as written in ``roles/<id>.yaml``. Fields left out may come from ``extends``."""

    id: RoleId
    title: Text | None = None
    aliases: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]] = []
    extends: RoleId | None = None
    department: Text | None = None
    reports_to: RoleId | None = None
    level: Text | None = None
    employment_type: EmploymentType | None = None
    flsa_status: FlsaStatus | None = None
    summary: Text | None = None
    duties: dict[RoleId, list[Text]] = {}
    """Duties by area id; with ``extends``, appended to the parent's duties in the same area."""
    replace_duties: dict[RoleId, list[Text]] = {}
    """With ``extends``: these areas' duties replace the parent's instead of adding to them."""
    qualifications: Qualifications | None = None
    competencies: list[Text] | None = None
    working_conditions: list[Text] | None = None
    pay_range: PayRange | None = None
    locations: list[Location] | None = None
    translations: dict[LanguageChoice, RoleText] = {}
    """The role's text in other languages, by language tag (see :class:`RoleText`)."""


class AreaText(Strict):
    name: Text
    description: str = ""


class DutyArea(Strict):
    id: RoleId
    name: Text
    description: str = ""
    translations: dict[LanguageChoice, AreaText] = {}
    """The area's name in other languages (``{de: {name: Personalplanung}}``)."""


class AreaList(Strict):
    areas: list[DutyArea]


# ------------------------------------------------------------------------------------------- company
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


HexColour = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$")]
LengthText = Annotated[str, Field(pattern=r"^\d+(\.\d+)?\s*(in|cm|mm|pt)$")]


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


def today() -> date:
    """The letter date when none is given; one place so tests and batches can pin it."""
    return date.today()

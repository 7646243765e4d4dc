"""Matching a spreadsheet's columns to letter fields, leniently.

``First Name``, ``first_name`` and ``FIRST-NAME`` are the same column; the names applicant tracking
systems use in their exports (Greenhouse, Lever, Workday, …: ``Candidate Name``, ``Job``, ``Base
Salary``, ``Anticipated Start Date``, ``Hiring Manager``) are known aliases; ``--map "Column=field"``
covers the rest, and ``--map "Column=-"`` ignores a column. Columns that match no field are ignored
and listed once, with the closest field name, so a typo (``Salry``) does not go unnoticed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hrdocs.errors import UsageError

IGNORE = "-"

_ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "letter", "letter_type", "document", "document_type", "doc_type"),
    "candidate": (
        "candidate",
        "name",
        "full_name",
        "candidate_name",
        "candidate_full_name",
        "applicant",
        "applicant_name",
        "legal_name",
        "person",
    ),
    "preferred_name": ("preferred_name", "preferred_first_name", "nickname", "known_as", "goes_by"),
    "first_name": (
        "first_name",
        "firstname",
        "given_name",
        "forename",
        "candidate_first_name",
        "legal_first_name",
    ),
    "last_name": (
        "last_name",
        "lastname",
        "surname",
        "family_name",
        "candidate_last_name",
        "legal_last_name",
    ),
    "email": (
        "email",
        "e_mail",
        "email_address",
        "candidate_email",
        "candidate_email_address",
        "personal_email",
        "primary_email",
        "primary_email_address",
        "emails",
    ),
    "address": ("address", "mailing_address", "home_address", "postal_address", "candidate_address"),
    "role": (
        "role",
        "role_id",
        "job",
        "job_name",
        "job_profile",
        "requisition",
        "job_requisition",
        "posting",
        "posting_title",
        "position",
    ),
    "title": ("title", "job_title", "position_title", "offer_title", "business_title"),
    "department": ("department", "dept", "department_name", "business_unit"),
    "reports_to": ("reports_to", "manager_title", "supervisor_title"),
    "flsa_status": ("flsa_status", "flsa", "flsa_classification", "exempt_status", "exempt_non_exempt"),
    "employment_type": (
        "employment_type",
        "employment_status",
        "job_type",
        "worker_type",
        "worker_sub_type",
        "time_type",
        "commitment",
    ),
    "start": (
        "start",
        "start_date",
        "anticipated_start_date",
        "expected_start_date",
        "proposed_start_date",
        "projected_start_date",
        "hire_date",
        "first_day",
    ),
    "salary": (
        "salary",
        "base_salary",
        "annual_salary",
        "annual_base_salary",
        "salary_amount",
        "base_pay",
        "annual_base_pay",
        "offer_salary",
        "offer_amount",
        "compensation",
    ),
    "hourly_rate": ("hourly_rate", "hourly", "pay_rate", "hourly_pay", "hourly_wage", "rate"),
    "pay_frequency": ("pay_frequency", "frequency", "pay_schedule", "payroll_frequency"),
    "hours_per_week": ("hours_per_week", "weekly_hours", "scheduled_weekly_hours", "hours", "fte_hours"),
    "bonus": ("bonus", "target_bonus", "bonus_text"),
    "equity": ("equity", "stock", "stock_options", "equity_grant"),
    "sign_on": ("sign_on", "sign_on_bonus", "signing_bonus", "signon_bonus"),
    "location": ("location", "work_location", "job_location", "office", "office_location", "site"),
    "arrangement": ("arrangement", "work_arrangement", "workplace_type", "remote_status", "work_model"),
    "manager": ("manager", "hiring_manager", "hiring_manager_name", "supervisor", "manager_name"),
    "contingencies": ("contingencies", "contingency", "conditions"),
    "expiry": (
        "expiry",
        "expiry_date",
        "expiration_date",
        "offer_expiration",
        "offer_expiration_date",
        "offer_expiry_date",
        "expires",
        "expires_on",
        "offer_expires",
        "respond_by",
    ),
    "date": ("date", "letter_date", "offer_date", "sent_date", "send_date"),
    "signatory": ("signatory", "signer", "signed_by"),
    "stage": ("stage", "rejection_stage", "rejected_at", "rejected_stage", "last_stage", "current_stage"),
    "reapply": ("reapply", "invite_reapply", "invite_to_reapply", "may_reapply"),
}

ADDRESS_PARTS: dict[str, tuple[str, ...]] = {
    "address_1": ("address_1", "address_line_1", "address1", "street", "street_address", "address_street"),
    "address_2": ("address_2", "address_line_2", "address2", "apartment", "suite"),
    "city": ("city", "town", "address_city"),
    "state": ("state", "province", "region", "state_province", "address_state"),
    "postal_code": ("postal_code", "zip", "zip_code", "postcode", "post_code", "address_zip"),
    "country": ("country", "address_country"),
}
"""Address columns as exports split them; joined into the ``address`` field when there is none."""

FIELD_ALIASES = {alias: name for name, aliases in {**_ALIASES, **ADDRESS_PARTS}.items() for alias in aliases}
_COMPACT = {alias.replace("_", ""): name for alias, name in FIELD_ALIASES.items()}


def field_for(key: str) -> str | None:
    """The field a column key names: ``e_mail_address`` and ``emailaddress`` both give ``email``."""
    return FIELD_ALIASES.get(key) or _COMPACT.get(key.replace("_", ""))


def column_key(name: str) -> str:
    """``First Name`` / ``first-name`` / `` FIRST_NAME `` -> ``first_name``."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


@dataclass
class ColumnMap:
    """Which column feeds which field, decided once from the header."""

    fields: dict[str, str]
    """Column -> field (``kind``, a letter field, or an address part)."""
    ignored: list[str]
    notes: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, columns: Sequence[str], known: Iterable[str], maps: Sequence[str] = ()) -> ColumnMap:
        """``known``: every field a row may have (of every kind in this batch)."""
        known = set(known) | {"kind"}
        parts_ok = "address" in known
        by_key: dict[str, str] = {}
        for column in columns:
            if column:
                by_key.setdefault(column_key(column), column)
        explicit: dict[str, str] = {}
        for item in maps:
            column, target = _parse_map(item)
            found = by_key.get(column_key(column))
            if found is None:
                raise UsageError(
                    f'--map "{item}": the input has no column `{column}`',
                    hint=f"its columns: {', '.join(c for c in columns if c)}",
                )
            target_key = column_key(target) if target != IGNORE else IGNORE
            if (
                target_key != IGNORE
                and target_key not in known
                and not (parts_ok and target_key in ADDRESS_PARTS)
            ):
                close = difflib.get_close_matches(target_key, sorted(known), n=3, cutoff=0.6)
                raise UsageError(
                    f'--map "{item}": `{target}` is not a field',
                    hint=f"did you mean {', '.join(f'`{c}`' for c in close)}?"
                    if close
                    else f"fields: {', '.join(sorted(known))}",
                )
            explicit[found] = target_key

        fields: dict[str, str] = {}
        ignored: list[str] = []
        for column in columns:
            if not column:
                continue
            if column in explicit:
                target = explicit[column]
            else:
                target = field_for(column_key(column)) or ""
                if target not in known and not (parts_ok and target in ADDRESS_PARTS):
                    target = ""
            if target and target != IGNORE:
                fields[column] = target
            elif not target:
                ignored.append(column)

        _role_from_title(fields, explicit)
        _no_duplicates(fields)
        notes = []
        if ignored:
            notes.append(
                "ignored columns (they match no field): " + ", ".join(_with_hint(c, known) for c in ignored)
            )
        return cls(fields, ignored, notes)

    def has(self, name: str) -> bool:
        return name in self.fields.values()

    def column_of(self, name: str) -> str | None:
        for column, target in self.fields.items():
            if target == name:
                return column
        return None

    def apply(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """A row's cells as fields: blank cells left out, address parts joined into ``address``."""
        out: dict[str, Any] = {}
        parts: dict[str, str] = {}
        for column, target in self.fields.items():
            value = values.get(column)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if target in ADDRESS_PARTS:
                parts[target] = str(value).strip()
            else:
                out[target] = value
        if parts and "address" not in out:
            out["address"] = join_address(parts)
        return out

    def label(self, name: str) -> str:
        """How a problem names a field: by the user's column when one feeds it."""
        column = self.column_of(name)
        if column is None and name == "address" and any(t in ADDRESS_PARTS for t in self.fields.values()):
            return "address"
        return column if column is not None else name


def join_address(parts: Mapping[str, str]) -> str:
    """Street lines, then ``City, ST 80202``, then the country: one line each."""
    place = " ".join(p for p in (parts.get("state", ""), parts.get("postal_code", "")) if p)
    city = ", ".join(p for p in (parts.get("city", ""), place) if p)
    lines = [parts.get("address_1", ""), parts.get("address_2", ""), city, parts.get("country", "")]
    return "\n".join(line for line in lines if line)


def _parse_map(item: str) -> tuple[str, str]:
    column, equals, target = item.rpartition("=")
    if not equals or not column.strip() or not target.strip():
        raise UsageError(f'--map "{item}": write it as "Column name=field" (or "Column name=-" to ignore it)')
    return column.strip(), target.strip()


def _role_from_title(fields: dict[str, str], explicit: Mapping[str, str]) -> None:
    """An export with only a ``Job Title`` column names the role by its title: use it as the role."""
    targets = set(fields.values())
    if "role" in targets or "title" not in targets:
        return
    for column, target in fields.items():
        if target == "title" and column not in explicit:
            fields[column] = "role"
            return


def _no_duplicates(fields: Mapping[str, str]) -> None:
    by_target: dict[str, list[str]] = {}
    for column, target in fields.items():
        by_target.setdefault(target, []).append(column)
    for target, columns in by_target.items():
        if len(columns) > 1:
            names = " and ".join(f"`{c}`" for c in columns)
            raise UsageError(
                f"columns {names} both give the field `{target}`",
                hint=f'keep one: --map "{columns[-1]}=-" ignores a column',
            )


def _with_hint(column: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(
        column_key(column), sorted(set(known) | set(FIELD_ALIASES)), n=1, cutoff=0.88
    )
    if close:
        return f"`{column}` (did you mean `{FIELD_ALIASES.get(close[0], close[0])}`?)"
    return f"`{column}`"

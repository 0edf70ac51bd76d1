"""Profile fields: what each may hold, checked before anything is written.

Posted names are kebab-case (``full-name``); stored as columns (``full_name``) and
returned camelCase (``fullName``). Values are personal data: never logged.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from dashboard import clock, security, storage
from dashboard.config import PROFILE_FIELDS, current_config
from dashboard.errors import ApiError
from dashboard.req import Req

# Every field, posted as optional; a route adds its own required ones.
BODY = dict.fromkeys(PROFILE_FIELDS, "optional")
# Fields without a configured length, and the longest they may be.
LONGEST = {"occupation": 200, "location": 200, "website": 2048, "phone": 30}
PHONE = re.compile(r"[0-9 +\-().]+")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST_BIRTH = date(1900, 1, 1)


def errors() -> dict[str, str]:
    """The ERRORS a route that takes profile fields declares for them."""
    found = {}
    for name in PROFILE_FIELDS:
        malformed = MALFORMED.get(name, "holding control characters")
        found[f"invalid-{name}"] = (
            f"posted {name} missing where USER_PROFILE_FIELDS requires it, or {malformed}"
        )
        found[f"invalid-{name}-length"] = f"posted {name} too short or too long"
    return found


MALFORMED = {
    "contact-email": "not an email address",
    "display-email": "not an email address",
    "dob": "not a real date YYYY-MM-DD from 1900 until today",
    "phone": "not digits, spaces and +-()",
    "website": "not an absolute http or https URL",
}


def posted(req: Req, required: tuple[str, ...]) -> dict[str, str | None]:
    """The posted profile fields, checked, as column -> value (None: clear it).

    Fields in ``required`` must be given; an empty value clears a field, but not one of
    the USER_PROFILE_FIELDS. Raises the
    first field's error, in PROFILE_FIELDS order: ``invalid-<field>`` (missing or
    malformed) or ``invalid-<field>-length``.
    """
    body = req.get("body") or {}
    kept = current_config().user_profile_fields  # never cleared
    values: dict[str, str | None] = {}
    for name in PROFILE_FIELDS:
        given = body.get(name)
        if not given:
            if name in required or (given == "" and name in kept):
                raise ApiError(f"invalid-{name}")
            if given == "":
                values[_column(name)] = None
            continue
        values[_column(name)] = _checked(name, given)
    return values


def _checked(name: str, value: str) -> str:
    config = current_config()
    low, high = 1, LONGEST.get(name, 320)
    if name in ("full-name", "display-name", "company-name"):
        setting = name.replace("-", "_")
        low = getattr(config, f"minimum_profile_{setting}_length")
        high = getattr(config, f"maximum_profile_{setting}_length")
    if name == "phone":
        low = 3
    if len(value) > 4 * high:  # too long to be one, whatever its characters
        raise ApiError(f"invalid-{name}-length")
    if not all(c.isprintable() for c in value):
        raise ApiError(f"invalid-{name}")
    if name.endswith("email"):
        value = _email(name, value)
    elif name == "dob":
        _birth_date(value)
    elif name == "phone" and not PHONE.fullmatch(value):
        raise ApiError("invalid-phone")
    elif name == "website":
        _website(value)
    value = unicodedata.normalize("NFC", value)
    if not low <= len(value) <= high:
        raise ApiError(f"invalid-{name}-length")
    return value


def _email(name: str, value: str) -> str:
    try:
        # No network: the service must start and answer without one.
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ApiError(f"invalid-{name}") from None


def _birth_date(value: str) -> None:
    try:
        born = date.fromisoformat(value) if DATE.fullmatch(value) else None
    except ValueError:
        born = None
    if born is None or not EARLIEST_BIRTH <= born <= clock.now().date():
        raise ApiError("invalid-dob")


def _website(value: str) -> None:
    try:
        parts = urlsplit(value)
        absolute = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a broken port or IPv6 address
        absolute = False
    if not absolute or " " in value:
        raise ApiError("invalid-website")


def _column(name: str) -> str:
    return name.replace("-", "_")


def create(account: dict[str, Any], values: dict[str, str | None], make_default: bool) -> Any:
    """Inside a write: a new profile of ``account``; the default one if it is the first
    or ``make_default``. Returns the row."""
    now = clock.now()
    profile = storage.Profile.create(
        profileid=security.new_id("prof"),
        appid=account["appid"],
        account=account["accountid"],
        created_at=now,
        updated_at=now,
        **{column: value for column, value in values.items() if value is not None},
    )
    if make_default or not account.get("profileid"):
        storage.Account.update(profileid=profile.profileid, updated_at=now).where(
            storage.Account.accountid == account["accountid"]
        ).execute()
    return profile

"""The objects the API returns (Account, Session, Profile, ResetCode, Passkey, Audit), made
from rows.

Only the fields named here are ever returned: never a secret, never a hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard import clock, factors

ACCOUNT_FIELDS = (
    ("appid", "appid"),
    ("sessionKeyNumber", "session_key_number"),
    ("sessionKeyLastResetAt", "session_key_last_reset_at"),
    ("lastSignedInAt", "last_signed_in_at"),
    ("passwordLastChangedAt", "password_last_changed_at"),
    ("usernameLastChangedAt", "username_last_changed_at"),
    ("deletedAt", "deleted_at"),
    ("ownerSince", "owner_since"),
    ("administratorSince", "administrator_since"),
    ("resetCodeLastCreatedAt", "reset_code_last_created_at"),
    ("resetCodeLastUsedAt", "reset_code_last_used_at"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)
SESSION_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("duration", "duration"),
    ("csrfToken", "csrf_token"),
    ("expiresAt", "expires_at"),
    ("lastVerifiedAt", "last_verified_at"),
    ("endedAt", "ended_at"),
    ("sessionKeyNumber", "session_key_number"),
    ("ipAddress", "ip_address"),
    ("userAgent", "user_agent"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)

AUDIT_FIELDS = (
    ("appid", "appid"),
    ("action", "action"),
    ("accountid", "accountid"),
    ("sessionid", "sessionid"),
    ("ipAddress", "ip_address"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)


def public_account(
    account: dict[str, Any], fields: tuple[tuple[str, str], ...] = ACCOUNT_FIELDS
) -> dict[str, Any]:
    """The Account object the API returns; with ``fields`` (), only its id and flags."""
    result = {"accountid": account["accountid"], "object": "account"}
    result.update(_present(account, fields))
    result["profileid"] = account.get("profileid")  # null until it has a profile
    if account["owner_since"] is not None:
        result["owner"] = True
    if account["administrator_since"] is not None:
        result["administrator"] = True
    if fields:
        result["secondFactors"] = factors.kinds(account)
    return result


def public_session(
    session: dict[str, Any],
    ended: datetime | None,
    fields: tuple[tuple[str, str], ...] = SESSION_FIELDS,
) -> dict[str, Any]:
    """The Session object the API returns; ``ended`` is when it stopped being valid.
    With ``fields``, only those of SESSION_FIELDS (and its id, object and ended)."""
    result = {"sessionid": session["sessionid"], "object": "session"}
    result.update(_present(session, fields))
    result["ended"] = clock.iso(ended) if ended is not None else False
    if factors.waiting(session):
        result["secondFactorRequired"] = True  # authenticates nothing until completed
    return result


PROFILE_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("fullName", "full_name"),
    ("contactEmail", "contact_email"),
    ("displayEmail", "display_email"),
    ("displayName", "display_name"),
    ("companyName", "company_name"),
    ("dob", "dob"),
    ("phone", "phone"),
    ("occupation", "occupation"),
    ("location", "location"),
    ("website", "website"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)
RESET_CODE_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)


def public_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The Profile object the API returns: the fields that are set."""
    return {"profileid": profile["profileid"], "object": "profile"} | _present(
        profile, PROFILE_FIELDS
    )


PASSKEY_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("name", "name"),
    ("lastUsedAt", "last_used_at"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)


def public_passkey(passkey: dict[str, Any]) -> dict[str, Any]:
    """The Passkey object: its name and dates; never its key, id or counter."""
    return {"passkeyid": passkey["passkeyid"], "object": "passkey"} | _present(
        passkey, PASSKEY_FIELDS
    )


def public_reset_code(code: dict[str, Any]) -> dict[str, Any]:
    """The ResetCode object the API returns: never the code, nor its hash."""
    return {"codeid": code["codeid"], "object": "resetCode"} | _present(code, RESET_CODE_FIELDS)


def _present(row: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    # Unset optional fields are left out, as the original's objects do.
    result: dict[str, Any] = {}
    for api_name, field in fields:
        value = row[field]
        if value is not None:
            result[api_name] = clock.iso(value) if isinstance(value, datetime) else value
    return result


def public_audit(audit: dict[str, Any]) -> dict[str, Any]:
    """The Audit object: who wrote (administratorid null: an operator's command), what,
    to whom, when."""
    result = {
        "auditid": audit["auditid"],
        "object": "audit",
        "administratorid": audit["administratorid"],
    }
    result.update(_present(audit, AUDIT_FIELDS))
    return result

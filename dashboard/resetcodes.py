"""Reset codes: how they are made, checked, stored and found.

A code is stored only as HMAC-SHA512(DASHBOARD_ENCRYPTION_KEY, "accountid/code"): bound
to its account, so it is looked up within that account alone.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from dashboard import administrators, metrics, objects, security, storage
from dashboard.config import current_config
from dashboard.errors import ApiError

GENERATED_BYTES = 20  # 160 random bits, as 40 hex digits
NO_ACCOUNT = "acct_0000000000000000"  # hashed for an unknown username: the same work


def new_code() -> str:
    """A random code the server chooses: letters and digits, 160 bits."""
    return secrets.token_hex(GENERATED_BYTES)


def check(code: str) -> None:
    """Raise unless ``code`` is letters and digits of the configured length."""
    config = current_config()
    if not (code.isascii() and code.isalnum()):
        raise ApiError("invalid-secret-code")
    if not config.minimum_reset_code_length <= len(code) <= config.maximum_reset_code_length:
        raise ApiError("invalid-secret-code-length")


def code_hash(accountid: str, code: str) -> str:
    return security.keyed_hash(f"{accountid}/{code}", current_config().keys.encryption)


def find(account: storage.Account | None, code: str) -> storage.ResetCode | None:
    """The account's reset code ``code``, or None: one keyed hash and one query, whether
    or not there is an account, so an unknown username costs what a wrong code does."""
    accountid = account.accountid if account is not None else NO_ACCOUNT
    found = storage.ResetCode.get_or_none(
        (storage.ResetCode.account == accountid)
        & (storage.ResetCode.code_hash == code_hash(accountid, code))
    )
    return found if account is not None else None


def create(
    appid: str, accountid: str, code: str, now: datetime, made_by: str | None
) -> storage.ResetCode:
    """Inside a write, the account locked: a new reset code of the account
    (``maximum-reset-codes`` when it already holds MAXIMUM_RESET_CODES); stamps the
    account's resetCodeLastCreatedAt. ``made_by``: the administrator who made it for the
    account, or None when the account made its own."""
    held = storage.ResetCode.select().where(
        (storage.ResetCode.account == accountid) & (storage.ResetCode.appid == appid)
    )
    if held.count() >= current_config().maximum_reset_codes:
        raise ApiError("maximum-reset-codes")
    row = storage.ResetCode.create(
        codeid=security.new_id("code"),
        appid=appid,
        account=accountid,
        code_hash=code_hash(accountid, code),
        created_by=made_by,
        created_at=now,
        updated_at=now,
    )
    storage.Account.update(reset_code_last_created_at=now, updated_at=now).where(
        storage.Account.accountid == accountid
    ).execute()
    metrics.count(appid, "reset-codes-created", now)
    return row


def usable(found: storage.ResetCode, account: storage.Account) -> bool:
    """Inside a write, the account locked: whether its code ``found`` may set its
    password now. The account's own code may; an administrator's only while that
    administrator still outranks the account (DESIGN §9): a code made for a user who has
    since become an administrator, or by one who is no longer one, signs no one in."""
    if found.created_by is None:
        return True
    maker = storage.Account.get_or_none(
        (storage.Account.accountid == found.created_by) & (storage.Account.appid == account.appid)
    )
    return administrators.outranks(maker, account)


def use_up(found: storage.ResetCode, account: storage.Account) -> bool:
    """Inside a write, the account locked: use up its code ``found`` (deleted), if it is
    usable now (``usable``) and not used meanwhile; whether it was. Of two uses of one
    code at once, the second finds it gone."""
    if not usable(found, account):
        return False
    used = (
        storage.ResetCode.delete()
        .where(
            (storage.ResetCode.account == account.accountid)
            & (storage.ResetCode.code_hash == found.code_hash)
        )
        .execute()
    )
    return bool(used)


def public(row: storage.ResetCode, generated: str | None) -> dict[str, Any]:
    """The ResetCode object, with ``secretCode`` when the server chose the code."""
    result = objects.public_reset_code(storage.data(row))
    if generated is not None:
        result["secretCode"] = generated  # returned once, never stored
    return result

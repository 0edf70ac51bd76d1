"""Administrators and the owner: the rules that keep a site administrable, and its audit.

The owner can never lose administrator rights, be scheduled for deletion or be deleted;
ownership moves only by the owner (or an operator at the command line), and there is
always exactly one owner per appid: a partial unique index refuses a second, and a
transfer clears the old owner's mark before it sets the new one, in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee

from dashboard import access, events, storage
from dashboard.errors import ApiError


def audit(req: dict[str, Any], action: str, accountid: str) -> None:
    """The event and log line of an administrator's write: who, what, to whom."""
    events.emit(
        events.administrator_action,
        access.appid(req),
        accountid,
        access.sessionid(req),
        req.get("ip"),
        administrator=(req.get("account") or {}).get("accountid") or "-",
        action=action,
    )


def set_administrator(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account becomes an administrator; ``invalid-account`` when it
    already is one, or is scheduled for deletion."""
    changed = (
        storage.Account.update(administrator_since=now, updated_at=now)
        .where(
            _the(appid, accountid)
            & storage.Account.administrator_since.is_null()
            & storage.Account.deleted_at.is_null()
        )
        .execute()
    )
    if not changed:
        raise ApiError("invalid-account")


def reset_administrator(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account is an administrator no more; ``invalid-account`` when
    it is not one, or is the owner."""
    changed = (
        storage.Account.update(administrator_since=None, updated_at=now)
        .where(
            _the(appid, accountid)
            & storage.Account.administrator_since.is_null(False)
            & storage.Account.owner_since.is_null()
        )
        .execute()
    )
    if not changed:
        raise ApiError("invalid-account")


def transfer_ownership(appid: str, owner: str | None, accountid: str, now: datetime) -> None:
    """Inside a write: ``accountid`` becomes the owner (and an administrator, if it was
    not); the old owner stays an administrator. ``invalid-account`` when ``owner`` is not
    the owner (any more: of two transfers at once, the second finds it so), the account is
    the owner already, or it is scheduled for deletion. ``owner`` None: whoever owns it
    (an operator's break-glass transfer)."""
    old = storage.Account.owner_since.is_null(False) & (storage.Account.appid == appid)
    if owner is not None:
        old &= storage.Account.accountid == owner
    cleared = (
        storage.Account.update(owner_since=None, updated_at=now)
        .where(old & (storage.Account.accountid != accountid))
        .execute()
    )
    if owner is not None and not cleared:
        raise ApiError("invalid-account")
    made = (
        storage.Account.update(
            owner_since=now,
            administrator_since=peewee.fn.COALESCE(storage.Account.administrator_since, now),
            updated_at=now,
        )
        .where(
            _the(appid, accountid)
            & storage.Account.owner_since.is_null()
            & storage.Account.deleted_at.is_null()
        )
        .execute()
    )
    if not made:
        raise ApiError("invalid-account")


def _the(appid: str, accountid: str) -> Any:
    return (storage.Account.accountid == accountid) & (storage.Account.appid == appid)

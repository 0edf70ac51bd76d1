"""Administrators and the owner: the rules that keep a site administrable, and its audit.

The owner can never lose administrator rights, be scheduled for deletion or be deleted;
ownership moves only by the owner (or an operator at the command line), and there is
always at most one owner per appid: a partial unique index refuses a second, and a
transfer clears the old owner's mark before it sets the new one, in one transaction.

Rank: the owner is above the administrators, who are above everyone else. An
administrator's write to an account needs the caller to outrank it: no one's applies to
the owner's account, only the owner's to an administrator's, and an administrator's own
account is changed through the user routes, with its password. A reset code an
administrator made works only while its maker still outranks the account.

Every write of an administrator (and of an operator's command) is audited: a row of the
audit table written in the write's own transaction, so that there is a row for each
write that happened and none for one that did not, and an event with its log line once
the write is committed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import peewee

from dashboard import access, accounts, clock, events, security, storage
from dashboard.errors import ApiError
from dashboard.req import Req

COMMAND_LINE = "command-line"  # who wrote, in the log, when an operator ran a command


@contextlib.contextmanager
def audited(action: str, appid: str, accountid: str, req: Req | None = None) -> Iterator[None]:
    """The transaction of an administrator's write ``action`` to ``accountid``, made by
    ``req``'s account (None: an operator's command). Its audit row is written in it; its
    event and log line follow once it is committed. A write that raises leaves neither."""
    administratorid = sessionid = ip = None
    if req is not None:
        administratorid = (req.get("account") or {}).get("accountid")
        sessionid, ip = access.sessionid(req), req.get("ip")
    with storage.write():
        yield
        storage.Audit.create(
            auditid=security.new_id("audt"),
            appid=appid,
            administratorid=administratorid,
            action=action,
            accountid=accountid,
            sessionid=sessionid,
            ip_address=ip,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    events.emit(
        events.administrator_action,
        appid,
        accountid,
        sessionid,
        ip,
        administrator=administratorid or COMMAND_LINE,
        action=action,
    )


def audit_rows(req: Req) -> Any:
    """The condition selecting the audit rows a request asks for: the site's, or those
    of one account (?accountid=, kept after that account is gone)."""
    condition = storage.Audit.appid == access.appid(req)
    if (req.get("query") or {}).get("accountid"):
        accountid = access.required_id(req, "accountid", "acct", "invalid-accountid")
        condition &= storage.Audit.accountid == accountid
    return condition


def rank(account: storage.Account) -> int:
    """2 for the owner, 1 for an administrator, 0 for everyone else."""
    if account.owner_since is not None:
        return 2
    return 1 if account.administrator_since is not None else 0


def outranks(caller: storage.Account | None, target: storage.Account) -> bool:
    """Whether ``caller`` (None: gone) may act on ``target``'s account as an administrator."""
    return caller is not None and caller.deleted_at is None and rank(caller) > rank(target)


def outranked(req: Req, appid: str, accountid: str) -> storage.Account:
    """Inside an administrator's write: the target account's row, locked, which the
    caller must outrank as both are now (``invalid-account`` else, or when it is gone)."""
    target = accounts.locked(appid, accountid)
    caller = storage.Account.get_or_none(
        _the(appid, (req.get("account") or {}).get("accountid") or "")
    )
    if not outranks(caller, target):
        raise ApiError("invalid-account")
    return target


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


def own_if_first(account: storage.Account, now: datetime) -> None:
    """Inside a write: ``account`` becomes the owner (and an administrator) if it is its
    appid's first account (FIRST_ACCOUNT_OWNER=true: the original's rule)."""
    others = storage.Account.select().where(
        (storage.Account.appid == account.appid) & (storage.Account.accountid != account.accountid)
    )
    if others.exists():
        return
    try:
        make_owner(account.appid, account.accountid, now)
    except ApiError:
        pass  # of two first accounts at once, the second stays an ordinary account


def make_owner(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account becomes the owner (and an administrator) of an appid
    that has none; ``invalid-account`` when it has one (a unique index says so, even
    when two are made at once)."""
    try:
        with storage.db.atomic():  # a savepoint: the refused update alone is undone
            storage.Account.update(
                owner_since=now,
                administrator_since=peewee.fn.COALESCE(storage.Account.administrator_since, now),
                updated_at=now,
            ).where(_the(appid, accountid)).execute()
    except peewee.IntegrityError:
        raise ApiError("invalid-account") from None


def _the(appid: str, accountid: str) -> Any:
    return (storage.Account.accountid == accountid) & (storage.Account.appid == appid)

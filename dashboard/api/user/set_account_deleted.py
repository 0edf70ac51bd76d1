"""PATCH /api/user/set-account-deleted: schedule the account's deletion; its sessions end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dashboard import access, accounts, clock, events, storage
from dashboard.config import current_config

QUERY = {"accountid": "required"}
BODY = {"password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-password": "missing or wrong posted password",
}
RETURNS = "Account"


def patch(req: dict[str, Any]) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    password = access.required(req, "body", "password", "invalid-password")
    account = access.confirmed_account(req, password)
    appid, accountid = account.appid, account.accountid
    now = clock.now()
    with storage.write():
        accounts.proven(account)
        storage.Account.update(
            deleted_at=now + timedelta(days=current_config().delete_delay), updated_at=now
        ).where(storage.Account.accountid == accountid).execute()
        # A new key number ends every session for good: restoring the account later
        # brings none of them back.
        accounts.renumber_sessions(appid, accountid, now)
    events.emit(events.account_deleted, appid, accountid, access.sessionid(req), req.get("ip"))
    return accounts.updated(appid, accountid)

"""PATCH /api/user/set-account-deleted: schedule the account's deletion; its sessions end."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account, or the owner (who can never go)",
    "invalid-password": "missing or wrong posted password",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    password = access.required(req, "body", "password", "invalid-password")
    account = access.confirmed_account(req, password)
    appid, accountid = account.appid, account.accountid
    now = clock.now()
    with storage.write():
        if accounts.proven(account).owner_since is not None:
            raise ApiError("invalid-account")
        accounts.schedule_deletion(appid, accountid, now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    events.emit(events.account_deleted, appid, accountid, access.sessionid(req), req.get("ip"))
    return result

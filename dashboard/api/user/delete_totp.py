"""DELETE /api/user/delete-totp: remove the account's authenticator app."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, factors, storage, totp
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

VERIFIED = True  # a second factor goes: the session signed in or verified lately
QUERY = {"accountid": "required"}
BODY = {"password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-password": "missing posted password, or not the account's",
    "invalid-totp": "the account has no authenticator app",
}
RETURNS = "Account"


def delete(req: Req) -> dict[str, Any]:
    password = access.required(req, "body", "password", "invalid-password")
    account = access.confirmed_account(req, password)
    appid, accountid, now = account.appid, account.accountid, clock.now()
    with storage.write():
        accounts.locked(appid, accountid)  # one write to the account at a time
        if not totp.remove(appid, accountid):
            raise ApiError("invalid-totp")
        factors.refresh(appid, accountid, now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    events.emit(
        events.second_factor_removed,
        appid,
        accountid,
        access.sessionid(req),
        req.get("ip"),
        kind="totp",
    )
    return result

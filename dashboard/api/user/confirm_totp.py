"""PATCH /api/user/confirm-totp: finish adding an authenticator app with a first code from it."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, factors, metrics, storage, totp
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"code": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-code": "missing posted code, or not the app's code of now (one step either side)",
    "invalid-totp": "no authenticator app waits to be confirmed (create-totp first)",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    code = access.required(req, "body", "code", "invalid-code")
    account = access.owned_account(req)
    appid, accountid, now = account["appid"], account["accountid"], clock.now()
    with storage.write():
        accounts.locked(appid, accountid)  # one write to the account at a time
        row = totp.of_account(appid, accountid, confirmed=False)
        if row is None:
            raise ApiError("invalid-totp")
        if not totp.check(row, code, now):
            raise ApiError("invalid-code")
        storage.Totp.update(confirmed_at=now, updated_at=now).where(
            storage.Totp.totpid == row.totpid
        ).execute()
        factors.refresh(appid, accountid, now)
        metrics.count(appid, "second-factors-added", now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    events.emit(
        events.second_factor_added,
        appid,
        accountid,
        access.sessionid(req),
        req.get("ip"),
        kind="totp",
    )
    return result

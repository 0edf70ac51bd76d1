"""PATCH /api/administrator/reset-second-factors: remove the second factors an account lost."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, events, factors, passkeys, totp
from dashboard.cache import current_cache
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "not outranked by the caller (the owner's account, or an "
    "administrator's when the caller is not the owner)",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid, now = target["appid"], target["accountid"], clock.now()
    with administrators.audited("reset-second-factors", appid, accountid, req):
        administrators.outranked(req, appid, accountid)
        totp.remove(appid, accountid)
        passkeys.remove(appid, accountid)
        factors.refresh(appid, accountid, now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    events.emit(
        events.second_factor_removed,
        appid,
        accountid,
        access.sessionid(req),
        req.get("ip"),
        kind="all",
    )
    return result

"""PATCH /api/administrator/reset-session-key: sign an account out everywhere at once."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "scheduled for deletion, or not outranked by the caller (the owner's "
    "account, or an administrator's when the caller is not the owner)",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid, now = target["appid"], target["accountid"], clock.now()
    with administrators.audited("reset-session-key", appid, accountid, req):
        if administrators.outranked(req, appid, accountid).deleted_at is not None:
            raise ApiError("invalid-account")
        accounts.reset_session_key(appid, accountid, now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    return result

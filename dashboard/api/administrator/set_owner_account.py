"""PATCH /api/administrator/set-owner-account: the owner hands the site to another account."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock
from dashboard.cache import current_cache
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "the caller is not the owner, the account is the caller, or it is "
    "scheduled for deletion",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    caller = (req.get("account") or {}).get("accountid") or ""
    with administrators.audited("set-owner-account", appid, accountid, req):
        administrators.transfer_ownership(appid, caller, accountid, clock.now())
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid, caller)
    return result

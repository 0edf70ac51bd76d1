"""PATCH /api/administrator/set-account-administrator: make an account an administrator."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock
from dashboard.cache import current_cache
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "already an administrator, scheduled for deletion, or gone",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    with administrators.audited("set-account-administrator", appid, accountid, req):
        administrators.set_administrator(appid, accountid, clock.now())
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid)
    return result

"""DELETE /api/administrator/delete-account: remove an account and all it holds, now."""

from __future__ import annotations

from dashboard import access, accounts, administrators, clock
from dashboard.cache import current_cache
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "gone already, or not outranked by the caller (the owner's account, "
    "or an administrator's when the caller is not the owner)",
}
RETURNS = "true"


def delete(req: Req) -> bool:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    with administrators.audited("delete-account", appid, accountid, req):
        administrators.outranked(req, appid, accountid)
        accounts.remove(appid, accountid, clock.now())
    # Its sessions stop at once on every worker: each request reads them with their
    # account from the database, and the account is gone.
    current_cache().invalidate(appid, accountid)
    return True

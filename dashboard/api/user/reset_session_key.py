"""PATCH /api/user/reset-session-key: end every session of the account at once."""

from __future__ import annotations

from dashboard import access, accounts, clock, events, storage
from dashboard.cache import current_cache
from dashboard.req import Req

QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "true"


def patch(req: Req) -> bool:
    account = access.owned_account(req)
    appid, accountid = access.appid(req), account["accountid"]
    now = clock.now()
    with storage.write():
        accounts.reset_session_key(appid, accountid, now)
    current_cache().invalidate(appid, accountid)
    events.emit(events.session_key_reset, appid, accountid, access.sessionid(req), req.get("ip"))
    return True

"""DELETE /api/user/delete-passkey: remove one of the account's passkeys."""

from __future__ import annotations

from dashboard import access, accounts, clock, events, factors, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

VERIFIED = True  # a second factor goes: the session signed in or verified lately
QUERY = {"passkeyid": "required"}
ERRORS = {
    "invalid-passkeyid": "missing or unknown querystring passkeyid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "true"


def delete(req: Req) -> bool:
    row = access.owned(req, storage.Passkey, "passkeyid", "pkey", "invalid-passkeyid")
    appid, accountid, now = row.appid, row.accountid, clock.now()
    with storage.write():
        accounts.locked(appid, accountid)  # one write to the account at a time
        gone = storage.Passkey.delete().where(storage.Passkey.passkeyid == row.passkeyid)
        if not gone.execute():
            raise ApiError("invalid-passkeyid")  # of two removals at once, the second
        factors.refresh(appid, accountid, now)
    current_cache().invalidate(appid, accountid)
    events.emit(
        events.second_factor_removed,
        appid,
        accountid,
        access.sessionid(req),
        req.get("ip"),
        kind="passkey",
    )
    return True

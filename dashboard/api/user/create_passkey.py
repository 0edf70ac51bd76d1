"""POST /api/user/create-passkey: add the passkey a browser made from create-passkey-options."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, factors, metrics, passkeys, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"credential": "required", "name": "optional"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-credential": "missing posted credential, or not the browser's answer (its JSON) "
    "to options given to this account in the last 5 minutes and unused, with user "
    "verification",
    "invalid-name": f"posted name empty or over {passkeys.NAME_LENGTH} characters",
    "duplicate-passkey": "the site has this passkey already",
}
RETURNS = "Passkey"


def post(req: Req) -> dict[str, Any]:
    credential = access.required(req, "body", "credential", "invalid-credential")
    name = passkeys.posted_name(req, passkeys.DEFAULT_NAME)
    account = access.owned_account(req)
    appid, accountid, now = account["appid"], account["accountid"], clock.now()
    with storage.write():  # committed either way: the challenge is used up
        verified = passkeys.verified_registration(appid, accountid, credential, now)
    if verified is None:
        raise ApiError("invalid-credential")
    with storage.write():
        current = accounts.locked(appid, accountid)  # one write to the account at a time
        row = passkeys.add(current, verified, name, now)
        factors.refresh(appid, accountid, now)
        metrics.count(appid, "second-factors-added", now)
    current_cache().invalidate(appid, accountid)
    events.emit(
        events.second_factor_added,
        appid,
        accountid,
        access.sessionid(req),
        req.get("ip"),
        kind="passkey",
    )
    return passkeys.public(row)

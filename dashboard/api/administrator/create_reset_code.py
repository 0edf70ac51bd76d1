"""POST /api/administrator/create-reset-code: a reset code for a locked-out user."""

from __future__ import annotations

from typing import Any

from dashboard import access, administrators, clock, resetcodes
from dashboard.cache import current_cache
from dashboard.req import Req

VERIFIED = True
QUERY = {"accountid": "required"}
BODY = {"secret-code": "optional"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-secret-code": "posted secret-code not letters and digits",
    "invalid-secret-code-length": "posted secret-code too short or too long",
    "invalid-account": "not outranked by the caller (the owner's account, or an "
    "administrator's when the caller is not the owner), or gone",
    "maximum-reset-codes": "the account already holds MAXIMUM_RESET_CODES codes",
}
RETURNS = "ResetCode"


def post(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    chosen = (req.get("body") or {}).get("secret-code") or None
    if chosen is not None:
        resetcodes.check(chosen)
    target = access.target_account(req)
    code = chosen or resetcodes.new_code()
    appid, accountid, now = target["appid"], target["accountid"], clock.now()
    with administrators.audited("create-reset-code", appid, accountid, req):
        # Locked, as the user's own create-reset-code locks it: codes are counted one
        # write at a time, so MAXIMUM_RESET_CODES holds however many come at once.
        administrators.outranked(req, appid, accountid)
        # The target is stamped (the original stamped the administrator: its bug 12).
        row = resetcodes.create(appid, accountid, code, now, made_by=req["account"]["accountid"])
    current_cache().invalidate(appid, accountid)
    return resetcodes.public(row, generated=None if chosen else code)

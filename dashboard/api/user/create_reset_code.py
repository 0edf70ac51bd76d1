"""POST /api/user/create-reset-code: a code that can set a new password, for later."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, resetcodes, storage
from dashboard.cache import current_cache
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"password": "required", "secret-code": "optional"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-password": "missing or wrong posted password, or changed since it was checked",
    "invalid-secret-code": "posted secret-code not letters and digits",
    "invalid-secret-code-length": "posted secret-code too short or too long",
    "maximum-reset-codes": "the account already holds MAXIMUM_RESET_CODES codes",
}
RETURNS = "ResetCode"


def post(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    password = access.required(req, "body", "password", "invalid-password")
    chosen = (req.get("body") or {}).get("secret-code") or None
    if chosen is not None:
        resetcodes.check(chosen)
    # A session alone does not make a code: a stolen one must not plant a way back in.
    account = access.confirmed_account(req, password)
    code = chosen or resetcodes.new_code()
    appid, accountid, now = account.appid, account.accountid, clock.now()
    with storage.write():
        accounts.proven(account)
        row = resetcodes.create(appid, accountid, code, now, made_by=None)
    current_cache().invalidate(appid, accountid)
    events.emit(events.reset_code_created, appid, accountid, access.sessionid(req), req.get("ip"))
    return resetcodes.public(row, generated=None if chosen else code)

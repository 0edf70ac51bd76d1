"""POST /api/user/create-session-with-passkey: sign in with a passkey alone, complete at once."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, passkeys, sessions, storage
from dashboard.errors import ApiError
from dashboard.req import Req

AUTH = False
LIMITS = ("sign-in",)  # checks a credential: the sign-in budgets of limits.py
SETS_COOKIES = True  # over HTTP: the sessionid and token cookies, and the origin rule

BODY = {
    "assertion": "required",
    "remember": ("hours", "days"),
    "cookie-only": ("true", "false"),
}
ERRORS = {
    "invalid-assertion": "missing posted assertion, or not a passkey of this site signing "
    "options from passkey-sign-in-options (unused, within 5 minutes) with user verification",
    "invalid-remember": "posted remember neither hours nor days",
    "invalid-cookie-only": "posted cookie-only neither true nor false",
    "invalid-account": "account scheduled for deletion (the passkey matched)",
}
RETURNS = "Session"


def post(req: Req) -> dict[str, Any]:
    assertion = access.required(req, "body", "assertion", "invalid-assertion")
    access.choices(req, BODY)
    appid, now = access.appid(req), clock.now()
    with storage.write():  # committed either way: the challenge is used up
        passkey = passkeys.authenticate(appid, assertion, now)
    if passkey is None:
        events.emit(events.sign_in_failed, appid, None, ip=req.get("ip"))
        raise ApiError("invalid-assertion")
    with storage.write():
        account = accounts.locked(appid, passkey.accountid)
        session, token = sessions.signed_in(account, req, now, complete=True)
    return sessions.answer(account, session, token, req)

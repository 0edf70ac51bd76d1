"""POST /api/user/create-session: sign in with a username and password."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, sessions, storage
from dashboard.errors import ApiError
from dashboard.req import Req

AUTH = False
LIMITS = ("sign-in",)  # checks a password: the sign-in budgets of limits.py
SETS_COOKIES = True  # over HTTP: the sessionid and token cookies, and the origin rule

BODY = {
    "username": "required",
    "password": "required",
    "remember": ("hours", "days"),
    "cookie-only": ("true", "false"),
}
ERRORS = {
    "invalid-username": "missing posted username",
    "invalid-password": "missing posted password, unknown username or wrong password",
    "invalid-remember": "posted remember neither hours nor days",
    "invalid-cookie-only": "posted cookie-only neither true nor false",
    "invalid-account": "account scheduled for deletion, or gone meanwhile (the password matched)",
}
RETURNS = "Session"


def post(req: Req) -> dict[str, Any]:
    username, password = access.posted_credentials(req)
    access.choices(req, BODY)
    appid = access.appid(req)
    account = accounts.by_username(appid, username)
    if not accounts.password_matches(account, password):
        accountid = account.accountid if account else None
        events.emit(events.sign_in_failed, appid, accountid, ip=req.get("ip"))
        raise ApiError("invalid-password")
    now = clock.now()
    upgraded = accounts.upgrade(account, password)  # bcrypt before the write's lock
    with storage.write():
        # The session is built on the account as it is now, locked: a key reset or a
        # deletion that commits first is seen here, one that commits later ends it.
        account = accounts.proven(account)
        session, token = sessions.signed_in(account, req, now)  # scheduled deletion: refused
        if upgraded:
            storage.Account.update(upgraded).where(
                storage.Account.accountid == account.accountid
            ).execute()
        accounts.prepare_username(account, username)
    return sessions.answer(account, session, token, req)

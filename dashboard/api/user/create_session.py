"""POST /api/user/create-session: sign in with a username and password."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, metrics, sessions, storage
from dashboard.cache import current_cache
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
    for name, allowed in BODY.items():
        if isinstance(allowed, tuple):
            access.choice(req, "body", name, allowed, f"invalid-{name}")
    appid = access.appid(req)
    account = accounts.by_username(appid, username)
    if not accounts.password_matches(account, password):
        accountid = account.accountid if account else None
        events.emit(events.sign_in_failed, appid, accountid, ip=req.get("ip"))
        raise ApiError("invalid-password")
    now = clock.now()
    changes = {storage.Account.last_signed_in_at: now, **accounts.upgrade(account, password)}
    with storage.write():
        # The session is built on the account as it is now, locked: a key reset or a
        # deletion that commits first is seen here, one that commits later ends it.
        account = accounts.proven(account)
        if account.deleted_at is not None:
            raise ApiError("invalid-account")
        storage.Account.update(changes).where(
            storage.Account.accountid == account.accountid
        ).execute()
        accounts.prepare_username(account, username)
        metrics.count(appid, "sessions-created", now)
        session, token = sessions.start(
            account,
            (req.get("body") or {}).get("remember"),
            req.get("ip"),
            req.get("userAgent"),
            now,
        )
    current_cache().invalidate(appid, account.accountid)
    for signal in (events.sign_in_succeeded, events.session_created):
        events.emit(signal, appid, account.accountid, session.sessionid, req.get("ip"))
    account.last_signed_in_at = now
    result = sessions.public(storage.data(session), storage.data(account))
    result["token"] = token
    return result

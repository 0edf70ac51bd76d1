"""PATCH /api/user/reset-account-deleted: undo a scheduled deletion that has not passed."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

AUTH = False
LIMITS = ("sign-in",)  # checks a password: the sign-in budgets of limits.py

BODY = {"username": "required", "password": "required"}
ERRORS = {
    "invalid-username": "missing posted username",
    "invalid-password": "missing posted password, unknown username or wrong password",
    "invalid-account": "account not scheduled for deletion, its time has passed, or it is gone",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    username, password = access.posted_credentials(req)
    appid = access.appid(req)
    account = accounts.by_username(appid, username)
    if not accounts.password_matches(account, password):
        raise ApiError("invalid-password")
    now = clock.now()
    with storage.write():
        account = accounts.proven(account)
        if account.deleted_at is None or account.deleted_at <= now:
            raise ApiError("invalid-account")
        storage.Account.update(deleted_at=None, updated_at=now).where(
            storage.Account.accountid == account.accountid
        ).execute()
        result = accounts.public(appid, account.accountid)
    current_cache().invalidate(appid, account.accountid)
    events.emit(events.account_restored, appid, account.accountid, ip=req.get("ip"))
    return result

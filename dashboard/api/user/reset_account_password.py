"""PATCH /api/user/reset-account-password: a forgotten password replaced with a reset code."""

from __future__ import annotations

from dashboard import access, accounts, clock, events, metrics, resetcodes, security, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

AUTH = False
LIMITS = ("sign-in",)  # checks a password: the sign-in budgets of limits.py
BODY = {"username": "required", "new-password": "required", "secret-code": "required"}
ERRORS = {
    "invalid-username": "missing posted username",
    "invalid-new-password": "missing posted new-password, or one that preparation refuses",
    "invalid-new-password-length": "posted new-password too short or too long once prepared",
    "invalid-secret-code": "missing posted secret-code",
    "invalid-reset-code": "unknown username, a code that is not that account's, or one an "
    "administrator made who no longer outranks the account",
    "invalid-account": "account scheduled for deletion, or gone (the code matched)",
}
RETURNS = "true"


def patch(req: Req) -> bool:
    username = access.required(req, "body", "username", "invalid-username")
    new_password = access.required(req, "body", "new-password", "invalid-new-password")
    code = access.required(req, "body", "secret-code", "invalid-secret-code")
    new_password = accounts.prepared(new_password, "password", "invalid-new-password")
    appid = access.appid(req)
    account = accounts.by_username(appid, username)
    found = resetcodes.find(account, code)
    if found is None or account is None:  # an unknown username, a wrong code: the same
        raise ApiError("invalid-reset-code")
    new_hash = accounts.new_password_hash(new_password)  # before the write lock
    now = clock.now()
    with storage.write():
        current = accounts.locked(appid, account.accountid)
        if current.deleted_at is not None:
            raise ApiError("invalid-account")
        if not resetcodes.use_up(found, current):
            raise ApiError("invalid-reset-code")
        storage.Account.update(
            password_hash=new_hash,
            password_prepared=True,
            password_last_changed_at=now,
            reset_code_last_used_at=now,
            session_key=security.new_token(),
            updated_at=now,
        ).where(storage.Account.accountid == account.accountid).execute()
        accounts.renumber_sessions(appid, account.accountid, now)  # every session ends
        metrics.count(appid, "passwords-reset", now)
    current_cache().invalidate(appid, account.accountid)
    events.emit(events.password_reset, appid, account.accountid, ip=req.get("ip"))
    return True

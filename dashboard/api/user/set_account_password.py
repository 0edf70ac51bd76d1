"""PATCH /api/user/set-account-password: change the password; other sessions end."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, metrics, storage
from dashboard.cache import current_cache
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"new-password": "required", "password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-new-password": "missing posted new-password, or one that preparation refuses",
    "invalid-new-password-length": "posted new-password too short or too long once prepared",
    "invalid-password": "missing or wrong posted password, or changed since it was checked",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    new_password = access.required(req, "body", "new-password", "invalid-new-password")
    password = access.required(req, "body", "password", "invalid-password")
    new_password = accounts.prepared(new_password, "password", "invalid-new-password")
    account = access.confirmed_account(req, password)
    appid, accountid, sessionid = account.appid, account.accountid, access.sessionid(req)
    new_hash = accounts.new_password_hash(new_password)
    now = clock.now()
    with storage.write():
        # Of two changes racing, the second finds the password it proved replaced.
        accounts.proven(account)
        storage.Account.update(
            password_hash=new_hash,
            password_prepared=True,
            password_last_changed_at=now,
            updated_at=now,
        ).where(storage.Account.accountid == accountid).execute()
        # Every other session ends (ASVS 3.3.3); the caller's moves to the new number.
        accounts.renumber_sessions(appid, accountid, now, keep=sessionid)
        metrics.count(appid, "passwords-changed", now)
        result = accounts.public(appid, accountid)
    current_cache().invalidate(appid, accountid, *filter(None, [sessionid]))
    events.emit(events.password_changed, appid, accountid, sessionid, req.get("ip"))
    return result

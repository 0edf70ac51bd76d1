"""PATCH /api/user/set-account-username: change the username."""

from __future__ import annotations

from typing import Any

import peewee

from dashboard import access, accounts, clock, events, security, storage
from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"new-username": "required", "password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-new-username": "missing posted new-username, or one that preparation refuses",
    "invalid-new-username-length": "posted new-username too short or too long once prepared",
    "invalid-password": "missing or wrong posted password, or changed since it was checked",
    "duplicate-username": "posted new-username taken in this appid, in any look-alike form",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    new_username = access.required(req, "body", "new-username", "invalid-new-username")
    password = access.required(req, "body", "password", "invalid-password")
    new_username = accounts.prepared(new_username, "username", "invalid-new-username")
    account = access.confirmed_account(req, password)
    appid, accountid = account.appid, account.accountid
    now = clock.now()
    username_hash = security.username_hash(new_username, current_config().keys.encryption)
    changes = {
        storage.Account.username_hash: username_hash,
        storage.Account.username_last_changed_at: now,
        storage.Account.updated_at: now,
        **accounts.upgrade(account, password),  # the password moves to its prepared form too
    }
    try:
        with storage.write():
            accounts.proven(account)
            storage.Account.update(changes).where(storage.Account.accountid == accountid).execute()
            result = accounts.public(appid, accountid)
    except peewee.IntegrityError:
        raise ApiError("duplicate-username") from None
    current_cache().invalidate(appid, accountid)
    events.emit(events.username_changed, appid, accountid, access.sessionid(req), req.get("ip"))
    return result

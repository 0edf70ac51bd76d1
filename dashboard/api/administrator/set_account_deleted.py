"""PATCH /api/administrator/set-account-deleted: schedule an account's deletion."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, storage
from dashboard.errors import ApiError

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "already scheduled for deletion, or the owner (who can never go)",
}
RETURNS = "Account"


def patch(req: dict[str, Any]) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid, now = target["appid"], target["accountid"], clock.now()
    with storage.write():
        current = accounts.locked(appid, accountid)
        if current is None or current.deleted_at is not None or current.owner_since is not None:
            raise ApiError("invalid-account")
        accounts.schedule_deletion(appid, accountid, now)
    administrators.audit(req, "set-account-deleted", accountid)
    return accounts.updated(appid, accountid)

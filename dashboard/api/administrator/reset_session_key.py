"""PATCH /api/administrator/reset-session-key: sign an account out everywhere at once."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, storage
from dashboard.errors import ApiError

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "account scheduled for deletion",
}
RETURNS = "Account"


def patch(req: dict[str, Any]) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid, now = target["appid"], target["accountid"], clock.now()
    with storage.write():
        current = accounts.locked(appid, accountid)
        if current is None or current.deleted_at is not None:
            raise ApiError("invalid-account")
        accounts.reset_session_key(appid, accountid, now)
    administrators.audit(req, "reset-session-key", accountid)
    return accounts.updated(appid, accountid)

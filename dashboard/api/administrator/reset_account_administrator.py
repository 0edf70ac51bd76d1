"""PATCH /api/administrator/reset-account-administrator: revoke administrator rights."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, storage

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "not an administrator, or the owner (who always is one)",
}
RETURNS = "Account"


def patch(req: dict[str, Any]) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    with storage.write():
        administrators.reset_administrator(appid, accountid, clock.now())
    administrators.audit(req, "reset-account-administrator", accountid)
    return accounts.updated(appid, accountid)

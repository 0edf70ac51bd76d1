"""PATCH /api/administrator/set-account-administrator: make an account an administrator."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, storage

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "already an administrator, or scheduled for deletion",
}
RETURNS = "Account"


def patch(req: dict[str, Any]) -> dict[str, Any]:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    with storage.write():
        administrators.set_administrator(appid, accountid, clock.now())
    administrators.audit(req, "set-account-administrator", accountid)
    return accounts.updated(appid, accountid)

"""DELETE /api/administrator/delete-account: remove an account and all it holds, now."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError

VERIFIED = True
QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "the owner (who can never go)",
}
RETURNS = "true"


def delete(req: dict[str, Any]) -> bool:
    target = access.target_account(req)
    appid, accountid = target["appid"], target["accountid"]
    with storage.write():
        current = accounts.locked(appid, accountid)
        if current is None or current.owner_since is not None:
            raise ApiError("invalid-account")
        accounts.remove(appid, accountid, clock.now())
    # Its sessions stop at once on every worker: each request reads them with their
    # account from the database, and the account is gone.
    current_cache().invalidate(appid, accountid)
    administrators.audit(req, "delete-account", accountid)
    return True

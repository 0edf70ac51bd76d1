"""GET /api/administrator/accounts: every account of the site, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, objects, storage
from dashboard.req import Req

QUERY = {"username": "optional", **access.PAGING}
ERRORS = access.PAGING_ERRORS
RETURNS = "Account[]"


def get(req: Req) -> list[dict[str, Any]]:
    username = (req.get("query") or {}).get("username")
    if username:
        # Support's "I am grace-hopper": the one account of that username, by its keyed
        # hash (usernames are never stored), in any form that prepares to it; or none.
        found = accounts.by_username(access.appid(req), username)
        return [] if found is None else [objects.public_account(storage.data(found))]
    condition = storage.Account.appid == access.appid(req)
    rows = access.listed(req, storage.Account, condition)
    return [objects.public_account(storage.data(row)) for row in rows]

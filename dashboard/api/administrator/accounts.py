"""GET /api/administrator/accounts: every account of the site, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

QUERY = access.PAGING
ERRORS = access.PAGING_ERRORS
RETURNS = "Account[]"


def get(req: dict[str, Any]) -> list[dict[str, Any]]:
    condition = storage.Account.appid == access.appid(req)
    rows = access.listed(req, storage.Account, condition)
    return [storage.public_account(storage.data(row)) for row in rows]

"""GET /api/administrator/deleted-accounts: accounts scheduled for deletion, newest first."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = access.PAGING
ERRORS = access.PAGING_ERRORS
RETURNS = "Account[]"


def get(req: Req) -> list[dict[str, Any]]:
    scheduled = storage.Account.deleted_at.is_null(False)
    rows = access.listed(
        req, storage.Account, (storage.Account.appid == access.appid(req)) & scheduled
    )
    return [objects.public_account(storage.data(row)) for row in rows]

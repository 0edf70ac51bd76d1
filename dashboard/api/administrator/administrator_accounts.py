"""GET /api/administrator/administrator-accounts: the site's administrators, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = access.PAGING
ERRORS = access.PAGING_ERRORS
RETURNS = "Account[]"


def get(req: Req) -> list[dict[str, Any]]:
    administrators = storage.Account.administrator_since.is_null(False)
    rows = access.listed(
        req, storage.Account, (storage.Account.appid == access.appid(req)) & administrators
    )
    return [objects.public_account(storage.data(row)) for row in rows]

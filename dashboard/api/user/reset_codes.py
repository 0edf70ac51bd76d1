"""GET /api/user/reset-codes: the account's reset codes, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"accountid": "required", **access.PAGING}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    **access.PAGING_ERRORS,
}
RETURNS = "ResetCode[]"


def get(req: Req) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    condition = access.of_account(storage.ResetCode, account["appid"], account["accountid"])
    rows = access.listed(req, storage.ResetCode, condition)
    return [objects.public_reset_code(storage.data(row)) for row in rows]

"""GET /api/user/reset-codes: the account's reset codes, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, resetcodes, storage

QUERY = {
    "accountid": "required",
    "offset": "optional integer",
    "limit": "optional integer",
    "all": "optional",
}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-offset": "querystring offset not a whole number",
    "invalid-limit": "querystring limit not a whole number above 0",
}
RETURNS = "ResetCode[]"


def get(req: dict[str, Any]) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    query = (
        storage.ResetCode.select()
        .where(resetcodes.of_account(account["appid"], account["accountid"]))
        .order_by(storage.ResetCode.created_at.desc(), storage.ResetCode.codeid.desc())
    )
    return [storage.public_reset_code(storage.data(row)) for row in access.paged(req, query)]

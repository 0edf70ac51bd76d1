"""GET /api/user/passkeys: the account's passkeys, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, passkeys, storage
from dashboard.req import Req

QUERY = {"accountid": "required", **access.PAGING}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    **access.PAGING_ERRORS,
}
RETURNS = "Passkey[]"


def get(req: Req) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    condition = access.of_account(storage.Passkey, account["appid"], account["accountid"])
    return [passkeys.public(row) for row in access.listed(req, storage.Passkey, condition)]

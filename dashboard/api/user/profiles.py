"""GET /api/user/profiles: the account's profiles, newest first, paged."""

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
RETURNS = "Profile[]"


def get(req: Req) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    condition = access.of_account(storage.Profile, account["appid"], account["accountid"])
    rows = access.listed(req, storage.Profile, condition)
    return [objects.public_profile(storage.data(row)) for row in rows]

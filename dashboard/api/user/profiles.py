"""GET /api/user/profiles: the account's profiles, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

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
RETURNS = "Profile[]"


def get(req: dict[str, Any]) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    query = (
        storage.Profile.select()
        .where(
            (storage.Profile.account == account["accountid"])
            & (storage.Profile.appid == account["appid"])
        )
        .order_by(storage.Profile.created_at.desc(), storage.Profile.profileid.desc())
    )
    return [storage.public_profile(storage.data(row)) for row in access.paged(req, query)]

"""PATCH /api/user/set-account-profile: choose the account's default profile."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, security, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"profileid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-profileid": "missing, unknown or another account's posted profileid",
}
RETURNS = "Account"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    profileid = access.required(req, "body", "profileid", "invalid-profileid")
    account = access.owned_account(req)
    if not security.is_id(profileid, "prof"):
        raise ApiError("invalid-profileid")
    now = clock.now()
    with storage.write():
        # The account first, locked, as delete-profile takes it: of the two at once, the
        # second sees what the first did (the profile gone, or now the default).
        accounts.locked(account["appid"], account["accountid"])
        owned = storage.Profile.get_or_none(
            (storage.Profile.profileid == profileid)
            & (storage.Profile.account == account["accountid"])
            & (storage.Profile.appid == account["appid"])
        )
        if owned is None:
            raise ApiError("invalid-profileid")
        storage.Account.update(profileid=profileid, updated_at=now).where(
            storage.Account.accountid == account["accountid"]
        ).execute()
        result = accounts.public(account["appid"], account["accountid"])
    current_cache().invalidate(account["appid"], account["accountid"])
    return result

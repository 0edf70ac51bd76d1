"""POST /api/user/create-profile: a new profile of the account; its first is the default."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, events, objects, profiles, storage
from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {**profiles.BODY, "default": ("true", "false")}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    **profiles.errors(),
    "invalid-default": "posted default neither true nor false",
}
RETURNS = "Profile"


def post(req: Req) -> dict[str, Any]:
    access.required(req, "query", "accountid", "invalid-accountid")
    values = profiles.posted(req, required=current_config().user_profile_fields)
    default = access.choice(req, "body", "default", ("true", "false"), "invalid-default")
    account = access.owned_account(req)
    with storage.write():
        current = accounts.locked(account["appid"], account["accountid"])
        profile = profiles.create(storage.data(current), values, make_default=default == "true")
    current_cache().invalidate(account["appid"], account["accountid"])
    events.emit(
        events.profile_created, account["appid"], account["accountid"], access.sessionid(req)
    )
    return objects.public_profile(storage.data(profile))

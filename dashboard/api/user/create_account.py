"""POST /api/user/create-account: register with a username and password."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, administrators, clock, profiles, storage
from dashboard.config import current_config
from dashboard.errors import ApiError
from dashboard.req import Req

AUTH = False
LIMITS = ("create-account",)

BODY = {"username": "required", "password": "required", **profiles.BODY}
ERRORS = {
    "registration-closed": "REGISTRATION=closed: accounts are made by the operator",
    "invalid-username": "missing posted username, or one that preparation refuses",
    "invalid-password": "missing posted password, or one that preparation refuses",
    "invalid-username-length": "posted username too short or too long once prepared",
    "invalid-password-length": "posted password too short or too long once prepared",
    "duplicate-username": "posted username taken in this appid, in any look-alike form",
    # with REQUIRE_PROFILE, the fields of the account's first profile:
    **profiles.errors(),
}
RETURNS = "Account"


def post(req: Req) -> dict[str, Any]:
    config = current_config()
    if config.registration == "closed":
        raise ApiError("registration-closed")
    username, password = access.posted_credentials(req)
    username = accounts.prepared(username, "username", "invalid-username")
    password = accounts.prepared(password, "password", "invalid-password")
    if config.require_profile:  # every field checked before anything is written
        fields = profiles.posted(req, required=config.user_profile_fields)
    appid = access.appid(req)
    now = clock.now()
    password_hash = accounts.new_password_hash(password)
    with storage.write():
        account = accounts.create(appid, username, password_hash, now)
        if config.first_account_owner:  # the original's rule, for development and tests
            administrators.own_if_first(account, now)
        if config.require_profile:
            profiles.create(storage.data(account), fields, make_default=True)
        return accounts.public(appid, account.accountid)

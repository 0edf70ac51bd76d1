"""POST /api/user/create-passkey-options: begin adding a passkey; what the browser makes it with."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, passkeys, storage
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"username": "required", "password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-username": "missing posted username, or not the account's",
    "invalid-password": "missing posted password, or not the account's",
}
RETURNS = "PasskeyOptions"


def post(req: Req) -> dict[str, Any]:
    username = access.required(req, "body", "username", "invalid-username")
    password = access.required(req, "body", "password", "invalid-password")
    account = access.confirmed_account(req, password)
    named = accounts.by_username(account.appid, username)
    if named is None or named.accountid != account.accountid:
        raise ApiError("invalid-username")
    with storage.write():
        # The name the authenticator shows the passkey under: the username, as typed.
        return passkeys.registration_options(account, username, clock.now())

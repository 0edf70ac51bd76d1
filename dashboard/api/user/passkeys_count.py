"""GET /api/user/passkeys-count: how many passkeys the account has."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "integer"


def get(req: Req) -> int:
    account = access.owned_account(req)
    condition = access.of_account(storage.Passkey, account["appid"], account["accountid"])
    return storage.Passkey.select().where(condition).count()

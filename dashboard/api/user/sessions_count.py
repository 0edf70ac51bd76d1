"""GET /api/user/sessions-count: how many sessions the account has had."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

QUERY = {"accountid": "required", "active": ("true", "false")}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-active": "querystring active neither true nor false",
}
RETURNS = "integer"


def get(req: Req) -> int:
    account = access.owned_account(req)
    return storage.Session.select().where(access.listed_sessions(req, account)).count()

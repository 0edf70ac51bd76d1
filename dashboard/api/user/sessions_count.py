"""GET /api/user/sessions-count: how many sessions the account has had."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

QUERY = {"accountid": "required", "active": ("true", "false")}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-active": "querystring active neither true nor false",
}
RETURNS = "integer"


def get(req: dict[str, Any]) -> int:
    account = access.owned_account(req)
    return storage.Session.select().where(access.listed_sessions(req, account)).count()

"""GET /api/user/account: the signed-in account."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects
from dashboard.req import Req

QUERY = {"accountid": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "Account"
KEPT = True  # made of rows alone: the gateway may answer it again from memory


def get(req: Req) -> dict[str, Any]:
    return objects.public_account(access.owned_account(req))

"""GET /api/user/reset-code: one of the account's reset codes (never the code itself)."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"codeid": "required"}
ERRORS = {
    "invalid-reset-codeid": "missing or unknown querystring codeid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "ResetCode"


def get(req: Req) -> dict[str, Any]:
    code = access.owned(req, storage.ResetCode, "codeid", "code", "invalid-reset-codeid")
    return objects.public_reset_code(storage.data(code))

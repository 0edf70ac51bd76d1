"""GET /api/administrator/reset-code: any of the site's reset codes (never the code itself)."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"codeid": "required"}
ERRORS = {"invalid-reset-codeid": "missing or unknown querystring codeid"}
RETURNS = "ResetCode"


def get(req: Req) -> dict[str, Any]:
    row = access.named(req, storage.ResetCode, "codeid", "code", "invalid-reset-codeid")
    return objects.public_reset_code(storage.data(row))

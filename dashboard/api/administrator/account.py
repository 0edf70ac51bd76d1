"""GET /api/administrator/account: any account of the site."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects
from dashboard.req import Req

QUERY = {"accountid": "required"}
ERRORS = {"invalid-accountid": "missing or unknown querystring accountid"}
RETURNS = "Account"
KEPT = True  # made of rows alone: the gateway may answer it again from memory


def get(req: Req) -> dict[str, Any]:
    return objects.public_account(access.target_account(req))

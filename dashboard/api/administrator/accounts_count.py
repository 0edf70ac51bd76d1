"""GET /api/administrator/accounts-count: how many accounts the site has."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: dict[str, Any]) -> int:
    return storage.Account.select().where(storage.Account.appid == access.appid(req)).count()

"""GET /api/administrator/administrator-accounts-count: how many administrators there are."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: dict[str, Any]) -> int:
    administrators = storage.Account.administrator_since.is_null(False)
    condition = (storage.Account.appid == access.appid(req)) & administrators
    return storage.Account.select().where(condition).count()

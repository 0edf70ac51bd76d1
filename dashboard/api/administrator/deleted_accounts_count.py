"""GET /api/administrator/deleted-accounts-count: how many are scheduled for deletion."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: dict[str, Any]) -> int:
    scheduled = storage.Account.deleted_at.is_null(False)
    condition = (storage.Account.appid == access.appid(req)) & scheduled
    return storage.Account.select().where(condition).count()

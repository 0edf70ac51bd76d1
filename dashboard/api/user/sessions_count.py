"""GET /api/user/sessions-count: how many sessions the account has had."""

from __future__ import annotations

from typing import Any

from dashboard import access, storage


def get(req: dict[str, Any]) -> int:
    account = access.owned_account(req)
    return storage.Session.select().where(access.listed_sessions(req, account)).count()

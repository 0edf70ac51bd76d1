"""GET /api/user/sessions-count: how many sessions the account has had."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, storage


def get(req: dict[str, Any]) -> int:
    account = access.owned_account(req)
    condition = accounts.of_account(access.appid(req), account["accountid"])
    return storage.Session.select().where(condition).count()

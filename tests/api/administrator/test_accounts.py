"""GET /api/administrator/accounts"""

from __future__ import annotations

from tests.api.administrator.lists import AccountList


class TestAccounts(AccountList):
    ROUTE = "administrator/accounts"
    EXPECTED = ["deleted", "user", "administrator", "owner"]

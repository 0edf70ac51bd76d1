"""GET /api/administrator/deleted-accounts"""

from __future__ import annotations

from tests.api.administrator.lists import AccountList


class TestDeletedAccounts(AccountList):
    ROUTE = "administrator/deleted-accounts"
    EXPECTED = ["deleted"]

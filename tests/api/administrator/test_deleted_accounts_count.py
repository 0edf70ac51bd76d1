"""GET /api/administrator/deleted-accounts-count"""

from __future__ import annotations

from tests.api.administrator.lists import AccountCount


class TestDeletedAccountsCount(AccountCount):
    ROUTE = "administrator/deleted-accounts-count"
    EXPECTED = ["deleted"]

"""GET /api/administrator/accounts-count"""

from __future__ import annotations

from tests.api.administrator.lists import AccountCount


class TestAccountsCount(AccountCount):
    ROUTE = "administrator/accounts-count"
    EXPECTED = ["deleted", "user", "administrator", "owner"]

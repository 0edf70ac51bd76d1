"""GET /api/administrator/administrator-accounts"""

from __future__ import annotations

from tests.api.administrator.lists import AccountList


class TestAdministratorAccounts(AccountList):
    ROUTE = "administrator/administrator-accounts"
    EXPECTED = ["administrator", "owner"]

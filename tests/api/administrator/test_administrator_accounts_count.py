"""GET /api/administrator/administrator-accounts-count"""

from __future__ import annotations

from tests.api.administrator.lists import AccountCount


class TestAdministratorAccountsCount(AccountCount):
    ROUTE = "administrator/administrator-accounts-count"
    EXPECTED = ["administrator", "owner"]

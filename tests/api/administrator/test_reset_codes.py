"""GET /api/administrator/reset-codes"""

from __future__ import annotations

from tests.api.administrator.lists import RowList


class TestResetCodes(RowList):
    ROUTE = "administrator/reset-codes"
    KIND = "reset_codes"
    IDNAME = "codeid"

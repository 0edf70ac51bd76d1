"""GET /api/administrator/reset-codes-count"""

from __future__ import annotations

from tests.api.administrator.lists import RowCount


class TestResetCodesCount(RowCount):
    ROUTE = "administrator/reset-codes-count"
    KIND = "reset_codes"

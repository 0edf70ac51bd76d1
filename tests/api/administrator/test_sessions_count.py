"""GET /api/administrator/sessions-count"""

from __future__ import annotations

from tests.api.administrator.lists import RowCount


class TestSessionsCount(RowCount):
    ROUTE = "administrator/sessions-count"
    KIND = "sessions"

"""GET /api/administrator/sessions"""

from __future__ import annotations

from tests.api.administrator.lists import RowList


class TestSessions(RowList):
    ROUTE = "administrator/sessions"
    KIND = "sessions"
    IDNAME = "sessionid"
